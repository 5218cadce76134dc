import { availableParallelism } from 'node:os';
import type { OcrEngine, OcrResult, Orientation, RecognizeOptions } from './ocr-engine.ts';
import type { OcrEngineChoice } from './ocr-select.ts';

export type { OcrEngineChoice } from './ocr-select.ts';

let choice: OcrEngineChoice = 'auto';
let defaultEngine: DeferredOcrEngine | undefined;

/**
 * Which engine the process-wide default pool uses. 'auto' (the default): the native
 * tesseract CLI when installed, else tesseract.js. Call before the first read.
 */
export function setDefaultOcrEngine(next: OcrEngineChoice): void {
  choice = next;
}

/**
 * The default pool, made when the first page needs OCR: a text PDF never loads tesseract.js,
 * sharp's OCR path or looks for the tesseract binary. Sized as the engines size themselves
 * (one per core).
 */
class DeferredOcrEngine implements OcrEngine {
  readonly size = Math.max(1, availableParallelism());
  private engine?: Promise<OcrEngine>;

  constructor(private readonly kind: OcrEngineChoice) {}

  private start(): Promise<OcrEngine> {
    this.engine ??= import('./ocr-select.ts').then((m) => m.createOcrEngine(this.kind));
    return this.engine;
  }

  async recognize(image: Buffer, opts: RecognizeOptions): Promise<OcrResult> {
    return (await this.start()).recognize(image, opts);
  }

  async detectOrientation(image: Buffer, opts: RecognizeOptions): Promise<Orientation | undefined> {
    const engine = await this.start();
    return engine.detectOrientation ? engine.detectOrientation(image, opts) : undefined;
  }

  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    if (engine) await (await engine.catch(() => undefined))?.close();
  }
}

export function defaultOcrPool(): OcrEngine {
  defaultEngine ??= new DeferredOcrEngine(choice);
  return defaultEngine;
}

export async function closeDefaultOcrPool(): Promise<void> {
  const engine = defaultEngine;
  defaultEngine = undefined;
  await engine?.close();
}
