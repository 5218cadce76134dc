/**
 * npm run bench:cer — OCR character and word error rates through the real reading path
 * (readDocument), per input form, with the OCR cost (CPU-seconds a page).
 *
 *   --set dev         samples/corpus/dev: every *-fax.tif, *-photo.*, *-scan.* with its *.truth.txt (default).
 *                     This is the only set preprocessing is tuned on.
 *   --set test        samples/corpus/test, same kinds: held out (patients not tuned on).
 *   --set records-v2  ../shared/data/records-v2 (RECORDS_V2_DIR overrides): every fax TIFF, scanned PDF and photo
 *                     against the text layer of the clean PDF it was made from (manifest `derivedFrom`),
 *                     read by readDocument too, and against its truth.json's item words. Aggregates only (no
 *                     per-document text). Its faxes carry a header line the clean PDF lacks, so its floor is above
 *                     zero; its photos are a short version of the clean document, so only "words read not in truth"
 *                     and "item words missed" are reported for them.
 *   --set holdout     test/holdout (manifest.json there), same measures: never tuned on, report totals only.
 *   --set dev-records test/dev-records (manifest.json there), same measures as records-v2: faxes and photos of hand-made
 *                     layouts against their clean PDFs.
 *   --families a,b    only these layout families (records-v2); --exclude a,b leaves families out (tune with
 *                     --exclude consult-letter, report it separately); --by-family adds a row per family.
 *   --set synthetic   pages rendered from synthetic text (exact truth), then blurred, noised, JPEG-compressed
 *                     or thresholded to 1 bit; also read by the tesseract CLI on the raw image.
 *   --engine native|tesseract.js   (default: native when installed)
 *   --only fax,photo,scan          these kinds
 *   --cli             also run the tesseract CLI on each raw page (TIFF pages as stored, images as sent,
 *                     PDFs rendered at 300 dpi), same cores, for an error and CPU reference in the same run
 *   --dump DIR        write each document's text (dev and test sets only)
 *   --json FILE       write the aggregate rows
 *
 * Text is compared after lower-casing, collapsing runs of whitespace (column spacing is layout, not
 * characters) and dropping empty lines. CER = character edit distance / truth characters; WER = word
 * edit distance (words aligned by Levenshtein over whitespace-separated tokens) / truth words.
 * "Words missed" ignores order: the share of truth words (with multiplicity) absent from the text read,
 * so a different reading order of columns or table cells does not count, only misread words.
 * "Words read not in truth": letter/digit tokens read that the reference text does not contain (order ignored),
 * i.e. misreadings and invented words. "Item words missed": tokens of the truth items' displays and the
 * patient's name absent from the text read — the words the extractor needs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { readDocument } from '../src/read.ts';
import { renderPdfPages, warmUpPdf } from '../src/pdf.ts';
import { createOcrPool } from '../src/ocr-pool.ts';
import { createNativeOcrEngine, findNativeTesseract } from '../src/native-ocr.ts';
import type { OcrEngine } from '../src/ocr-engine.ts';
import { degrade, makeFaxTiff, makePdf, phonePhoto, renderTextImage, syntheticLines } from '../src/testing/fixtures.ts';
import { faxPage, letterPage, levenshtein } from './corpus.ts';

type Kind = 'fax' | 'photo' | 'scan';

interface Doc {
  name: string;
  kind: Kind;
  /** Layout family (records-v2, holdout), for per-family rows. */
  family?: string;
  bytes: Buffer;
  truth: string;
  /** True when `truth` is a longer document than the one read (records-v2 photos are a short version): CER/WER then mean little. */
  truthIsSuperset?: boolean;
  /** Words of the item truth (truth.json displays, names, patient), when there is one: the words extraction needs. */
  itemWords?: string[];
  /** Page images as a naive pipeline would give tesseract. */
  raw: () => Promise<Buffer[]>;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cores = availableParallelism();
