import type { Logger } from '@intake/config';
import { isStructuredMediaType, type Source } from '@intake/core';
import type { ReviewStore } from '@intake/storage';
import { inlineExtractor, type Extractor } from './extract-sandbox.ts';

/** Stages after extraction: a job for a document in one of them has nothing left to do. */
const DONE: ReadonlySet<string> = new Set(['extracted', 'superseded', 'quarantined', 'closed']);

/**
 * One document.extract job: page text (or, for C-CDA/FHIR, the original's structure)
 * → the extraction result (OUTPUT.md) in the store, and the document's `extracted` transition (the queue row, with the patient as the document states it).
 */
export async function extractStoredDocument(deps: { store: ReviewStore; extractor?: Extractor }, docId: string, log: Logger): Promise<void> {
  const { store } = deps;
  // The parse runs in an extraction thread (extract-sandbox.ts) when the worker has one; the store I/O stays here.
  const extractor = deps.extractor ?? inlineExtractor;
  // Idempotent: a job run again after its extraction was stored — its process died between the
  // `extracted` transition and the job's completion, or Redis lost the completion in a restart —
  // repairs the index row and the audit event of that transition and does nothing else (a second
  // `extracted` transition would be a second extraction of the same document).
  const status = await store.documents.get(docId);
  if (status && DONE.has(status.stage)) {
    await store.documents.reindex(docId);
    log.info({ stage: status.stage, version: status.version }, 'already extracted: nothing to do');
    return;
  }
  const [intake, manifest] = await Promise.all([store.arrivals.getIntake(docId), store.pages.getManifest(docId)]);
  if (!intake || !manifest) throw new Error('document has not been read yet'); // transient
  const source: Source = {
    file: intake.fileName,
    sha256: docId,
    mediaType: manifest.mediaType,
    pages: manifest.pages.length,
    channel: intake.channel,
  };
  let pages: Awaited<ReturnType<typeof store.pages.list>> = [];
  let output;
  if (isStructuredMediaType(manifest.mediaType)) {
    const bytes = await store.originals.get(docId);
    if (!bytes) throw new Error('original is missing from the store');
    output = await extractor.run({ kind: 'structured', bytes, mediaType: manifest.mediaType, source });
  } else {
    pages = await store.pages.list(docId);
    output = await extractor.run({ kind: 'pages', pages, source });
  }
  const { result, identity, documentType } = output;
  await store.extractions.put(docId, result);
  // Indexing: each page's patient read on its own (a fax with another patient's pages appended is flagged), and the type suggested.
  await store.identities.put({ docId, ...identity, at: new Date().toISOString() });
  const itemCounts: Record<string, number> = {};
  for (const item of result.items) itemCounts[item.kind] = (itemCounts[item.kind] ?? 0) + 1;
  const { name, birthDate, mrn } = result.patient;
  await store.documents.transition(docId, {
    name: 'extracted',
    itemCounts,
    patient: { name, birthDate, mrn },
    documentType,
    mixedPatients: identity.mixed,
  });
  log.info({ items: result.items.length, itemCounts, documentType, mixedPatients: identity.mixed }, 'document extracted');
}
