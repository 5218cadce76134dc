import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@intake/config';

export interface RedisHandle {
  url: string;
  /** Set when this process started redis-server itself. */
  child?: ChildProcess;
  stop(): Promise<void>;
}

/** Options BullMQ needs on every connection it is given. */
export const bullConnectionOptions: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { ...bullConnectionOptions, ...options });
}

async function answers(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Redis at `url` when something answers there; otherwise, when allowed and
 * `redis-server` is on the PATH, a child redis-server on a free loopback port with its
 * data in `dataDir`. BullMQ needs `maxmemory-policy noeviction`, set on the child.
 */
export async function ensureRedis(options: {
  url: string;
  autostart: boolean;
  dataDir: string;
  logger?: Logger;
  /** Start a private server even if `url` answers (tests that kill or restart it). */
  forceChild?: boolean;
}): Promise<RedisHandle> {
  if (!options.forceChild && (await answers(options.url))) {
    return { url: options.url, stop: async () => {} };
  }
  if (!options.autostart && !options.forceChild) {
    throw new Error(`Redis does not answer at the configured REDIS_URL and INTAKE_REDIS_AUTOSTART is off`);
  }
  await mkdir(options.dataDir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dataDir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) {
    throw new Error('Redis does not answer at REDIS_URL and redis-server is not on the PATH: install Redis or set REDIS_URL');
  }
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await answers(url, 500))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('started redis-server but it did not answer within 10 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  options.logger?.info({ port }, 'started a local redis-server');
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
