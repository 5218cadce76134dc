/**
 * npm run bench:extract — pages per second of extractFromPages on one core, over the sample
 * pages' text: the OCR/text-layer output cached by `npm run eval` when present (with word boxes),
 * else the samples' ground-truth text (<name>.truth.txt) as plain pages.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PageText, Source } from '@intake/core';
import { extractFromPages } from '../src/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const samples = join(here, '../../../samples');
const docs: PageText[][] = [];
const cache = join(samples, 'eval/.cache');
if (existsSync(cache)) {
  for (const f of readdirSync(cache))
    if (f.endsWith('.pages.json')) docs.push(JSON.parse(readFileSync(join(cache, f), 'utf8')).pages);
}
const source = 'cached OCR/text-layer pages';
if (docs.length === 0) {
  for (const split of ['dev', 'test']) {
    const dir = join(samples, 'corpus', split);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.truth.txt')) continue;
      const text = readFileSync(join(dir, f), 'utf8');
      docs.push([{ page: 1, method: 'text-layer', text, lines: [], width: 0, height: 0, rotation: 0, confidence: 1 }]);
    }
  }
}
if (docs.length === 0) throw new Error('no sample pages: run npm run samples:generate (and npm run eval for OCR pages)');
const src: Source = { file: 'bench', sha256: '0'.repeat(64), mediaType: 'application/pdf', pages: 1, channel: 'cli' };
const pageCount = docs.reduce((n, d) => n + d.length, 0);

let t = performance.now();
extractFromPages(docs[0]!, src); // loads the vocabularies once
console.log(`vocabulary load + first document: ${(performance.now() - t).toFixed(0)} ms`);
for (const d of docs) extractFromPages(d, src); // warm-up
// Enough pages for the JIT to settle: the number is about steady-state throughput.
const rounds = Math.max(5, Math.ceil(2000 / pageCount));
t = performance.now();
for (let i = 0; i < rounds; i++) for (const d of docs) extractFromPages(d, src);
const ms = performance.now() - t;
const pages = rounds * pageCount;
console.log(
  `${docs.length} documents, ${pageCount} pages (${existsSync(cache) && docs.length ? source : 'truth text'}), ${rounds} rounds`,
);
console.log(`extractFromPages: ${(pages / (ms / 1000)).toFixed(0)} pages/s on one core (${(ms / pages).toFixed(2)} ms/page)`);
