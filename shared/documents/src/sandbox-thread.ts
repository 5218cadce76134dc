import { parentPort, workerData } from 'node:worker_threads';
import type { OcrEngine, OcrResult, Orientation, RecognizeOptions } from './ocr-engine.ts';
import { loadReaders, readDocument } from './read.ts';
import { classifyDecodeError, deserializeError, serializeError, type SandboxReadOptions, type SerializedError } from './sandbox.ts';

// One reader thread (see sandbox.ts): reads one document at a time; OCR goes back to the parent.
const port = parentPort!;
const data = workerData as { heartbeatMs: number; ocrSize: number; orientation: boolean };

type ToThread =
  | { type: 'read'; id: number; bytes: Uint8Array; options: SandboxReadOptions }
  | { type: 'ocr-result'; req: number; result: unknown }
  | { type: 'ocr-error'; req: number; error: SerializedError };

/** Errors that came back from the parent's OCR engine: not about the document's bytes. */
const fromOcr = new WeakSet<Error>();

const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextReq = 1;

function ask<T>(op: 'recognize' | 'detectOrientation', image: Buffer, opts: RecognizeOptions): Promise<T> {
  const req = nextReq++;
  return new Promise<T>((resolve, reject) => {
    pending.set(req, { resolve: resolve as (v: unknown) => void, reject });
    port.postMessage({ type: 'ocr', req, op, image: new Uint8Array(image), opts });
  });
}

const engine: OcrEngine = {
  size: data.ocrSize,
  name: 'parent',
  recognize: (image, opts) => ask<OcrResult>('recognize', image, opts),
  ...(data.orientation ? { detectOrientation: (image: Buffer, opts: RecognizeOptions) => ask<Orientation | undefined>('detectOrientation', image, opts) } : {}),
  close: async () => {},
};

// The decoders are loaded before the first heartbeat and before the thread says it is ready,
// so loading them is not timed as a stall.
await loadReaders();

setInterval(() => port.postMessage({ type: 'beat' }), data.heartbeatMs);

port.on('message', (m: ToThread) => {
  if (m.type === 'read') {
    readDocument(m.bytes, { ...m.options, ocr: engine }).then(
      (result) => port.postMessage({ type: 'done', id: m.id, result }),
      (error: unknown) => port.postMessage({ type: 'failed', id: m.id, error: serializeError(classifyDecodeError(error, (e) => fromOcr.has(e))) }),
    );
  } else {
    const p = pending.get(m.req);
    if (!p) return;
    pending.delete(m.req);
    if (m.type === 'ocr-result') p.resolve(m.result);
    else {
      const error = deserializeError(m.error);
      if (error.name !== 'BadInputError') fromOcr.add(error);
      p.reject(error);
    }
  }
});
port.postMessage({ type: 'ready' });
