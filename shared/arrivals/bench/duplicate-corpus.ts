/**
 * Builds fixtures/duplicate-corpus.json: the page texts the duplicate threshold is
 * measured on (bench/duplicates.ts, fingerprint.test.ts, README.md). Each document is
 * read the way the pipeline reads it (readDocument: text layer, or OCR for fax TIFFs,
 * scans and photos):
 *   - records-v2 (shared/data/records-v2/docs): every clean PDF, and its fax TIFF, scanned
 *     PDF or phone photo — the same record by another route (a photo is a one-page short
 *     version of the record: fewer items, same header);
 *   - samples/corpus/dev and test: two different records of each patient (form, table,
 *     letter, summary), read from their truth text. Several samples patients are also
 *     records-v2 patients (same Synthea facts, different documents): different records of
 *     one patient.
 * Run again when the reader changes (OCR takes minutes):
 *   npx tsx shared/arrivals/bench/duplicate-corpus.ts [records-v2 dir]
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDefaultOcrPool, readDocument } from '@intake/documents';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const recordsDir = process.argv[2] ?? path.resolve(root, '../shared/data/records-v2/docs');
const samplesDirs = [path.join(root, 'samples/corpus/dev'), path.join(root, 'samples/corpus/test')];

interface Doc {
  id: string;
  /** Same record ⇔ same `record`. */
  record: string;
  patient: string;
  route: 'pdf' | 'fax' | 'scan' | 'photo' | 'truth';
  pages: string[];
}

async function pagesOf(file: string): Promise<string[]> {
  const read = await readDocument(await readFile(file), { maxPages: 20, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 300_000, renderImages: false });
  return read.pages.map((p) => p.text);
}

const docs: Doc[] = [];
const files = (await readdir(recordsDir)).sort();
for (const f of files) {
  const m = /^(r2-\d+-([A-Za-z]+_[A-Za-z]+)-[a-z-]+?)(-fax\.tiff|-scan\.pdf|-photo\.(?:jpg|png)|\.pdf)$/.exec(f);
  if (!m) continue;
  const route = m[3] === '.pdf' ? 'pdf' : m[3] === '-fax.tiff' ? 'fax' : m[3] === '-scan.pdf' ? 'scan' : 'photo';
  const started = Date.now();
  docs.push({ id: f, record: m[1]!, patient: m[2]!, route, pages: await pagesOf(path.join(recordsDir, f)) });
  process.stderr.write(`${f}: ${Date.now() - started} ms\n`);
}
for (const dir of samplesDirs) {
  for (const f of (await readdir(dir)).sort()) {
    const m = /^(([A-Za-z]+_[A-Za-z]+)-[a-z-]+)\.truth\.txt$/.exec(f);
    if (!m) continue;
    const text = await readFile(path.join(dir, f), 'utf8');
    // {patient}-{layout}-{rendering}: each is its own record.
    docs.push({ id: f, record: `samples:${m[1]!.replace(/-(scan|photo|fax|pdf)$/, '')}`, patient: m[2]!, route: 'truth', pages: text.split('\f') });
  }
}
await closeDefaultOcrPool();
await writeFile(path.join(root, 'shared/arrivals/fixtures/duplicate-corpus.json'), `${JSON.stringify({ generated: new Date().toISOString(), docs }, null, 0)}\n`);
process.stderr.write(`${docs.length} documents\n`);
