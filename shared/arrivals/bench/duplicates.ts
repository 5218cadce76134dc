/**
 * Precision and recall of the probable-duplicate link on the corpora, with the code the
 * read step runs (fingerprint.ts, checks.ts): every pair of documents in
 * fixtures/duplicate-corpus.json (page texts as the reader reads them; rebuilt by
 * bench/duplicate-corpus.ts) is a candidate when the two share an LSH band, and linked
 * when its score reaches the threshold.
 *
 *   same record (positives): a records-v2 PDF and its fax TIFF, scanned PDF or phone photo
 *   different records (negatives): everything else — among them different records of one
 *     patient (samples/ layouts of one member, records-v2 vs samples for the same Synthea
 *     patient) and the same template filled in for different patients
 *
 * Prints the figures at DUPLICATE_THRESHOLD, per route, the hardest pairs, a threshold
 * sweep, and the first fingerprint (MinHash over digit-bearing 7-character shingles,
 * Jaccard ≥ 0.45) measured in the same run for comparison.
 *
 *   npm run bench:duplicates -w @intake/arrivals [-- --json] [--corpus FILE]
 */
import { readFileSync } from 'node:fs';
import { bandKeys, compare, DUPLICATE_THRESHOLD, fingerprint, type Fingerprint } from '../src/index.ts';

interface CorpusDoc {
  id: string;
  record: string;
  patient: string;
  route: 'pdf' | 'fax' | 'scan' | 'photo' | 'truth';
  pages: string[];
}
const corpusArg = process.argv.indexOf('--corpus');
const corpusFile = corpusArg > 0 ? process.argv[corpusArg + 1]! : new URL('../fixtures/duplicate-corpus.json', import.meta.url);
const corpus = JSON.parse(readFileSync(corpusFile, 'utf8')) as { generated: string; docs: CorpusDoc[] };
const docs = corpus.docs;

/** Which of the two a pair is about: the route of its non-PDF side (positives), or its class (negatives). */
interface Pair {
  a: CorpusDoc;
  b: CorpusDoc;
  same: boolean;
  samePatient: boolean;
  sameTemplate: boolean;
  route: string;
  score: number;
  candidate: boolean;
  legacy: boolean;
}

const layoutOf = (d: CorpusDoc) => (d.route === 'truth' ? `samples:${d.id.split('-')[1]}` : d.record.replace(/^r2-\d+-[A-Za-z]+_[A-Za-z]+-/, ''));

