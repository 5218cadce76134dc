import { parentPort, Worker, workerData, type TransferListItem } from 'node:worker_threads';
import { BadInputError, type BadInputCode } from './errors.ts';

/**
 * CPU work in worker threads with hard limits, for the reader (shared/documents sandbox.ts)
 * and the extractor (services/extract-worker extract-sandbox.ts). One task runs on a thread
 * at a time; the process's event loop stays free (lock renewal, /healthz) and a runaway task
 * is killed:
 * - a task running longer than `timeLimitMs` of wall-clock time, counted from when it was
 *   posted to a thread that had said it was ready (not while it waited for a thread), is
 *   rejected with BadInputError('timeout') by a timer of this process and its thread
 *   terminated (Worker.terminate stops JavaScript at once, a synchronous loop too; native
 *   code in the thread stops when it returns to JavaScript, and the rejection does not wait
 *   for that);
 * - with `stallLimitMs`, a thread whose event loop sends no heartbeat for that long is
 *   stopped the same way;
 * - a thread that exceeds its heap limit (`maxHeapMb`) dies: BadInputError('too-large').
 * A stopped thread is replaced at once, and `spares` threads beyond the busy ones are kept
 * started and ready, so the next task does not wait for a new thread to load its code.
 *
 * The thread's side is `serveTasks` below; BadInputError codes (and other errors' names,
 * codes and primitive fields) cross the boundary both ways.
 */
export interface ThreadPoolOptions {
  /** What the threads do, for error messages: 'reader', 'extraction'. */
  name: string;
  /** The thread's entry file: a `.mjs` shim that loads the TypeScript (dev), or the bundled `.js` (dist/). */
  entry: URL | string;
  /** Tasks run at once. */
  threads: number;
  /** Threads kept started and ready beyond the busy ones (default 1). */
  spares?: number;
  /** Wall-clock limit of one task on its thread (ms). */
  timeLimitMs: number;
  /** A thread whose event loop is silent this long is stopped (ms); none when absent. */
  stallLimitMs?: number;
  /** How often a thread says it is alive (ms, default 250); only with stallLimitMs. */
  heartbeatMs?: number;
  maxHeapMb: number;
  /** Given to the thread as threadData(). */
  workerData?: unknown;
  /** What a thread may ask of this process (callParent): e.g. the reader's OCR requests. */
  serve?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Errors of the caller's own classes rebuilt from their serialised form (both directions). */
  revive?: (error: SerializedError) => Error | undefined;
  /** The reasons a clerk sees, one line each. */
  reasons?: { timeout?: (limitMs: number) => string; stall?: (limitMs: number) => string; tooLarge?: (heapMb: number) => string };
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  /** The error's own fields of primitive type (an OcrTimeoutError's timeoutMs). */
  fields?: Record<string, string | number | boolean>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'code' || key === 'name' || key === 'message') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined, fields };
}

export function deserializeError(s: SerializedError, revive?: (s: SerializedError) => Error | undefined): Error {
  if (s.name === 'BadInputError') return new BadInputError((s.code ?? 'other') as BadInputCode, s.message);
  const own = revive?.(s);
  if (own) return own;
  const error = Object.assign(new Error(s.message), s.fields ?? {});
  error.name = s.name;
  if (s.code !== undefined) Object.assign(error, { code: s.code });
  return error;
}

type ToThread =
  | { type: 'task'; id: number; task: unknown }
  | { type: 'reply'; req: number; ok: true; value: unknown }
  | { type: 'reply'; req: number; ok: false; error: SerializedError };

type FromThread =
  | { type: 'ready' }
  | { type: 'beat' }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'call'; req: number; method: string; args: unknown[] };

interface PoolWorkerData {
  heartbeatMs?: number;
  data: unknown;
}

interface Task {
  id: number;
  task: unknown;
  transfer: TransferListItem[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** When it was posted to its thread. */
  startedAt?: number;
  timer?: NodeJS.Timeout;
}

class PoolThread {
  readonly worker: Worker;
  readyAt?: number;
  task?: Task;
  lastBeat = Date.now();
  dead = false;