const limits = { maxPages: 50, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 300_000 };

/** Lower case, whitespace runs collapsed, empty lines dropped. */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** Word-level edit distance (Levenshtein over tokens). */
export function wordDistance(a: string[], b: string[]): number {
  const ids = new Map<string, number>();
  const id = (w: string): number => ids.get(w) ?? (ids.set(w, ids.size), ids.size - 1);
  const x = a.map(id);
  const y = b.map(id);
  let prev = new Uint32Array(y.length + 1).map((_, i) => i);
  let cur = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[y.length]!;
}

export interface Score {
  charErrors: number;
  chars: number;
  wordErrors: number;
  words: number;
  /** Truth words found in the read text, order ignored (multiset intersection): reading order does not count. */
  wordsFound: number;
  /** Words read that are not among the truth's words (order ignored): misreadings and invented words. */
  extraWords: number;
  readWords: number;
  /** Item-truth words (records-v2, holdout) and how many of them were read. */
  itemWords: number;
  itemWordsFound: number;
}

/** How many of `truth`'s words occur in `read`, each occurrence matched once. */
export function bagMatches(truth: string[], read: string[]): number {
  const counts = new Map<string, number>();
  for (const w of read) counts.set(w, (counts.get(w) ?? 0) + 1);
  let found = 0;
  for (const w of truth) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      found++;
      counts.set(w, n - 1);
    }
  }
  return found;
}

/** Lower-case letter/digit runs: the unit item words are compared in (punctuation is not the question there). */
export const tokens = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export function score(truth: string, read: string, itemWords: string[] = []): Score {
  const t = normaliseText(truth);
  const r = normaliseText(read);
  const tw = t.split(/\s+/).filter(Boolean);
  const rw = r.split(/\s+/).filter(Boolean);
  const rt = tokens(read);
  return {
    charErrors: levenshtein(t, r),
    chars: t.length,
    wordErrors: wordDistance(tw, rw),
    words: tw.length,
    wordsFound: bagMatches(tw, rw),
    extraWords: rt.length - bagMatches(rt, tokens(truth)),
    readWords: rt.length,
    itemWords: itemWords.length,
    itemWordsFound: bagMatches(itemWords, rt),
  };
}

/** The words an extractor needs from a truth.json: the patient and each item's display and names (dates and codes are written differently on the page). */
export function truthItemWords(truth: unknown): string[] {
  const out: string[] = [];
  const t = truth as { patient?: { name?: string }; items?: Record<string, unknown>[] };
  if (t.patient?.name) out.push(...tokens(t.patient.name));
  for (const item of t.items ?? []) {
    const display = typeof item.display === 'string' ? item.display : [item.name, item.substance].filter((x) => typeof x === 'string').join(' ');
    out.push(...tokens(display));
  }
  return out;
}

const kindOf = (file: string): Kind | undefined => /-(fax|photo|scan)\.(tiff?|jpe?g|png|pdf)$/i.exec(file)?.[1] as Kind | undefined;

const tiffPageImages = async (bytes: Buffer): Promise<Buffer[]> => {
  const n = (await sharp(bytes).metadata()).pages ?? 1;
  return Promise.all(Array.from({ length: n }, (_, i) => sharp(bytes, { page: i }).png().toBuffer()));
};

const rawPages = (bytes: Buffer): (() => Promise<Buffer[]>) => {
  if (bytes[0] === 0x25) return () => renderPdfPages(bytes, 300);
  if (bytes[0] === 0x49 || bytes[0] === 0x4d) return () => tiffPageImages(bytes);
  return async () => [bytes];
};

function corpusSet(dir: string): Doc[] {
  const docs: Doc[] = [];
  for (const file of readdirSync(dir).sort()) {
    const kind = kindOf(file);
    const truthPath = join(dir, file.replace(/\.[a-z]+$/i, '.truth.txt'));
    if (!kind || !existsSync(truthPath)) continue;
    const bytes = readFileSync(join(dir, file));
    docs.push({ name: basename(file), kind, bytes, truth: readFileSync(truthPath, 'utf8'), raw: rawPages(bytes) });
  }
  return docs;
}

