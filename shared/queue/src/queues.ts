import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, WaitingError, Worker, type Job, type JobsOptions } from 'bullmq';
import { isBadInput, jobId, JOBS, type JobDefinition } from '@intake/core';
import type { Logger } from '@intake/config';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { metrics } from './ops.ts';

export const QUEUE_PREFIX = 'intake';

/** Job option `backoff.type` of our jobs; the delays are backoffDelay's. */
export const BACKOFF_TYPE = 'capped-exponential';

const defaultJobOptions: JobsOptions = {
  backoff: { type: BACKOFF_TYPE },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  // Failed jobs are kept for operators; the clerk-facing record is the quarantine entry in S3.
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** A producer for one job definition: parses the payload before adding, derives the job id from the document. */
export class JobProducer<S extends z.ZodType<{ docId: string }>> {
  readonly queue: Queue;
  constructor(
    readonly definition: JobDefinition<S>,
    connection: Redis,
    prefix: string = QUEUE_PREFIX,
  ) {
    this.queue = new Queue(definition.queue, { connection, prefix, defaultJobOptions });
  }

  /** Idempotent: the same document is one job (BullMQ ignores an add whose id exists). */
  async add(payload: z.infer<S>, options: { force?: boolean } = {}): Promise<string> {
    const data = this.definition.schema.parse(payload) as { docId: string };
    const id = jobId(this.definition.name, data.docId, this.definition.version);
    if (options.force) {
      // A clerk's retry: remove the old job (completed or failed) so the id can be reused.
      const old = await this.queue.getJob(id);
      if (old) await old.remove().catch(() => {});
    }
    await this.queue.add(this.definition.name, data, { jobId: id, attempts: this.definition.attempts });
    return id;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface PermanentFailure {
  docId: string;
  code: string;
  reason: string;
  attempts: number;
}

/** The backoff of transient failures: 2 s doubling to at most a minute, so 12 attempts ride out ~7 minutes of outage. */
export function backoffDelay(attemptsMade: number): number {
  return Math.min(60_000, 2000 * 2 ** Math.max(0, attemptsMade - 1));
}

/**
 * An outage of something the worker depends on (S3, Redis, the index): connection refused
 * or reset, timeouts, 5xx, throttling. Retried, and it opens the worker's circuit.
 */
export function isOutage(error: unknown): boolean {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; cause?: unknown };
  if (!e || typeof e !== 'object') return false;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.$retryable) return true;
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET'];
  if (e.code && codes.includes(e.code)) return true;
  if (['TimeoutError', 'RequestTimeout', 'SlowDown', 'ThrottlingException', 'ServiceUnavailable', 'InternalError', 'MaxRetriesPerRequestError'].includes(e.name ?? '')) return true;
  if (/Connection is closed|connect ECONNREFUSED|socket hang up|ECONNRESET/i.test(e.message ?? '')) return true;
  return e.cause !== undefined && e.cause !== error && isOutage(e.cause);
}

/** A result that does not match its schema: our output is wrong for this document; retrying gives the same. */
function isSchemaError(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ZodError';
}

/** A failure classified once, when it happens: permanent (with a code) or transient. */
export function classifyFailure(error: unknown): { permanent: true; code: string; reason: string } | { permanent: false; outage: boolean } {
  if (isBadInput(error)) return { permanent: true, code: (error as { code: string }).code, reason: (error as Error).message };
  if (isSchemaError(error))
    return { permanent: true, code: 'invalid-result', reason: 'the reader produced a result that does not match its schema: an operator has the details' };
  return { permanent: false, outage: isOutage(error) };
}

async function retrying<T>(what: () => Promise<T>, options: { until: () => boolean; maxMs: number; onError: (e: unknown, attempt: number) => void }): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await what();
    } catch (error) {
      options.onError(error, attempt);
      if (options.until() || Date.now() - started > options.maxMs) throw error;
      await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** Math.min(attempt, 8))));
    }
  }
}

