import { BadInputError, isStructuredMediaType, type Source } from '@intake/core';
import { documentIdentity, extractFromPages, extractStructured, groupIdentities, suggestDocumentType } from '@intake/extraction';
import type { ReviewStore } from '@intake/storage';

type StoredPage = Awaited<ReturnType<ReviewStore['pages']['list']>>[number];

/** What the CPU part of an extract job is given: page text, or a structured original's bytes. */
export type ExtractTask =
  | { kind: 'pages'; pages: StoredPage[]; source: Source }
  | { kind: 'structured'; bytes: Uint8Array; mediaType: string; source: Source };

export type ExtractOutput = {
  result: ReturnType<typeof extractFromPages>;
  identity: ReturnType<typeof documentIdentity>;
  documentType: ReturnType<typeof suggestDocumentType>;
};

/**
 * The CPU work of one extract job, no I/O: the extraction result, each page's patient and
 * the suggested document type. Run in an extraction thread (extract-sandbox.ts), so a long
 * parse does not block the worker's event loop (lock renewal, /healthz).
 */
export function computeExtraction(task: ExtractTask): ExtractOutput {
  if (task.kind === 'structured') {
    if (!isStructuredMediaType(task.mediaType)) throw new Error(`not a structured media type: ${task.mediaType}`);
    const result = extractStructured(Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), task.mediaType, task.source);
    // Like an empty scan: a structured file that holds no clinical entries is quarantined, not shown as extracted.
    if (result.items.length === 0)
      throw new BadInputError('no-content', 'the structured record (C-CDA or FHIR) holds no medications, allergies, conditions or other clinical entries: ask the sender for the full record');
    return { result, identity: groupIdentities([{ page: 1, ...result.patient }]), documentType: suggestDocumentType(result, []) };
  }
  const result = extractFromPages(task.pages, task.source);
  const identity = task.pages.length ? documentIdentity(task.pages) : groupIdentities([{ page: 1, ...result.patient }]);
  return { result, identity, documentType: suggestDocumentType(result, task.pages) };
}