/**
 * A manifest corpus (records-v2, test/holdout): every fax, scan and photo against the text layer of the clean PDF it
 * was made from, and against its own truth.json's item words. records-v2 photos are a one-page short version of
 * their document (fewer items) with no clean PDF of their own: their CER/WER against the full document is not
 * reported, only words read that the document does not contain and item words missed.
 */
async function manifestSet(base: string, engine: OcrEngine): Promise<Doc[]> {
  const manifest = JSON.parse(readFileSync(join(base, 'manifest.json'), 'utf8')) as {
    docs: { id: string; file: string; truth: string; layout: string; quality: string; derivedFrom?: string; note?: string }[];
  };
  const byId = new Map(manifest.docs.map((d) => [d.id, d]));
  const docs: Doc[] = [];
  for (const d of manifest.docs) {
    if (d.quality !== 'fax' && d.quality !== 'scan' && d.quality !== 'photo') continue;
    const clean =
      byId.get(d.derivedFrom ?? '') ?? manifest.docs.find((c) => c.quality === 'clean' && c.layout === d.layout && d.id.startsWith(`${c.id}-`));
    if (!clean) continue;
    const cleanRead = await readDocument(readFileSync(join(base, clean.file)), { ...limits, ocr: engine, renderImages: false });
    if (cleanRead.pages.some((p) => p.method !== 'text-layer')) continue; // reference must be exact text
    const bytes = readFileSync(join(base, d.file));
    const superset = d.quality === 'photo' && d.truth !== clean.truth;
    docs.push({
      name: d.id,
      kind: d.quality as Kind,
      family: d.layout,
      bytes,
      truth: cleanRead.pages.map((p) => p.text).join('\n'),
      truthIsSuperset: superset,
      itemWords: truthItemWords(JSON.parse(readFileSync(join(base, d.truth), 'utf8'))),
      raw: rawPages(bytes),
    });
  }
  return docs;
}

async function synthetic(): Promise<Doc[]> {
  const out: Doc[] = [];
  const scanLines = syntheticLines(40, 11);
  const scan = await sharp(await degrade(await letterPage(scanLines, 300), { blur: 0.8, noise: 12 }))
    .jpeg({ quality: 75 })
    .toBuffer();
  const scanPdf = makePdf([{ kind: 'image', jpeg: scan, pixelWidth: 2550, pixelHeight: 3300, channels: 1 }]);
  out.push({ name: 'scan, 300 dpi gray, JPEG in a PDF', kind: 'scan', bytes: scanPdf, raw: async () => [scan], truth: scanLines.join('\n') });
  const fineLines = syntheticLines(36, 12);
  const fine = await makeFaxTiff([await degrade(await faxPage(fineLines), { blur: 1, noise: 30, seed: 2 })], 196);
  out.push({ name: 'fax G4 204×196 (TIFF)', kind: 'fax', bytes: fine, raw: () => tiffPageImages(fine), truth: fineLines.join('\n') });
  const normalLines = syntheticLines(36, 13);
  const normal = await makeFaxTiff([await degrade(await faxPage(normalLines), { blur: 1, noise: 30, seed: 3 })], 98);
  out.push({ name: 'fax G4 204×98 (TIFF)', kind: 'fax', bytes: normal, raw: () => tiffPageImages(normal), truth: normalLines.join('\n') });
  const photoLines = syntheticLines(28, 14);
  const sheet = await renderTextImage(photoLines, { width: 2040, height: 2640, fontSize: 30, lineHeight: 44, left: 150, top: 200 });
  const photo = await phonePhoto(await degrade(sheet, { blur: 1.2, noise: 10, seed: 4 }), { skew: 1.5 });
  out.push({ name: 'phone photo (JPEG, EXIF-rotated, skewed, shaded)', kind: 'photo', bytes: photo, raw: async () => [photo], truth: photoLines.join('\n') });
  return out;
}

