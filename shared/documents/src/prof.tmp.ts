import { benchCorpus } from '../bench/corpus.ts';
import { readDocument } from './index.ts';
import type { OcrEngine } from './ocr-engine.ts';
const corpus = await benchCorpus();
const fake: OcrEngine = { size: 2, recognize: async () => ({ text: 'x', lines: [], confidence: 0.95, width: 1, height: 1 }), close: async () => {} };
for (const render of [true, false]) {
  const c0 = process.cpuUsage();
  for (const d of corpus) {
    const c = process.cpuUsage();
    await readDocument(d.bytes, { maxPages: 100, maxPixelsPerPage: 6e7, pageTimeoutMs: 120000, ocr: fake, renderImages: render });
    const u = process.cpuUsage(c);
    console.log(render, d.name, ((u.user + u.system) / 1e6).toFixed(2));
  }
  const u = process.cpuUsage(c0);
  console.log('total', render, ((u.user + u.system) / 1e6).toFixed(2));
}
