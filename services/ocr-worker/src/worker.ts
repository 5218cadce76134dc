import type { Logger } from '@intake/config';
import { readDocumentJob } from '@intake/core';
import { createJobWorker, quarantineFailure } from '@intake/queue';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { readStoredDocument, type ReadDeps } from './read-document.ts';

/**
 * The OCR worker: a BullMQ worker on the intake queue. OCR runs in tesseract.js worker
 * threads (the pool in deps.ocr), so the event loop stays free to renew job locks.
 */
export function startOcrWorker(deps: ReadDeps & { connection: Redis; logger: Logger; concurrency: number; prefix?: string }): Worker {
  return createJobWorker({
    definition: readDocumentJob,
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    logger: deps.logger.child({ service: 'ocr-worker' }),
    // A 300-page fax takes minutes; the lock is renewed while the job runs.
    lockDuration: 5 * 60_000,
    process: (payload, _job, log) => readStoredDocument(deps, payload.docId, log),
    onPermanentFailure: (failure) => quarantineFailure(deps.store, 'read', failure),
  });
}