/** CPU seconds of this process (all threads) and of its reaped child processes (native tesseract). */
function cpuSeconds(): number {
  const self = process.resourceUsage();
  let children = 0;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    /* not Linux */
  }
  return (self.userCPUTime + self.systemCPUTime) / 1e6 + children;
}

interface Row extends Score {
  docs: number;
  pages: number;
  cpu: number;
  wall: number;
}

const empty = (): Row => ({
  docs: 0,
  pages: 0,
  cpu: 0,
  wall: 0,
  charErrors: 0,
  chars: 0,
  wordErrors: 0,
  words: 0,
  wordsFound: 0,
  extraWords: 0,
  readWords: 0,
  itemWords: 0,
  itemWordsFound: 0,
});
/** Adds a document's score; edit distances only when the truth is the document read (not a longer one). */
const add = (r: Row, s: Score, superset = false): void => {
  if (!superset) {
    r.charErrors += s.charErrors;
    r.chars += s.chars;
    r.wordErrors += s.wordErrors;
    r.words += s.words;
    r.wordsFound += s.wordsFound;
  }
  r.extraWords += s.extraWords;
  r.readWords += s.readWords;
  r.itemWords += s.itemWords;
  r.itemWordsFound += s.itemWordsFound;
};

/** Run `work` over items, `n` at a time. */
async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function ours(docs: Doc[], engine: OcrEngine, dump: string | undefined): Promise<Row> {
  const row = empty();
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  await pool(docs, cores, async (d) => {
    const { pages } = await readDocument(d.bytes, { ...limits, ocr: engine, renderImages: true });
    const text = pages.map((p) => p.text).join('\n');
    if (dump) writeFileSync(join(dump, `${d.name}.ocr.txt`), text);
    add(row, score(d.truth, text, d.itemWords), d.truthIsSuperset);
    row.docs++;
    row.pages += pages.length;
  });
  row.wall = (performance.now() - t0) / 1000;
  row.cpu = cpuSeconds() - cpu0;
  return row;
}

