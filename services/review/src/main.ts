import { loadReviewConfig } from '@intake/config';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { openServiceRuntime, retryQuarantined } from '@intake/queue';
import { startReviewServer } from './server.ts';

/** The review service on its own: config, logger, Redis, store; SIGTERM closes in reverse order. */
const config = loadReviewConfig();
const rt = await openServiceRuntime({ name: 'review', config });
const { logger } = rt;
const readProducer = rt.producer(readDocumentJob);
const extractProducer = rt.producer(extractDocumentJob);

const server = await startReviewServer({
  config,
  store: rt.store,
  redis: rt.redis,
  logger,
  retryDocument: (docId, actor) => retryQuarantined({ store: rt.store, readProducer, extractProducer }, docId, actor),
});
// Closed first (no new requests), then the producers, the store and Redis.
rt.lifecycle.onClose('server', () => server.close());
rt.lifecycle.handleSignals();
logger.info({ url: server.url }, 'review service ready');
