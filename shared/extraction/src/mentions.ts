import type { TermIndex } from '@intake/vocab';

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

const TOKEN = /[A-Za-z0-9µ]+(?:[-'’/.][A-Za-z0-9]+)*/g;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
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
  const maxWords = Math.min(opts.maxWords ?? 4, index.maxWords);
  const out: Mention<T>[] = [];
  let i = 0;
  while (i < tokens.length) {
    let hit: Mention<T> | undefined;
    let used = 0;
    for (let n = Math.min(maxWords, tokens.length - i); n >= 1 && !hit; n--) {
      const first = tokens[i]!;
      const last = tokens[i + n - 1]!;
      const phrase = text.slice(first.start, last.end);
      if (n === 1) {
        const lower = phrase.toLowerCase();
        if (opts.stop?.has(lower)) continue;
        if (phrase.length < (opts.minLength ?? 3) && !/^[A-Z0-9]+$/.test(phrase)) continue;
        if (/^\d+([.,/-]\d+)*$/.test(phrase)) continue;
      }
      const fuzzy = !!opts.fuzzy && n <= 2 && phrase.replace(/[^A-Za-z]/g, '').length >= (opts.minFuzzyLength ?? 6);
      const m = index.lookup(phrase, fuzzy);
      if (m) {
        hit = { start: first.start, end: last.end, value: m.value, score: m.score, term: m.term };
        used = n;
      }
    }
    if (hit) {
      out.push(hit);
      i += used;
    } else i++;
  }
  return out;
}
