import type { Logger } from '@intake/config';
import { type extractDocumentJob, jobId, type readDocumentJob } from '@intake/core';
import type { ReviewStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import type { JobProducer } from './queues.ts';

/** What the sweeper needs from the store, kept narrow (sweepStoreOf adapts the ReviewStore). */
export interface SweepStore {
  listDocumentIds(): Promise<string[]>;
  /** undefined: no status; throws when the status object cannot be read. */
  getStatus(docId: string): Promise<{ stage: string; updatedAt: string } | undefined>;
  quarantine(docId: string, stage: 'read' | 'extract', code: string, reason: string, attempts: number): Promise<void>;
}

export function sweepStoreOf(store: ReviewStore): SweepStore {
  return {
    listDocumentIds: () => store.documents.listIds(),
    getStatus: (docId) => store.documents.get(docId),
    quarantine: async (docId, stage, code, reason, attempts) => {
      await store.quarantineDocument({ docId, stage, code, reason, attempts });
    },
  };
}

/** Every document has exactly one of these; `none` is a document nothing will ever move again. */
export type Outcome = 'extracted' | 'quarantined' | 'queued' | 'running' | 'none' | 'unreadable';

export interface Orphan {
  docId: string;
  stage: string;
  /** What the step's job looks like: missing, completed (but the status did not move), failed (not recorded). */
  job: string;
  action: 'requeued' | 'quarantined' | 'none';
}

export interface ReconcileReport {
  documents: number;
  byOutcome: Record<Outcome, number>;
  /** Documents without an outcome (and what was done about each when fixing). */
  orphans: Orphan[];
  /** Documents whose status object cannot be read. */
  unreadable: string[];
  ms: number;
}

const LIVE = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'active']);

/**
 * Check that every document in the store has an outcome — extracted, quarantined (or
 * closed), or a live job for the step it is at — and, with `fix`, give one to those that
 * have none: a failed job whose failure was never recorded is quarantined with its code;
 * a missing job, or one that completed without moving the status, is queued again.
 * Documents that changed in the last `minAgeMs` are left alone (a channel may be between
 * its status write and its job).
 */
export async function reconcile(
  deps: {
    store: SweepStore;
    readProducer: JobProducer<typeof readDocumentJob.schema>;
    extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  },
  options: { fix: boolean; minAgeMs?: number; now?: number },
): Promise<ReconcileReport> {
  const started = Date.now();
  const now = options.now ?? started;
  const minAge = options.minAgeMs ?? 10 * 60_000;
  const byOutcome: Record<Outcome, number> = { extracted: 0, quarantined: 0, queued: 0, running: 0, none: 0, unreadable: 0 };
  const orphans: Orphan[] = [];
  const unreadable: string[] = [];
  const ids = await deps.store.listDocumentIds();
  for (const docId of ids) {
    let status;
    try {
      status = await deps.store.getStatus(docId);
    } catch {
      byOutcome.unreadable += 1;
      unreadable.push(docId);
      continue;
    }
    const stage = status?.stage ?? 'received';
    // Superseded: extracted, then its pages went into other documents (a split, move or merge).
    if (stage === 'extracted' || stage === 'superseded') {
      byOutcome.extracted += 1;
      continue;
    }
    if (stage === 'quarantined' || stage === 'closed') {
      byOutcome.quarantined += 1;
      continue;
    }
    const step = stage === 'read' ? 'extract' : 'read';
    const producer = step === 'read' ? deps.readProducer : deps.extractProducer;
    const job = await producer.queue.getJob(jobId(producer.definition.name, docId, producer.definition.version));
    const state = job ? await job.getState() : 'missing';
    if (LIVE.has(state)) {
      byOutcome[state === 'active' ? 'running' : 'queued'] += 1;
      continue;
    }
    byOutcome.none += 1;
    const young = status ? now - Date.parse(status.updatedAt) < minAge : false;
    let action: Orphan['action'] = 'none';
    if (options.fix && !young) {
      if (state === 'failed') {
        const m = /^([a-z-]+): (.*)$/s.exec(job?.failedReason ?? '');
        await deps.store.quarantine(
          docId,
          step,
          m?.[1] ?? 'failed',
          m?.[2] ?? `could not be processed after ${job?.attemptsMade ?? 0} attempts; an operator has the details`,
          job?.attemptsMade ?? 0,
        );
        action = 'quarantined';
      } else {
        await producer.add({ docId }, { force: true });
        action = 'requeued';
      }
    }
    orphans.push({ docId, stage, job: state, action });
  }
  return { documents: ids.length, byOutcome, orphans, unreadable, ms: Date.now() - started };
}

