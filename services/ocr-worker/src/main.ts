import { createLogger, dataPath, loadCoreConfig } from '@intake/config';
import { extractDocumentJob } from '@intake/core';
import { createOcrPool } from '@intake/documents';
import { createRedis, ensureRedis, JobProducer, Lifecycle } from '@intake/queue';
import { openReviewStore } from '@intake/storage';
import { startOcrWorker } from './worker.ts';

// Standalone OCR worker process (production: scale these out; they share the queue).
const config = loadCoreConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'ocr-worker' });
const life = new Lifecycle(logger);
life.handleSignals();

const redisHandle = await ensureRedis({ url: config.REDIS_URL, autostart: config.INTAKE_REDIS_AUTOSTART, dataDir: dataPath(config, 'redis'), logger });
life.onClose('redis-server', () => redisHandle.stop());
const redis = createRedis(redisHandle.url);
life.onClose('redis', async () => void redis.disconnect());
const opened = await openReviewStore(config);
life.onClose('store', () => opened.close());
const ocr = createOcrPool({ size: config.INTAKE_OCR_WORKERS || undefined });
life.onClose('ocr', () => ocr.close());
const extractProducer = new JobProducer(extractDocumentJob, redis, config.INTAKE_QUEUE_PREFIX);
life.onClose('extract-queue', () => extractProducer.close());
const worker = startOcrWorker({
  store: opened.store,
  extractProducer,
  ocr,
  connection: redis,
  prefix: config.INTAKE_QUEUE_PREFIX,
  logger,
  concurrency: config.INTAKE_OCR_CONCURRENCY,
  limits: { maxPages: config.INTAKE_MAX_PAGES, maxPixelsPerPage: config.INTAKE_MAX_PIXELS_PER_PAGE, pageTimeoutMs: config.INTAKE_OCR_PAGE_TIMEOUT_MS },
});
life.onClose('worker', () => worker.close());
logger.info('ocr worker running');
