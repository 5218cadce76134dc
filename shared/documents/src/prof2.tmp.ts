import { benchCorpus } from '../bench/corpus.ts';
import { readDocument } from './index.ts';
import type { OcrEngine } from './ocr-engine.ts';
const corpus = await benchCorpus();
const fake: OcrEngine = { size: 2, recognize: async () => ({ text: 'x', lines: [], confidence: 0.95, width: 1, height: 1 }), close: async () => {} };
await readDocument(corpus[0]!.bytes, { maxPages: 100, maxPixelsPerPage: 6e7, pageTimeoutMs: 120000, ocr: fake });
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect();
await s.post('Profiler.enable'); await s.post('Profiler.start');
for (const i of [1, 5]) await readDocument(corpus[i]!.bytes, { maxPages: 100, maxPixelsPerPage: 6e7, pageTimeoutMs: 120000, ocr: fake });
const { profile } = await s.post('Profiler.stop');
const self = new Map<string, number>();
const dt = profile.timeDeltas!; const ids = profile.samples!;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (let i = 0; i < ids.length; i++) { const n = byId.get(ids[i]!)!; const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + dt[i]!); }
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms ${k}`).join('\n'));