  constructor(
    private readonly pool: ThreadPool<unknown, unknown>,
    options: ThreadPoolOptions,
  ) {
    const data: PoolWorkerData = { heartbeatMs: options.stallLimitMs ? (options.heartbeatMs ?? 250) : undefined, data: options.workerData };
    this.worker = new Worker(options.entry, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(16, options.maxHeapMb / 16)) },
      workerData: data,
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    // A thread does not keep the process alive; a running task's timer does.
    this.worker.unref();
    this.worker.on('message', (m: FromThread) => this.onMessage(m, options));
    this.worker.on('error', (error: Error & { code?: string }) => {
      const tooLarge = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.pool.lost(
        this,
        tooLarge
          ? new BadInputError('too-large', options.reasons?.tooLarge?.(options.maxHeapMb) ?? `this document needs more than the ${options.maxHeapMb} MB memory limit: ask for a smaller or simpler copy`)
          : new Error(`${options.name} thread ${this.readyAt ? 'failed' : 'did not start'}: ${error.message}`),
      );
    });
    this.worker.on('exit', (code) => this.pool.lost(this, new Error(`${options.name} thread exited (code ${code})${this.readyAt ? '' : ' before it was ready'}`)));
  }

  private onMessage(m: FromThread, options: ThreadPoolOptions): void {
    this.lastBeat = Date.now();
    switch (m.type) {
      case 'beat':
        return;
      case 'ready':
        this.readyAt = Date.now();
        this.pool.dispatch();
        return;
      case 'done':
      case 'failed': {
        const task = this.task;
        if (task?.id !== m.id) return;
        this.pool.settled(this, task);
        if (m.type === 'done') task.resolve(m.result);
        else task.reject(deserializeError(m.error, options.revive));
        return;
      }
      case 'call': {
        const fn = options.serve?.[m.method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
        const work = fn ? Promise.resolve().then(() => fn(...m.args)) : Promise.reject(new Error(`${options.name} thread asked for ${m.method}: not served`));
        work.then(
          (value) => this.post({ type: 'reply', req: m.req, ok: true, value }),
          (error: unknown) => this.post({ type: 'reply', req: m.req, ok: false, error: serializeError(error) }),
        );
        return;
      }
    }
  }

  post(m: ToThread, transfer: TransferListItem[] = []): void {
    if (!this.dead) this.worker.postMessage(m, transfer);
  }

  stop(): void {
    if (this.dead) return;
    this.dead = true;
    // Not awaited: a thread in native code ends when that returns; nothing waits for it.
    void this.worker.terminate();
  }
}

export class ThreadPool<T, R> {
  private readonly threads = new Set<PoolThread>();
  private readonly waiting: Task[] = [];
  private readonly watchdog?: NodeJS.Timeout;
  private nextId = 1;
  private closed = false;
  /** Threads stopped at the time or stall limit. */
  killed = 0;
  /** Threads that exited or failed before they said they were ready. */
  startFailures = 0;

  constructor(private readonly options: ThreadPoolOptions) {
    if (options.stallLimitMs) {
      this.watchdog = setInterval(() => this.checkStalls(), Math.max(100, Math.min(1000, options.stallLimitMs / 4)));
      this.watchdog.unref();
    }
  }

  get size(): number {
    return this.options.threads;
  }

  private get target(): number {
    return this.options.threads + (this.options.spares ?? 1);
  }

  private busy(): number {
    let n = 0;
    for (const t of this.threads) if (t.task) n++;
    return n;
  }

  /** Starts the threads now (each loads its code), so the first tasks do not wait for that. */
  warm(): void {
    while (!this.closed && this.threads.size < this.target) this.threads.add(new PoolThread(this as ThreadPool<unknown, unknown>, this.options));
  }

