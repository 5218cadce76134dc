import { JOBS } from '@intake/core';
import { Queue, type Job } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from './context.ts';
import { HttpError } from './http.ts';
import { ip, who } from './routes/shared.ts';

/** Where the queue view is (a view of the clerk UI, ui/admin-queues.ts). */
export const ADMIN_QUEUES_PATH = '/admin/queues';

/** The job states the view counts, in the order it shows them. */
export const JOB_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed', 'paused'] as const;

/** Failed jobs listed per queue (newest first). */
const FAILED_SHOWN = 100;

export interface FailedJobView {
  id: string;
  name: string;
  docId: string | null;
  attempts: number;
  reason: string;
  failedAt: string | null;
  /** The document's stage in the store: `quarantined`/`closed` when its failure is recorded there. */
  stage: string | null;
}

export interface QueueView {
  name: string;
  jobs: string[];
  counts: Record<(typeof JOB_STATES)[number], number>;
  failed: FailedJobView[];
}

const QueueParams = z.object({ queue: z.string().max(100) });
const JobParams = QueueParams.extend({ jobId: z.string().min(1).max(300) });
const CleanBody = z.object({
  state: z.enum(['completed', 'failed']),
  olderThanHours: z
    .number()
    .min(0)
    .max(24 * 90)
    .default(0),
});

/** Stages at which a document's failure is kept outside the queue (quarantine) or no longer matters. */
const RECORDED = new Set(['quarantined', 'closed', 'extracted', 'superseded']);

/**
 * The pipeline's BullMQ queues for admins, through BullMQ's API (replacing bull-board, whose
 * page did not pass axe): per queue the job counts by state and the failed jobs with their
 * reasons; retrying a failed job and cleaning finished jobs. Jobs carry document ids only.
 *
 * - Admins only (`role: 'admin'` on every route; the server's session, role and CSRF checks apply).
 * - A failed job whose document is quarantined is retried through the quarantine (the store
 *   marks the entry retried and the document moves back: the same path as a clerk's retry in
 *   the quarantine view); any other failed job is moved back to waiting (`job.retry`).
 * - Cleaning removes completed jobs, or failed jobs whose failure is recorded in the store
 *   (document quarantined, closed, extracted or superseded): a failed job nobody recorded is
 *   kept, so the sweeper (`intake reconcile`) still finds and quarantines it.
 * - Audited: opening the view `queues.view`, each retry `queues.retry`, each clean `queues.clean`.
 */
export function registerAdminQueues(app: FastifyInstance, ctx: ReviewContext): void {
  const prefix = ctx.config.INTAKE_QUEUE_PREFIX;
  const names = [...new Set(JOBS.map((j) => j.queue))];
  const queues = new Map(names.map((name) => [name, new Queue(name, { connection: ctx.redis, prefix })]));
  app.addHook('onClose', async () => {
    await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
  });
  const queueOf = (name: string): Queue => {
    const q = queues.get(name);
    if (!q) throw new HttpError(404, 'no such queue');
    return q;
  };
  const docOf = (job: Job): string | null => {
    const id = (job.data as { docId?: unknown } | undefined)?.docId;
    return typeof id === 'string' && /^[0-9a-f]{64}$/.test(id) ? id : null;
  };

  app.get('/api/admin/queues', { config: { role: 'admin' } }, async (request) => {
    const out: QueueView[] = [];
    for (const name of names) {
      const q = queueOf(name);
      const counts = (await q.getJobCounts(...JOB_STATES)) as QueueView['counts'];
      const failed = await q.getFailed(0, FAILED_SHOWN - 1);
      const views: FailedJobView[] = [];
      for (const job of failed) {
        const docId = docOf(job);
        const status = docId ? await ctx.store.documents.get(docId) : undefined;
        views.push({
          id: String(job.id),
          name: job.name,
          docId,
          attempts: job.attemptsMade,
          reason: job.failedReason ?? '',
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          stage: status?.stage ?? null,
        });
      }
      out.push({ name, jobs: JOBS.filter((j) => j.queue === name).map((j) => j.name), counts, failed: views });
    }
    await ctx.audit.record(who(request), 'queues.view', {
      ip: ip(request),
      detail: { failed: out.reduce((n, q) => n + q.counts.failed, 0) },
    });
    return { prefix, queues: out };
  });

  app.post('/api/admin/queues/:queue/jobs/:jobId/retry', { config: { role: 'admin' } }, async (request) => {
    const params = JobParams.parse(request.params);
    const job = await queueOf(params.queue).getJob(params.jobId);
    if (!job) throw new HttpError(404, 'no such job');
    const state = await job.getState();
    if (state !== 'failed') throw new HttpError(409, `the job is ${state}, not failed`);
    const docId = docOf(job);
    const entry = docId ? await ctx.store.quarantine.get(docId) : undefined;
    let via: 'quarantine' | 'job';
    if (docId && entry && entry.status === 'open') {
      // Recorded as a quarantine retry (the store's `retried`, then the job queued again, replacing this one).
      await ctx.retryDocument(docId, who(request));
      via = 'quarantine';
    } else {
      await job.retry('failed');
      via = 'job';
    }
    await ctx.audit.record(who(request), 'queues.retry', {
      docId: docId ?? undefined,
      ip: ip(request),
      detail: { queue: params.queue, job: params.jobId, via },
    });
    return { retried: params.jobId, via };
  });

  app.post('/api/admin/queues/:queue/clean', { config: { role: 'admin' } }, async (request) => {
    const { queue } = QueueParams.parse(request.params);
    const body = CleanBody.parse(request.body ?? {});
    const q = queueOf(queue);
    const graceMs = Math.round(body.olderThanHours * 3_600_000);
    let removed = 0;
    let kept = 0;
    if (body.state === 'completed') {
      removed = (await q.clean(graceMs, 10_000, 'completed')).length;
    } else {
      const cutoff = Date.now() - graceMs;
      for (const job of await q.getFailed(0, 9_999)) {
        if ((job.finishedOn ?? 0) > cutoff) continue;
        const docId = docOf(job);
        const status = docId ? await ctx.store.documents.get(docId) : undefined;
        if (!status || !RECORDED.has(status.stage)) {
          kept += 1;
          continue;
        }
        await job.remove();
        removed += 1;
      }
    }
    await ctx.audit.record(who(request), 'queues.clean', {
      ip: ip(request),
      detail: { queue, state: body.state, olderThanHours: body.olderThanHours, removed, kept },
    });
    return { removed, kept };
  });
}
