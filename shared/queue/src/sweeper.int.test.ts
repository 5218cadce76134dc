import { randomBytes } from 'node:crypto';
import { createLogger } from '@intake/config';
import { extractDocumentJob, readDocumentJob, sha256Hex } from '@intake/core';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobProducer } from './queues.ts';
import { createRedis, ensureRedis, type RedisHandle } from './redis.ts';
import { formatReconcileReport, reconcile, startSweeper, type SweepStore } from './sweeper.ts';

const id = (name: string) => sha256Hex(`${name} ${Math.random()}`);

describe('reconcile and the sweeper: every document has an outcome', () => {
  let handle: RedisHandle;
  let redis: Redis;
  let read: JobProducer<typeof readDocumentJob.schema>;
  let extract: JobProducer<typeof extractDocumentJob.schema>;
  const prefix = `sw${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    handle = await ensureRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', autostart: true, dataDir: `/tmp/intake-sw-redis-${process.pid}` });
    redis = createRedis(handle.url);
    read = new JobProducer(readDocumentJob, redis, prefix);
    extract = new JobProducer(extractDocumentJob, redis, prefix);
  });
  afterAll(async () => {
    for (const p of [read, extract]) {
      await p?.queue.obliterate({ force: true }).catch(() => {});
      await p?.close();
    }
    redis?.disconnect();
    await handle?.stop();
  });

  it('counts outcomes, re-queues documents nothing will move, quarantines failures never recorded, and reports them', async () => {
    const old = new Date(Date.now() - 3600_000).toISOString();
    const docs = {
      extracted: id('a'),
      quarantined: id('b'),
      queued: id('c'),
      lost: id('d'),
      failedUnrecorded: id('e'),
      young: id('f'),
      torn: id('g'),
    };
    const statuses = new Map<string, { stage: string; updatedAt: string }>([
      [docs.extracted, { stage: 'extracted', updatedAt: old }],
      [docs.quarantined, { stage: 'quarantined', updatedAt: old }],
      [docs.queued, { stage: 'received', updatedAt: old }],
      [docs.lost, { stage: 'received', updatedAt: old }],
      [docs.failedUnrecorded, { stage: 'read', updatedAt: old }],
      [docs.young, { stage: 'received', updatedAt: new Date().toISOString() }],
    ]);
    const quarantined: { docId: string; stage: string; code: string }[] = [];
    const store: SweepStore = {
      listDocumentIds: async () => [...Object.values(docs)],
      getStatus: async (docId) => {
        if (docId === docs.torn) throw new SyntaxError('Unexpected end of JSON input');
        return statuses.get(docId);
      },
      quarantine: async (docId, stage, code) => void quarantined.push({ docId, stage, code }),
    };
    await read.add({ docId: docs.queued });
    await extract.add({ docId: docs.failedUnrecorded });
    const failer = new Worker(
      extract.queue.name,
      async () => {
        throw new UnrecoverableError('corrupt: damaged file');
      },
      { connection: redis, prefix },
    );
    while ((await extract.queue.getJobState(`document.extract-v1-${docs.failedUnrecorded}`)) !== 'failed') await new Promise((r) => setTimeout(r, 50));
    await failer.close();

    const dry = await reconcile({ store, readProducer: read, extractProducer: extract }, { fix: false });
    expect(dry.byOutcome).toEqual({ extracted: 1, quarantined: 1, queued: 1, running: 0, none: 3, unreadable: 1 });
    expect(dry.orphans.map((o) => [o.docId, o.job, o.action]).sort()).toEqual(
      [
        [docs.lost, 'missing', 'none'],
        [docs.failedUnrecorded, 'failed', 'none'],
        [docs.young, 'missing', 'none'],
      ].sort(),
    );
    const text = formatReconcileReport(dry);
    expect(text).toMatch(/extracted 1, quarantined 1, queued 1, running 0, without an outcome 3, unreadable status 1/);
    expect(text).toContain(`no outcome: ${docs.lost} stage received, job missing`);
    expect(quarantined).toEqual([]);

    const sweeper = startSweeper({ store, readProducer: read, extractProducer: extract, redis, prefix, logger: createLogger({ level: 'silent' }), intervalMs: 60_000 });
    const fixed = await sweeper.sweep();
    await sweeper.stop();
    expect(fixed?.orphans.find((o) => o.docId === docs.lost)?.action).toBe('requeued');
    expect(await read.queue.getJobState(`document.read-v1-${docs.lost}`)).toBe('waiting');
    expect(quarantined).toEqual([{ docId: docs.failedUnrecorded, stage: 'extract', code: 'corrupt' }]);
    expect(fixed?.orphans.find((o) => o.docId === docs.young)?.action).toBe('none'); // too recent to judge
    // One sweeper at a time: the lease is held for the interval.
    const second = startSweeper({ store, readProducer: read, extractProducer: extract, redis, prefix, logger: createLogger({ level: 'silent' }), intervalMs: 60_000 });
    expect(await second.sweep()).toBeUndefined();
    await second.stop();
  });
});
