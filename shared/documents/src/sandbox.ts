import { BadInputError } from '@intake/core';
import { ThreadPool, type SerializedError } from '@intake/core/thread-pool';
import { OcrTimeoutError, type OcrEngine, type RecognizeOptions } from './ocr-engine.ts';
import type { ReadOptions, ReadResult } from './read.ts';

/**
 * Reading in a sandbox: each document is decoded in a reader thread (pdf.js, sharp, the TIFF
 * fallback decoder…) of a ThreadPool (@intake/core/thread-pool), so no decoder blocks the
 * process's event loop and a runaway one is killed:
 * - a thread whose event loop stops answering for `stallTimeoutMs` (a decoder spinning in a
 *   synchronous loop) is terminated, the document fails with BadInputError('timeout');
 * - a document still being read `documentTimeoutMs` after it started on its thread is stopped
 *   the same way;
 * - a thread over its heap limit (`maxHeapMb`) dies: BadInputError('too-large').
 * A killed thread is replaced at once and one spare thread is kept ready, so the next document
 * does not wait for a thread to load its decoders. OCR is not done in the thread: its page
 * requests come back to `ocr`, the process's engine (its own worker threads or tesseract
 * processes, with their per-page time limit).
 */
export interface SandboxOptions {
  ocr: OcrEngine;
  /** Threads, i.e. documents read at once. */
  threads: number;
  documentTimeoutMs: number;
  stallTimeoutMs: number;
  maxHeapMb: number;
  /** How often a thread says it is alive (ms); default 250. */
  heartbeatMs?: number;
}

export type SandboxReadOptions = Omit<ReadOptions, 'ocr'>;

/** What a reader thread is given (sandbox-thread.ts). */
export interface ReaderThreadData {
  ocrSize: number;
  orientation: boolean;
}

export interface ReadTask {
  bytes: Uint8Array;
  options: SandboxReadOptions;
}

/** The reader's own error classes across the thread boundary (both ways: OCR errors go to the thread). */
export function reviveReaderError(s: SerializedError): Error | undefined {
  return s.name === 'OcrTimeoutError' ? new OcrTimeoutError(Number(s.fields?.timeoutMs ?? 0)) : undefined;
}

/**
 * Decided once, here: a reader thread does no I/O but OCR, and decoding the same bytes fails
 * the same way every time, so any error that is not the OCR engine's is about the document —
 * pdf.js exceptions, null dereferences and NaN boxes in a damaged file, decoder errors — and
 * permanent (corrupt, with the error's class in the reason), not retried.
 */
export function classifyDecodeError(error: unknown, isOcrError: (e: Error) => boolean): unknown {
  if (!(error instanceof Error) || error.name === 'BadInputError' || isOcrError(error)) return error;
  return new BadInputError('corrupt', `damaged file that cannot be decoded (${error.name.replace(/[^A-Za-z]/g, '').slice(0, 40)}): ask the sender to send it again`);
}

export class SandboxedReader {
  private readonly pool: ThreadPool<ReadTask, ReadResult>;

  constructor(options: SandboxOptions) {
    const { ocr } = options;
    this.pool = new ThreadPool({
      name: 'reader',
      // scripts/build.ts replaces this shim with the bundled dist/sandbox-thread.js (THREADS).
      entry: new URL('./sandbox-entry.mjs', import.meta.url),
      threads: options.threads,
      timeLimitMs: options.documentTimeoutMs,
      stallLimitMs: options.stallTimeoutMs,
      heartbeatMs: options.heartbeatMs,
      maxHeapMb: options.maxHeapMb,
      workerData: { ocrSize: ocr.size, orientation: Boolean(ocr.detectOrientation) } satisfies ReaderThreadData,
      serve: {
        recognize: (image: Uint8Array, opts: RecognizeOptions) => ocr.recognize(asBuffer(image), opts),
        detectOrientation: (image: Uint8Array, opts: RecognizeOptions) => ocr.detectOrientation?.(asBuffer(image), opts) ?? Promise.resolve(undefined),
      },
      revive: reviveReaderError,
      reasons: {
        timeout: (ms) => `reading took longer than the ${Math.round(ms / 1000)} s limit: ask the sender to split the document`,
        stall: (ms) => `the decoder stopped responding for ${Math.round(ms / 1000)} s on this file (probably damaged): ask the sender to send it again`,
        tooLarge: (mb) => `reading this document needs more than the ${mb} MB memory limit: ask for a smaller or simpler copy`,
      },
    });
  }

  get size(): number {
    return this.pool.size;
  }

  /** Threads killed for running away (stall or document time limit), for metrics and tests. */
  get killed(): number {
    return this.pool.killed;
  }

  /** Starts every thread now (each loads its decoders), so the first documents do not wait for that. */
  warm(): void {
    this.pool.warm();
  }

  read(bytes: Uint8Array, options: SandboxReadOptions): Promise<ReadResult> {
    const copy = new Uint8Array(bytes); // transferred: the caller keeps its own bytes
    return this.pool.run({ bytes: copy, options }, [copy.buffer]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

const asBuffer = (image: Uint8Array) => Buffer.from(image.buffer, image.byteOffset, image.byteLength);

export function createSandboxedReader(options: SandboxOptions): SandboxedReader {
  return new SandboxedReader(options);
}
