import { createLogger, dataPath, loadCoreConfig } from '@intake/config';
import { createRedis, ensureRedis, Lifecycle } from '@intake/queue';
import { openReviewStore } from '@intake/storage';
import { startClassifierWorker } from './worker.ts';

// Standalone classifier worker process.
const config = loadCoreConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'classifier-worker' });
const life = new Lifecycle(logger);
life.handleSignals();

const redisHandle = await ensureRedis({ url: config.REDIS_URL, autostart: config.INTAKE_REDIS_AUTOSTART, dataDir: dataPath(config, 'redis'), logger });
life.onClose('redis-server', () => redisHandle.stop());
const redis = createRedis(redisHandle.url);
life.onClose('redis', async () => void redis.disconnect());
const opened = await openReviewStore(config);
life.onClose('store', () => opened.close());
const worker = startClassifierWorker({ store: opened.store, connection: redis, logger, prefix: config.INTAKE_QUEUE_PREFIX, concurrency: config.INTAKE_EXTRACT_CONCURRENCY });
life.onClose('worker', () => worker.close());
logger.info('classifier worker running');
