import { writeSync } from 'node:fs';
import { createLogger, imapEnabled, loadCoreConfig, loadImapConfig } from '@intake/config';
import { readDocumentJob } from '@intake/core';
import { Lifecycle, openServiceRuntime } from '@intake/queue';
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
  const rt = await openServiceRuntime({ name: 'imap-listener', config: coreConfig, logger });
  lifecycle.onClose('runtime', () => rt.lifecycle.close());
  const readProducer = rt.producer(readDocumentJob);
  const listener = await startImapListener({ config, coreConfig, store: rt.store, readProducer, logger, onStep, redis: rt.redis, lockPrefix: coreConfig.INTAKE_QUEUE_PREFIX });
  lifecycle.onClose('imap-listener', () => listener.close());
  lifecycle.handleSignals();
  logger.info('imap listener running');
} catch (error) {
  logger.fatal({ err: { name: (error as Error).name, message: (error as Error).message } }, 'imap listener failed to start');
  await lifecycle.close();
  process.exit(1);
}
