import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { BadInputError } from './errors.ts';
import type { FixtureTask } from './thread-pool.fixture.ts';
import { deserializeError, serializeError, ThreadPool, type ThreadPoolOptions } from './thread-pool.ts';

const entry = new URL('./thread-pool.fixture.mjs', import.meta.url);
type Out = { value?: unknown; threadId: number; parentError?: boolean; name?: string; code?: string };

const pools: ThreadPool<FixtureTask, Out>[] = [];
function pool(options: Partial<ThreadPoolOptions> = {}): ThreadPool<FixtureTask, Out> {
  const p = new ThreadPool<FixtureTask, Out>({
    name: 'test',
    entry,
    threads: 1,
    timeLimitMs: 30_000,
    maxHeapMb: 64,
    serve: {
      double: async (n: number) => {
        if (n < 0) throw new BadInputError('corrupt', 'negative');
        return n * 2;
      },
    },
    ...options,
  });
  pools.push(p);
  return p;
}
afterAll(() => Promise.all(pools.map((p) => p.close())));

/** A started pool: its threads (and the spare) have said they are ready. */
async function ready(p: ThreadPool<FixtureTask, Out>): Promise<void> {
  p.warm();
  await p.run({ kind: 'echo', value: 'warm-up' });
}

const settle = async (work: Promise<unknown>) => {
  const t0 = performance.now();
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error: error as (BadInputError & { name: string }) | undefined, ms: performance.now() - t0 };
};

describe('ThreadPool (worker threads with a time and a heap limit)', () => {
  it('runs a task on a thread, not on the calling one', async () => {
    const p = pool();
    const out = await p.run({ kind: 'echo', value: { a: [1, 2] } });
    expect(out.value).toEqual({ a: [1, 2] });
    expect(out.threadId).not.toBe(threadId);
  });

  it('a task that never returns (busy loop) is rejected timeout at its wall-clock limit, and the next task runs on a replacement thread', async () => {
    const limit = 1500;
    const p = pool({ timeLimitMs: limit });
    await ready(p);
    const first = await p.run({ kind: 'echo', value: 1 });
    const { error, ms } = await settle(p.run({ kind: 'spin' }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error!.code).toBe('timeout');
    expect(error!.reason).toMatch(/longer than the 2 s limit/);
    // The pool's own timer: not the thread's event loop (blocked), not a watchdog's period.
    expect(ms).toBeGreaterThanOrEqual(limit - 20);
    expect(ms).toBeLessThan(limit + 1000);
    expect(p.killed).toBe(1);
    // The spare thread was ready: the next task does not wait for a thread to load.
    const t0 = performance.now();
    const next = await p.run({ kind: 'echo', value: 2 });
    expect(next.value).toBe(2);
    expect(next.threadId).not.toBe(first.threadId);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('counts the limit from when the task starts on a ready thread, not while it waits for one', async () => {
    // Each thread takes 2 s to say it is ready; the limit is 1 s. The task waits those 2 s untimed.
    const p = pool({ timeLimitMs: 1000, workerData: { warmUpMs: 2000 } });
    const t0 = performance.now();
    const out = await p.run({ kind: 'echo', value: 'waited' });
    expect(out.value).toBe('waited');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(p.killed).toBe(0);
  });

  it('stops a thread whose event loop is silent for the stall limit (before the time limit)', async () => {
    const p = pool({ timeLimitMs: 30_000, stallLimitMs: 800, heartbeatMs: 100 });
    await ready(p);
    const { error, ms } = await settle(p.run({ kind: 'spin' }));
    expect(error).toMatchObject({ name: 'BadInputError', code: 'timeout' });
    expect(error!.reason).toMatch(/stopped responding for 1 s/);
    expect(ms).toBeGreaterThanOrEqual(780);
    expect(ms).toBeLessThan(800 + 1500);
    expect((await p.run({ kind: 'echo', value: 3 })).value).toBe(3);
  });

  it('a heap blow-up is too-large, and the next task runs', async () => {
    const p = pool({ maxHeapMb: 32 });
    await ready(p);
    const { error } = await settle(p.run({ kind: 'heap' }));
    expect(error).toMatchObject({ name: 'BadInputError', code: 'too-large' });
    expect(error!.reason).toMatch(/32 MB/);
    expect((await p.run({ kind: 'echo', value: 4 })).value).toBe(4);
  }, 60_000);

  it('BadInputError codes survive the thread boundary both ways; other errors keep their name and fields, and are transient', async () => {
    const p = pool();
    for (const code of ['corrupt', 'no-content', 'encrypted'] as const) {
      const { error } = await settle(p.run({ kind: 'bad', code }));
      expect(error).toBeInstanceOf(BadInputError);
      expect(error).toMatchObject({ code, reason: `bad input (${code})` });
    }
    const { error } = await settle(p.run({ kind: 'fail' }));
    expect(error).not.toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ name: 'RangeError', message: 'out of range', offset: 12 });
    // A call to the parent and its answer; a BadInputError from the parent reaches the thread with its code.
    expect((await p.run({ kind: 'ask', value: 21 })).value).toBe(42);
    expect(await p.run({ kind: 'ask', value: -1 })).toMatchObject({ parentError: true, name: 'BadInputError', code: 'corrupt' });
  });

  it('fails (transient) rather than waits when no thread can start', async () => {
    const p = pool({ entry: new URL('./no-such-thread.mjs', import.meta.url) });
    const { error } = await settle(p.run({ kind: 'echo', value: 0 }));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BadInputError);
    expect(error!.message).toMatch(/test thread/);
    expect(p.startFailures).toBeGreaterThan(0);
  });

  it('serialises the fields of an error and rebuilds the caller\'s own classes', () => {
    class Late extends Error {
      override readonly name = 'Late';
      constructor(readonly ms: number) {
        super(`late by ${ms}`);
      }
    }
    const s = serializeError(new Late(7));
    expect(s).toMatchObject({ name: 'Late', message: 'late by 7', fields: { ms: 7 } });
    const revived = deserializeError(s, (x) => (x.name === 'Late' ? new Late(Number(x.fields?.ms)) : undefined));
    expect(revived).toBeInstanceOf(Late);
    expect((revived as Late).ms).toBe(7);
    expect(deserializeError(serializeError(new BadInputError('truncated', 'cut')))).toMatchObject({ name: 'BadInputError', code: 'truncated', reason: 'cut' });
  });
});