export interface JobWorkerOptions<S extends z.ZodType<{ docId: string }>> {
  definition: JobDefinition<S>;
  connection: Redis;
  concurrency: number;
  logger: Logger;
  process: (payload: z.infer<S>, job: Job, log: Logger) => Promise<void>;
  /** Record a permanent failure (quarantine). Retried on errors; a bad-input one is recorded before the job fails. */
  onPermanentFailure: (failure: PermanentFailure) => Promise<void>;
  /** The job lock: short, renewed every half of it while the job runs; a dead worker's job is back within ~lock + 10 s. */
  lockDuration?: number;
  /** On close (SIGTERM): how long running jobs may take to finish before they are handed back to waiting. */
  shutdownGraceMs?: number;
  /** Answers while the store is up; when an attempt fails with an outage the worker pauses until it answers again. */
  probe?: () => Promise<void>;
  /** Redis key prefix of the queues (INTAKE_QUEUE_PREFIX); tests use their own. */
  prefix?: string;
  /** How often the stalled-job check runs (default 5 s). */
  stalledIntervalMs?: number;
  /** How often the dead-owner check runs (default 5 s); 0: never (locks then only expire). */
  reapIntervalMs?: number;
  /** How long a lock's owner must be gone before its lock is released (default 10 s). */
  reapConfirmMs?: number;
}

/** A job that stalled this many times (its process died while it ran) runs alone in its process from then on. */
export const SOLO_AFTER_STALLS = 2;
/** A job whose process died this many times while it ran alone is the cause: quarantined `crashes-reader`. */
export const SOLO_CRASH_LIMIT = 2;
/** BullMQ's own stall limit, a backstop only: a document is quarantined by the solo count long before. */
const MAX_STALLED_COUNT = 50;

/**
 * One process's gate: ordinary jobs run side by side; a suspect job (one that stalled
 * SOLO_AFTER_STALLS times) waits until nothing else runs, and nothing starts beside it, so
 * that if the process dies again the job it ran is known.
 */
const gate = {
  running: 0,
  solo: false,
  soloWaiting: 0,
  waiters: new Set<() => void>(),
  wake(): void {
    for (const w of [...this.waiters]) w();
  },
  async enter(solo: boolean): Promise<() => void> {
    if (solo) this.soloWaiting += 1;
    for (;;) {
      const free = solo ? !this.solo && this.running === 0 : !this.solo && this.soloWaiting === 0;
      if (free) break;
      await new Promise<void>((resolve) => {
        const w = () => {
          this.waiters.delete(w);
          resolve();
        };
        this.waiters.add(w);
      });
    }
    if (solo) {
      this.soloWaiting -= 1;
      this.solo = true;
    } else this.running += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (solo) this.solo = false;
      else this.running -= 1;
      this.wake();
    };
  },
};

/** Release a lock only if it still holds the token read (its owner did not come back meanwhile). */
const RELEASE_LOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export type JobWorker = Worker & {
  /** True while the circuit is open (the worker is paused because the store is down). */
  readonly circuitOpen: boolean;
};

/**
 * A worker for one job definition. Failures are classified once (classifyFailure): bad
 * input and schema-invalid results are permanent at once with their own codes (the
 * quarantine record is written before the job fails, and if that write fails the job is
 * retried instead, so it is never lost); anything else is transient and retried with a
 * capped backoff long enough to ride out minutes of S3 or Redis trouble. An outage also
 * opens a circuit: the worker stops taking jobs until `probe` answers.
 *
 * `close()` is graceful: it stops taking jobs, lets running ones finish within
 * `shutdownGraceMs`, hands the rest back to waiting (so a restart takes them at once, not
 * after a lock expires), then closes.
 */
