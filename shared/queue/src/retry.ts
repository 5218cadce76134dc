import type { extractDocumentJob, readDocumentJob } from '@intake/core';
import { RetryNotPossibleError, type ReviewStore } from '@intake/storage';
import type { JobProducer } from './queues.ts';

export { RetryNotPossibleError };

/**
 * A clerk's retry of a quarantined document: the store marks the entry retried and moves
 * the document back (`retried`) to the step that failed; its job is queued again, the old one replaced.
 */
export async function retryQuarantined(
  deps: {
    store: ReviewStore;
    readProducer: JobProducer<typeof readDocumentJob.schema>;
    extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  },
  docId: string,
  actor = 'clerk',
): Promise<void> {
  const step = await deps.store.retryDocument(docId, actor);
  if (step === 'extract') await deps.extractProducer.add({ docId }, { force: true });
  else await deps.readProducer.add({ docId }, { force: true });
}
