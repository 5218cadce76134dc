import { callParent, isParentError, serveTasks, threadData } from '@intake/core/thread-pool';
import type { OcrEngine, OcrResult, Orientation, RecognizeOptions } from './ocr-engine.ts';
import { loadReaders, readDocument } from './read.ts';
import { classifyDecodeError, reviveReaderError, type ReadTask, type ReaderThreadData } from './sandbox.ts';

// One reader thread (see sandbox.ts): reads one document at a time; OCR goes back to the parent.
const data = threadData<ReaderThreadData>();

const engine: OcrEngine = {
  size: data.ocrSize,
  name: 'parent',
  recognize: (image, opts) => callParent<OcrResult>('recognize', new Uint8Array(image), opts),
  ...(data.orientation
    ? { detectOrientation: (image: Buffer, opts: RecognizeOptions) => callParent<Orientation | undefined>('detectOrientation', new Uint8Array(image), opts) }
    : {}),
  close: async () => {},
};

await serveTasks((task: ReadTask) => readDocument(task.bytes, { ...task.options, ocr: engine }), {
  // The decoders load before the thread says it is ready, so loading them is not timed.
  warmUp: loadReaders,
  failure: (error) => classifyDecodeError(error, isParentError),
  revive: reviveReaderError,
});
