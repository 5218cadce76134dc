import type { Line } from '@intake/core';

export interface OcrResult {
  text: string;
  lines: Line[];
  /** Mean word confidence, 0–1. */
  confidence: number;
  width: number;
  height: number;
}

export interface RecognizeOptions {
  timeoutMs: number;
  /** Resolution of the image, when known; tesseract uses it for its size thresholds. */
  dpi?: number;
}

/** Page orientation as seen: rotate the image by `degrees` clockwise to make it upright. */
export interface Orientation {
  degrees: 0 | 90 | 180 | 270;
  confidence: number;
}

/**
 * An OCR engine. `image` is an encoded image (PNG, JPEG, PGM/PNM, TIFF); boxes come back
 * in its pixels. Implementations run off the event loop and enforce `timeoutMs` per call.
 */
export interface OcrEngine {
  recognize(image: Buffer, opts: RecognizeOptions): Promise<OcrResult>;
  /** Orientation and script detection; undefined when the engine cannot tell. Optional. */
  detectOrientation?(image: Buffer, opts: RecognizeOptions): Promise<Orientation | undefined>;
  close(): Promise<void>;
  readonly size: number;
  /** Which engine this is, for logs and benches. */
  readonly name?: string;
}

/** A recognition exceeded its time limit. The engine has already stopped the work. */
export class OcrTimeoutError extends Error {
  override readonly name = 'OcrTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`OCR exceeded ${timeoutMs} ms`);
  }
}

/** A counting semaphore: at most `size` holders at a time, FIFO. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** Binary PGM (P5) from 8-bit single-channel pixels: no compression cost, read natively by leptonica. */
export function encodePgm(pixels: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  return Buffer.concat([header, pixels.subarray(0, width * height)]);
}

/** Width and height of a PNM image, or undefined when `image` is not PNM. */
export function pnmSize(image: Buffer): { width: number; height: number } | undefined {
  if (image[0] !== 0x50 || !(image[1]! >= 0x31 && image[1]! <= 0x36)) return undefined;
  const head = image.toString('latin1', 0, 64).replace(/#[^\n]*\n/g, ' ');
  const m = /^P[1-6]\s+(\d+)\s+(\d+)/.exec(head);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}