/** The report as `intake reconcile` prints it: counts by outcome, then one line per document without one. */
export function formatReconcileReport(report: ReconcileReport): string {
  const o = report.byOutcome;
  const lines = [
    `documents: ${report.documents}`,
    `  extracted ${o.extracted}, quarantined ${o.quarantined}, queued ${o.queued}, running ${o.running}, without an outcome ${o.none}, unreadable status ${o.unreadable}`,
  ];
  for (const d of report.orphans) lines.push(`  no outcome: ${d.docId} stage ${d.stage}, job ${d.job}${d.action === 'none' ? '' : ` → ${d.action}`}`);
  for (const id of report.unreadable) lines.push(`  unreadable status: ${id}`);
  return lines.join('\n');
}

/**
 * The periodic sweep: reconcile with fix every `intervalMs`, by one process at a time (a
 * lease in Redis), logging only counts and ids.
 */
export function startSweeper(deps: {
  store: SweepStore;
  readProducer: JobProducer<typeof readDocumentJob.schema>;
  extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  redis: Redis;
  prefix: string;
  logger: Logger;
  intervalMs: number;
  minAgeMs?: number;
}): { stop(): Promise<void>; sweep(): Promise<ReconcileReport | undefined> } {
  const lease = `${deps.prefix}:sweeper:lease`;
  let running: Promise<ReconcileReport | undefined> | undefined;
  const sweep = async (): Promise<ReconcileReport | undefined> => {
    const owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    const got = await deps.redis.set(lease, owner, 'PX', Math.max(60_000, deps.intervalMs), 'NX');
    if (got !== 'OK') return undefined;
    try {
      const report = await reconcile(deps, { fix: true, minAgeMs: deps.minAgeMs });
      const fixed = report.orphans.filter((o) => o.action !== 'none');
      if (fixed.length > 0 || report.unreadable.length > 0)
        deps.logger.warn(
          { requeued: fixed.filter((o) => o.action === 'requeued').map((o) => o.docId.slice(0, 12)), quarantined: fixed.filter((o) => o.action === 'quarantined').map((o) => o.docId.slice(0, 12)), unreadable: report.unreadable.length },
          'sweeper gave documents without an outcome one',
        );
      else deps.logger.debug({ ...report.byOutcome, ms: report.ms }, 'sweep: every document has an outcome');
      return report;
    } finally {
      // Keep the lease for the interval (another process sweeps next time); release only our own.
      const current = await deps.redis.get(lease).catch(() => null);
      if (current === owner) await deps.redis.pexpire(lease, deps.intervalMs).catch(() => 0);
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = sweep()
      .catch((error: unknown) => {
        deps.logger.warn({ err: { message: (error as Error).message } }, 'sweep failed; tried again next interval');
        return undefined;
      })
      .finally(() => (running = undefined));
  }, deps.intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** How often a deployment sweeps (one process at a time, by a lease in Redis). */
export const SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * The sweeper as every deployment runs it — the read worker service and `intake start` alike
 * (the one place it is wired): every SWEEP_INTERVAL_MS one process of the deployment (a lease
 * in Redis under its queue prefix) gives every document without an outcome one. Stopped with
 * the process's lifecycle.
 */
export function startDeploymentSweeper(
  rt: { store: ReviewStore; redis: Redis; logger: Logger; config: { INTAKE_QUEUE_PREFIX: string }; lifecycle: { onClose(name: string, close: () => Promise<void>): void } },
  producers: {
    readProducer: JobProducer<typeof readDocumentJob.schema>;
    extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  },
  options: { intervalMs?: number; minAgeMs?: number } = {},
): ReturnType<typeof startSweeper> {
  const sweeper = startSweeper({
    store: sweepStoreOf(rt.store),
    ...producers,
    redis: rt.redis,
    prefix: rt.config.INTAKE_QUEUE_PREFIX,
    logger: rt.logger.child({ service: 'sweeper' }),
    intervalMs: options.intervalMs ?? SWEEP_INTERVAL_MS,
    minAgeMs: options.minAgeMs,
  });
  rt.lifecycle.onClose('sweeper', () => sweeper.stop());
  return sweeper;
}
