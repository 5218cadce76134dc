import { createLogger, dataPath, loadCoreConfig, type CoreConfig, type Logger } from '@intake/config';
import type { JobDefinition } from '@intake/core';
import { openReviewStore, type ReviewStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
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
  /** A producer on this deployment's queue prefix, closed with the runtime. */
  producer<S extends z.ZodType<{ docId: string }>>(definition: JobDefinition<S>): JobProducer<S>;
}

/**
 * Open the shared parts in order; each registers its close, so `lifecycle.close()` (or
 * SIGTERM after `lifecycle.handleSignals()`) undoes them in reverse: the caller's
 * workers first, then producers, the store, Redis.
 */
export async function openServiceRuntime(options: { name: string; config?: CoreConfig; logger?: Logger }): Promise<ServiceRuntime> {
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
    return {
      config,
      logger,
      lifecycle,
      redisHandle,
      redis,
      store: opened.store,
      s3Endpoint: opened.embedded?.endpoint ?? config.S3_ENDPOINT,
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