export function createJobWorker<S extends z.ZodType<{ docId: string }>>(options: JobWorkerOptions<S>): JobWorker {
  const { definition, logger } = options;
  const prefix = options.prefix ?? QUEUE_PREFIX;
  const active = new Map<string, { job: Job; handBack: (e: Error) => void }>();
  let closing = false;
  let circuitOpen = false;
  // The worker's name is its id: it is in its lock tokens (`{id}:{n}`) and in the name of its
  // blocking Redis connection, so a lock whose owner's connection is gone belongs to a dead process.
  const workerName = randomUUID();

  const recordPermanent = (failure: PermanentFailure, maxMs: number) =>
    retrying(async () => {
      await options.onPermanentFailure(failure);
      metrics.quarantined.inc({ step: definition.queue, code: failure.code });
    }, {
      until: () => false,
      maxMs,
      onError: (e, attempt) =>
        logger.warn({ doc: failure.docId.slice(0, 12), attempt, err: { message: (e as Error).message } }, 'could not record a permanent failure yet; retrying'),
    });

  const openCircuit = () => {
    if (circuitOpen || !options.probe || closing) return;
    circuitOpen = true;
    metrics.circuitOpen.set({ queue: definition.queue }, 1);
    logger.warn({ queue: definition.queue }, 'store unavailable: worker paused until it answers');
    void worker.pause(true).then(async () => {
      for (let delay = 1000; !closing; delay = Math.min(15_000, delay * 2)) {
        await new Promise((r) => setTimeout(r, delay));
        try {
          await options.probe!();
          break;
        } catch {
          // still down
        }
      }
      circuitOpen = false;
      metrics.circuitOpen.set({ queue: definition.queue }, 0);
      if (!closing) {
        worker.resume();
        logger.info({ queue: definition.queue }, 'store answers again: worker resumed');
      }
    });
  };

  const worker = new Worker(
    definition.queue,
    async (job: Job) => {
      const parsed = definition.schema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid job payload');
      const payload = parsed.data as z.infer<S> & { docId: string };
      const log = logger.child({ job: job.name, jobId: job.id, doc: payload.docId.slice(0, 12), attempt: job.attemptsMade + 1 });
      let handBack!: (e: Error) => void;
      const handedBack = new Promise<never>((_, reject) => (handBack = reject));
      active.set(job.id!, { job, handBack });
      // A job that stalled before (its process died while it ran) runs alone; one whose process
      // died while it ran alone SOLO_CRASH_LIMIT times is what kills the process: quarantined.
      const solo = (job.stalledCounter ?? 0) >= SOLO_AFTER_STALLS;
      const soloKey = `${prefix}:${definition.queue}:${job.id}:solo-open`;
      const entering = gate.enter(solo);
      let release: () => void;
      try {
        release = await Promise.race([entering, handedBack]);
      } catch (error) {
        active.delete(job.id!);
        void entering.then((r) => r());
        throw error;
      }
      let soloOpen = false;
      const started = Date.now();
      try {
        if (solo) {
          const open = await options.connection.incr(soloKey);
          soloOpen = true;
          await options.connection.expire(soloKey, 30 * 24 * 3600);
          // `open` counts solo runs that never ended: each before this one ended with the process.
          if (open - 1 >= SOLO_CRASH_LIMIT) {
            throw new CrashesReaderError(
              `the ${definition.queue === 'extract' ? 'extractor' : 'reader'} process died ${open - 1} times while it handled this document alone (after ${job.stalledCounter} stalls): an operator has the details`,
            );
          }
          log.warn({ stalls: job.stalledCounter, soloDeaths: open - 1 }, 'job stalled before: running it alone');
        }
        await Promise.race([options.process(payload, job, log), handedBack]);
        log.info({ ms: Date.now() - started }, 'job done');
        metrics.jobs.inc({ queue: definition.queue, outcome: 'done' });
        metrics.jobSeconds.observe({ queue: definition.queue, outcome: 'done' }, (Date.now() - started) / 1000);
      } catch (error) {
        if ((error as Error).name === 'WaitingError') throw error;
        if (error instanceof CrashesReaderError) {
          metrics.jobs.inc({ queue: definition.queue, outcome: 'permanent' });
          log.warn({ code: error.code, stalls: job.stalledCounter }, 'document kills its process: quarantined');
          await recordPermanent({ docId: payload.docId, code: error.code, reason: error.message.slice(error.code.length + 2), attempts: job.attemptsMade + 1 }, 60_000);
          throw error;
        }
        const verdict = classifyFailure(error);
        const outcome = verdict.permanent ? 'permanent' : 'retry';
        metrics.jobs.inc({ queue: definition.queue, outcome });
        metrics.jobSeconds.observe({ queue: definition.queue, outcome }, (Date.now() - started) / 1000);
        if (verdict.permanent) {
          log.warn({ code: verdict.code, ms: Date.now() - started }, 'bad input');
          // Durable before the job fails: if the store is down too, this attempt fails as transient and is retried.
          await recordPermanent({ docId: payload.docId, code: verdict.code, reason: verdict.reason, attempts: job.attemptsMade + 1 }, 60_000);
          throw new UnrecoverableError(`${verdict.code}: ${verdict.reason}`);
        }
        log.warn({ err: { name: (error as Error).name, message: (error as Error).message }, outage: verdict.outage, ms: Date.now() - started }, 'job attempt failed');
        if (verdict.outage) openCircuit();
        throw error;
      } finally {
        active.delete(job.id!);
        if (soloOpen) await options.connection.decr(soloKey).catch(() => 0);
        release();
      }
    },
    {
      connection: options.connection,
      prefix,
      name: workerName,
      concurrency: options.concurrency,
      lockDuration: options.lockDuration ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? Math.min(5000, Math.max(500, (options.lockDuration ?? 30_000) / 4)),
      // A stalled job (its process died) runs again; the solo count above, not this, decides
      // that a document is what kills its process. This is only a backstop.
      maxStalledCount: MAX_STALLED_COUNT,
      settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade) },
      autorun: false,
    },
  );
  // Lock tokens are `{worker.id}:{n}`: the id is the name its blocking connection carries.
  (worker as { id: string }).id = workerName;
  // Before it takes a job: a dead process's jobs of this queue go back to the head of waiting, so
  // a restarted worker runs them first rather than after the new jobs it would take at once.
  void reclaimDeadJobs({ connection: options.connection, prefix, queue: definition.queue, confirmMs: options.reapConfirmMs ?? 10_000 })
    .then(async (ids) => {
      if (ids.length === 0) return;
      await (worker as unknown as { moveStalledJobsToWait(): Promise<void> }).moveStalledJobsToWait();
      logger.info({ queue: definition.queue, jobs: ids.length }, 'jobs of a process that is gone back to waiting before new ones are taken');
    })
    .catch((error: unknown) => logger.warn({ err: { message: (error as Error).message } }, 'could not take back a dead process\'s jobs at start; its locks expire'))
    .then(() => adoptFormerQueues({ definition, connection: options.connection, prefix }))
    .then((moved) => {
      if (moved > 0) logger.info({ queue: definition.queue, jobs: moved }, 'waiting jobs moved from the queue an earlier version used');
    })
    .catch((error: unknown) => logger.warn({ err: { message: (error as Error).message } }, 'could not move jobs from a former queue; the sweeper queues their documents again'))
    .then(() => worker.run())
    .catch((error: unknown) => logger.error({ err: { message: (error as Error).message } }, 'worker stopped'));
  const reaper = startLockReaper({
    connection: options.connection,
    prefix,
    queues: [...new Set([definition.queue, ...JOBS.map((j) => j.queue)])],
    intervalMs: options.reapIntervalMs ?? 5000,
    confirmMs: options.reapConfirmMs ?? 10_000,
    logger,
  });

  worker.on('failed', (job, error) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const unrecoverable = error instanceof UnrecoverableError || error.name === 'UnrecoverableError';
    const exhausted = job.attemptsMade >= attempts;
    const stalled = /stalled more than allowable limit/i.test(error.message);
    if (error instanceof CrashesReaderError) return; // recorded before the job failed
    if (!unrecoverable && !exhausted && !stalled) return;
    const m = /^([a-z-]+): (.*)$/s.exec(error.message);
    // Bad input was recorded before the job failed; the rest is recorded here.
    if (unrecoverable && m && error.message !== 'invalid job payload') return;
    const failure: PermanentFailure = {
      docId: (job.data as { docId: string }).docId,
      code: stalled ? 'worker-crash' : (m?.[1] ?? 'failed'),
      reason: stalled
        ? 'the reader stopped (crashed or was killed) on this document more than once: an operator has the details'
        : (m?.[2] ?? `could not be processed after ${job.attemptsMade} attempts; an operator has the details`),
      attempts: job.attemptsMade,
    };
    // Retried for up to an hour; if this process dies first, the sweeper finds the failed job without a record.
    recordPermanent(failure, 3_600_000).catch((e: unknown) => {
      logger.error({ err: { message: (e as Error).message }, jobId: job.id }, 'could not record a permanent failure');
    });
  });
  worker.on('error', (error) => logger.error({ err: { message: error.message } }, 'worker error'));

  const close = worker.close.bind(worker);
  const grace = options.shutdownGraceMs ?? 10_000;
  Object.defineProperty(worker, 'circuitOpen', { get: () => circuitOpen });
  worker.close = async (force = false) => {
    if (closing) return close(force);
    closing = true;
    reaper.stop();
    await worker.pause(true).catch(() => {});
    const deadline = Date.now() + (force ? 0 : grace);
    while (active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const left = [...active.values()];
    for (const { job, handBack } of left) {
      try {
        await job.moveToWait(job.token);
      } catch (error) {
        logger.warn({ jobId: job.id, err: { message: (error as Error).message } }, 'could not hand a job back; it returns when its lock expires');
      }
      handBack(new WaitingError());
    }
    if (left.length > 0) logger.info({ queue: definition.queue, handedBack: left.length }, 'running jobs handed back to waiting');
    await close(true);
  };
  return worker as JobWorker;
}

