import { openServiceRuntime } from '@intake/queue';
import { startClassifierWorker } from './worker.ts';

// Standalone classifier worker process.
const rt = await openServiceRuntime({ name: 'classifier-worker' });
const worker = startClassifierWorker({
  store: rt.store,
  connection: rt.redis,
  logger: rt.logger,
  prefix: rt.config.INTAKE_QUEUE_PREFIX,
  concurrency: rt.config.INTAKE_EXTRACT_CONCURRENCY,
});
rt.lifecycle.onClose('worker', () => worker.close());
rt.lifecycle.handleSignals();
rt.logger.info('classifier worker running');
