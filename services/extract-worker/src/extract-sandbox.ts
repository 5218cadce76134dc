import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BadInputError, type BadInputCode } from '@intake/core';
import { computeExtraction, type ExtractOutput, type ExtractTask } from './extract-compute.ts';

/**
 * Extraction in worker threads, like the reader's sandbox (shared/documents/src/sandbox.ts):
 * the parse of page text or of a C-CDA/FHIR file runs off the worker's event loop, so lock
 * renewal and /healthz go on while it runs; a parse over `timeoutMs` is stopped (its thread
 * terminated, the document quarantined `timeout`), one over `maxHeapMb` of heap dies
 * (`too-large`). Threads start when the sandbox is made, and a killed one is replaced at
 * once, so a document does not wait for a thread to load the extraction code.
 */
export interface ExtractSandboxOptions {
  threads: number;
  timeoutMs: number;
  maxHeapMb: number;
}

interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export function serializeError(error: unknown): SerializedError {
  const e = error as Error & { code?: unknown };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error), code: typeof e?.code === 'string' ? e.code : undefined };
}

function deserializeError(s: SerializedError): Error {
  if (s.name === 'BadInputError') return new BadInputError((s.code ?? 'other') as BadInputCode, s.message);
  const error = new Error(s.message);
  error.name = s.name;
  return error;
}

type FromThread = { type: 'ready' } | { type: 'done'; id: number; output: ExtractOutput } | { type: 'failed'; id: number; error: SerializedError };

interface Task {
  id: number;
  resolve: (o: ExtractOutput) => void;
  reject: (e: Error) => void;
  started: number;
}

const entry = fileURLToPath(new URL('./extract-entry.mjs', import.meta.url));
/** The thread's code as the entry imports it (a production image keeps .mjs files, not .ts). */
const threadSource = fileURLToPath(new URL('./extract-thread.ts', import.meta.url));

class ExtractThread {
  readonly worker: Worker;
  task?: Task;
  dead = false;
  readonly ready: Promise<void>;

  constructor(options: ExtractSandboxOptions, onDead: (t: ExtractThread) => void) {
    this.worker = new Worker(entry, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(16, options.maxHeapMb / 16)) },
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (m: FromThread) => (m.type === 'ready' ? resolve() : reject(new Error('extraction thread did not start'))));
      this.worker.once('error', reject);
      this.worker.once('exit', () => reject(new Error('extraction thread exited before it was ready')));
    });
    this.ready.catch(() => {});
    this.worker.on('message', (m: FromThread) => {
      if (m.type === 'ready' || this.task?.id !== m.id) return;
      const task = this.task;
      this.task = undefined;
      if (m.type === 'done') task.resolve(m.output);
      else task.reject(deserializeError(m.error));
    });
    this.worker.on('error', (error: Error & { code?: string }) => {
      this.finish(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new BadInputError('too-large', `extracting this document needs more than the ${options.maxHeapMb} MB memory limit: ask for a smaller or simpler copy`)
          : new Error(`extraction thread failed: ${error.message}`),
      );
    });
    this.worker.on('exit', () => {
      this.finish(new Error('extraction thread exited'));
      if (!this.dead) {
        this.dead = true;
        onDead(this);
      }
    });
  }

  finish(error: Error): void {
    const task = this.task;
    this.task = undefined;
    task?.reject(error);
  }
}

export class ExtractSandbox {
  private readonly idle: ExtractThread[] = [];
  private readonly busy = new Set<ExtractThread>();
  private readonly waiting: (() => void)[] = [];
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private closed = false;
  /** Threads stopped at the time limit (for tests). */
  killed = 0;
  /** Tasks run in-process because their thread did not start. */
  startFailures = 0;

  constructor(private readonly options: ExtractSandboxOptions) {
    for (let i = 0; i < options.threads; i++) this.idle.push(this.spawn());
    this.watchdog = setInterval(() => this.check(), Math.max(50, Math.min(1000, options.timeoutMs / 10)));
    this.watchdog.unref();
  }

  private spawn(): ExtractThread {
    return new ExtractThread(this.options, (dead) => {
      this.busy.delete(dead);
      const i = this.idle.indexOf(dead);
      if (i >= 0) this.idle.splice(i, 1);
      this.waiting.shift()?.();
    });
  }

  private check(): void {
    const now = Date.now();
    for (const t of [...this.busy]) {
      if (!t.task || now - t.task.started <= this.options.timeoutMs) continue;
      this.killed += 1;
      t.finish(new BadInputError('timeout', `extraction took longer than the ${Math.round(this.options.timeoutMs / 1000)} s limit on this file: an operator has the details`));
      // The replacement first, so the next document finds a thread already loading.
      if (!this.closed) this.idle.push(this.spawn());
      t.dead = true;
      this.busy.delete(t);
      void t.worker.terminate();
      this.waiting.shift()?.();
    }
  }

  private async acquire(): Promise<ExtractThread> {
    for (;;) {
      if (this.closed) throw new Error('extraction sandbox is closed');
      const t = this.idle.shift();
      if (t && !t.dead) return t;
      if (!t && this.busy.size + this.idle.length < this.options.threads) return this.spawn();
      if (!t) await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  async run(task: ExtractTask): Promise<ExtractOutput> {
    const thread = await this.acquire();
    this.busy.add(thread);
    try {
      // A thread that cannot start (this install cannot load TypeScript in a thread): the task runs in-process.
      if (!(await thread.ready.then(() => true, () => false))) {
        this.startFailures += 1;
        return computeExtraction(task);
      }
      return await new Promise<ExtractOutput>((resolve, reject) => {
        thread.task = { id: this.nextId++, resolve, reject, started: Date.now() };
        thread.worker.postMessage({ id: thread.task.id, task });
      });
    } finally {
      this.busy.delete(thread);
      if (!thread.dead && !this.closed) this.idle.push(thread);
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    for (const t of all) {
      t.finish(new Error('extraction sandbox closed'));
      t.dead = true;
      await t.worker.terminate();
    }
    for (const w of this.waiting.splice(0)) w();
  }
}

/** Runs extraction in-process: where the thread entry is not there (a build without it). */
export const inlineExtractor = { run: async (task: ExtractTask): Promise<ExtractOutput> => computeExtraction(task), close: async () => {} };

export type Extractor = Pick<ExtractSandbox, 'run' | 'close'>;

/** The sandbox, or in-process extraction where the thread's sources are not beside this file (the production build in dist/). */
export function createExtractor(options: ExtractSandboxOptions): Extractor {
  return existsSync(entry) && existsSync(threadSource) ? new ExtractSandbox(options) : inlineExtractor;
}
