/**
 * A read worker in a process of its own, for the crash tests (worker.int.test.ts): it runs
 * one job kind and says on stdout when a job starts. CRASH_MODE=hang never finishes a job
 * (the test SIGKILLs the process), `suicide` SIGKILLs its own process on every job (a
 * document that kills its reader), `ok` finishes it, `sigterm` is a service: SIGTERM closes it
 * (lifecycle.handleSignals) and a job finishes in 1 s when its document is CRASH_SHORT_DOC,
 * never otherwise. Permanent failures go to a Redis list.
 */
import { createLogger } from '@intake/config';
import { readDocumentJob } from '@intake/core';
import { Lifecycle } from '../lifecycle.ts';
import { createJobWorker } from '../queues.ts';
import { createRedis } from '../redis.ts';

const mode = process.env.CRASH_MODE ?? 'hang';
const prefix = process.env.CRASH_PREFIX!;
const redis = createRedis(process.env.CRASH_REDIS_URL!);
const logger = createLogger({ level: 'silent' });
const worker = createJobWorker({
  definition: readDocumentJob,
  connection: redis,
  concurrency: 2,
  prefix,
  logger,
  shutdownGraceMs: 3000,
  // A lock far longer than the test: a job comes back only because its dead owner's lock is released.
  lockDuration: 10 * 60_000,
  stalledIntervalMs: 500,
  reapIntervalMs: 500,
  reapConfirmMs: 1000,
  onPermanentFailure: async (failure) => {
    await redis.rpush(`${prefix}:test-permanent`, JSON.stringify(failure));
  },
  process: async (payload, job) => {
    process.stdout.write(`running ${job.stalledCounter} ${payload.docId}\n`);
    if (mode === 'sigterm') {
      if (payload.docId === process.env.CRASH_SHORT_DOC) await new Promise((r) => setTimeout(r, 1000));
      else await new Promise(() => {});
      return;
    }
    if (mode === 'suicide') process.kill(process.pid, 'SIGKILL');
    if (mode === 'hang') await new Promise(() => {});
  },
});
if (mode === 'sigterm') {
  const lifecycle = new Lifecycle(logger);
  lifecycle.onClose('redis', async () => void redis.disconnect());
  lifecycle.onClose('worker', () => worker.close());
  lifecycle.handleSignals();
}
process.stdout.write('ready\n');
