import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CoreConfig } from '@intake/config';
import { BadInputError, isBadInput, isStructuredMediaType, sha256Hex, type ExtractionResult } from '@intake/core';
import { readDocument } from '@intake/documents';
import { extractFromPages, extractStructured } from '@intake/extraction';

/**
 * Documents → extraction results in one process, no Redis or S3: the same library
 * calls the workers make.
 */
export async function extractFile(file: string, config: CoreConfig): Promise<ExtractionResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BadInputError('other', code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? 'error'})`);
  }
  if (bytes.byteLength === 0) throw new BadInputError('empty', 'empty file (0 bytes)');
  if (bytes.byteLength > config.INTAKE_MAX_FILE_BYTES) throw new BadInputError('too-large', 'file is larger than INTAKE_MAX_FILE_BYTES');
  const read = await readDocument(bytes, {
    maxPages: config.INTAKE_MAX_PAGES,
    maxPixelsPerPage: config.INTAKE_MAX_PIXELS_PER_PAGE,
    pageTimeoutMs: config.INTAKE_OCR_PAGE_TIMEOUT_MS,
    renderImages: false,
  });
  const source = { file: path.basename(file), sha256: sha256Hex(bytes), mediaType: read.mediaType, pages: read.pages.length, channel: 'cli' as const };
  if (isStructuredMediaType(read.mediaType)) return extractStructured(bytes, read.mediaType, source);
  return extractFromPages(read.pages, source);
}

export function describeFailure(error: unknown): string {
  if (isBadInput(error)) return (error as Error).message;
  return `could not be processed: ${(error as Error).message ?? String(error)}`;
}