async function cli(docs: Doc[]): Promise<Row> {
  const row = empty();
  const dir = mkdtempSync(join(tmpdir(), 'intake-cer-'));
  const jobs: { path: string; doc: number; page: number }[] = [];
  for (const [i, d] of docs.entries())
    for (const [j, img] of (await d.raw()).entries()) {
      const path = join(dir, `d${i}-p${j}.${img[0] === 0xff ? 'jpg' : 'png'}`);
      writeFileSync(path, img);
      jobs.push({ path, doc: i, page: j });
    }
  const texts = docs.map(() => [] as string[]);
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  try {
    await pool(jobs, cores, async (job) => {
      const { stdout } = await promisify(execFile)('tesseract', [job.path, 'stdout', '--oem', '1', '-l', 'eng'], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        maxBuffer: 64 << 20,
      });
      texts[job.doc]![job.page] = stdout;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  row.wall = (performance.now() - t0) / 1000;
  row.cpu = cpuSeconds() - cpu0;
  docs.forEach((d, i) => add(row, score(d.truth, texts[i]!.join('\n'), d.itemWords), d.truthIsSuperset));
  row.docs = docs.length;
  row.pages = jobs.length;
  return row;
}

const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(2)}%` : '–');

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const set = arg('set') ?? 'dev';
  const only = arg('only');
  const dump = arg('dump');
  const withCli = process.argv.includes('--cli') || set === 'synthetic';
  const engineKind = arg('engine') ?? (findNativeTesseract() ? 'native' : 'tesseract.js');
  if (dump && set !== 'dev' && set !== 'test') throw new Error('--dump is for the dev and test sets only (records-v2 is held out)');
  const engine: OcrEngine = engineKind === 'native' ? createNativeOcrEngine({ size: cores })! : createOcrPool({ size: cores });
  try {
    await warmUpPdf();
    let docs: Doc[];
    if (set === 'dev' || set === 'test') docs = corpusSet(join(root, 'samples/corpus', set));
    else if (set === 'records-v2') docs = await manifestSet(resolve(process.env.RECORDS_V2_DIR ?? join(root, '../shared/data/records-v2')), engine);
    else if (set === 'holdout') docs = await manifestSet(join(root, 'test/holdout'), engine);
    else if (set === 'dev-records') docs = await manifestSet(join(root, 'test/dev-records'), engine);
    else if (set === 'synthetic') docs = await synthetic();
    else throw new Error(`unknown set ${set}`);
    if (only) docs = docs.filter((d) => only.split(',').includes(d.kind));
    const families = arg('families')?.split(',');
    const exclude = arg('exclude')?.split(',') ?? [];
    if (families) docs = docs.filter((d) => d.family && families.includes(d.family));
    docs = docs.filter((d) => !d.family || !exclude.includes(d.family));
    const byFamily = process.argv.includes('--by-family');
    if (byFamily && set === 'holdout') throw new Error('--by-family is not for the holdout set (totals only)');
    if (dump) mkdirSync(dump, { recursive: true });
    // Start the OSD worker before timing (a long-running worker has it warm).
    await engine.detectOrientation?.(await sharp({ create: { width: 600, height: 200, channels: 3, background: '#ffffff' } }).png().toBuffer(), { timeoutMs: 60_000 });

    console.log(`bench:cer — set ${set}, ${docs.length} documents, engine ${engineKind}, ${cores} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    const groups =
      set === 'synthetic'
        ? docs.map((d) => ({ label: d.name, docs: [d] }))
        : (['fax', 'photo', 'scan'] as Kind[]).flatMap((k) => {
            const ofKind = docs.filter((d) => d.kind === k);
            const fams = byFamily ? [...new Set(ofKind.map((d) => d.family ?? ''))].sort() : [];
            return [...fams.map((f) => ({ label: `${k} ${f}`, docs: ofKind.filter((d) => d.family === f) })), { label: byFamily ? `${k} (all)` : k, docs: ofKind }];
          });
    const rows: Record<string, unknown>[] = [];
    console.log(
      '\n| form | docs | pages | truth words | CER | WER | words missed | words read not in truth | item words missed | CPU s/page | wall s | CLI CER | CLI WER | CLI words missed | CLI CPU s/page | CPU vs CLI |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const g of groups.filter((x) => x.docs.length)) {
      const r = await ours(g.docs, engine, dump);
      const c = withCli && findNativeTesseract() ? await cli(g.docs) : undefined;
      rows.push({ form: g.label, ours: r, cli: c });
      const perPage = (x: Row): string => (x.cpu / x.pages).toFixed(2);
      console.log(
        `| ${g.label} | ${r.docs} | ${r.pages} | ${r.words} | ${pct(r.charErrors, r.chars)} | ${pct(r.wordErrors, r.words)} | ${pct(r.words - r.wordsFound, r.words)} | ` +
          `${pct(r.extraWords, r.readWords)} | ${pct(r.itemWords - r.itemWordsFound, r.itemWords)} | ${perPage(r)} | ${r.wall.toFixed(1)} | ` +
          (c ? `${pct(c.charErrors, c.chars)} | ${pct(c.wordErrors, c.words)} | ${pct(c.words - c.wordsFound, c.words)} | ${perPage(c)} | ${(r.cpu / r.pages / (c.cpu / c.pages)).toFixed(2)}× |` : '– | – | – | – | – |'),
      );
    }
    const json = arg('json');
    if (json) writeFileSync(json, `${JSON.stringify({ set, engine: engineKind, rows }, null, 2)}\n`);
  } finally {
    await engine.close();
  }
}

// Run only as a script (the scoring functions are importable).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
