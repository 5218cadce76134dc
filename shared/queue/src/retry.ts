import type { extractDocumentJob, readDocumentJob } from '@intake/core';
import { keys, type ReviewStore } from '@intake/storage';
import type { JobProducer } from './queues.ts';

/** A clerk asked to retry something that cannot be re-run; the message is safe to show. */
export class RetryNotPossibleError extends Error {
  override readonly name = 'RetryNotPossibleError';
  readonly statusCode = 409;
}

/**
 * A clerk's retry of a quarantined document: back to the step that failed (extraction
 * when the pages are in the store, else reading), with the old job replaced.
 */
export async function retryQuarantined(
  deps: {
    store: ReviewStore;
    readProducer: JobProducer<typeof readDocumentJob.schema>;
    extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  },
  docId: string,
): Promise<void> {
  const { store } = deps;
  const quarantine = await store.getQuarantine(docId);
  // An e-mail entry (a message with nothing to read) has no document behind it: nothing to re-run.
  if (quarantine?.stage === 'email' || !(await store.exists(keys.original(docId)))) {
    throw new RetryNotPossibleError('this entry has no document to read again: reply to the member or close it');
  }
  // Marked before the job is queued: a job that fails again at once writes a fresh open record after this.
  if (quarantine) await store.putQuarantine({ ...quarantine, status: 'retried' });
  const manifest = await store.getReadManifest(docId);
  if (manifest && quarantine?.stage === 'extract') {
    await store.updateStatus(docId, { stage: 'read', quarantineReason: undefined });
    await deps.extractProducer.add({ docId }, { force: true });
  } else {
    await store.updateStatus(docId, { stage: 'received', quarantineReason: undefined });
    await deps.readProducer.add({ docId }, { force: true });
  }
}
