import { JOBS, jobId } from '@intake/core';
import { createRedis } from '@intake/queue';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { TestEnv } from './fixtures.ts';

/**
 * Pipeline jobs run to an end in a test env's Redis, as the workers leave them: each job (the
 * production job id of its step and document) is taken by a worker that completes it, or fails
 * it for good with `failure` as its reason (one attempt). No document is read: only the queue
 * entries are made, for views that show the queues.
 */
export async function settleJobs(
  env: Pick<TestEnv, 'redisHandle' | 'config'>,
  jobs: { step: 'read' | 'extract'; docId: string; failure?: string }[],
): Promise<void> {
  const prefix = env.config.INTAKE_QUEUE_PREFIX;
  const connection = createRedis(env.redisHandle.url);
  // Blocking connections of their own for the worker and the event reader (closed with the rest).
  const extra: ReturnType<typeof createRedis>[] = [];
  const another = () => {
    const c = createRedis(env.redisHandle.url);
    extra.push(c);
    return c;
  };
  const byQueue = new Map<string, typeof jobs>();
  for (const j of jobs) {
    const def = j.step === 'read' ? JOBS[0] : JOBS[1];
    byQueue.set(def.queue, [...(byQueue.get(def.queue) ?? []), j]);
  }
  try {
    for (const [name, list] of byQueue) {
      const def = JOBS.find((d) => d.queue === name)!;
      const failures = new Map(list.filter((j) => j.failure).map((j) => [j.docId, j.failure!]));
      const queue = new Queue(name, { connection, prefix });
      const events = new QueueEvents(name, { connection: another(), prefix });
      await events.waitUntilReady();
      const ids = list.map((j) => jobId(def.name, j.docId, def.version));
      const settled = Promise.all(
        ids.map(
          (id) =>
            new Promise<void>((resolve) => {
              const done = (e: { jobId: string }) => {
                if (e.jobId !== id) return;
                events.off('completed', done);
                events.off('failed', done);
                resolve();
              };
              events.on('completed', done);
              events.on('failed', done);
            }),
        ),
      );
      for (const [i, j] of list.entries()) await queue.add(def.name, { docId: j.docId }, { jobId: ids[i], attempts: 1 });
      const worker = new Worker(
        name,
        async (job) => {
          const failure = failures.get((job.data as { docId: string }).docId);
          if (failure) throw new Error(failure);
          return { ok: true };
        },
        { connection: another(), prefix, concurrency: 1 },
      );
      await settled;
      await worker.close();
      await events.close();
      await queue.close();
    }
  } finally {
    for (const c of [connection, ...extra]) await c.quit().catch(() => c.disconnect());
  }
}
