import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BadInputError, type BadInputCode } from '@intake/core';
import { OcrTimeoutError, type OcrEngine } from './ocr-engine.ts';
import type { ReadOptions, ReadResult } from './read.ts';

/**
 * Reading in a sandbox: each document is decoded in a worker thread (pdf.js, sharp, the
 * TIFF fallback decoder…) so no decoder can block the process's event loop, and so a
 * runaway one can be killed:
 * - a thread whose event loop stops answering for `stallTimeoutMs` (a decoder spinning in
 *   a synchronous loop) is terminated, the document fails with BadInputError('timeout');
 * - a document that takes longer than `documentTimeoutMs` in all is stopped the same way;
 * - a thread that exceeds its heap limit (`maxHeapMb`) dies and the document fails with
 *   BadInputError('too-large').
 * A killed thread is replaced at once (the new one loads its decoders while no document waits on it). OCR is not done in the thread: its
 * page requests come back to `ocr`, the process's engine (its own worker threads or
 * tesseract processes, with their per-page time limit).
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

type FromThread =
  | { type: 'beat' }
  | { type: 'ready' }
  | { type: 'ocr'; req: number; op: 'recognize' | 'detectOrientation'; image: Uint8Array; opts: { timeoutMs: number; dpi?: number } }
  | { type: 'done'; id: number; result: ReadResult }
  | { type: 'failed'; id: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  timeoutMs?: number;
}

export function serializeError(error: unknown): SerializedError {
  const e = error as Error & { code?: unknown; timeoutMs?: number };
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(error),
    code: typeof e?.code === 'string' ? e.code : undefined,
    timeoutMs: e?.timeoutMs,
  };
}

export function deserializeError(s: SerializedError): Error {
  if (s.name === 'BadInputError') return new BadInputError((s.code ?? 'other') as BadInputCode, s.message);
  if (s.name === 'OcrTimeoutError') return new OcrTimeoutError(s.timeoutMs ?? 0);
  const error = new Error(s.message);
  error.name = s.name;
  return error;
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

interface Job {
  id: number;
  resolve: (r: ReadResult) => void;
  reject: (e: Error) => void;
  started: number;
}

const entry = fileURLToPath(new URL('./sandbox-entry.mjs', import.meta.url));

class ReaderThread {
  readonly worker: Worker;
  job?: Job;
  lastBeat = Date.now();
  dead = false;
  private readonly ready: Promise<void>;

  constructor(
    private readonly options: SandboxOptions,
    private readonly onDead: (t: ReaderThread) => void,
  ) {
    this.worker = new Worker(entry, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(16, options.maxHeapMb / 16)) },
      workerData: { heartbeatMs: options.heartbeatMs ?? 250, ocrSize: options.ocr.size, orientation: Boolean(options.ocr.detectOrientation) },
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (m: FromThread) => (m.type === 'ready' ? resolve() : reject(new Error('reader thread did not start'))));
      this.worker.once('error', reject);
    });
    this.ready.catch(() => {});
    this.worker.on('message', (m: FromThread) => this.onMessage(m));
    this.worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.finish(
        oom
          ? new BadInputError('too-large', `reading this document needs more than the ${options.maxHeapMb} MB memory limit: ask for a smaller or simpler copy`)
          : new Error(`reader thread failed: ${error.message}`),
      );
      this.kill();
    });
    this.worker.on('exit', () => {
      this.finish(new Error('reader thread exited'));
      this.dead = true;
      this.onDead(this);
    });
  }

  private onMessage(m: FromThread): void {
    this.lastBeat = Date.now();
    if (m.type === 'ocr') {
      const image = Buffer.from(m.image.buffer, m.image.byteOffset, m.image.byteLength);
      const engine = this.options.ocr;
      const work = m.op === 'recognize' ? engine.recognize(image, m.opts) : (engine.detectOrientation?.(image, m.opts) ?? Promise.resolve(undefined));
      work.then(
        (result) => !this.dead && this.worker.postMessage({ type: 'ocr-result', req: m.req, result }),
        (error: unknown) => !this.dead && this.worker.postMessage({ type: 'ocr-error', req: m.req, error: serializeError(error) }),
      );
    } else if (m.type === 'done' && this.job?.id === m.id) {
      const job = this.job;
      this.job = undefined;
      job.resolve(m.result);
    } else if (m.type === 'failed' && this.job?.id === m.id) {
      const job = this.job;
      this.job = undefined;
      job.reject(deserializeError(m.error));
    }
  }

  async run(job: Job, bytes: Uint8Array, options: SandboxReadOptions): Promise<void> {
    await this.ready;
    this.job = job;
    this.lastBeat = Date.now();
    const copy = new Uint8Array(bytes); // transferred: the caller keeps its own bytes
    this.worker.postMessage({ type: 'read', id: job.id, bytes: copy, options }, [copy.buffer]);
  }

  /** Fail the current document (if any) with `error`. */
  finish(error: Error): void {
    const job = this.job;
    this.job = undefined;
    job?.reject(error);
  }

  kill(): void {
    if (this.dead) return;
    this.dead = true;
    void this.worker.terminate();
    this.onDead(this);
  }
}

