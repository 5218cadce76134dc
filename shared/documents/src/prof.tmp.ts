import { benchCorpus } from '../bench/corpus.ts';
import { readDocument, createNativeOcrEngine, createOcrPool } from './index.ts';
const corpus = await benchCorpus();
const engine = process.argv[2] === 'js' ? createOcrPool({ size: 1 }) : createNativeOcrEngine({ size: 1 })!;
const orig = engine.recognize.bind(engine);
let ocrMs = 0;
engine.recognize = async (img, o) => { const t = performance.now(); const r = await orig(img, o); ocrMs += performance.now() - t; console.log('   recognize', Math.round(performance.now() - t), r.width, r.height, o.dpi); return r; };
const od = engine.detectOrientation!.bind(engine);
engine.detectOrientation = async (img, o) => { const t = performance.now(); const r = await od(img, o); console.log('   osd', Math.round(performance.now() - t), JSON.stringify(r)); return r; };
for (const d of corpus) {
  const t = performance.now();
  ocrMs = 0;
  const r = await readDocument(d.bytes, { maxPages: 100, maxPixelsPerPage: 6e7, pageTimeoutMs: 120000, ocr: engine });
  console.log(d.name, Math.round(performance.now() - t), 'ocr', Math.round(ocrMs), r.pages.map((p) => `${p.method}:${Math.round(p.ms ?? 0)}`).join(' '));
}
await engine.close();
