import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
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

function runTesseract(bin: string, args: string[], input: Buffer, timeoutMs: number): Promise<Run> {
  return new Promise<Run>((resolve, reject) => {
    // One thread per process: the pool provides the parallelism; OpenMP threads on a busy
    // machine only spin (PERFORMANCE-NOTES).
    const child = spawn(bin, args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new OcrTimeoutError(timeoutMs));
      else resolve({ stdout: Buffer.concat(out).toString('utf8'), code });
    });
    child.stdin.on('error', () => undefined); // EPIPE when the process dies early; 'close' reports it
    child.stdin.end(input);
  });
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
    const run = await this.limited(() => runTesseract(this.bin, args, image, opts.timeoutMs));
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
    await this.osd?.close();
  }
}

export function createNativeOcrEngine(options: { size?: number } = {}): OcrEngine | undefined {
  const bin = findNativeTesseract();
  return bin ? new NativeTesseractEngine(bin, options) : undefined;
}