export class SandboxedReader {
  private readonly idle: ReaderThread[] = [];
  private readonly busy = new Set<ReaderThread>();
  private readonly waiting: (() => void)[] = [];
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private closed = false;
  /** Threads killed for running away (stall or document time limit), for metrics and tests. */
  killed = 0;

  constructor(private readonly options: SandboxOptions) {
    this.watchdog = setInterval(() => this.check(), Math.max(100, Math.min(1000, options.stallTimeoutMs / 4)));
    this.watchdog.unref();
  }

  get size(): number {
    return this.options.threads;
  }

  private check(): void {
    const now = Date.now();
    for (const t of this.busy) {
      const job = t.job;
      if (!job) continue;
      const stalled = now - t.lastBeat > this.options.stallTimeoutMs;
      const tooLong = now - job.started > this.options.documentTimeoutMs;
      if (!stalled && !tooLong) continue;
      this.killed += 1;
      t.finish(
        stalled
          ? new BadInputError(
              'timeout',
              `the decoder stopped responding for ${Math.round(this.options.stallTimeoutMs / 1000)} s on this file (probably damaged): ask the sender to send it again`,
            )
          : new BadInputError('timeout', `reading took longer than the ${Math.round(this.options.documentTimeoutMs / 1000)} s limit: ask the sender to split the document`),
      );
      // Its replacement starts now, before the kill wakes a waiting document: the next document
      // finds a thread already loading the decoders instead of starting one (at high load that
      // start took 15 s or more and was counted in the next job's time).
      if (!this.closed) this.idle.push(this.thread());
      t.kill();
    }
  }

  /**
   * Starts every thread now (each loads its decoders), so the first documents after a
   * process starts do not wait for that load inside their job's time.
   */
  warm(): void {
    while (!this.closed && this.busy.size + this.idle.length < this.options.threads) this.idle.push(this.thread());
  }

  private thread(): ReaderThread {
    return new ReaderThread(this.options, (dead) => {
      this.busy.delete(dead);
      const i = this.idle.indexOf(dead);
      if (i >= 0) this.idle.splice(i, 1);
      this.wake();
    });
  }

  private wake(): void {
    const next = this.waiting.shift();
    next?.();
  }

  private async acquire(): Promise<ReaderThread> {
    for (;;) {
      if (this.closed) throw new Error('reader is closed');
      const t = this.idle.pop();
      if (t && !t.dead) return t;
      if (this.busy.size + this.idle.length < this.options.threads) return this.thread();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  async read(bytes: Uint8Array, options: SandboxReadOptions): Promise<ReadResult> {
    const thread = await this.acquire();
    this.busy.add(thread);
    try {
      return await new Promise<ReadResult>((resolve, reject) => {
        const job: Job = { id: this.nextId++, resolve, reject, started: Date.now() };
        thread.run(job, bytes, options).catch((error: unknown) => {
          thread.finish(error as Error);
          thread.kill();
        });
      });
    } finally {
      this.busy.delete(thread);
      if (!thread.dead && !this.closed) this.idle.push(thread);
      this.wake();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    for (const t of all) {
      t.finish(new Error('reader closed'));
      t.dead = true;
      await t.worker.terminate();
    }
    for (const w of this.waiting.splice(0)) w();
  }
}

export function createSandboxedReader(options: SandboxOptions): SandboxedReader {
  return new SandboxedReader(options);
}
