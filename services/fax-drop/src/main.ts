import path from 'node:path';
import { createLogger, dataPath, loadCoreConfig } from '@intake/config';
import { readDocumentJob } from '@intake/core';
import { createRedis, ensureRedis, JobProducer, Lifecycle } from '@intake/queue';
import { openReviewStore } from '@intake/storage';
import { DEFAULT_FAX_EXTENSIONS, FaxDrop } from './fax-drop.ts';

// Standalone fax-drop watcher process.
const config = loadCoreConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'fax-drop' });
const life = new Lifecycle(logger);
life.handleSignals();

const redisHandle = await ensureRedis({ url: config.REDIS_URL, autostart: config.INTAKE_REDIS_AUTOSTART, dataDir: dataPath(config, 'redis'), logger });
life.onClose('redis-server', () => redisHandle.stop());
const redis = createRedis(redisHandle.url);
life.onClose('redis', async () => void redis.disconnect());
const opened = await openReviewStore(config);
life.onClose('store', () => opened.close());
const readProducer = new JobProducer(readDocumentJob, redis, config.INTAKE_QUEUE_PREFIX);
life.onClose('intake-queue', () => readProducer.close());
const drop = new FaxDrop(
  {
    dir: path.resolve(config.FAX_DROP_DIR),
    archiveDir: config.FAX_ARCHIVE_DIR ? path.resolve(config.FAX_ARCHIVE_DIR) : undefined,
    pollMs: config.FAX_POLL_MS,
    extensions: DEFAULT_FAX_EXTENSIONS,
    maxFileBytes: config.INTAKE_MAX_FILE_BYTES,
  },
  { store: opened.store, readProducer, logger },
);
await drop.start();
life.onClose('fax-drop', () => drop.stop());
logger.info('fax drop watching');
