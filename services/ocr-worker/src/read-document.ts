import type { Logger } from '@intake/config';
import { BadInputError, type extractDocumentJob, isStructuredMediaType } from '@intake/core';
import { readDocument, type OcrEngine } from '@intake/documents';
import type { JobProducer } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';

export interface ReadDeps {
  store: ReviewStore;
  extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  ocr: OcrEngine;
  limits: { maxPages: number; maxPixelsPerPage: number; pageTimeoutMs: number };
}

/**
 * One document.read job: the original from the store → pages (text layer, OCR or
 * skipped) → page text and images to the store → the extract job. Every write is
 * keyed by the document id, so a retried job overwrites rather than duplicates.
 */
export async function readStoredDocument(deps: ReadDeps, docId: string, log: Logger): Promise<void> {
  const { store } = deps;
  const bytes = await store.getOriginal(docId);
  if (!bytes) throw new Error('original is not in the store yet'); // transient: retried
  if (bytes.byteLength === 0) throw new BadInputError('empty', 'empty file (0 bytes): ask the sender to send the document again');

  const started = Date.now();
  const result = await readDocument(bytes, { ...deps.limits, ocr: deps.ocr, renderImages: true });
  const structured = isStructuredMediaType(result.mediaType);
  if (!structured && result.pages.every((p) => p.method.startsWith('skipped'))) {
    throw new BadInputError('no-content', 'every page is blank: ask the sender to check the document and send it again');
  }

  const pages = [];
  for (const page of result.pages) {
    const { image, ...text } = page;
    await store.putPage(docId, text);
    const ext = image ? await store.putPageImage(docId, page.page, image.data, image.mediaType) : undefined;
    pages.push({ page: page.page, method: page.method, confidence: page.confidence, image: ext, width: page.width, height: page.height });
  }
  const ms = Date.now() - started;
  await store.putReadManifest({ docId, mediaType: result.mediaType, pages, readAt: new Date().toISOString(), ms });
  await store.updateStatus(docId, { stage: 'read', mediaType: result.mediaType, pages: result.pages.length });
  log.info(
    {
      pages: result.pages.length,
      ocr: result.pages.filter((p) => p.method === 'ocr').length,
      textLayer: result.pages.filter((p) => p.method === 'text-layer').length,
      skipped: result.pages.filter((p) => p.method.startsWith('skipped')).length,
      ms,
    },
    'document read',
  );
  await deps.extractProducer.add({ docId });
}
