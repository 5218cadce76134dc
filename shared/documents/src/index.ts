/**
 * @intake/documents: bytes → pages of text with word boxes and confidences.
 * PDF text layers where they are real text, OCR (tesseract) for everything else.
 */
export { decodeStructuredText, detectMediaType, looksLikeEmail, structuredAsUtf8, textHead } from './detect.ts';
export {
  ccdaInText,
  containerKind,
  containerLabel,
  defaultContainerLimits,
  emptyContainerReason,
  openContainer,
  type ContainerContents,
  type ContainerDocument,
  type ContainerKind,
  type ContainerLimits,
  type ContainerSkip,
  type ContainerSkipCode,
} from './containers/open.ts';
export { isMsg, readMsg, type MsgContents } from './containers/msg.ts';
export { isTnef, readTnef, type TnefAttachment, type TnefContents } from './containers/tnef.ts';
export { readDocument, type ReadOptions, type ReadResult } from './read.ts';
export type { ReadPage, PageImage } from './page.ts';
export { OcrTimeoutError, type OcrEngine, type OcrResult, type Orientation, type RecognizeOptions } from './ocr-engine.ts';
export { createOcrPool, TesseractJsPool, type TesseractJsPoolOptions } from './ocr-pool.ts';
export { createNativeOcrEngine, findNativeTesseract, NativeTesseractEngine } from './native-ocr.ts';
export { closeDefaultOcrPool, setDefaultOcrEngine } from './ocr-default.ts';
export { createOcrEngine, type OcrEngineChoice } from './ocr-select.ts';
export { warmUpPdf } from './pdf.ts';
export { classifyDecodeError, createSandboxedReader, SandboxedReader, type SandboxOptions, type SandboxReadOptions } from './sandbox.ts';
