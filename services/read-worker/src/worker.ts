import type { Logger } from '@intake/config';
import { readDocumentJob } from '@intake/core';
import { createJobWorker, JobProducer, quarantineFailure } from '@intake/queue';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createSandboxedReader } from '@intake/documents';
import { readStoredDocument, type ReadDeps } from './read-document.ts';

/** A reader thread whose event loop is silent this long is stuck in a decoder: killed. */
export const READ_STALL_MS = 30_000;
/** Hard limit on reading one document (300 pages of OCR fit). */
export const READ_DOCUMENT_MS = 20 * 60_000;
/** Heap limit of a reader thread. */
export const READ_HEAP_MB = 1024;

/**
 * The read worker: a BullMQ worker on the read queue. OCR runs in tesseract.js worker
 * threads (the pool in deps.ocr), so the event loop stays free to renew job locks.
 */
export function startReadWorker(deps: ReadDeps & { connection: Redis; logger: Logger; concurrency: number; prefix?: string }): Worker {
  // The documents inside a container that reached the reader go back onto this same queue.
  const own = deps.readProducer ? undefined : new JobProducer(readDocumentJob, deps.connection, deps.prefix);
  if (own) deps = { ...deps, readProducer: own };
  // Decoding runs in worker threads: a runaway decoder is killed at the stall or document limit
  // (quarantined as timeout), and the event loop stays free to renew job locks and answer /healthz.
  const sandbox = deps.reader
    ? undefined
    : createSandboxedReader({
        ocr: deps.ocr,
        threads: deps.concurrency,
        stallTimeoutMs: READ_STALL_MS,
        documentTimeoutMs: Math.max(READ_DOCUMENT_MS, deps.limits.pageTimeoutMs * 2),
        maxHeapMb: READ_HEAP_MB,
      });
  // The threads load their decoders while the worker connects: a restarted worker's first jobs (the dead process's, taken back first) do not wait for it.
  sandbox?.warm();
  if (sandbox) deps = { ...deps, reader: sandbox };
  const worker = createJobWorker({
    definition: readDocumentJob,
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    logger: deps.logger.child({ service: 'read-worker' }),
    // The default short lock (30 s), renewed while the job runs: a dead worker's job is back within a minute.
    probe: async () => {
      await deps.store.originals.exists('0'.repeat(64));
    },
    process: (payload, _job, log) => readStoredDocument(deps, payload.docId, log),
    onPermanentFailure: (failure) => quarantineFailure(deps.store, 'read', failure),
  });
  if (own || sandbox) {
    const close = worker.close.bind(worker);
    worker.close = async (force?: boolean) => {
      await close(force);
      await own?.close();
      await sandbox?.close();
    };
  }
  return worker;
}
