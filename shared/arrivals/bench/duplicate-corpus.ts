/**
 * Builds fixtures/duplicate-corpus.json: the page texts the duplicate threshold is
 * measured on (checks.test.ts, README.md). Each document is read the way the pipeline
 * reads it (readDocument: text layer, or OCR for fax TIFFs and scans):
 *   - records-v2 (shared/data/records-v2/docs): every clean PDF, and its fax TIFF or
 *     scanned PDF — the same record by another route;
 *   - samples/corpus/dev: several different records of each patient (form, table,
 *     letter, summary …), read from their truth text.
 * Run once (OCR takes minutes): npx tsx shared/arrivals/bench/duplicate-corpus.ts [records-v2 dir]
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDefaultOcrPool, readDocument } from '@intake/documents';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const recordsDir = process.argv[2] ?? path.resolve(root, '../shared/data/records-v2/docs');
const samplesDir = path.join(root, 'samples/corpus/dev');

interface Doc {
  id: string;
  /** Same record ⇔ same `record`. */
  record: string;
  patient: string;
  route: 'pdf' | 'fax' | 'scan' | 'truth';
  pages: string[];
}

async function pagesOf(file: string): Promise<string[]> {
  const read = await readDocument(await readFile(file), { maxPages: 20, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 120_000, renderImages: false });
  return read.pages.map((p) => p.text);
}

const docs: Doc[] = [];
const files = (await readdir(recordsDir)).sort();
for (const f of files) {
  const m = /^(r2-\d+-([A-Za-z]+_[A-Za-z]+)-[a-z-]+?)(-fax\.tiff|-scan\.pdf|\.pdf)$/.exec(f);
  if (!m) continue;
  const route = m[3] === '.pdf' ? 'pdf' : m[3] === '-fax.tiff' ? 'fax' : 'scan';
  const started = Date.now();
  docs.push({ id: f, record: m[1]!, patient: m[2]!, route, pages: await pagesOf(path.join(recordsDir, f)) });
  process.stderr.write(`${f}: ${Date.now() - started} ms\n`);
}
for (const f of (await readdir(samplesDir)).sort()) {
  const m = /^(([A-Za-z]+_[A-Za-z]+)-[a-z-]+)\.truth\.txt$/.exec(f);
  if (!m) continue;
  const text = await readFile(path.join(samplesDir, f), 'utf8');
  // {patient}-{layout}-{route}: the same record by another route keeps its record name.
  docs.push({ id: f, record: `samples:${m[1]!.replace(/-(scan|photo|fax|pdf)$/, '')}`, patient: m[2]!, route: 'truth', pages: text.split('\f') });
}
await closeDefaultOcrPool();
await writeFile(path.join(root, 'shared/arrivals/fixtures/duplicate-corpus.json'), `${JSON.stringify({ generated: new Date().toISOString(), docs }, null, 0)}\n`);
process.stderr.write(`${docs.length} documents\n`);
