import type { QuarantineRecord } from '@intake/core';
import type { ReviewStore } from '@intake/storage';
import type { PermanentFailure } from './queues.ts';

/** Record a job's permanent failure where a clerk sees it: a quarantine record and the document's status. */
export async function quarantineFailure(store: ReviewStore, stage: QuarantineRecord['stage'], failure: PermanentFailure): Promise<void> {
  const intake = await store.getIntake(failure.docId);
  await store.putQuarantine({
    docId: failure.docId,
    stage,
    code: failure.code,
    reason: failure.reason,
    fileName: intake?.fileName,
    channel: intake?.channel,
    at: new Date().toISOString(),
    attempts: failure.attempts,
    status: 'open',
  });
  await store.updateStatus(failure.docId, { stage: 'quarantined', quarantineReason: failure.reason });
}
