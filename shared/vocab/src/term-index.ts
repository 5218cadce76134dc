import { normalizeTerm, ocrFold } from './normalize.ts';

export interface TermMatch<T> {
  value: T;
  /** The lexicon term that matched (normalised). */
  term: string;
  /** 1 for an exact match, lower for OCR-tolerant ones. */
  score: number;
}

interface Entry<T> {
  term: string;
  value: T;
}

/**
 * A TermIndex written out by `compile()` (the production build precompiles the large lexicons,
 * see compiled.ts): values are indexes into a table the caller keeps, entries are (term, value)
 * pairs, and the one-edit index is a sorted list of delete keys searched by bisection, so
 * loading it builds no map of its 150,000 keys. A delete key is not written out: it is the
 * folded key `folded[deleteFrom[2k]]` without its character at `deleteFrom[2k + 1]`.
 */
export interface CompiledTermIndex {
  minFuzzyLength: number;
  maxWords: number;
  /** Entry i: entryTerms[i] → values[entryValues[i]]. */
  entryTerms: string[];
  entryValues: number[];
  /** Exact key → value index. */
  exact: [string, number][];
  /** Folded key → entry index. */
  folded: [string, number][];
  prefixes: string[];
  /** Delete key k (in JavaScript string order): [index into folded, character dropped] pairs. */
  deleteFrom: number[];
  /** Entries of delete key k: deleteEntries[deleteStart[k] .. deleteStart[k + 1]). */
  deleteStart: number[];
  deleteEntries: number[];
}

/** `key` against `from` without its character at `drop`, in JavaScript string order (<0, 0, >0). */
function compareDropped(key: string, from: string, drop: number): number {
  const n = from.length - 1;
  const m = Math.min(key.length, n);
  for (let p = 0; p < m; p++) {
    const d = key.charCodeAt(p) - from.charCodeAt(p < drop ? p : p + 1);
    if (d !== 0) return d;
  }
  return key.length - n;
}

/** The one-edit index of a compiled TermIndex: sorted (implicit) keys, bisected. */
class SortedDeletes<T> {
  constructor(
    private readonly foldedKeys: string[],
    private readonly from: number[],
    private readonly start: number[],
    private readonly entries: Entry<T>[],
  ) {}

  get(key: string): Entry<T>[] | undefined {
    let lo = 0;
    let hi = this.start.length - 2;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareDropped(key, this.foldedKeys[this.from[2 * mid]!]!, this.from[2 * mid + 1]!);
      if (c === 0) return this.entries.slice(this.start[mid]!, this.start[mid + 1]!);
      if (c > 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

/**
 * A term → value index with OCR-tolerant lookup: exact key, then the OCR-folded key, then one edit
 * (symmetric delete) on the folded key for terms long enough that one edit cannot make another word.
 */
export class TermIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly folded = new Map<string, Entry<T>>();
  private deletes: Map<string, Entry<T>[]> | SortedDeletes<T> = new Map();
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
    const deletes = this.deletes;
    if (!(deletes instanceof Map)) throw new Error('a compiled TermIndex is read-only');
    const key = normalizeTerm(term);
    if (!key) return;
    if (!overwrite && this.exact.has(key)) return;
    this.exact.set(key, value);
    const words = key.split(' ');
    this.maxWords = Math.max(this.maxWords, words.length);
    for (let i = 1; i < words.length; i++) this.prefixes.add(words.slice(0, i).join(' '));
    const f = ocrFold(key);
    // One entry object for the folded key and every delete key (read only).
    const entry: Entry<T> = { term: key, value };
    if (overwrite || !this.folded.has(f)) this.folded.set(f, entry);
    if (f.length >= this.minFuzzyLength) {
      for (let i = 0; i < f.length; i++) {
        const d = f.slice(0, i) + f.slice(i + 1);
        const list = deletes.get(d);
        if (list) {
          if (list.length < 4) list.push(entry);
        } else deletes.set(d, [entry]);
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
    const candidates = new Map<string, Entry<T>>();
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

  /** This index as data (see CompiledTermIndex); `valueIndex` numbers each value in the caller's table. */
  compile(valueIndex: (value: T) => number): CompiledTermIndex {
    const deletes = this.deletes;
    if (!(deletes instanceof Map)) throw new Error('this TermIndex is compiled already');
    const entryIds = new Map<Entry<T>, number>();
    const entryTerms: string[] = [];
    const entryValues: number[] = [];
    const entryId = (e: Entry<T>): number => {
      let id = entryIds.get(e);
      if (id === undefined) {
        id = entryTerms.length;
        entryIds.set(e, id);
        entryTerms.push(e.term);
        entryValues.push(valueIndex(e.value));
      }
      return id;
    };
    // Each delete key as (folded key, position dropped): every folded key that made delete keys is in `folded`.
    const foldedKeys = [...this.folded.keys()];
    const foldedIds = new Map(foldedKeys.map((k, i) => [k, i]));
    const origin = new Map<string, [number, number]>();
    for (const [f, id] of foldedIds) {
      if (f.length < this.minFuzzyLength) continue;
      for (let i = 0; i < f.length; i++) {
        const d = f.slice(0, i) + f.slice(i + 1);
        if (!origin.has(d) && deletes.has(d)) origin.set(d, [id, i]);
      }
    }
    const keys = [...deletes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const deleteFrom: number[] = [];
    const deleteStart: number[] = [];
    const deleteEntries: number[] = [];
    for (const k of keys) {
      const o = origin.get(k);
      if (!o) throw new Error(`delete key ${JSON.stringify(k)} has no folded key`);
      deleteFrom.push(o[0], o[1]);
      deleteStart.push(deleteEntries.length);
      for (const e of deletes.get(k)!) deleteEntries.push(entryId(e));
    }
    deleteStart.push(deleteEntries.length);
    return {
      minFuzzyLength: this.minFuzzyLength,
      maxWords: this.maxWords,
      entryTerms,
      entryValues,
      exact: [...this.exact].map(([k, v]) => [k, valueIndex(v)]),
      folded: [...this.folded].map(([k, e]) => [k, entryId(e)]),
      prefixes: [...this.prefixes],
      deleteFrom,
      deleteStart,
      deleteEntries,
    };
  }

  /** A read-only index from `compile()`'s data; `values` is the table its value indexes point into. */
  static fromCompiled<T>(c: CompiledTermIndex, values: readonly T[], keyOf?: (value: T) => unknown): TermIndex<T> {
    const index = new TermIndex<T>(c.minFuzzyLength, keyOf);
    const entries: Entry<T>[] = c.entryTerms.map((term, i) => ({ term, value: values[c.entryValues[i]!]! }));
    for (const [k, v] of c.exact) index.exact.set(k, values[v]!);
    for (const [k, e] of c.folded) index.folded.set(k, entries[e]!);
    for (const p of c.prefixes) index.prefixes.add(p);
    index.maxWords = c.maxWords;
    index.deletes = new SortedDeletes(
      c.folded.map(([k]) => k),
      c.deleteFrom,
      c.deleteStart,
      c.deleteEntries.map((e) => entries[e]!),
    );
    return index;
  }
}
