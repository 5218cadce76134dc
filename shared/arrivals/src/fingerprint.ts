/**
 * A page-text fingerprint for cross-channel duplicates: the same record faxed by one
 * practice (a TIFF read by OCR) and e-mailed by the member (a PDF's text layer) has
 * different bytes but the same text, give or take OCR noise.
 *
 * The text is normalised first (NFKD, lower case, accents dropped, the letters OCR confuses
 * with digits folded: o→0, i/l/|/!→1; then letters and digits only, spaces dropped, since OCR
 * splits and joins words). Two feature sets are taken from it:
 *   - text: every 4-character shingle. Short enough that OCR noise (a fax read at ~20 %
 *     character errors) leaves most of them intact;
 *   - data: every 5-digit shingle of the digits of the normalised text, in reading order:
 *     dates, doses, phone and record numbers, which number follows which — and the o, i and
 *     l letters folded to 0 and 1 between them, which tie the numbers to the words around
 *     them (measured: taking real digits only links fewer re-sent records at the same
 *     precision, recall 0.70 instead of 0.80). What differs between two members' copies
 *     of the same printed form.
 * A document's similarity to another is the smaller of the two containments — the share of
 * the smaller document's shingles found in the larger one, with a pseudo-count so that a
 * handful of shingles cannot score high by chance. Containment, not Jaccard: a fax adds
 * noise shingles and a header line, a phone photo or a short fax holds only part of the
 * pages. Both must agree: the same template filled in for two members shares its text but
 * not its numbers; two different records of one member share numbers (birth date, MRN,
 * dates of the same medications) but not their text.
 *
 * Candidates are found with MinHash over the text shingles and LSH bands (checks.ts); the
 * score is then computed exactly on the stored shingle hashes. See README.md for the
 * measured threshold, precision and recall (npm run bench:duplicates -w @intake/arrivals).
 */
export const SIGNATURE_SIZE = 126;
/** Characters per text shingle, over the normalised text with spaces removed. */
export const TEXT_SHINGLE = 4;
/** Digits per data shingle, over the digits of the normalised text in reading order. */
export const DATA_SHINGLE = 5;
/** Added to the smaller set's size in each containment: a document with few shingles needs them all to score high. */
export const PSEUDO_COUNT = 10;
/**
 * LSH banding of the signature: two documents become candidates when any band agrees. 42
 * bands of 3 rows: a pair with text Jaccard 0.3 is a candidate with probability 0.68, at 0.5
 * 0.996; on the corpus 8.6 % of all pairs are candidates (2 rows: 42 %), and no readable
 * same-record pair is missed (bench/duplicates.ts).
 */
export const BAND_ROWS = 3;
export const BANDS = SIGNATURE_SIZE / BAND_ROWS;
/** Fewer distinct text shingles than this (a blank or unreadable page) and a document has no fingerprint. */
export const MIN_TEXT_SHINGLES = 40;
/** Fewer data shingles than this and a document has no fingerprint (nothing to tell two members' copies apart). */
export const MIN_DATA_SHINGLES = 3;

/** Text → lower-case letters and digits only, with the letters OCR confuses with digits folded (o→0, i/l/|/!→1). */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/o/g, '0')
    .replace(/[il|!]/g, '1')
    .replace(/[^a-z0-9]+/g, '');
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit mixer (murmur3 finaliser) keyed by the hash function's seed. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix(i + 1, 0x9e3779b9));

function shingleSet(s: string, n: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i + n <= s.length; i++) out.add(fnv1a(s.slice(i, i + n)));
  return out;
}

/** The text and data shingles (32-bit hashes) of a text. */
export function shingles(text: string): { text: Set<number>; data: Set<number> } {
  const t = normaliseText(text);
  return { text: shingleSet(t, TEXT_SHINGLE), data: shingleSet(t.replace(/[^0-9]+/g, ''), DATA_SHINGLE) };
}

export interface Fingerprint {
  /** MinHash signature of the text shingles, SIGNATURE_SIZE unsigned 32-bit values: candidates. */
  signature: number[];
  /** The text shingle hashes, sorted. */
  text: number[];
  /** The data shingle hashes, sorted. */
  data: number[];
}

/** The fingerprint of a document's page texts (in page order), or undefined when there is too little text. */
export function fingerprint(pageTexts: string[]): Fingerprint | undefined {
  const sets = shingles(pageTexts.join('\n'));
  if (sets.text.size < MIN_TEXT_SHINGLES || sets.data.size < MIN_DATA_SHINGLES) return undefined;
  const signature = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const s of sets.text) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const h = mix(s, SEEDS[i]!);
      if (h < signature[i]!) signature[i] = h;
    }
  }
  const sorted = (s: Set<number>) => Uint32Array.from(s).sort();
  return { signature, text: [...sorted(sets.text)], data: [...sorted(sets.data)] };
}

function intersection(a: readonly number[], b: readonly number[]): number {
  // Both sorted ascending.
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

function containment(a: readonly number[], b: readonly number[]): number {
  return intersection(a, b) / (Math.min(a.length, b.length) + PSEUDO_COUNT);
}

export interface Similarity {
  /** The score a threshold is applied to: min(text, data). */
  score: number;
  text: number;
  data: number;
}

/** Exact containment of the smaller document's text and data shingles in the other's, and their minimum. */
export function compare(a: Pick<Fingerprint, 'text' | 'data'>, b: Pick<Fingerprint, 'text' | 'data'>): Similarity {
  const text = containment(a.text, b.text);
  const data = containment(a.data, b.data);
  return { score: Math.min(text, data), text, data };
}

/** Similarity score 0–1 (see compare). */
export function similarity(a: Pick<Fingerprint, 'text' | 'data'>, b: Pick<Fingerprint, 'text' | 'data'>): number {
  return compare(a, b).score;
}

/** Estimated Jaccard similarity of the text shingle sets, from the signatures (ranks candidates). */
export function estimatedJaccard(a: Pick<Fingerprint, 'signature'>, b: Pick<Fingerprint, 'signature'>): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a.signature[i] === b.signature[i]) same++;
  return same / SIGNATURE_SIZE;
}

/** One key per band: documents sharing any band key are candidates. */
export function bandKeys(fp: Pick<Fingerprint, 'signature'>): string[] {
  const out: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    const rows = fp.signature.slice(b * BAND_ROWS, (b + 1) * BAND_ROWS);
    out.push(`${String(b).padStart(2, '0')}-${fnv1a(rows.join(',')).toString(16).padStart(8, '0')}`);
  }
  return out;
}
