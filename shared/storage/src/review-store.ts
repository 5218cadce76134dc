import type { S3Client } from '@aws-sdk/client-s3';
import type { ReviewIndex } from '@intake/index';
import type { DocumentStatus } from './document-state.ts';
import { ObjectStore } from './object-store.ts';
import {
  ArrivalRepository,
  type AuditEvent,
  AuditRepository,
  DocumentStateRepository,
  ExtractionRepository,
  MailRepository,
  OriginalsRepository,
  PagesRepository,
  QuarantineRepository,
  RevisionRepository,
  type QuarantineEntry,
} from './repositories.ts';
import type { S3Settings } from './s3.ts';
import { IdentityRepository } from './identity.ts';

/** What `reindex` found different between the store (S3, the system of record) and the index. */
export interface ReindexReport {
  documents: { inStore: number; missing: number; stale: number; extra: number };
  quarantine: { inStore: number; missing: number; stale: number; extra: number };
  audit: { inStore: number; missing: number; extra: number };
  ms: number;
}

/** A clerk asked to retry something that cannot be re-run; the message is safe to show. */
export class RetryNotPossibleError extends Error {
  override readonly name = 'RetryNotPossibleError';
  readonly statusCode = 409;
}

/**
 * The HIMS review store: S3 as the system of record, one repository per aggregate over a
 * private object layer (every write encrypted, conditional where it can race), and the
 * PostgreSQL index that the queue, search, counts and audit views read. The operations
 * here are the few that span aggregates (quarantine, retry, reindex).
 */
export class ReviewStore {
  readonly originals: OriginalsRepository;
  readonly mail: MailRepository;
  readonly arrivals: ArrivalRepository;
  readonly documents: DocumentStateRepository;
  readonly pages: PagesRepository;
  readonly extractions: ExtractionRepository;
  readonly identities: IdentityRepository;
  readonly revisions: RevisionRepository;
  readonly quarantine: QuarantineRepository;
  readonly audit: AuditRepository;
  readonly #objects: ObjectStore;

