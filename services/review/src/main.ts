import { createLogger, dataPath, loadReviewConfig } from '@intake/config';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { createRedis, ensureRedis, JobProducer, retryQuarantined } from '@intake/queue';
import { openReviewStore } from '@intake/storage';
import { startReviewServer } from './server.ts';

/**
 * The review service on its own: config, logger, Redis, store. SIGTERM closes the
 * server first (no new requests), then the queue producer, Redis and the store.
 */
const config = loadReviewConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'review' });
const redisHandle = await ensureRedis({
  url: config.REDIS_URL,
  autostart: config.INTAKE_REDIS_AUTOSTART,
  dataDir: dataPath(config, 'redis'),
  logger,
});
const redis = createRedis(redisHandle.url);
const opened = await openReviewStore(config);
const readProducer = new JobProducer(readDocumentJob, redis);
const extractProducer = new JobProducer(extractDocumentJob, redis);

const server = await startReviewServer({
  config,
  store: opened.store,
  redis,
  logger,
  retryDocument: (docId) => retryQuarantined({ store: opened.store, readProducer, extractProducer }, docId),
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  try {
    await server.close();
    await readProducer.close();
    await extractProducer.close();
    await redis.quit();
    await opened.close();
    await redisHandle.stop();
  } catch (error) {
    logger.error({ err: { message: (error as Error).message } }, 'shutdown failed');
    process.exitCode = 1;
  }
  process.exit();
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
logger.info({ url: server.url }, 'review service ready');
