import { normalizeTerm, type TermIndex } from '@intake/vocab';

export interface Mention<T> {
  start: number;
  end: number;
  value: T;
  score: number;
  term: string;
}

export interface Token {
  text: string;
  start: number;
  end: number;
}

const tokenKeys = new Map<string, string>();
/** normalizeTerm for one token, memoised: the same words recur across every scan of every page. */
function tokenKey(t: string): string {
  let k = tokenKeys.get(t);
  if (k === undefined) {
    k = normalizeTerm(t);
    if (tokenKeys.size > 200_000) tokenKeys.clear();
    tokenKeys.set(t, k);
  }
  return k;
}

const tokenCache = { text: '', tokens: [] as Token[] };

const TOKEN = /[A-Za-z0-9µ]+(?:[-'’/.][A-Za-z0-9]+)*/g;

export function tokenize(text: string): Token[] {
  // The same span is scanned for drugs, vaccines, screenings and conditions in turn.
  if (tokenCache.text === text) return tokenCache.tokens;
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  tokenCache.text = text;
  tokenCache.tokens = out;
  return out;
}

export interface MentionOptions {
  maxWords?: number;
  /** Allow OCR-tolerant matches (single/two-word terms of at least `minFuzzyLength` letters). */
  fuzzy?: boolean;
  minFuzzyLength?: number;
  /** Single-token matches to ignore (normalised lower case). */
  stop?: ReadonlySet<string>;
  /** Shortest single-token exact match accepted. */
  minLength?: number;
}

/** Lexicon terms in the text, longest first, left to right, without overlaps. */
export function findMentions<T>(text: string, index: TermIndex<T>, opts: MentionOptions = {}): Mention<T>[] {
  const tokens = tokenize(text);
  const keys = tokens.map((t) => tokenKey(t.text));
  const maxWords = Math.min(opts.maxWords ?? 4, index.maxWords);
  const out: Mention<T>[] = [];
  let i = 0;
  while (i < tokens.length) {
    let hit: Mention<T> | undefined;
    let used = 0;
    // Grow the phrase while it is the start of some longer term; keep the longest exact hit.
    let key = '';
    for (let n = 1; n <= Math.min(maxWords, tokens.length - i); n++) {
      const k = keys[i + n - 1]!;
      if (!k) break;
      key = n === 1 ? k : `${key} ${k}`;
      const first = tokens[i]!;
      const last = tokens[i + n - 1]!;
      const phrase = n === 1 ? first.text : text.slice(first.start, last.end);
      let ok = true;
      if (n === 1) {
        if (opts.stop?.has(key)) ok = false;
        else if (phrase.length < (opts.minLength ?? 3) && !/^[A-Z0-9]+$/.test(phrase)) ok = false;
        else if (/^\d+([.,/-]\d+)*$/.test(phrase)) ok = false;
      }
      if (ok) {
        const m = index.lookupKey(key, false);
        if (m) {
          hit = { start: first.start, end: last.end, value: m.value, score: m.score, term: m.term };
          used = n;
        }
      }
      if (!index.isPrefix(key)) break;
    }
    if (!hit && opts.fuzzy) {
      // OCR-tolerant: one or two words long enough that one slip cannot make another word.
      for (let n = Math.min(2, tokens.length - i); n >= 1 && !hit; n--) {
        const first = tokens[i]!;
        const last = tokens[i + n - 1]!;
        const phrase = text.slice(first.start, last.end);
        if (phrase.replace(/[^A-Za-z]/g, '').length < (opts.minFuzzyLength ?? 6)) continue;
        if (/\d{2,}/.test(phrase)) continue;
        const m = index.lookupKey(keys.slice(i, i + n).join(' '), true);
        if (m && m.score < 1) {
          hit = { start: first.start, end: last.end, value: m.value, score: m.score, term: m.term };
          used = n;
        }
      }
    }
    if (hit) {
      out.push(hit);
      i += used;
    } else i++;
  }
  return out;
}
