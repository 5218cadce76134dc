import { createNativeOcrEngine } from './native-ocr.ts';
import type { OcrEngine } from './ocr-engine.ts';
import { createOcrPool } from './ocr-pool.ts';

export type OcrEngineChoice = 'auto' | 'native' | 'tesseract.js';

let choice: OcrEngineChoice = 'auto';
let defaultEngine: OcrEngine | undefined;

/**
 * Which engine the process-wide default pool uses. 'auto' (the default): the native
 * tesseract CLI when installed, else tesseract.js. Call before the first read.
 */
export function setDefaultOcrEngine(next: OcrEngineChoice): void {
  choice = next;
}

export function createOcrEngine(kind: OcrEngineChoice = 'auto', options: { size?: number } = {}): OcrEngine {
  if (kind !== 'tesseract.js') {
    const native = createNativeOcrEngine(options);
    if (native) return native;
    if (kind === 'native') throw new Error('native tesseract is not installed');
  }
  return createOcrPool(options);
}

export function defaultOcrPool(): OcrEngine {
  defaultEngine ??= createOcrEngine(choice);
  return defaultEngine;
}

export async function closeDefaultOcrPool(): Promise<void> {
  const engine = defaultEngine;
  defaultEngine = undefined;
  await engine?.close();
}
