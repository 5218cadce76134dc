/**
 * A page-text fingerprint: MinHash over shingles of the normalised text. Two documents'
 * estimated Jaccard similarity is the share of signature positions that agree. The text
 * is normalised (lower case, letters and digits only, spaces dropped, OCR look-alikes
 * folded) so that the same record read from a fax image and from a PDF's text layer land
 * close together; only shingles carrying digits count, so two members' copies of the
 * same printed form stay apart. See README.md for the measured threshold.
 */
export const SIGNATURE_SIZE = 128;
/** Characters per shingle, over the normalised text with spaces removed (OCR splits and joins words; characters survive). */
export const SHINGLE_CHARS = 7;
/**
 * A shingle is kept only when it holds at least this many digits: dates, doses, phone
 * numbers, record numbers — what differs between two members' copies of the same form.
 * Printed form text (the same on every copy of a template) is left out.
 */
export const SHINGLE_MIN_DIGITS = 4;
/** LSH banding: the signature cut into bands of ROWS; two documents become candidates when any band agrees. */
export const BAND_ROWS = 2;
export const BANDS = SIGNATURE_SIZE / BAND_ROWS;
/** Fewer distinct shingles than this and a document has no fingerprint (too little to tell it from another). */
export const MIN_SHINGLES = 20;

/** Text → lower-case letters and digits only, with the letters OCR confuses with digits folded (o→0, i/l→1). */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
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

export function shingles(text: string): Set<number> {
  const t = normaliseText(text);
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE_CHARS <= t.length; i++) {
    const g = t.slice(i, i + SHINGLE_CHARS);
    let digits = 0;
    for (let k = 0; k < g.length; k++) if (g.charCodeAt(k) >= 48 && g.charCodeAt(k) <= 57) digits++;
    if (digits >= SHINGLE_MIN_DIGITS) out.add(fnv1a(g));
  }
  return out;
}

export interface Fingerprint {
  /** MinHash signature, SIGNATURE_SIZE unsigned 32-bit values. */
  signature: number[];
  shingles: number;
}

/** The fingerprint of a document's page texts (in page order), or undefined when there is too little text. */
export function fingerprint(pageTexts: string[]): Fingerprint | undefined {
  const set = shingles(pageTexts.join('\n'));
  if (set.size < MIN_SHINGLES) return undefined;
  const signature = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const s of set) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const h = mix(s, SEEDS[i]!);
      if (h < signature[i]!) signature[i] = h;
    }
  }
  return { signature, shingles: set.size };
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a.signature[i] === b.signature[i]) same++;
  return same / SIGNATURE_SIZE;
}

/** One key per band: documents sharing any band key are compared. */
export function bandKeys(fp: Fingerprint): string[] {
  const out: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    const rows = fp.signature.slice(b * BAND_ROWS, (b + 1) * BAND_ROWS);
    out.push(`${String(b).padStart(2, '0')}-${fnv1a(rows.join(',')).toString(16).padStart(8, '0')}`);
  }
  return out;
}
