import { createNativeOcrEngine } from './native-ocr.ts';
import type { OcrEngine } from './ocr-engine.ts';
import { createOcrPool } from './ocr-pool.ts';

/** INTAKE_OCR_ENGINE: the CLI, the read worker and `intake start` choose their engine by it. */
export type OcrEngineChoice = 'auto' | 'native' | 'tesseract.js';

/**
 * The engine for a choice: 'auto' is the native tesseract CLI when installed (faster per
 * core, PERFORMANCE-NOTES), else tesseract.js; 'native' fails when it is not installed.
 */
export function createOcrEngine(kind: OcrEngineChoice = 'auto', options: { size?: number } = {}): OcrEngine {
  if (kind !== 'tesseract.js') {
    const native = createNativeOcrEngine(options);
    if (native) return native;
    if (kind === 'native') throw new Error('native tesseract is not installed');
  }
  return createOcrPool(options);
}
