import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { createOcrEngine } from '@intake/documents';
import { openServiceRuntime, startDeploymentSweeper } from '@intake/queue';
import { startReadWorker } from './worker.ts';

// Standalone read worker process (production: scale these out; they share the queue).
const rt = await openServiceRuntime({ name: 'read-worker' });
const { config } = rt;
const ocr = createOcrEngine(config.INTAKE_OCR_ENGINE, { size: config.INTAKE_OCR_WORKERS || undefined });
rt.lifecycle.onClose('ocr', () => ocr.close());
const extractProducer = rt.producer(extractDocumentJob);
const readProducer = rt.producer(readDocumentJob);
const worker = startReadWorker({
  store: rt.store,
  extractProducer,
  readProducer,
  maxFileBytes: config.INTAKE_MAX_FILE_BYTES,
  ocr,
  connection: rt.redis,
  logger: rt.logger,
  prefix: config.INTAKE_QUEUE_PREFIX,
  concurrency: config.INTAKE_OCR_CONCURRENCY,
  limits: { maxPages: config.INTAKE_MAX_PAGES, maxPixelsPerPage: config.INTAKE_MAX_PIXELS_PER_PAGE, pageTimeoutMs: config.INTAKE_OCR_PAGE_TIMEOUT_MS },
});
rt.lifecycle.onClose('worker', () => worker.close());
// Every 5 minutes one process of the deployment (a lease in Redis) checks that every document has an outcome, and gives one to those that have none.
startDeploymentSweeper(rt, { readProducer, extractProducer });
rt.lifecycle.handleSignals();
rt.logger.info('read worker running');
