import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import Tesseract from 'tesseract.js';
import type { Line, Word } from '@intake/core';
import { assembleLines } from './layout.ts';
import { OcrTimeoutError, Slots, pnmSize, type OcrEngine, type OcrResult, type Orientation, type RecognizeOptions } from './ocr-engine.ts';

const require = createRequire(import.meta.url);

/** Directory of a @tesseract.js-data package's traineddata: local files, never the CDN. */
export function tessdataDir(lang: 'eng' | 'osd', variant: '4.0.0' | '4.0.0_best_int'): string {
  return join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), variant);
}

function cacheDir(): string {
  const dir = join(tmpdir(), 'intake-tesseract-cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function imageSize(image: Buffer): Promise<{ width: number; height: number }> {
  const pnm = pnmSize(image);
  if (pnm) return pnm;
  const meta = await sharp(image).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0 };
}

interface TjsWord { text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }
interface TjsLine { words: TjsWord[] }
interface TjsBlock { paragraphs: { lines: TjsLine[] }[] }

/** tesseract's lines → our rows (merging cells of one table row), confidences 0–1. */
export function fromTesseractLines(lines: TjsLine[]): { text: string; lines: Line[]; confidence: number } {
  return assembleLines(
    lines.map((l) => ({
      words: l.words.map(
        (w): Word => ({
          text: w.text,
          bbox: [w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1],
          confidence: Math.max(0, Math.min(1, w.confidence / 100)),
        }),
      ),
    })),
  );
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new OcrTimeoutError(ms));
    }, ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export interface TesseractJsPoolOptions {
  /** Workers; default: the machine's cores. */
  size?: number;
  /** eng traineddata variant from @tesseract.js-data/eng; default 4.0.0_best_int (faster, as accurate). */
  variant?: '4.0.0' | '4.0.0_best_int';
  /**
   * Let tesseract.js pick its relaxed-SIMD build (Node 20 needs V8's experimental flag;
   * later Node versions have it on). Process-wide, before the first worker starts. Default true.
   */
  relaxedSimd?: boolean;
}

let relaxedSimdEnabled = false;
function enableRelaxedSimd(): void {
  if (relaxedSimdEnabled) return;
  relaxedSimdEnabled = true;
  if (Number(process.versions.node.split('.')[0]) < 22) setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/**
 * tesseract.js workers (worker threads running the WASM build), one per core by default.
 * Workers start lazily and stay warm; a worker that times out is terminated and replaced,
 * since tesseract.js cannot cancel a recognition in flight.
 */
export class TesseractJsPool implements OcrEngine {
  readonly name = 'tesseract.js';
  readonly size: number;
  private readonly slots: Slots;
  private readonly idle: number[] = [];
  private readonly workers: (Promise<Tesseract.Worker> | undefined)[];
  private osdWorker: Promise<Tesseract.Worker> | undefined;
  private readonly osdSlots = new Slots(1);
  private closed = false;

  constructor(options: TesseractJsPoolOptions = {}) {
    if (options.relaxedSimd ?? true) enableRelaxedSimd();
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.slots = new Slots(this.size);
    this.workers = Array.from({ length: this.size }, () => undefined);
    for (let i = this.size - 1; i >= 0; i--) this.idle.push(i);
    this.variant = options.variant ?? '4.0.0_best_int';
  }
  private readonly variant: '4.0.0' | '4.0.0_best_int';

  private createWorker(): Promise<Tesseract.Worker> {
    return Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
      langPath: tessdataDir('eng', this.variant),
      cachePath: cacheDir(),
      cacheMethod: 'none',
      gzip: true,
    }).then(async (worker) => {
      // tesseract's diagnostics ("Empty page!!", resolution warnings) go nowhere: a page's outcome is in its result.
      await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.AUTO, debug_file: '/dev/null' } as Partial<Tesseract.WorkerParams>);
      return worker;
    });
  }

  private async run<T>(job: (worker: Tesseract.Worker) => Promise<T>, timeoutMs: number): Promise<T> {
    if (this.closed) throw new Error('OCR pool is closed');
    await this.slots.acquire();
    const index = this.idle.pop()!;
    try {
      this.workers[index] ??= this.createWorker();
      let worker: Tesseract.Worker;
      try {
        worker = await this.workers[index];
      } catch (error) {
        this.workers[index] = undefined;
        throw error;
      }
      return await withTimeout(job(worker), timeoutMs, () => {
        this.workers[index] = undefined;
        void worker.terminate().catch(() => undefined);
      });
    } finally {
      this.idle.push(index);
      this.slots.release();
    }
  }

  async recognize(image: Buffer, opts: RecognizeOptions): Promise<OcrResult> {
    const size = await imageSize(image);
    return this.run(async (worker) => {
      await worker.setParameters({ user_defined_dpi: String(opts.dpi ?? 300) });
      const { data } = await worker.recognize(image, {}, { blocks: true, text: false });
      const lines = ((data.blocks ?? []) as unknown as TjsBlock[]).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
      return { ...fromTesseractLines(lines), ...size };
    }, opts.timeoutMs);
  }

  /** Orientation with the legacy engine and osd data (one extra worker, created on first use). */
  async detectOrientation(image: Buffer, opts: RecognizeOptions): Promise<Orientation | undefined> {
    if (this.closed) throw new Error('OCR pool is closed');
    await this.osdSlots.acquire();
    try {
      this.osdWorker ??= Tesseract.createWorker('osd', Tesseract.OEM.TESSERACT_ONLY, {
        langPath: tessdataDir('osd', '4.0.0'),
        cachePath: cacheDir(),
        cacheMethod: 'none',
        gzip: true,
        legacyCore: true,
        legacyLang: true,
      }).then(async (worker) => {
        // Our images carry no resolution. user_defined_dpi does not reach the orientation check's page
        // layout, which printed "Invalid resolution 0 dpi. Using 70 instead." (and "Too few characters")
        // for every page: tesseract's diagnostics go to /dev/null (the results are the same).
        await worker.setParameters({ user_defined_dpi: '300', debug_file: '/dev/null' } as Partial<Tesseract.WorkerParams>);
        return worker;
      });
      const worker = await this.osdWorker;
      const { data } = await withTimeout(worker.detect(image), opts.timeoutMs, () => {
        this.osdWorker = undefined;
        void worker.terminate().catch(() => undefined);
      });
      if (data.orientation_degrees == null) return undefined;
      // Already the clockwise rotation that makes the page upright (as the CLI's "Rotate:").
      const degrees = ((data.orientation_degrees % 360) + 360) % 360;
      return { degrees: degrees as Orientation['degrees'], confidence: data.orientation_confidence ?? 0 };
    } catch (error) {
      if (error instanceof OcrTimeoutError) throw error;
      return undefined; // too little text to tell
    } finally {
      this.osdSlots.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.workers, this.osdWorker].filter((w): w is Promise<Tesseract.Worker> => w !== undefined);
    for (let i = 0; i < this.workers.length; i++) this.workers[i] = undefined;
    this.osdWorker = undefined;
    await Promise.all(all.map((w) => w.then((x) => x.terminate()).catch(() => undefined)));
  }
}

/** A pool of tesseract.js workers sized to the machine's cores (or `size`). */
export function createOcrPool(options: TesseractJsPoolOptions = {}): OcrEngine {
  return new TesseractJsPool(options);
}