  constructor(
    readonly s3: S3Client,
    readonly settings: S3Settings,
    readonly index: ReviewIndex,
  ) {
    const objects = new ObjectStore(s3, settings);
    this.#objects = objects;
    this.originals = new OriginalsRepository(objects);
    this.mail = new MailRepository(objects);
    this.arrivals = new ArrivalRepository(objects);
    this.pages = new PagesRepository(objects);
    this.extractions = new ExtractionRepository(objects);
    this.identities = new IdentityRepository(objects);
    this.revisions = new RevisionRepository(objects);
    this.audit = new AuditRepository(objects, index);
    this.quarantine = new QuarantineRepository(objects, index);
    this.documents = new DocumentStateRepository(objects, index, this.audit);
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  /** How conditional writes are enforced against this endpoint (see ObjectStore). */
  get conditionalWrites(): 'server' | 'process' {
    return this.#objects.conditionalWrites;
  }

  /** Create the bucket when it is missing (embedded default and tests) and probe the server's conditional writes. */
  async open(): Promise<void> {
    await this.#objects.open();
  }

  /**
   * A document a step gave up on: the quarantine record (built in one place, with the
   * file name and channel of its first arrival) and the `quarantined` transition.
   */
  async quarantineDocument(
    entry: Omit<QuarantineEntry, 'fileName' | 'channel'>,
    actor = 'pipeline',
  ): Promise<DocumentStatus | undefined> {
    const intake = await this.arrivals.getIntake(entry.docId);
    await this.quarantine.open({ ...entry, fileName: intake?.fileName, channel: intake?.channel });
    const status = await this.documents.get(entry.docId);
    if (!status) return undefined;
    return this.documents.transition(entry.docId, { name: 'quarantined', reason: entry.reason }, actor);
  }

  /**
   * A clerk's retry of a quarantined document: the entry marked retried and the document
   * moved back to the step that failed (extraction when its pages are in the store, else
   * reading). Returns that step; the caller queues its job.
   */
  async retryDocument(docId: string, actor: string): Promise<'read' | 'extract'> {
    const entry = await this.quarantine.get(docId);
    // An e-mail entry (a message with nothing to read) has no document behind it: nothing to re-run.
    if (entry?.stage === 'email' || !(await this.originals.exists(docId))) {
      throw new RetryNotPossibleError('this entry has no document to read again: reply to the member or close it');
    }
    if (entry?.status === 'closed') throw new RetryNotPossibleError('the quarantine record is closed');
    const manifest = await this.pages.getManifest(docId);
    const step = manifest && entry?.stage === 'extract' ? 'extract' : 'read';
    // Marked before the job is queued: a job that fails again at once writes a fresh open record after this.
    if (entry) await this.quarantine.update(docId, (r) => ({ ...r, status: 'retried', note: `retried by ${actor}` }));
    const status = await this.documents.get(docId);
    if (status?.stage === 'quarantined') {
      await this.documents.transition(docId, { name: 'retried', to: step === 'extract' ? 'read' : 'received' }, actor);
    }
    return step;
  }

  /** A supervisor closes a quarantine entry; the document (if there is one) leaves the queue. */
  async closeQuarantine(docId: string, actor: string, note?: string): Promise<boolean> {
    const closed = await this.quarantine.update(docId, (r) => ({
      ...r,
      status: 'closed',
      closedBy: actor,
      closedAt: new Date().toISOString(),
      note,
    }));
    if (!closed) return false;
    const status = await this.documents.get(docId);
    if (status?.stage === 'quarantined') await this.documents.transition(docId, { name: 'closed' }, actor);
    return true;
  }

  /**
   * Rebuild the index from S3 and report what differed: rows missing or older than the
   * store are written, rows with nothing behind them in the store are deleted.
   */
  async reindex(options: { onProgress?: (done: number) => void } = {}): Promise<ReindexReport> {
    const started = Date.now();
    const index = this.index;

    const versions = await index.documentVersions();
    const ids = await this.documents.listIds();
    const documents = { inStore: 0, missing: 0, stale: 0, extra: 0 };
    const batch: DocumentStatus[] = [];
    const seen = new Set<string>();
    const flush = async () => {
      await index.putDocuments(batch.splice(0));
    };
    let done = 0;
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const status = await this.documents.get(id);
          done++;
          if (done % 1000 === 0) options.onProgress?.(done);
          if (!status) continue;
          documents.inStore++;
          seen.add(id);
          const have = versions.get(id);
          if (have === undefined) documents.missing++;
          else if (have < status.version) documents.stale++;
          else continue;
          // A row behind the store is a write cut short: its transition's audit event may be missing too.
          await this.documents.recordEvent(status);
          batch.push(status);
          if (batch.length >= 500) await flush();
        }
      }),
    );
    await flush();
    const extraDocs = [...versions.keys()].filter((id) => !seen.has(id));
    documents.extra = extraDocs.length;
    await index.deleteDocuments(extraDocs);

    const quarantine = { inStore: 0, missing: 0, stale: 0, extra: 0 };
    const stamps = await index.quarantineStamps();
    const records = await this.quarantine.listFromStore();
    quarantine.inStore = records.length;
    const changed = records.filter((r) => {
      const have = stamps.get(r.docId);
      if (have === undefined) quarantine.missing++;
      else if (canonical(have) !== canonical(JSON.stringify(r))) quarantine.stale++;
      else return false;
      return true;
    });
    await index.putQuarantine(changed);
    const inStoreQ = new Set(records.map((r) => r.docId));
    const extraQ = [...stamps.keys()].filter((id) => !inStoreQ.has(id));
    quarantine.extra = extraQ.length;
    await index.deleteQuarantine(extraQ);

    // Audit: day by day, so neither side is held whole in memory.
    const audit = { inStore: 0, missing: 0, extra: 0 };
    let day: string | undefined;
    let dayKeys: string[] = [];
    const days: string[] = [];
    const flushDay = async () => {
      if (!day) return;
      const indexed = await index.auditKeysBetween(day, `${day}\uffff`);
      const missing = dayKeys.filter((k) => !indexed.has(k));
      for (let i = 0; i < missing.length; i += 200) {
        const events: { key: string; event: AuditEvent }[] = [];
        for (const key of missing.slice(i, i + 200)) {
          const event = await this.audit.get(key);
          if (event) events.push({ key, event });
        }
        audit.missing += await index.putAudit(events);
      }
      const inStore = new Set(dayKeys);
      const extra = [...indexed].filter((k) => !inStore.has(k));
      audit.extra += extra.length;
      await index.deleteAudit(extra);
    };
    for await (const key of this.audit.walkKeys()) {
      audit.inStore++;
      const keyDay = key.slice(0, 'audit/yyyy/mm/dd/'.length);
      if (keyDay !== day) {
        await flushDay();
        day = keyDay;
        days.push(day);
        dayKeys = [];
      }
      dayKeys.push(key);
    }
    await flushDay();
    // Rows on days the store has no events for at all (the walk above never visits them).
    audit.extra += await index.deleteAuditOutsideDays(days);
    return { documents, quarantine, audit, ms: Date.now() - started };
  }
}

function canonical(json: string): string {
  const sort = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, sort(x)]),
        )
      : v;
  return JSON.stringify(sort(JSON.parse(json)));
}
