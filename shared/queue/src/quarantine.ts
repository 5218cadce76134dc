import type { QuarantineRecord } from '@intake/core';
import type { ReviewStore } from '@intake/storage';
import type { PermanentFailure } from './queues.ts';

/** Record a job's permanent failure where a clerk sees it: a quarantine record and the document's `quarantined` transition. */
export async function quarantineFailure(
  store: ReviewStore,
  stage: QuarantineRecord['stage'],
  failure: PermanentFailure,
): Promise<void> {
  await store.quarantineDocument({
    docId: failure.docId,
    stage,
    code: failure.code,
    reason: failure.reason,
    attempts: failure.attempts,
  });
}
