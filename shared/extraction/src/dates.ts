/** Dates as records write them → ISO 8601, partial where the text is partial. Never guessed. */

export interface FoundDate {
  iso: string;
  start: number;
  end: number;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const MON =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

const pad = (n: number) => String(n).padStart(2, '0');

function year(y: string): number | undefined {
  if (y.length === 4) {
    const n = Number(y);
    return n >= 1900 && n <= 2100 ? n : undefined;
  }
  if (y.length === 2) {
    // Two-digit years: the usual clinical pivot (00–30 → 2000s).
    const n = Number(y);
    return n <= 30 ? 2000 + n : 1900 + n;
  }
  return undefined;
}

function iso(y: number, m?: number, d?: number): string | undefined {
  if (m === undefined) return String(y);
  if (m < 1 || m > 12) return undefined;
  if (d === undefined) return `${y}-${pad(m)}`;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > days) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Same length as the input, with OCR letter-for-digit slips next to digits repaired. */
function repairDigits(text: string): string {
  // A lower-case i for 1 only as a word's first letter before its last digit ("Aug i8, 2014").
  return text.replace(/(?<=\d[/.-]?)[OoIl|](?=[\d/.-]|\s|$)|[OoIl|](?=\d)|(?<=\s)i(?=\d\b)/g, (c) => (c === 'O' || c === 'o' ? '0' : '1'));
}

/** English words one letter from a month, never repaired ("not 2019"). */
const ENGLISH_NEAR_MONTH = new Set(
  'not nor now non new nod ape apt age ago ago any are arm art aye dew den due fed fee few jam jar jaw jab jug jut man map mat may mad sea see set son sun out oat own ice'.split(' '),
);
const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Same length as the input, with a month abbreviation that OCR misread by one letter ("Noy 1,
 * 2018", "Sap 9, 2019", "Oc) 30, 2008") repaired — only before a day and year or a year, and only
 * when exactly one month is one letter away ("Not 2019" could be Nov or Oct: left alone).
 */
function repairMonths(text: string): string {
  return text.replace(/\b([A-Za-z][A-Za-z0-9)]{2})(?=\.?\s*\d{1,2}[,.]?\s+\d{4}\b|\.?\s+\d{4}\b)/g, (w) => {
    const l = w.toLowerCase();
    if (MONTH_ABBR.includes(l) || ENGLISH_NEAR_MONTH.has(l)) return w;
    const near = MONTH_ABBR.filter((m) => [...m].filter((c, i) => c !== l[i]).length === 1);
    if (near.length !== 1) return w;
    const m = near[0]!;
    return w[0] === w[0]!.toUpperCase() ? m[0]!.toUpperCase() + m.slice(1) : m;
  });
}

type Pattern = { re: RegExp; make: (m: RegExpExecArray) => string | undefined; yearOnly?: boolean };

const PATTERNS: Pattern[] = [
  // 2019-03-14, 2019/03/14, 2019-03
  {
    re: /\b(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\b(?![-/.]\d)/gi,
    make: (m) => {
      const y = year(m[1]!);
      return y ? iso(y, Number(m[2]), m[3] ? Number(m[3]) : undefined) : undefined;
    },
  },
  // 03/14/2019, 3-14-19, 03.14.2019
  {
    re: /(?<![\d/.-])\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b(?![/.-]\d)/gi,
    make: (m) => {
      const y = year(m[3]!);
      return y ? iso(y, Number(m[1]), Number(m[2])) : undefined;
    },
  },
  // 3/2019, 03-2019
  {
    re: /(?<![\d/.-])\b(\d{1,2})[/-](\d{4})\b(?![/.-]\d)/gi,
    make: (m) => {
      const y = year(m[2]!);
      return y ? iso(y, Number(m[1])) : undefined;
    },
  },
  // 14 Mar 2019, 14-Mar-2019
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+${MON}\\.?[\\s,-]+(\\d{4})\\b`, 'gi'),
    make: (m) => {
      const y = year(m[3]!);
      return y ? iso(y, MONTHS[m[2]!.toLowerCase()], Number(m[1])) : undefined;
    },
  },
  // March 14, 2019 / Mar. 14th 2019 / Mar 2019 / March of 2019 / Mar-2019 / Mar '19
  {
    re: new RegExp(
      // After the day, OCR reads the comma as '°', a quote or a full stop, and may lose the space ("Aug 11.2014", "Dec 18° 2000").
      `\\b${MON}\\.?(?:[\\s.]*(\\d{1,2})(?!\\d)(?:st|nd|rd|th)?(?:[,.°'’"”]?[\\s,.-]+|[,.°'’"”](?=\\d{4}\\b)))?(?:\\s+of)?(?:(?<=[,.°'’"”\\s-])|[\\s,.-]+)('?\\d{2}|\\d{4})\\b(?![/.-]\\d)`,
      'gi',
    ),
    make: (m) => {
      const raw = m[3]!.replace("'", '');
      if (raw.length === 2 && !m[3]!.startsWith("'") && !m[2]) return undefined;
      const y = year(raw);
      return y ? iso(y, MONTHS[m[1]!.toLowerCase()], m[2] ? Number(m[2]) : undefined) : undefined;
    },
  },
  // OCR glued a month to the word before it: "freeMay 3, 2016"
  {
    re: /(?<=[a-z])(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*(\d{1,2}),?\s+(\d{4})\b/g,
    make: (m) => {
      const y = year(m[3]!);
      return y ? iso(y, MONTHS[m[1]!.toLowerCase()], Number(m[2])) : undefined;
    },
  },
  // 2019 alone (only when the caller allows year-only dates)
  { re: /(?<![\d/.#-])\b(19\d{2}|20\d{2})\b(?![\d/.-]*\d)/g, make: (m) => iso(Number(m[1])), yearOnly: true },
  // "lap chole '05": an apostrophe year (year-only callers)
  { re: /(?<![\w'’])['’](\d{2})\b(?![\d/.'’-])/g, make: (m) => iso(year(m[1]!)!), yearOnly: true },
];

/** Every date in the text, left to right, without overlaps. */
export function findDates(text: string, opts: { yearOnly?: boolean } = {}): FoundDate[] {
  const src = repairMonths(repairDigits(text));
  const found: FoundDate[] = [];
  const taken = (s: number, e: number) => found.some((f) => s < f.end && e > f.start);
  for (const p of PATTERNS) {
    if (p.yearOnly && opts.yearOnly === false) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(src); m; m = p.re.exec(src)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken(start, end)) continue;
      const value = p.make(m);
      if (value) found.push({ iso: value, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The first date in the text, or undefined. */
export function parseDate(text: string, opts: { yearOnly?: boolean } = {}): string | undefined {
  return findDates(text, opts)[0]?.iso;
}