/**
 * Jobs an earlier version left on a queue of another name (`definition.formerQueues`): the
 * waiting, delayed and paused ones are added to the job's queue under the same id and removed
 * from the old one. A job that was running or failed there is left: the sweeper finds its
 * document without a live job and queues it again.
 */
export async function adoptFormerQueues<S extends z.ZodType<{ docId: string }>>(options: {
  definition: JobDefinition<S>;
  connection: Redis;
  prefix: string;
}): Promise<number> {
  const { definition, connection, prefix } = options;
  let moved = 0;
  for (const former of definition.formerQueues ?? []) {
    if (former === definition.queue) continue;
    const from = new Queue(former, { connection, prefix });
    const to = new Queue(definition.queue, { connection, prefix, defaultJobOptions });
    try {
      const jobs = (await from.getJobs(['wait', 'delayed', 'prioritized', 'paused'], 0, -1)).filter((j) => j?.name === definition.name);
      for (const job of jobs) {
        // One whose payload this version cannot read stays where it is (its document is swept).
        const parsed = definition.schema.safeParse(job.data);
        if (!parsed.success) continue;
        await to.add(definition.name, parsed.data, { jobId: job.id, attempts: definition.attempts });
        await job.remove();
        moved += 1;
      }
    } finally {
      await Promise.all([from.close(), to.close()]);
    }
  }
  return moved;
}