// --- the first fingerprint, kept here as the reference ---------------------------------------
function legacyFingerprint(pageTexts: string[]): number[] | undefined {
  const t = pageTexts
    .join('\n')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  const fnv = (s: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const mix = (x: number, seed: number) => {
    let h = (x ^ seed) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const set = new Set<number>();
  for (let i = 0; i + 7 <= t.length; i++) {
    const g = t.slice(i, i + 7);
    if ((g.match(/\d/g) ?? []).length >= 4) set.add(fnv(g));
  }
  if (set.size < 20) return undefined;
  const seeds = Array.from({ length: 128 }, (_, i) => mix(i + 1, 0x9e3779b9));
  const sig = new Array<number>(128).fill(0xffffffff);
  for (const s of set) for (let i = 0; i < 128; i++) sig[i] = Math.min(sig[i]!, mix(s, seeds[i]!));
  return sig;
}
const legacyLinked = (a: number[] | undefined, b: number[] | undefined) => {
  if (!a || !b) return false;
  let same = 0;
  for (let i = 0; i < 128; i++) if (a[i] === b[i]) same++;
  return same / 128 >= 0.45; // its threshold; with 64 bands of 2 rows nearly every such pair was a candidate
};

// --- pairs --------------------------------------------------------------------------------------
const started = performance.now();
const fps = docs.map((d) => fingerprint(d.pages));
const fingerprintMs = performance.now() - started;
const bands = fps.map((fp) => (fp ? new Set(bandKeys(fp)) : new Set<string>()));
const legacy = docs.map((d) => legacyFingerprint(d.pages));
const pairs: Pair[] = [];
for (let i = 0; i < docs.length; i++)
  for (let j = i + 1; j < docs.length; j++) {
    const a = docs[i]!;
    const b = docs[j]!;
    const fa = fps[i];
    const fb = fps[j];
    const same = a.record === b.record;
    pairs.push({
      a,
      b,
      same,
      samePatient: a.patient === b.patient,
      sameTemplate: layoutOf(a) === layoutOf(b),
      route: same ? (a.route === 'pdf' ? b.route : a.route) : a.patient === b.patient ? 'different record, same patient' : layoutOf(a) === layoutOf(b) ? 'same template, other patient' : 'other',
      score: fa && fb ? compare(fa as Fingerprint, fb as Fingerprint).score : 0,
      candidate: fa && fb ? [...bands[i]!].some((k) => bands[j]!.has(k)) : false,
      legacy: legacyLinked(legacy[i], legacy[j]),
    });
  }

const linkedAt = (t: number) => (p: Pair) => p.candidate && p.score >= t;
function figures(linked: (p: Pair) => boolean, subset: Pair[] = pairs) {
  const positives = subset.filter((p) => p.same);
  const tp = positives.filter(linked).length;
  const fp = subset.filter((p) => !p.same && linked(p)).length;
  return { positives: positives.length, tp, fp, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: positives.length === 0 ? 0 : tp / positives.length };
}

const at = figures(linkedAt(DUPLICATE_THRESHOLD));
const byRoute = Object.fromEntries(
  ['fax', 'scan', 'photo'].filter((route) => pairs.some((p) => p.same && p.route === route)).map((route) => {
    const sub = pairs.filter((p) => p.same && p.route === route);
    const tp = sub.filter(linkedAt(DUPLICATE_THRESHOLD)).length;
    return [route, { pairs: sub.length, linked: tp, recall: sub.length ? tp / sub.length : 0 }];
  }),
);
const negatives = pairs.filter((p) => !p.same);
const negClasses = ['different record, same patient', 'same template, other patient', 'other'].map((cls) => {
  const sub = negatives.filter((p) => p.route === cls);
  const worst = sub.reduce((m, p) => (p.score > m.score ? p : m), sub[0]!);
  return { class: cls, pairs: sub.length, linked: sub.filter(linkedAt(DUPLICATE_THRESHOLD)).length, maxScore: worst?.score ?? 0, worst: worst && `${worst.a.id} ~ ${worst.b.id}` };
});
const missed = pairs
  .filter((p) => p.same && !linkedAt(DUPLICATE_THRESHOLD)(p))
  .map((p) => ({ pair: `${p.a.id} ~ ${p.b.id}`, score: Math.round(p.score * 1000) / 1000, candidate: p.candidate }));
const sweep = [0.45, 0.5, 0.55, 0.58, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8].map((t) => ({ threshold: t, ...figures(linkedAt(t)) }));
const legacyFigures = figures((p) => p.legacy);
const candidates = pairs.filter((p) => p.candidate).length;

const report = {
  corpus: { generated: corpus.generated, documents: docs.length, withFingerprint: fps.filter(Boolean).length, pairs: pairs.length, positives: at.positives, negatives: negatives.length },
  threshold: DUPLICATE_THRESHOLD,
  atThreshold: at,
  byRoute,
  negatives: negClasses,
  missed,
  sweep,
  legacy: { description: 'MinHash over 7-character shingles with >= 4 digits, Jaccard >= 0.45', ...legacyFigures },
  candidates: { pairs: candidates, share: candidates / pairs.length, positivesMissedByBands: pairs.filter((p) => p.same && !p.candidate).length },
  fingerprintMsPerDocument: fingerprintMs / docs.length,
};

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const pct = (x: number) => x.toFixed(2);
  const lines = [
    `corpus ${corpus.generated}: ${docs.length} documents (${report.corpus.withFingerprint} with a fingerprint), ${pairs.length} pairs: ${at.positives} same-record, ${negatives.length} different-record`,
    `threshold ${DUPLICATE_THRESHOLD}: precision ${pct(at.precision)}, recall ${pct(at.recall)} (${at.tp}/${at.positives} linked, ${at.fp} false links)`,
    `  by route: ${Object.entries(byRoute).map(([r, v]) => `${r} ${v.linked}/${v.pairs}`).join(', ')}`,
    ...negClasses.map((c) => `  ${c.class}: ${c.pairs} pairs, ${c.linked} linked, highest score ${c.maxScore.toFixed(3)} (${c.worst})`),
    `  missed: ${missed.map((m) => `${m.pair} ${m.score}${m.candidate ? '' : ' (not a candidate)'}`).join('; ') || 'none'}`,
    `first fingerprint (same run): precision ${pct(legacyFigures.precision)}, recall ${pct(legacyFigures.recall)} (${legacyFigures.tp}/${legacyFigures.positives}, ${legacyFigures.fp} false)`,
    `candidates (share an LSH band): ${candidates} pairs (${(100 * report.candidates.share).toFixed(1)} %), same-record pairs not candidates: ${report.candidates.positivesMissedByBands}`,
    `fingerprint: ${report.fingerprintMsPerDocument.toFixed(1)} ms per document`,
    'sweep: threshold  precision  recall  false links',
    ...sweep.map((s) => `       ${s.threshold.toFixed(2)}       ${pct(s.precision)}       ${pct(s.recall)}    ${s.fp}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
