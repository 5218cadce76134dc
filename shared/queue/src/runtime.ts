import { createLogger, dataPath, loadCoreConfig, parseEnv, type CoreConfig, type Logger } from '@intake/config';
import { JOBS, type JobDefinition } from '@intake/core';
import { Queue } from 'bullmq';
import { startOpsServer, watchQueues, type OpsServer } from './ops.ts';
import { documentEventPublisher, openReviewStore, type ReviewStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { Lifecycle } from './lifecycle.ts';
import { JobProducer } from './queues.ts';
import { createRedis, ensureRedis, type RedisHandle } from './redis.ts';

/** What every service process wires before its own part: config, logger, Redis, the store, ordered shutdown. */
export interface ServiceRuntime {
  config: CoreConfig;
  logger: Logger;
  lifecycle: Lifecycle;
  redisHandle: RedisHandle;
  redis: Redis;
  store: ReviewStore;
  /** Set when the store is the embedded S3 server this process started. */
  s3Endpoint?: string;
  /** The /healthz, /readyz and /metrics endpoints, when INTAKE_OPS_PORT is set. */
  opsUrl?: string;
  /** A producer on this deployment's queue prefix, closed with the runtime. */
  producer<S extends z.ZodType<{ docId: string }>>(definition: JobDefinition<S>): JobProducer<S>;
}

/**
 * Open the shared parts in order; each registers its close, so `lifecycle.close()` (or
 * SIGTERM after `lifecycle.handleSignals()`) undoes them in reverse: the caller's
 * workers first, then producers, the store, Redis.
 */
/** INTAKE_OPS_PORT: the port of a service's operations endpoints (0: a free one); unset: none. */
export const OpsEnv = z.object({ INTAKE_OPS_PORT: z.coerce.number().int().min(0).max(65535).optional() });

export async function openServiceRuntime(options: {
  name: string;
  config?: CoreConfig;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Address of the ops endpoints (default loopback; 0.0.0.0 in a container). */
  opsHost?: string;
}): Promise<ServiceRuntime> {
  const config = options.config ?? loadCoreConfig();
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: options.name });
  const lifecycle = new Lifecycle(logger);
  try {
    const redisHandle = await ensureRedis({
      url: config.REDIS_URL,
      autostart: config.INTAKE_REDIS_AUTOSTART,
      dataDir: dataPath(config, 'redis'),
      logger,
    });
    lifecycle.onClose('redis-server', () => redisHandle.stop());
    const redis = createRedis(redisHandle.url);
    lifecycle.onClose('redis', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    const opened = await openReviewStore(config);
    lifecycle.onClose('store', () => opened.close());
    // Live progress: this process's transitions on the deployment's events channel (the review service streams them).
    opened.store.documents.observe(
      'document-events',
      documentEventPublisher(redis, config.INTAKE_QUEUE_PREFIX, (error) =>
        logger.warn({ err: { message: (error as Error).message } }, 'document event not published'),
      ),
    );
    // Operations endpoints when INTAKE_OPS_PORT is set: /healthz, /readyz (Redis, S3, the index, event loop), /metrics.
    const { INTAKE_OPS_PORT: opsPort } = parseEnv(OpsEnv, options.env ?? process.env);
    let ops: OpsServer | undefined;
    if (opsPort !== undefined) {
      const store = opened.store;
      watchQueues([...new Set(JOBS.map((j) => j.queue))].map((name) => new Queue(name, { connection: redis, prefix: config.INTAKE_QUEUE_PREFIX })));
      ops = await startOpsServer({
        port: opsPort,
        host: options.opsHost,
        logger,
        checks: {
          redis: () => redis.ping(),
          store: () => store.originals.exists('0'.repeat(64)),
          index: () => store.index.getDocument('0'.repeat(64)),
        },
      });
      // Closed first (registered last): a stopping process stops answering ready.
      lifecycle.onClose('ops', () => ops!.close());
    }
    return {
      config,
      logger,
      lifecycle,
      redisHandle,
      redis,
      store: opened.store,
      s3Endpoint: opened.embedded?.endpoint ?? config.S3_ENDPOINT,
      opsUrl: ops?.url,
      producer(definition) {
        const producer = new JobProducer(definition, redis, config.INTAKE_QUEUE_PREFIX);
        lifecycle.onClose(`${definition.queue}-producer`, () => producer.close());
        return producer;
      },
    };
  } catch (error) {
    await lifecycle.close();
    throw error;
  }
}