/** A document whose process died SOLO_CRASH_LIMIT times while it ran alone. */
export class CrashesReaderError extends UnrecoverableError {
  readonly code = 'crashes-reader';
  constructor(reason: string) {
    super(`crashes-reader: ${reason}`);
  }
}

/** Names of the job workers with a Redis connection now (their blocking connections' names end `:w:{name}`); undefined where CLIENT LIST is refused. */
async function liveWorkerNames(redis: Redis): Promise<Set<string> | undefined> {
  let list: string;
  try {
    list = String(await redis.client('LIST'));
  } catch {
    return undefined;
  }
  const live = new Set<string>();
  for (const m of list.matchAll(/ name=(\S+)/g)) {
    const at = m[1]!.lastIndexOf(':w:');
    if (at >= 0) live.add(m[1]!.slice(at + 3));
  }
  return live;
}

async function redisUptimeMs(redis: Redis): Promise<number> {
  return Number(/uptime_in_seconds:(\d+)/.exec(String(await redis.info('server')))?.[1] ?? 0) * 1000;
}

/**
 * A worker's start: the running jobs of its queue that no process holds any more — no lock,
 * or a lock whose owner has no connection (when Redis has been up `confirmMs`, so every live
 * worker has reconnected) — are marked stalled and the stalled-check throttle cleared, so the
 * check the caller runs next moves them back to the head of waiting. Returns their ids.
 */
