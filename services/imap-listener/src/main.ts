import { writeSync } from 'node:fs';
import { createLogger, dataPath, imapEnabled, loadCoreConfig, loadImapConfig } from '@intake/config';
import { readDocumentJob } from '@intake/core';
import { createRedis, ensureRedis, JobProducer, Lifecycle } from '@intake/queue';
import { openReviewStore } from '@intake/storage';
import { startImapListener, type TakeStep } from './index.ts';

// The e-mail channel on its own: config, logger, Redis, store, producer, listener.
// SIGTERM closes the listener, then the queue, then Redis (Lifecycle closes in reverse).
const coreConfig = loadCoreConfig();
const config = loadImapConfig();
const logger = createLogger({ level: coreConfig.LOG_LEVEL, name: 'imap-listener' });
const lifecycle = new Lifecycle(logger);

if (!imapEnabled(config)) {
  // Run on its own, the listener has nothing to do without a mailbox: say so and stop.
  logger.fatal('IMAP_HOST is not set: the imap listener has no mailbox to read');
  process.exit(1);
}

// Test hook for the crash test: die (SIGKILL, no cleanup) right after a durable step.
const crashAfter = process.env.INTAKE_TEST_CRASH_AFTER as TakeStep | undefined;
const onStep =
  crashAfter && coreConfig.NODE_ENV === 'test'
    ? (step: TakeStep) => {
        if (step === crashAfter) {
          // Written synchronously: the logger may buffer, and SIGKILL leaves no time to flush.
          writeSync(2, `test hook: SIGKILL after ${step}\n`);
          process.kill(process.pid, 'SIGKILL');
        }
      }
    : undefined;

try {
  const redisHandle = await ensureRedis({
    url: coreConfig.REDIS_URL,
    autostart: coreConfig.INTAKE_REDIS_AUTOSTART,
    dataDir: dataPath(coreConfig, 'redis'),
    logger,
  });
  lifecycle.onClose('redis-server', () => redisHandle.stop());
  const redis = createRedis(redisHandle.url);
  lifecycle.onClose('redis', async () => {
    await redis.quit();
  });
  const opened = await openReviewStore(coreConfig);
  lifecycle.onClose('store', () => opened.close());
  const readProducer = new JobProducer(readDocumentJob, redis, coreConfig.INTAKE_QUEUE_PREFIX);
  lifecycle.onClose('queue', () => readProducer.close());
  const listener = await startImapListener({ config, coreConfig, store: opened.store, readProducer, logger, onStep });
  lifecycle.onClose('imap-listener', () => listener.close());
  lifecycle.handleSignals();
  logger.info('imap listener running');
} catch (error) {
  logger.fatal({ err: { name: (error as Error).name, message: (error as Error).message } }, 'imap listener failed to start');
  await lifecycle.close();
  process.exit(1);
}
