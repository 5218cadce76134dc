import type { Logger } from '@intake/config';
import { isStructuredMediaType, type Source } from '@intake/core';
import { extractFromPages, extractStructured } from '@intake/extraction';
import type { ReviewStore } from '@intake/storage';

/**
 * One document.extract job: page text (or, for C-CDA/FHIR, the original's structure)
 * → the extraction result (OUTPUT.md) in the store, and the queue summary updated.
 */
export async function extractStoredDocument(deps: { store: ReviewStore }, docId: string, log: Logger): Promise<void> {
  const { store } = deps;
  const [intake, manifest] = await Promise.all([store.getIntake(docId), store.getReadManifest(docId)]);
  if (!intake || !manifest) throw new Error('document has not been read yet'); // transient
  const source: Source = {
    file: intake.fileName,
    sha256: docId,
    mediaType: manifest.mediaType,
    pages: manifest.pages.length,
    channel: intake.channel,
  };
  let result;
  if (isStructuredMediaType(manifest.mediaType)) {
    const bytes = await store.getOriginal(docId);
    if (!bytes) throw new Error('original is missing from the store');
    result = extractStructured(bytes, manifest.mediaType, source);
  } else {
    result = extractFromPages(await store.getPages(docId), source);
  }
  await store.putExtraction(docId, result);
  const itemCounts: Record<string, number> = {};
  for (const item of result.items) itemCounts[item.kind] = (itemCounts[item.kind] ?? 0) + 1;
  await store.updateStatus(docId, { stage: 'extracted', itemCounts });
  log.info({ items: result.items.length, itemCounts }, 'document extracted');
}