export async function reclaimDeadJobs(options: { connection: Redis; prefix: string; queue: string; confirmMs: number }): Promise<string[]> {
  const redis = options.connection;
  const base = `${options.prefix}:${options.queue}:`;
  const ids = await redis.lrange(`${base}active`, 0, -1);
  if (ids.length === 0) return [];
  const live = (await redisUptimeMs(redis)) >= options.confirmMs ? await liveWorkerNames(redis) : undefined;
  const dead: string[] = [];
  for (const id of ids) {
    const lockKey = `${base}${id}:lock`;
    const token = await redis.get(lockKey);
    const gone = !token || (live !== undefined && !live.has(token.slice(0, token.lastIndexOf(':'))) && Number(await redis.eval(RELEASE_LOCK, 1, lockKey, token)) > 0);
    if (!gone) continue;
    await redis.sadd(`${base}stalled`, id);
    dead.push(id);
  }
  if (dead.length > 0) await redis.del(`${base}stalled-check`);
  return dead;
}

/**
 * Dead owners' locks, released at once instead of when they expire: a SIGKILLed (or
 * crashed) process's Redis connections close with it, so a running job whose lock token
 * names a worker with no connection left (CLIENT LIST) on two checks `confirmMs` apart is
 * a dead process's job; its lock is released and BullMQ's next stalled check (every few
 * seconds, by any worker of the deployment) moves it back to waiting. Not while Redis itself
 * has been up less than `confirmMs` (after a Redis restart every client reconnects first).
 * Where CLIENT LIST is refused, locks only expire.
 */
export function startLockReaper(options: {
  connection: Redis;
  prefix: string;
  queues: string[];
  intervalMs: number;
  confirmMs: number;
  logger: Logger;
}): { stop(): void; check(): Promise<number> } {
  const suspects = new Map<string, number>();
  let disabled = options.intervalMs <= 0;
  let running = false;
  const redis = options.connection;
  const check = async (): Promise<number> => {
    if (disabled || running || redis.status !== 'ready') return 0;
    running = true;
    let released = 0;
    try {
      if ((await redisUptimeMs(redis)) < options.confirmMs) return 0;
      const live = await liveWorkerNames(redis);
      if (!live) {
        disabled = true;
        options.logger.warn('CLIENT LIST refused: a dead worker\'s jobs come back when their locks expire');
        return 0;
      }
      const now = Date.now();
      const seen = new Set<string>();
      for (const queue of options.queues) {
        const base = `${options.prefix}:${queue}:`;
        const ids = await redis.lrange(`${base}active`, 0, -1);
        for (const id of ids) {
          const lockKey = `${base}${id}:lock`;
          const token = await redis.get(lockKey);
          if (!token) continue;
          const owner = token.slice(0, token.lastIndexOf(':'));
          if (!owner || live.has(owner)) continue;
          const key = `${lockKey} ${token}`;
          seen.add(key);
          const since = suspects.get(key);
          if (since === undefined) {
            suspects.set(key, now);
            continue;
          }
          if (now - since < options.confirmMs) continue;
          if (Number(await redis.eval(RELEASE_LOCK, 1, lockKey, token)) > 0) {
            released += 1;
            options.logger.warn({ queue, jobId: id }, 'the process running this job is gone: its lock released, the job runs again');
          }
        }
      }
      for (const key of suspects.keys()) if (!seen.has(key)) suspects.delete(key);
      return released;
    } catch (error) {
      options.logger.debug({ err: { message: (error as Error).message } }, 'lock check failed; tried again');
      return released;
    } finally {
      running = false;
    }
  };
  const timer = disabled ? undefined : setInterval(() => void check(), options.intervalMs);
  timer?.unref();
  return { stop: () => clearInterval(timer), check };
}
