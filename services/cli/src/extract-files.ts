import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CoreConfig } from '@intake/config';
import { BadInputError, isBadInput, isStructuredMediaType, sha256Hex, type ExtractionResult } from '@intake/core';
import { containerKind, emptyContainerReason, openContainer, readDocument } from '@intake/documents';
import { extractFromPages } from '@intake/extraction';

// What `intake extract` (main.ts) takes from the workspace with this module.
export { loadCoreConfig } from '@intake/config';
export { closeDefaultOcrPool, setDefaultOcrEngine } from '@intake/documents';

/**
 * Documents → extraction results in one process, no Redis or S3: the same library
 * calls the workers make.
 */
export async function extractFile(file: string, config: CoreConfig): Promise<ExtractionResult> {
  return extractBytes(await readInput(file, config), path.basename(file), config);
}

/**
 * A file → its extraction results: one for a document; for a container (a saved e-mail
 * .eml, an Outlook .msg, a winmail.dat) one per document inside it, each named
 * `container/inner` in `source.file`, and the parts left out with their reasons.
 */
export async function extractPath(file: string, config: CoreConfig): Promise<{ results: ExtractionResult[]; container: boolean; leftOut: string[] }> {
  const bytes = await readInput(file, config);
  const name = path.basename(file);
  if (!containerKind(bytes)) return { results: [await extractBytes(bytes, name, config)], container: false, leftOut: [] };
  const contents = await openContainer(bytes);
  if (contents.documents.length === 0) throw new BadInputError('no-content', emptyContainerReason(contents));
  const results: ExtractionResult[] = [];
  const leftOut = contents.skipped.filter((s) => s.code !== 'inline-logo' && s.code !== 'duplicate').map((s) => `part ${s.part}${s.fileName ? ` (${s.fileName})` : ''} left out: ${s.reason}`);
  for (const doc of contents.documents) {
    try {
      results.push(await extractBytes(doc.bytes, `${name}/${doc.fileName}`, config));
    } catch (error) {
      if (!isBadInput(error)) throw error;
      leftOut.push(`part ${doc.part} (${doc.fileName}): ${(error as Error).message}`);
    }
  }
  return { results, container: true, leftOut };
}

async function readInput(file: string, config: CoreConfig): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BadInputError('other', code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? 'error'})`);
  }
  if (bytes.byteLength === 0) throw new BadInputError('empty', 'empty file (0 bytes)');
  if (bytes.byteLength > config.INTAKE_MAX_FILE_BYTES) throw new BadInputError('too-large', 'file is larger than INTAKE_MAX_FILE_BYTES');
  return bytes;
}

async function extractBytes(bytes: Uint8Array, name: string, config: CoreConfig): Promise<ExtractionResult> {
  const read = await readDocument(bytes, {
    maxPages: config.INTAKE_MAX_PAGES,
    maxPixelsPerPage: config.INTAKE_MAX_PIXELS_PER_PAGE,
    pageTimeoutMs: config.INTAKE_OCR_PAGE_TIMEOUT_MS,
    renderImages: false,
  });
  const source = { file: name, sha256: sha256Hex(bytes), mediaType: read.mediaType, pages: read.pages.length, channel: 'cli' as const };
  // The C-CDA/FHIR readers (and their XML parser) are loaded for a structured document only.
  if (isStructuredMediaType(read.mediaType)) return (await import('./structured.ts')).extractStructured(bytes, read.mediaType, source);
  return extractFromPages(read.pages, source);
}

export function describeFailure(error: unknown): string {
  if (isBadInput(error)) return (error as Error).message;
  return `could not be processed: ${(error as Error).message ?? String(error)}`;
}
