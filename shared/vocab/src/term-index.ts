import { normalizeTerm, ocrFold } from './normalize.ts';

export interface TermMatch<T> {
  value: T;
  /** The lexicon term that matched (normalised). */
  term: string;
  /** 1 for an exact match, lower for OCR-tolerant ones. */
  score: number;
}

/**
 * A term → value index with OCR-tolerant lookup: exact key, then the OCR-folded key, then one edit
 * (symmetric delete) on the folded key for terms long enough that one edit cannot make another word.
 */
export class TermIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly folded = new Map<string, { term: string; value: T }>();
  private readonly deletes = new Map<string, { term: string; value: T }[]>();
  /** Longest term length in words, for callers scanning n-grams. */
  maxWords = 1;
  /** Every proper word-prefix of a multi-word term ("insulin" for "insulin glargine"). */
  private readonly prefixes = new Set<string>();
  private readonly misses = new Set<string>();

  constructor(
    private readonly minFuzzyLength = 6,
    private readonly keyOf: (value: T) => unknown = (v) => v,
  ) {}

  add(term: string, value: T, overwrite = false): void {
    const key = normalizeTerm(term);
    if (!key) return;
    if (!overwrite && this.exact.has(key)) return;
    this.exact.set(key, value);
    const words = key.split(' ');
    this.maxWords = Math.max(this.maxWords, words.length);
    for (let i = 1; i < words.length; i++) this.prefixes.add(words.slice(0, i).join(' '));
    const f = ocrFold(key);
    if (overwrite || !this.folded.has(f)) this.folded.set(f, { term: key, value });
    if (f.length >= this.minFuzzyLength) {
      for (let i = 0; i < f.length; i++) {
        const d = f.slice(0, i) + f.slice(i + 1);
        const list = this.deletes.get(d);
        if (list) {
          if (list.length < 4) list.push({ term: key, value });
        } else this.deletes.set(d, [{ term: key, value }]);
      }
    }
  }

  has(term: string): boolean {
    return this.exact.has(normalizeTerm(term));
  }

  /** Exact lookup only (normalised). */
  get(term: string): T | undefined {
    return this.exact.get(normalizeTerm(term));
  }

  /** True when some longer term starts with this (normalised) key followed by a space. */
  isPrefix(key: string): boolean {
    return this.prefixes.has(key);
  }

  /** OCR-tolerant lookup of a whole term. */
  lookup(term: string, fuzzy = true): TermMatch<T> | undefined {
    return this.lookupKey(normalizeTerm(term), fuzzy);
  }

  /** Lookup of an already normalised key (see normalizeTerm). */
  lookupKey(key: string, fuzzy = true): TermMatch<T> | undefined {
    if (!key) return undefined;
    const v = this.exact.get(key);
    if (v !== undefined) return { value: v, term: key, score: 1 };
    if (!fuzzy || this.misses.has(key)) return undefined;
    const hit = this.fuzzyLookup(key);
    if (!hit && this.misses.size < 50_000) this.misses.add(key);
    return hit;
  }

  private fuzzyLookup(key: string): TermMatch<T> | undefined {
    const f = ocrFold(key);
    const fv = this.folded.get(f);
    if (fv) return { value: fv.value, term: fv.term, score: 0.9 };
    if (f.length < Math.max(7, this.minFuzzyLength)) return undefined;
    // One edit between folded forms: same delete key on either side.
    const candidates = new Map<string, { term: string; value: T }>();
    const direct = this.folded.get(f);
    if (direct) candidates.set(direct.term, direct);
    for (const c of this.deletes.get(f) ?? []) candidates.set(c.term, c);
    for (let i = 0; i < f.length; i++) {
      const d = f.slice(0, i) + f.slice(i + 1);
      const fd = this.folded.get(d);
      if (fd && d.length >= this.minFuzzyLength - 1) candidates.set(fd.term, fd);
      for (const c of this.deletes.get(d) ?? []) candidates.set(c.term, c);
    }
    if (candidates.size === 0) return undefined;
    // Prefer the candidate whose first letter agrees; ambiguous matches are refused rather than guessed.
    const list = [...candidates.values()];
    // OCR rarely loses the first letter and a wrong first letter usually means another word.
    const pool = list.filter((c) => ocrFold(c.term)[0] === f[0]);
    if (pool.length === 0) return undefined;
    const distinct = new Set(pool.map((c) => this.keyOf(c.value)));
    if (distinct.size > 1) return undefined;
    const best = pool[0]!;
    return { value: best.value, term: best.term, score: 0.8 };
  }
}
