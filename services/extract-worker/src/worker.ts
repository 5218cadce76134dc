import type { Logger } from '@intake/config';
import { extractDocumentJob } from '@intake/core';
import { createJobWorker, quarantineFailure } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { extractStoredDocument } from './extract-document.ts';

export function startExtractWorker(deps: { store: ReviewStore; connection: Redis; logger: Logger; concurrency: number; prefix?: string }): Worker {
  return createJobWorker({
    definition: extractDocumentJob,
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    logger: deps.logger.child({ service: 'extract-worker' }),
    process: (payload, _job, log) => extractStoredDocument(deps, payload.docId, log),
    // The circuit: paused while the store does not answer (a HEAD request), resumed when it does.
    probe: async () => {
      await deps.store.originals.exists('0'.repeat(64));
    },
    onPermanentFailure: (failure) => quarantineFailure(deps.store, 'extract', failure),
  });
}
