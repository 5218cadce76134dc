import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Word } from '@intake/core';
import { assembleLines } from './layout.ts';
import { TesseractJsPool } from './ocr-pool.ts';
import { OcrTimeoutError, Slots, pnmSize, type OcrEngine, type OcrResult, type Orientation, type RecognizeOptions } from './ocr-engine.ts';

let available: string | null | undefined;

/** Path of a native `tesseract` binary (e.g. Debian's tesseract-ocr), or undefined. Checked once. */
export function findNativeTesseract(): string | undefined {
  if (available === undefined) {
    const r = spawnSync('tesseract', ['--version'], { encoding: 'utf8', timeout: 10_000 });
    available = r.status === 0 ? 'tesseract' : null;
  }
  return available ?? undefined;
}

interface Run {
  stdout: string;
  code: number | null;
}

type SpawnerReply =
  | { id: number; type: 'done'; timedOut: boolean; code: number | null; stdout: string }
  | { id: number; type: 'error'; message: string; code?: string };

/**
 * tesseract started from a small helper process (tesseract-spawner.mjs) rather than from this
 * one: a fork copies the forking process's page tables, and the pipeline's process is large
 * (~1 GB resident: PGlite, V8 heaps, WebAssembly memories) — measured on 2 busy cores, a spawn
 * from a process of 885 MB took 24 ms of CPU and stopped its event loop 188 ms; from a 47 MB
 * one, 2.3 ms and 5 ms. Images go over the IPC channel; one helper serves every run. A helper
 * that dies fails the runs in flight (transient errors) and is started again by the next one.
 */
class TesseractSpawner {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Run) => void; reject: (e: Error) => void; timeoutMs: number }>();

  private start(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.connected) return this.child;
    const child = fork(fileURLToPath(new URL('./tesseract-spawner.mjs', import.meta.url)), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      execArgv: [],
    });
    child.on('message', (m: SpawnerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.idle();
      if (m.type === 'error') p.reject(Object.assign(new Error(m.message), { code: m.code }));
      else if (m.timedOut) p.reject(new OcrTimeoutError(p.timeoutMs));
      else p.resolve({ stdout: m.stdout, code: m.code });
    });
    const gone = (why: string) => {
      if (this.child === child) this.child = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(`the tesseract spawner ${why}`));
      }
    };
    child.on('exit', (code) => gone(`exited (${code})`));
    child.on('error', (error) => gone(`failed: ${error.message}`));
    this.child = child;
    this.idle();
    return child;
  }

  /** Nothing in flight: the helper does not keep this process alive. */
  private idle(): void {
    const child = this.child;
    if (!child) return;
    if (this.pending.size === 0) {
      child.unref();
      child.channel?.unref();
    } else {
      child.ref();
      child.channel?.ref();
    }
  }

  run(bin: string, args: string[], input: Buffer, timeoutMs: number): Promise<Run> {
    const child = this.start();
    const id = this.nextId++;
    return new Promise<Run>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, timeoutMs });
      this.idle();
      // One thread per process: the pool provides the parallelism; OpenMP threads on a busy machine only spin (PERFORMANCE-NOTES).
      const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
      child.send({ type: 'run', id, bin, args, env, timeoutMs, input }, (error) => {
        if (!error || !this.pending.has(id)) return;
        this.pending.delete(id);
        this.idle();
        reject(error);
      });
    });
  }

  close(): void {
    this.child?.kill();
    this.child = undefined;
  }
}

/** tesseract's TSV (level 5 rows are words) → lines of words, in tesseract's order. */
export function parseTesseractTsv(tsv: string): Word[][] {
  const lines = new Map<string, Word[]>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    const conf = Number(f[10]);
    if (!text || conf < 0) continue;
    const [left, top, width, height] = [Number(f[6]), Number(f[7]), Number(f[8]), Number(f[9])];
    const key = `${f[2]}.${f[3]}.${f[4]}`;
    const words = lines.get(key) ?? [];
    words.push({ text, bbox: [left, top, left + width, top + height], confidence: Math.max(0, Math.min(1, conf / 100)) });
    lines.set(key, words);
  }
  return [...lines.values()];
}

/**
 * The native tesseract CLI behind the OcrEngine interface: one single-threaded process
 * per page, at most `size` at a time. 2–2.7× faster per core than tesseract.js; used
 * when the binary is installed. Uses the system's tessdata (installed with the binary).
 */
export class NativeTesseractEngine implements OcrEngine {
  readonly name = 'native tesseract';
  readonly size: number;
  private readonly slots: Slots;
  private closed = false;
  private osd: TesseractJsPool | undefined;
  private readonly spawner = new TesseractSpawner();
  constructor(
    private readonly bin: string,
    options: { size?: number } = {},
  ) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.slots = new Slots(this.size);
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('OCR engine is closed');
    await this.slots.acquire();
    try {
      return await work();
    } finally {
      this.slots.release();
    }
  }

  async recognize(image: Buffer, opts: RecognizeOptions): Promise<OcrResult> {
    const size: { width: number; height: number } =
      pnmSize(image) ?? (await sharp(image).metadata().then((m) => ({ width: m.width ?? 0, height: m.height ?? 0 })));
    const args = ['stdin', 'stdout', '-l', 'eng', '--oem', '1', '--psm', '3', '--dpi', String(opts.dpi ?? 300), 'tsv'];
    const run = await this.limited(() => this.spawner.run(this.bin, args, image, opts.timeoutMs));
    if (run.code !== 0) throw new Error(`tesseract exited with code ${run.code}`);
    return { ...assembleLines(parseTesseractTsv(run.stdout).map((words) => ({ words }))), ...size };
  }

  /**
   * Orientation via one warm tesseract.js OSD worker (~0.2 s a page) rather than the CLI,
   * which loads its 10 MB legacy osd model in every process (~1.2 s CPU a page).
   */
  async detectOrientation(image: Buffer, opts: RecognizeOptions): Promise<Orientation | undefined> {
    if (this.closed) throw new Error('OCR engine is closed');
    this.osd ??= new TesseractJsPool({ size: 1 });
    return this.osd.detectOrientation(image, opts);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.spawner.close();
    await this.osd?.close();
  }
}

export function createNativeOcrEngine(options: { size?: number } = {}): OcrEngine | undefined {
  const bin = findNativeTesseract();
  return bin ? new NativeTesseractEngine(bin, options) : undefined;
}
