import path from 'node:path';
import type { CoreConfig, Logger } from '@intake/config';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { closeDefaultOcrPool, createOcrEngine, createSandboxedReader, type OcrEngine, type SandboxedReader } from '@intake/documents';
import { DEFAULT_FAX_EXTENSIONS, FaxDrop, parseSidecarFields, S3PrefixDrop } from '@intake/fax-drop';
import { startExtractWorker } from '@intake/extract-worker';
import { READ_DOCUMENT_MS, READ_HEAP_MB, READ_STALL_MS, startReadWorker } from '@intake/read-worker';
import { openServiceRuntime, retryQuarantined, startDeploymentSweeper, type JobProducer, type RedisHandle } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';
import type { Redis } from 'ioredis';

// What `intake start` (main.ts) takes from the workspace with this module.
export { createLogger, loadCoreConfig } from '@intake/config';

export interface PipelineOptions {
  config: CoreConfig;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Serve the review UI/API (needs @intake/review). */
  review?: boolean;
  /** Run the IMAP listener when IMAP_HOST is configured. */
  imap?: boolean;
  /** Watch the fax drop folder. */
  faxDrop?: boolean;
  /** The sweeper's interval and the age before it judges a document (defaults: as the services run it). */
  sweep?: { intervalMs?: number; minAgeMs?: number };
}

export interface Pipeline {
  store: ReviewStore;
  redis: Redis;
  redisHandle: RedisHandle;
  s3Endpoint?: string;
  reviewUrl?: string;
  faxDir: string;
  readProducer: JobProducer<typeof readDocumentJob.schema>;
  extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  retryDocument(docId: string, actor?: string): Promise<void>;
  /**
   * Settles when the reader threads have loaded their decoders and the orientation check its
   * model (started with the pipeline, so the first document does not pay for them).
   */
  ready: Promise<void>;
  /** The deployment's sweeper (as the read worker service runs it); `sweep()` runs one now. */
  sweeper: ReturnType<typeof startDeploymentSweeper>;
  close(): Promise<void>;
  /**
   * SIGTERM/SIGINT: stop taking jobs, let running ones finish within the workers' grace,
   * hand the rest back to waiting, close, exit 0; exit 1 when that is not done within
   * `deadlineMs` (a hung close) or on a second signal.
   */
  handleSignals(deadlineMs?: number): void;
}

/** A blank 16×16 PNG: read (and skipped as blank) by each reader thread at start. */
const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAHUlEQVQokWP4TyJgGNVABGAgRhEyGNVADKB9KAEAr639H8LdEzEAAAAASUVORK5CYII=',
  'base64',
);

/**
 * Start what reading needs before the first document: each reader thread (a thread loads
 * pdf.js, sharp and the other decoders before it takes a document: ~0.5 s of CPU, seconds on
 * a busy machine) and the orientation check's model (tesseract.js with the 10 MB osd data,
 * ~1 s of CPU). Started lazily they were paid inside the first documents' reads.
 */
async function warmUp(reader: SandboxedReader, ocr: OcrEngine, threads: number, pageTimeoutMs: number): Promise<void> {
  const limits = { maxPages: 1, maxPixelsPerPage: 1 << 20, pageTimeoutMs, renderImages: false };
  const blank = Buffer.concat([Buffer.from('P5\n64 64\n255\n', 'latin1'), Buffer.alloc(64 * 64, 255)]); // PGM, as pages are sent to OCR
  await Promise.all([
    // Threads are made when every one is busy: as many reads at once as there are threads.
    ...Array.from({ length: threads }, () => reader.read(BLANK_PNG, limits).catch(() => undefined)),
    ocr.detectOrientation?.(blank, { timeoutMs: pageTimeoutMs, dpi: 300 }).catch(() => undefined),
  ]);
}

