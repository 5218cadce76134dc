import { openServiceRuntime } from '@intake/queue';
import { startExtractWorker } from './worker.ts';

// Standalone extract worker process.
const rt = await openServiceRuntime({ name: 'extract-worker' });
const worker = startExtractWorker({
  store: rt.store,
  connection: rt.redis,
  logger: rt.logger,
  prefix: rt.config.INTAKE_QUEUE_PREFIX,
  concurrency: rt.config.INTAKE_EXTRACT_CONCURRENCY,
});
rt.lifecycle.onClose('worker', () => worker.close());
rt.lifecycle.handleSignals();
rt.logger.info('extract worker running');
