/**
 * How a search box entry is read: a document id prefix, a birth date in the usual US or
 * ISO forms, or words of a name (case and accents ignored, one typo per word tolerated);
 * anything may also be an MRN or a member id. Pure, shared by the writer (rows) and the reader (queries).
 */

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'jr', 'sr', 'ii', 'iii', 'iv', 'md']);

/** Lower case, accents removed, letters and digits only. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a name, folded, without titles: "Dr. José  O'Neil, Jr." → ["jose", "o", "neil"]. */
export function nameWords(name: string | undefined): string[] {
  if (!name) return [];
  const words = fold(name.replace(/[''`]/g, '')).split(' ');
  return [...new Set(words.filter((w) => w && !TITLES.has(w) && !/^\d+$/.test(w)))];
}

/** An MRN or member id compared without punctuation, case or leading zeros. */
export function identifierKey(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const key = s
    .replace(/[^0-9a-z]/gi, '')
    .replace(/^0+(?=.)/, '')
    .toLowerCase();
  return key || undefined;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function isoDay(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return undefined;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** A two-digit year: within the last hundred years (a birth date is in the past). */
function fullYear(yy: number, now: Date): number {
  const current = now.getUTCFullYear() % 100;
  return yy <= current ? 2000 + yy : 1900 + yy;
}

/**
 * A birth date as typed: 1962-03-14, 1962/3/14, 19620314, 03/14/1962, 3/14/62, 03-14-1962,
 * 03.14.1962 → "1962-03-14". US order (month first) for slashed forms. undefined: not a date.
 */
export function parseBirthDate(text: string, now = new Date()): string | undefined {
  const s = text.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(s);
  if (m) {
    const year = m[3]!.length === 2 ? fullYear(Number(m[3]), now) : Number(m[3]);
    return isoDay(year, Number(m[1]), Number(m[2]));
  }
  return undefined;
}

/** Optimal string alignment distance, stopping early past `max`. */
export function editDistance(a: string, b: string, max = 1): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

/** Words shorter than this must match exactly: one typo in "al" or "li" matches half the roster. */
export const MIN_FUZZY_WORD = 4;

export type SearchTerms =
  | { kind: 'empty' }
  | { kind: 'docId'; prefix: string; identifier: string }
  | { kind: 'birthDate'; birthDate: string; identifier?: string }
  | { kind: 'text'; words: string[]; identifier?: string };

export function readSearch(text: string | undefined, now = new Date()): SearchTerms {
  const s = (text ?? '').trim();
  if (!s) return { kind: 'empty' };
  if (/^[0-9a-f]{6,64}$/i.test(s)) return { kind: 'docId', prefix: s.toLowerCase(), identifier: identifierKey(s)! };
  const birthDate = parseBirthDate(s, now);
  if (birthDate) return { kind: 'birthDate', birthDate, identifier: identifierKey(s) };
  return { kind: 'text', words: nameWords(s), identifier: identifierKey(s) };
}
