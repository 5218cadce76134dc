import os from 'node:os';
import type { Logger } from '@intake/config';
import { extractDocumentJob } from '@intake/core';
import { createJobWorker, quarantineFailure } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { extractStoredDocument } from './extract-document.ts';
import { createExtractor, type Extractor } from './extract-sandbox.ts';

/** Hard limit on extracting one document in its thread (a parse takes well under a second per page). */
export const EXTRACT_TIMEOUT_MS = 60_000;
/** Heap limit of an extraction thread. */
export const EXTRACT_HEAP_MB = 512;

/**
 * The extract worker: a BullMQ worker on the extract queue. The parse runs in extraction
 * threads (extract-sandbox.ts; one per core, at most `concurrency`), so the event loop stays
 * free to renew job locks and answer /healthz while a long document is parsed.
 */
export function startExtractWorker(deps: { store: ReviewStore; connection: Redis; logger: Logger; concurrency: number; prefix?: string; extractor?: Extractor }): Worker {
  const own = deps.extractor
    ? undefined
    : createExtractor({ threads: Math.max(1, Math.min(deps.concurrency, os.availableParallelism())), timeoutMs: EXTRACT_TIMEOUT_MS, maxHeapMb: EXTRACT_HEAP_MB });
  const extractor = deps.extractor ?? own!;
  const worker = createJobWorker({
    definition: extractDocumentJob,
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    logger: deps.logger.child({ service: 'extract-worker' }),
    process: (payload, _job, log) => extractStoredDocument({ store: deps.store, extractor }, payload.docId, log),
    // The circuit: paused while the store does not answer (a HEAD request), resumed when it does.
    probe: async () => {
      await deps.store.originals.exists('0'.repeat(64));
    },
    onPermanentFailure: (failure) => quarantineFailure(deps.store, 'extract', failure),
  });
  if (own) {
    const close = worker.close.bind(worker);
    worker.close = async (force?: boolean) => {
      await close(force);
      await own.close();
    };
  }
  return worker;
}
