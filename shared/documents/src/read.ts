import { BadInputError, isBadInput, isContainerMediaType, isStructuredMediaType, MediaType } from '@intake/core';
import { detectMediaType } from './detect.ts';
import { defaultOcrPool } from './ocr-default.ts';
import type { OcrEngine } from './ocr-engine.ts';
import type { PageContext, ReadPage } from './page.ts';

// Each format's reader (and its decoders: pdf.js, utif2, libheif…) is loaded when a document of
// that format comes, or all at once by loadReaders (a sandbox thread, before it says it is ready).

/** Loads every format's reader now: a process that will read any kind of document pays it up front. */
export async function loadReaders(): Promise<void> {
  const [, , , worker] = await Promise.all([
    import('./pdf.ts'),
    import('./tiff.ts'),
    import('./image.ts'),
    // pdf.js would import its (fake) worker module at the first PDF: a large module whose compile,
    // on a busy machine, left a sandbox thread seconds without a heartbeat (a good file killed as a
    // stall). Loaded here, pdf.js finds it on globalThis.pdfjsWorker and imports nothing later.
    import('pdfjs-dist/legacy/build/pdf.worker.mjs'),
  ]);
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
}

export interface ReadOptions {
  /** Cap on pages per document → BadInputError('too-many-pages'). */
  maxPages: number;
  /** Decompression-bomb cap → BadInputError('too-many-pixels'). */
  maxPixelsPerPage: number;
  /** Per-page OCR limit → BadInputError('timeout'). */
  pageTimeoutMs: number;
  /** A shared pool; when absent, a process-wide default pool created lazily. */
  ocr?: OcrEngine;
  /** Default true: return a PNG (or JPEG for photos) of every page for the review UI. */
  renderImages?: boolean;
}

export interface ReadResult {
  mediaType: string;
  pages: ReadPage[];
}

/**
 * Bytes → pages of text with word boxes. Throws BadInputError (permanent, with a one-line
 * reason for the clerk) for input that cannot be read; other errors are transient.
 */
export async function readDocument(bytes: Uint8Array, options: ReadOptions): Promise<ReadResult> {
  if (bytes.length === 0) throw new BadInputError('empty', 'empty file (0 bytes): ask the sender to send the document again');
  const mediaType = detectMediaType(bytes);
  if (!mediaType)
    throw new BadInputError('unsupported-type', 'unsupported file type (not PDF, TIFF, JPEG, PNG, WebP, HEIC, C-CDA or FHIR): ask for a PDF or a photo');
  if (isStructuredMediaType(mediaType)) return { mediaType, pages: [] };
  // A container has no pages of its own: the caller takes its inner documents in (openContainer).
  if (isContainerMediaType(mediaType)) return { mediaType, pages: [] };
  const ctx: PageContext = {
    engine: options.ocr ?? defaultOcrPool(),
    pageTimeoutMs: options.pageTimeoutMs,
    renderImages: options.renderImages ?? true,
  };
  try {
    let pages: ReadPage[];
    switch (mediaType) {
      case MediaType.pdf:
        pages = await (await import('./pdf.ts')).readPdf(bytes, options, ctx);
        break;
      case MediaType.tiff:
        pages = await (await import('./tiff.ts')).readTiff(bytes, options, ctx);
        break;
      case MediaType.jpeg:
      case MediaType.png:
      case MediaType.webp:
      case MediaType.heic:
        pages = await (await import('./image.ts')).readImage(bytes, mediaType, options, ctx);
        break;
      default:
        throw new BadInputError('unsupported-type', `unsupported file type ${mediaType}: ask for a PDF or a photo`);
    }
    return { mediaType, pages };
  } catch (error) {
    if (isBadInput(error)) throw error;
    // sharp/libvips reports damaged pixel data with messages like these: the input, not us.
    const message = error instanceof Error ? error.message : '';
    if (/VipsJpeg|premature end|corrupt|truncated|bad seek|unexpected end|Input buffer|pngload|tiffload|webpload|jpegload|heifload/i.test(message))
      throw new BadInputError('corrupt', 'damaged or truncated file that cannot be decoded: ask the sender to send it again', { cause: error });
    throw error;
  }
}
