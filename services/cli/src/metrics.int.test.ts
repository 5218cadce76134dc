import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { createRedis, ensureRedis, type RedisHandle } from '@intake/queue';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetrics, toEmfLines } from './metrics.ts';

/** `intake metrics` against a real Redis with BullMQ queues under a private prefix. */
describe('queue metrics', () => {
  let dir: string;
  let handle: RedisHandle;
  let redis: Redis;
  const prefix = `metrics-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-metrics-'));
    handle = await ensureRedis({
      url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      autostart: true,
      dataDir: path.join(dir, 'redis'),
    });
    redis = createRedis(handle.url);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await handle.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts waiting jobs, the oldest one’s age and quarantine records, and writes them as EMF', async () => {
    const queue = new Queue('read', { connection: redis, prefix });
    const tenMinutesAgo = Date.now() - 10 * 60_000;
    await queue.add('document.read', { docId: 'a'.repeat(64) }, { jobId: 'one', timestamp: tenMinutesAgo });
    await queue.add('document.read', { docId: 'b'.repeat(64) }, { jobId: 'two' });
    await queue.add('document.read', { docId: 'c'.repeat(64) }, { jobId: 'later', delay: 60_000 });
    await queue.close();
    const countKeys = async (p: string) => (p === 'quarantine/' ? 2 : 0);

    const now = new Date();
    const sample = await sampleMetrics({ connection: redis, prefix, queues: ['read', 'extract'], countKeys, now: () => now });
    expect(sample.quarantineRecords).toBe(2);
    const read = sample.queues.find((q) => q.queue === 'read')!;
    expect(read).toMatchObject({ waiting: 2, delayed: 1, active: 0, failed: 0 });
    expect(read.oldestWaitingSeconds).toBeGreaterThanOrEqual(599);
    expect(read.oldestWaitingSeconds).toBeLessThan(700);
    expect(sample.queues.find((q) => q.queue === 'extract')).toMatchObject({ waiting: 0, oldestWaitingSeconds: 0 });

    const lines = toEmfLines(sample, 'Intake').map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
        },
    );
    expect(lines).toHaveLength(3);
    const readLine = lines.find((l) => l.Queue === 'read')!;
    expect(readLine).toMatchObject({ QueueWaiting: 2, QueueDelayed: 1, QueueFailed: 0 });
    const directive = readLine._aws.CloudWatchMetrics[0]!;
    expect(directive).toMatchObject({ Namespace: 'Intake', Dimensions: [['Queue']] });
    // Every metric the directive names is a top-level member of the line (EMF's rule).
    for (const m of directive.Metrics) expect(typeof readLine[m.Name]).toBe('number');
    expect(lines.at(-1)).toMatchObject({ QuarantineRecords: 2 });
  });
});