/**
 * Every service in one process: the embedded default of `intake start`, and what the
 * end-to-end tests run. In production each part runs as its own process (services/*\/src/main.ts).
 */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { config } = options;
  const env = options.env ?? process.env;
  const rt = await openServiceRuntime({ name: 'intake', config, logger: options.logger });
  const { logger, redis, redisHandle, store } = rt;
  const life = rt.lifecycle;
  try {
    const prefix = config.INTAKE_QUEUE_PREFIX;
    const readProducer = rt.producer(readDocumentJob);
    const extractProducer = rt.producer(extractDocumentJob);

    const ocr = createOcrEngine(config.INTAKE_OCR_ENGINE, { size: config.INTAKE_OCR_WORKERS || undefined });
    life.onClose('ocr', async () => {
      await ocr.close();
      await closeDefaultOcrPool();
    });
    const limits = {
      maxPages: config.INTAKE_MAX_PAGES,
      maxPixelsPerPage: config.INTAKE_MAX_PIXELS_PER_PAGE,
      pageTimeoutMs: config.INTAKE_OCR_PAGE_TIMEOUT_MS,
    };
    // The reader threads (the sandbox startReadWorker would make, with its limits), made here to be started at once.
    const reader = createSandboxedReader({
      ocr,
      threads: config.INTAKE_OCR_CONCURRENCY,
      stallTimeoutMs: READ_STALL_MS,
      documentTimeoutMs: Math.max(READ_DOCUMENT_MS, limits.pageTimeoutMs * 2),
      maxHeapMb: READ_HEAP_MB,
    });
    life.onClose('reader', () => reader.close()); // after the workers (closed in reverse order)
    const ready = warmUp(reader, ocr, config.INTAKE_OCR_CONCURRENCY, limits.pageTimeoutMs).catch((error: unknown) =>
      logger.warn({ err: { message: (error as Error).message } }, 'reader warm-up failed; the first document starts the readers'),
    );
    const readWorker = startReadWorker({ store, extractProducer, readProducer, maxFileBytes: config.INTAKE_MAX_FILE_BYTES, ocr, reader, limits, connection: redis, logger, prefix, concurrency: config.INTAKE_OCR_CONCURRENCY });
    const extractWorker = startExtractWorker({ store, connection: redis, logger, prefix, concurrency: config.INTAKE_EXTRACT_CONCURRENCY });
    life.onClose('workers', async () => {
      await Promise.all([readWorker.close(), extractWorker.close()]);
    });
    // The same sweeper the read worker service runs: a document whose job was lost gets one again.
    const sweeper = startDeploymentSweeper(rt, { readProducer, extractProducer }, options.sweep);

    const retryDocument = (docId: string, actor = 'clerk') => retryQuarantined({ store, readProducer, extractProducer }, docId, actor);

    const faxDir = path.resolve(config.FAX_DROP_DIR);
    if (options.faxDrop !== false) {
      const drop = new FaxDrop(
        {
          dir: faxDir,
          archiveDir: config.FAX_ARCHIVE_DIR ? path.resolve(config.FAX_ARCHIVE_DIR) : undefined,
          pollMs: config.FAX_POLL_MS,
          extensions: config.FAX_DROP_EXTENSIONS ?? DEFAULT_FAX_EXTENSIONS,
          maxFileBytes: config.INTAKE_MAX_FILE_BYTES,
          sidecarFields: parseSidecarFields(config.FAX_SIDECAR_FIELDS),
        },
        { store, readProducer, logger: logger.child({ service: 'fax-drop' }) },
      );
      await drop.start();
      life.onClose('fax-drop', () => drop.stop());
    }
    if (config.FAX_DROP_S3_PREFIX) {
      const s3Drop = new S3PrefixDrop(
        {
          s3: store.s3,
          bucket: config.FAX_DROP_S3_BUCKET ?? store.bucket,
          prefix: config.FAX_DROP_S3_PREFIX,
          archivePrefix: config.FAX_ARCHIVE_S3_PREFIX,
          pollMs: config.FAX_POLL_MS,
          extensions: config.FAX_DROP_EXTENSIONS ?? DEFAULT_FAX_EXTENSIONS,
          maxFileBytes: config.INTAKE_MAX_FILE_BYTES,
          sidecarFields: parseSidecarFields(config.FAX_SIDECAR_FIELDS),
          sse: config.S3_SSE,
          kmsKeyId: config.S3_KMS_KEY_ID,
        },
        { store, readProducer, logger: logger.child({ service: 'fax-drop-s3' }) },
      );
      s3Drop.start();
      life.onClose('fax-drop-s3', () => s3Drop.stop());
    }

    if (options.imap !== false && env.IMAP_HOST) {
      const { loadImapConfig } = await import('@intake/config');
      const { startImapListener } = await import('@intake/imap-listener');
      const listener = await startImapListener({
        config: loadImapConfig(env),
        coreConfig: config,
        store,
        readProducer,
        logger: logger.child({ service: 'imap-listener' }),
        redis,
        lockPrefix: prefix,
      });
      life.onClose('imap', () => listener.close());
    }

    let reviewUrl: string | undefined;
    if (options.review) {
      const { loadReviewConfig } = await import('@intake/config');
      const { startReviewServer } = await import('@intake/review');
      const server = await startReviewServer({
        config: loadReviewConfig(env),
        store,
        redis,
        logger: logger.child({ service: 'review' }),
        retryDocument,
      });
      reviewUrl = server.url;
      life.onClose('review', () => server.close());
    }

    return {
      store,
      redis,
      redisHandle,
      s3Endpoint: rt.s3Endpoint,
      reviewUrl,
      faxDir,
      readProducer,
      extractProducer,
      retryDocument,
      ready,
      sweeper,
      close: () => life.close(),
      handleSignals: (deadlineMs) => life.handleSignals(undefined, deadlineMs),
    };
  } catch (error) {
    await life.close();
    throw error;
  }
}
