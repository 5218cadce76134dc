import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createLogger } from '@intake/config';
import { BadInputError, readDocumentJob, sha256Hex } from '@intake/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay, classifyFailure, createJobWorker, isOutage, JobProducer, SOLO_AFTER_STALLS, SOLO_CRASH_LIMIT, type JobWorker, type PermanentFailure } from './queues.ts';
import { createRedis, ensureRedis, type RedisHandle } from './redis.ts';

const logger = createLogger({ level: 'silent' });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await wait(50);
  }
  return Date.now() - started;
}

describe('job workers: short locks, graceful hand-back, failures classified once, a circuit', () => {
  let handle: RedisHandle;
  let redis: Redis;
  const workers: JobWorker[] = [];
  const producers: JobProducer<typeof readDocumentJob.schema>[] = [];
  const fresh = () => {
    const producer = new JobProducer(readDocumentJob, redis, `wk${randomBytes(4).toString('hex')}`);
    producers.push(producer);
    return producer;
  };
  const start = (producer: JobProducer<typeof readDocumentJob.schema>, o: Partial<Parameters<typeof createJobWorker>[0]> & Pick<Parameters<typeof createJobWorker>[0], 'process'>) => {
    const w = createJobWorker({
      definition: readDocumentJob,
      connection: redis,
      concurrency: 1,
      logger,
      prefix: producer.queue.opts.prefix,
      onPermanentFailure: async () => {},
      ...o,
    });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    handle = await ensureRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', autostart: true, dataDir: `/tmp/intake-wk-redis-${process.pid}` });
    redis = createRedis(handle.url);
  });
  afterAll(async () => {
    for (const w of workers) await w.close(true).catch(() => {});
    for (const p of producers) {
      await p.queue.obliterate({ force: true }).catch(() => {});
      await p.close();
    }
    redis?.disconnect();
    await handle?.stop();
  });

  it('a worker starting takes over the waiting jobs an earlier version left on the former queue name', async () => {
    const prefix = `wk${randomBytes(4).toString('hex')}`;
    const { Queue } = await import('bullmq');
    const former = new Queue(readDocumentJob.formerQueues[0]!, { connection: redis, prefix });
    const docs = [sha256Hex('former-1'), sha256Hex('former-2')];
    for (const docId of docs) await former.add(readDocumentJob.name, { docId }, { jobId: `document.read-v1-${docId}` });
    await former.add(readDocumentJob.name, { docId: 'not a document id' }, { jobId: 'unreadable' });
    const producer = new JobProducer(readDocumentJob, redis, prefix);
    producers.push(producer);
    const seen: string[] = [];
    start(producer, { process: async (p) => void seen.push(p.docId) });
    await until(() => seen.length === 2, 10_000, 'the moved jobs to run');
    expect(seen.sort()).toEqual([...docs].sort());
    // The one this version cannot read is left where it was, not dropped.
    expect((await former.getJobs(['wait'])).map((j) => j.id)).toEqual(['unreadable']);
    await former.obliterate({ force: true });
    await former.close();
  });

  it('on close hands a running job back to waiting, and the next worker takes it at once (not after the lock expires)', async () => {
    const producer = fresh();
    const docId = sha256Hex(`slow ${Math.random()}`);
    let startedA = false;
    const a = start(producer, {
      shutdownGraceMs: 300,
      process: async () => {
        startedA = true;
        await new Promise(() => {}); // a long read that does not finish before SIGTERM
      },
    });
    await producer.add({ docId });
    await until(() => startedA, 10_000, 'worker A to start the job');
    const closeStarted = Date.now();
    await a.close();
    expect(Date.now() - closeStarted).toBeLessThan(5000);
    const id = (await producer.queue.getJobs(['wait', 'active', 'prioritized']))[0]?.id;
    expect(await producer.queue.getJobState(id!)).toBe('waiting');

    let doneB = false;
    start(producer, { process: async () => void (doneB = true) });
    const took = await until(() => doneB, 10_000, 'worker B to run the handed-back job');
    expect(took).toBeLessThan(5000); // the lock is 30 s: this is the hand-back, not expiry
  });

  it('takes a dead worker’s job back once its short lock expires', async () => {
    const producer = fresh();
    const deadConnection = createRedis(handle.url);
    let startedA = false;
    createJobWorker({
      definition: readDocumentJob,
      connection: deadConnection,
      concurrency: 1,
      logger,
      prefix: producer.queue.opts.prefix,
      lockDuration: 2000,
      onPermanentFailure: async () => {},
      process: async () => {
        startedA = true;
        deadConnection.disconnect(); // the worker dies with the job: its lock is no longer renewed
        await new Promise(() => {});
      },
    });
    await producer.add({ docId: sha256Hex(`crash ${Math.random()}`) });
    await until(() => startedA, 10_000, 'worker A to start');
    let doneB = false;
    start(producer, { lockDuration: 2000, process: async () => void (doneB = true) });
    await until(() => doneB, 20_000, 'worker B to pick the stalled job');
  });

  /** A worker process of its own (testing/crash-worker.ts); `runs` gets the stalled count of each job it starts. */
  const crashWorker = (producer: JobProducer<typeof readDocumentJob.schema>, mode: 'hang' | 'suicide' | 'ok' | 'sigterm', env: NodeJS.ProcessEnv = {}) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing/crash-worker.ts')], {
      env: { ...process.env, ...env, CRASH_MODE: mode, CRASH_PREFIX: producer.queue.opts.prefix, CRASH_REDIS_URL: handle.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const runs: number[] = [];
    const docs: string[] = [];
    let exitCode: number | null = null;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const m of chunk.matchAll(/running (\d+) ([0-9a-f]+)/g)) {
        runs.push(Number(m[1]));
        docs.push(m[2]!);
      }
    });
    return { child, runs, docs, exited, exitCode: () => exitCode };
  };
  const permanent = async (producer: JobProducer<typeof readDocumentJob.schema>) =>
    (await redis.lrange(`${producer.queue.opts.prefix}:test-permanent`, 0, -1)).map((j) => JSON.parse(j) as PermanentFailure);

  it('a SIGKILLed process’s job runs again long before its lock would expire, and a job stalled by kills is never quarantined', async () => {
    const producer = fresh();
    const id = await producer.add({ docId: sha256Hex(`killed ${Math.random()}`) });
    // Killed three times while it runs (the old rule failed a job at its third stall), then it finishes.
    for (let kill = 0; kill <= SOLO_AFTER_STALLS; kill++) {
      const w = crashWorker(producer, 'hang');
      // The lock is 10 minutes: the job is back only because its dead owner's lock was released.
      await until(() => w.runs.length > 0, 90_000, `run ${kill + 1} of the job`);
      expect(w.runs[0]).toBe(kill);
      w.child.kill('SIGKILL');
      await w.exited;
    }
    const last = crashWorker(producer, 'ok');
    await until(async () => (await producer.queue.getJobState(id)) === 'completed', 90_000, 'the job to finish');
    expect(last.runs).toEqual([SOLO_AFTER_STALLS + 1]);
    expect(await permanent(producer)).toEqual([]);
    last.child.kill('SIGKILL');
    await last.exited;
  }, 300_000);

  it('on SIGTERM a worker process stops taking jobs, lets short work finish, hands the rest back and exits 0; a restart runs it at once', async () => {
    const producer = fresh();
    const short = sha256Hex(`short ${Math.random()}`);
    const long = sha256Hex(`long ${Math.random()}`);
    const shortId = await producer.add({ docId: short });
    const longId = await producer.add({ docId: long });
    const w = crashWorker(producer, 'sigterm', { CRASH_SHORT_DOC: short });
    await until(() => w.docs.length === 2, 90_000, 'the process to take both jobs');
    w.child.kill('SIGTERM');
    const later = await producer.add({ docId: sha256Hex(`after ${Math.random()}`) });
    await w.exited;
    expect(w.exitCode()).toBe(0);
    expect(await producer.queue.getJobState(shortId)).toBe('completed'); // finished within the grace
    expect(await producer.queue.getJobState(longId)).toBe('waiting'); // handed back, not left locked
    expect(w.docs).toHaveLength(2); // nothing taken after the signal
    expect(await producer.queue.getJobState(later)).toBe('waiting');
    // The lock would hold the job for 10 minutes: a restart that runs it did so because it was handed back.
    const restarted = crashWorker(producer, 'ok');
    await until(async () => (await producer.queue.getJobState(longId)) === 'completed', 60_000, 'the restart to run the handed-back job');
    expect(restarted.runs[0]).toBe(0); // not counted as a stall
    restarted.child.kill('SIGKILL');
    await restarted.exited;
  }, 300_000);

  it('a restarted worker runs the jobs its dead predecessor held before the new ones waiting', async () => {
    const producer = fresh();
    const held = [sha256Hex(`held 1 ${Math.random()}`), sha256Hex(`held 2 ${Math.random()}`)];
    for (const docId of held) await producer.add({ docId });
    const dead = crashWorker(producer, 'hang');
    await until(() => dead.runs.length === 2, 90_000, 'the process to take both jobs');
    const newer = [sha256Hex(`new 1 ${Math.random()}`), sha256Hex(`new 2 ${Math.random()}`), sha256Hex(`new 3 ${Math.random()}`)];
    for (const docId of newer) await producer.add({ docId });
    dead.child.kill('SIGKILL');
    await dead.exited;
    const order: string[] = [];
    start(producer, { process: async (payload) => void order.push(payload.docId) });
    await until(() => order.length === 5, 60_000, 'the restarted worker to run every job');
    expect(order.slice(0, 2).sort()).toEqual([...held].sort());
    expect(order.slice(2).sort()).toEqual([...newer].sort());
  }, 300_000);

  it('a document that kills its process every time is quarantined crashes-reader once it has done so running alone', async () => {
    const producer = fresh();
    const docId = sha256Hex(`poison ${Math.random()}`);
    const id = await producer.add({ docId });
    let deaths = 0;
    while ((await producer.queue.getJobState(id)) !== 'failed') {
      expect(deaths).toBeLessThanOrEqual(SOLO_AFTER_STALLS + SOLO_CRASH_LIMIT);
      const w = crashWorker(producer, 'suicide');
      let died = false;
      void w.exited.then(() => (died = true));
      await until(async () => died || (await producer.queue.getJobState(id)) === 'failed', 90_000, 'a death or the failure');
      if (died) deaths += 1;
      else {
        w.child.kill('SIGKILL');
        await w.exited;
      }
    }
    // Two stalls beside other work, then two deaths while it ran alone: the next run quarantines it instead of running it.
    expect(deaths).toBe(SOLO_AFTER_STALLS + SOLO_CRASH_LIMIT);
    expect(await permanent(producer)).toEqual([expect.objectContaining({ docId, code: 'crashes-reader' })]);
  }, 300_000);

  it('records a bad-input failure before the job fails, retrying the record while the store is down; no retries of the job', async () => {
    const producer = fresh();
    const docId = sha256Hex(`bad ${Math.random()}`);
    const recorded: PermanentFailure[] = [];
    let storeDown = 2;
    let runs = 0;
    start(producer, {
      process: async () => {
        runs += 1;
        throw new BadInputError('corrupt', 'damaged file: ask the sender to send it again');
      },
      onPermanentFailure: async (f) => {
        if (storeDown-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
        recorded.push(f);
      },
    });
    const id = await producer.add({ docId });
    await until(async () => (await producer.queue.getJobState(id)) === 'failed', 20_000, 'the job to fail');
    expect(recorded).toEqual([{ docId, code: 'corrupt', reason: 'damaged file: ask the sender to send it again', attempts: 1 }]);
    expect(runs).toBe(1);
  });

  it('a schema-invalid result is permanent at once with its own code', async () => {
    const producer = fresh();
    const recorded: PermanentFailure[] = [];
    start(producer, {
      process: async () => {
        z.object({ items: z.array(z.string()) }).parse({ items: [1] });
      },
      onPermanentFailure: async (f) => void recorded.push(f),
    });
    const id = await producer.add({ docId: sha256Hex(`schema ${Math.random()}`) });
    await until(async () => (await producer.queue.getJobState(id)) === 'failed', 20_000, 'the job to fail');
    expect(recorded.map((r) => r.code)).toEqual(['invalid-result']);
  });

  it('pauses while the store is down (circuit) and resumes, retrying the job, when it answers', async () => {
    const producer = fresh();
    let down = true;
    let attempts = 0;
    let done = false;
    const w = start(producer, {
      probe: async () => {
        if (down) throw new Error('still down');
      },
      process: async () => {
        attempts += 1;
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' });
        done = true;
      },
    });
    await producer.add({ docId: sha256Hex(`outage ${Math.random()}`) });
    await until(() => w.circuitOpen, 10_000, 'the circuit to open');
    await wait(3000);
    expect(attempts).toBe(1); // paused: the retry waits for the store
    down = false;
    await until(() => done, 30_000, 'the job to run again after the store came back');
    expect(w.circuitOpen).toBe(false);
  });

  it('classifies outages and keeps a backoff that rides out minutes', () => {
    expect(isOutage(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isOutage(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isOutage(new Error('Connection is closed.'))).toBe(true);
    expect(isOutage(new Error('original is not in the store yet'))).toBe(false);
    expect(classifyFailure(new BadInputError('timeout', 'slow'))).toMatchObject({ permanent: true, code: 'timeout' });
    let total = 0;
    for (let n = 1; n < readDocumentJob.attempts; n++) total += backoffDelay(n);
    expect(total).toBeGreaterThan(5 * 60_000);
  });
});
