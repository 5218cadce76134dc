import { serveTasks } from '@intake/core/thread-pool';
import { computeExtraction, type ExtractTask } from './extract-compute.ts';

// One extraction thread (see extract-sandbox.ts): one task at a time, no I/O.
await serveTasks((task: ExtractTask) => computeExtraction(task), {
  // The lexicons load on first use: one small parse before the thread says it is ready, so that
  // loading is not counted in a document's time limit.
  warmUp: () =>
    computeExtraction({
      kind: 'pages',
      pages: [{ page: 1, method: 'text-layer', text: 'MEDICATION LIST\nLisinopril 20 mg tablet daily', lines: [], width: 0, height: 0, rotation: 0, confidence: 1 }],
      source: { file: 'warm-up', sha256: '0'.repeat(64), mediaType: 'application/pdf', pages: 1, channel: 'fax' },
    }),
});
