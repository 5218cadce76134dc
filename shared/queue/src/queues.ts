import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { isBadInput, jobId, type JobDefinition } from '@intake/core';
import type { Logger } from '@intake/config';
import type { Redis } from 'ioredis';
import type { z } from 'zod';

export const QUEUE_PREFIX = 'intake';

const defaultJobOptions: JobsOptions = {
  backoff: { type: 'exponential', delay: 2000 },
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

/**
 * A worker for one job definition. Bad payloads and BadInputError are permanent
 * (UnrecoverableError, no retry); any other error is transient and retried with
 * backoff. When a job fails for good, `onPermanentFailure` records it (quarantine).
 */
export function createJobWorker<S extends z.ZodType<{ docId: string }>>(options: {
  definition: JobDefinition<S>;
  connection: Redis;
  concurrency: number;
  logger: Logger;
  process: (payload: z.infer<S>, job: Job, log: Logger) => Promise<void>;
  onPermanentFailure: (failure: PermanentFailure) => Promise<void>;
  lockDuration?: number;
  /** Redis key prefix of the queues (INTAKE_QUEUE_PREFIX); tests use their own. */
  prefix?: string;
}): Worker {
  const { definition, logger } = options;
  const worker = new Worker(
    definition.queue,
    async (job: Job) => {
      const parsed = definition.schema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid job payload');
      const payload = parsed.data as z.infer<S> & { docId: string };
      const log = logger.child({ job: job.name, jobId: job.id, doc: payload.docId.slice(0, 12), attempt: job.attemptsMade + 1 });
      const started = Date.now();
      try {
        await options.process(payload, job, log);
        log.info({ ms: Date.now() - started }, 'job done');
      } catch (error) {
        if (isBadInput(error)) {
          log.warn({ code: (error as { code: string }).code, ms: Date.now() - started }, 'bad input');
          throw new UnrecoverableError(`${(error as { code: string }).code}: ${(error as Error).message}`);
        }
        log.warn({ err: { name: (error as Error).name, message: (error as Error).message }, ms: Date.now() - started }, 'job attempt failed');
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix ?? QUEUE_PREFIX,
      concurrency: options.concurrency,
      lockDuration: options.lockDuration ?? 60_000,
      autorun: true,
    },
  );

  worker.on('failed', (job, error) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const permanent = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    if (!permanent) return;
    const message = error.message;
    const m = /^([a-z-]+): (.*)$/s.exec(message);
    const failure: PermanentFailure = {
      docId: (job.data as { docId: string }).docId,
      code: m?.[1] ?? 'failed',
      reason: m?.[2] ?? `could not be processed after ${job.attemptsMade} attempts; an operator has the details`,
      attempts: job.attemptsMade,
    };
    options.onPermanentFailure(failure).catch((e: unknown) => {
      logger.error({ err: { message: (e as Error).message }, jobId: job.id }, 'could not record a permanent failure');
    });
  });
  worker.on('error', (error) => logger.error({ err: { message: error.message } }, 'worker error'));
  return worker;
}