  /** Runs `task` on a thread; `transfer` lists buffers moved to the thread (the caller's copy is emptied). */
  run(task: T, transfer: TransferListItem[] = []): Promise<R> {
    if (this.closed) return Promise.reject(new Error(`${this.options.name} threads are closed`));
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, task, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.warm();
      this.dispatch();
    });
  }

  /** Gives waiting tasks to ready, idle threads (at most `threads` busy). */
  dispatch(): void {
    let busy = this.busy();
    for (const t of this.threads) {
      if (this.waiting.length === 0 || busy >= this.options.threads) return;
      if (t.dead || t.task || t.readyAt === undefined) continue;
      const task = this.waiting.shift()!;
      t.task = task;
      t.lastBeat = Date.now();
      task.startedAt = Date.now();
      // The limit is this process's timer, not the thread's: it fires however busy the thread is.
      task.timer = setTimeout(() => this.stop(t, 'timeout'), this.options.timeLimitMs);
      t.post({ type: 'task', id: task.id, task: task.task }, task.transfer);
      busy++;
    }
  }

  private checkStalls(): void {
    const now = Date.now();
    for (const t of this.threads) if (t.task && now - t.lastBeat > this.options.stallLimitMs!) this.stop(t, 'stall');
  }

  private stop(t: PoolThread, why: 'timeout' | 'stall'): void {
    const task = t.task;
    if (!task || t.dead) return;
    this.killed += 1;
    const { reasons, timeLimitMs, stallLimitMs } = this.options;
    const error =
      why === 'timeout'
        ? new BadInputError('timeout', reasons?.timeout?.(timeLimitMs) ?? `took longer than the ${Math.round(timeLimitMs / 1000)} s limit on this file: an operator has the details`)
        : new BadInputError('timeout', reasons?.stall?.(stallLimitMs!) ?? `stopped responding for ${Math.round(stallLimitMs! / 1000)} s on this file (probably damaged): ask the sender to send it again`);
    // The rejection first: it waits on nothing (not the thread's end, not its replacement's start).
    this.settled(t, task);
    task.reject(error);
    this.retire(t);
  }

  /** The task is over on `t` (its result or error follows). */
  settled(t: PoolThread, task: Task): void {
    clearTimeout(task.timer);
    if (t.task === task) t.task = undefined;
    queueMicrotask(() => this.dispatch());
  }

  /** A thread failed, exited or died of its heap limit: its task fails with `error`. */
  lost(t: PoolThread, error: Error): void {
    if (!t.readyAt && !t.dead) this.startFailures += 1;
    const task = t.task;
    if (task) {
      this.settled(t, task);
      task.reject(error);
    } else if (!t.readyAt && !t.dead && this.threads.size > 0 && this.waiting.length > 0 && this.readyThreads() === 0) {
      // No thread can start (a broken install): the waiting tasks fail (transient) instead of waiting forever.
      for (const w of this.waiting.splice(0)) w.reject(error);
    }
    const started = t.readyAt !== undefined;
    this.retire(t, started);
  }

  private readyThreads(): number {
    let n = 0;
    for (const t of this.threads) if (!t.dead && t.readyAt !== undefined) n++;
    return n;
  }

  /** Drop `t` and start its replacement now (not for a thread that never started: that would loop). */
  private retire(t: PoolThread, replace = true): void {
    t.stop();
    if (!this.threads.delete(t)) return;
    if (replace && !this.closed) this.warm();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const error = new Error(`${this.options.name} threads closed`);
    for (const w of this.waiting.splice(0)) w.reject(error);
    const all = [...this.threads];
    this.threads.clear();
    for (const t of all) {
      const task = t.task;
      if (task) {
        clearTimeout(task.timer);
        t.task = undefined;
        task.reject(error);
      }
      t.dead = true;
    }
    await Promise.all(all.map((t) => t.worker.terminate()));
  }
}

// ---- The thread's side ----

const fromParent = new WeakSet<Error>();
let reviveInThread: ((s: SerializedError) => Error | undefined) | undefined;
const pendingCalls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextCall = 1;

/** In a pool thread: the pool's `workerData`. */
export function threadData<D>(): D {
  return (workerData as PoolWorkerData).data as D;
}

/** In a pool thread: asks the pool's process (`serve[method]`) and waits for its answer. */
export function callParent<V>(method: string, ...args: unknown[]): Promise<V> {
  const req = nextCall++;
  return new Promise<V>((resolve, reject) => {
    pendingCalls.set(req, { resolve: resolve as (v: unknown) => void, reject });
    parentPort!.postMessage({ type: 'call', req, method, args });
  });
}

/** An error that came back from callParent (the parent's work failed, not this thread's). */
export function isParentError(error: unknown): boolean {
  return error instanceof Error && fromParent.has(error);
}

/**
 * In a pool thread: runs each task given to it with `handle`, after `warmUp` (loading code
 * and data before the thread says it is ready, so that is not timed). `failure` may turn an
 * error into the one reported (a decoder's exception into BadInputError('corrupt')).
 */
export async function serveTasks<T, R>(
  handle: (task: T) => R | Promise<R>,
  options: { warmUp?: () => unknown; failure?: (error: unknown) => unknown; revive?: (s: SerializedError) => Error | undefined } = {},
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread of a ThreadPool');
  reviveInThread = options.revive;
  await options.warmUp?.();
  const { heartbeatMs } = workerData as PoolWorkerData;
  if (heartbeatMs) setInterval(() => port.postMessage({ type: 'beat' }), heartbeatMs);
  port.on('message', (m: ToThread) => {
    if (m.type === 'task') {
      Promise.resolve()
        .then(() => handle(m.task as T))
        .then(
          (result) => port.postMessage({ type: 'done', id: m.id, result }),
          (error: unknown) => port.postMessage({ type: 'failed', id: m.id, error: serializeError(options.failure ? options.failure(error) : error) }),
        );
      return;
    }
    const call = pendingCalls.get(m.req);
    if (!call) return;
    pendingCalls.delete(m.req);
    if (m.ok) call.resolve(m.value);
    else {
      const error = deserializeError(m.error, reviveInThread);
      fromParent.add(error);
      call.reject(error);
    }
  });
  port.postMessage({ type: 'ready' });
}
