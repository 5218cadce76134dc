import { randomBytes } from 'node:crypto';
import { ExtractionResult, IntakeRecord, PageText, QuarantineRecord, Receipt, ReviewRevision, sha256Hex } from '@intake/core';
import type { ReviewIndex } from '@intake/index';
import { z } from 'zod';
import { applyTransition, DocumentStatus, type Transition } from './document-state.ts';
import { keys, revisionFromKey } from './keys.ts';
import { WriteConflictError, type ObjectStore } from './object-store.ts';

export const ReadManifest = z.object({
  docId: z.string(),
  mediaType: z.string(),
  pages: z.array(
    z.object({
      page: z.number().int(),
      method: z.string(),
      confidence: z.number(),
      image: z.enum(['png', 'jpg']).optional(),
      width: z.number().int(),
      height: z.number().int(),
    }),
  ),
  readAt: z.string(),
  ms: z.number(),
});
export type ReadManifest = z.infer<typeof ReadManifest>;

export const AuditEvent = z.object({
  at: z.iso.datetime(),
  actor: z.string(),
  action: z.string(),
  docId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
  ip: z.string().optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export class RevisionConflictError extends Error {
  override readonly name = 'RevisionConflictError';
  constructor(readonly latest: number) {
    super(`revision conflict: the latest revision is ${latest}`);
  }
}

const CONDITIONAL_ATTEMPTS = 25;

/** A short random pause before re-reading, so writers that collided do not collide again in step. */
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * attempt)));

/**
 * Read-modify-write of one JSON object with its ETag: a writer that lost the race reads
 * again and re-applies `change`, so no write is silently lost.
 */
async function updateJson<S extends z.ZodType>(
  objects: ObjectStore,
  key: string,
  schema: S,
  change: (current: z.infer<S> | undefined) => z.infer<S>,
): Promise<z.infer<S>> {
  for (let attempt = 1; ; attempt++) {
    const current = await objects.getJsonWithEtag(key, schema);
    const next = change(current?.value);
    try {
      await objects.putJson(key, next, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
      return next;
    } catch (error) {
      if (!(error instanceof WriteConflictError) || attempt >= CONDITIONAL_ATTEMPTS) throw error;
      await backoff(attempt);
    }
  }
}

// ---- originals ----

export class OriginalsRepository {
  constructor(private readonly objects: ObjectStore) {}

  /** Write the original once (`If-None-Match: *`); a second delivery of the same bytes finds it there. */
  async put(docId: string, bytes: Uint8Array, contentType = 'application/octet-stream'): Promise<{ created: boolean }> {
    if (sha256Hex(bytes) !== docId) throw new Error('document id does not match the bytes');
    const key = keys.original(docId);
    if (await this.objects.exists(key)) return { created: false };
    return { created: await this.objects.create(key, bytes, contentType) };
  }

  get(docId: string): Promise<Buffer | undefined> {
    return this.objects.getBytes(keys.original(docId));
  }

  exists(docId: string): Promise<boolean> {
    return this.objects.exists(keys.original(docId));
  }
}

// ---- the mail channel ----

/**
 * What the mail channel keeps: raw messages (write-once), one record per message, the
 * Message-ID index and each mailbox's sync state. The schemas belong to the channel.
 */
export class MailRepository {
  constructor(private readonly objects: ObjectStore) {}

  async putRaw(emailId: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const key = keys.rawEmail(emailId);
    if (await this.objects.exists(key)) return { created: false };
    return { created: await this.objects.create(key, bytes, 'message/rfc822') };
  }

  getRaw(emailId: string): Promise<Buffer | undefined> {
    return this.objects.getBytes(keys.rawEmail(emailId));
  }

  getRecord<S extends z.ZodType>(emailId: string, schema: S): Promise<z.infer<S> | undefined> {
    return this.objects.getJson(keys.emailRecord(emailId), schema);
  }

  async putRecord(emailId: string, record: unknown): Promise<void> {
    await this.objects.putJson(keys.emailRecord(emailId), record);
  }

  /** Every message record, in key order. */
  async listRecords<S extends z.ZodType>(schema: S): Promise<z.infer<S>[]> {
    const ks = (await this.objects.listKeys('email/', { delimiter: '/' })).filter((k) => /^email\/[0-9a-f]{64}\.json$/.test(k));
    const out: z.infer<S>[] = [];
    for (const k of ks) {
      const r = await this.objects.getJson(k, schema);
      if (r) out.push(r);
    }
    return out;
  }

  getMessageId<S extends z.ZodType>(messageIdHash: string, schema: S): Promise<z.infer<S> | undefined> {
    return this.objects.getJson(keys.emailMessageId(messageIdHash), schema);
  }

  /** The first message to carry a Message-ID wins (`If-None-Match: *`); false when one already did. */
  createMessageId(messageIdHash: string, entry: unknown): Promise<boolean> {
    return this.objects.createJson(keys.emailMessageId(messageIdHash), entry);
  }

  getMailboxState<S extends z.ZodType>(stateId: string, schema: S): Promise<z.infer<S> | undefined> {
    return this.objects.getJson(keys.mailboxState(stateId), schema);
  }

  async putMailboxState(stateId: string, state: unknown): Promise<void> {
    await this.objects.putJson(keys.mailboxState(stateId), state);
  }
}

// ---- arrivals: the intake record and every receipt ----

export class ArrivalRepository {
  constructor(private readonly objects: ObjectStore) {}

  /**
   * Record an arrival. Every arrival writes a receipt (so a repeat is visible, not lost);
   * the first writes the intake record (`If-None-Match: *`), which says the document is new.
   */
  async record(receipt: Receipt): Promise<{ isNew: boolean }> {
    const parsed = Receipt.parse(receipt);
    const receiptId = sha256Hex(
      JSON.stringify([parsed.channel, parsed.origin ?? '', parsed.fileName, parsed.hints.messageId ?? '', parsed.receivedAt]),
    );
    await this.objects.putJson(keys.receipt(parsed.docId, receiptId), parsed);
    const record: IntakeRecord = { ...parsed, sha256: parsed.docId };
    return { isNew: await this.objects.createJson(keys.intake(parsed.docId), record) };
  }

  getIntake(docId: string): Promise<IntakeRecord | undefined> {
    return this.objects.getJson(keys.intake(docId), IntakeRecord);
  }

  async listReceipts(docId: string): Promise<Receipt[]> {
    const ks = await this.objects.listKeys(keys.receiptsPrefix(docId));
    const out: Receipt[] = [];
    for (const k of ks) {
      const r = await this.objects.getJson(k, Receipt);
      if (r) out.push(r);
    }
    return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }
}

// ---- pages and the read manifest ----

export class PagesRepository {
  constructor(private readonly objects: ObjectStore) {}

  async putPage(docId: string, page: PageText): Promise<void> {
    await this.objects.putJson(keys.pageText(docId, page.page), PageText.parse(page));
  }

  getPage(docId: string, page: number): Promise<PageText | undefined> {
    return this.objects.getJson(keys.pageText(docId, page), PageText);
  }

  async putImage(docId: string, page: number, data: Uint8Array, mediaType: 'image/png' | 'image/jpeg'): Promise<'png' | 'jpg'> {
    const ext = mediaType === 'image/png' ? 'png' : 'jpg';
    await this.objects.put(keys.pageImage(docId, page, ext), data, mediaType);
    return ext;
  }

  getImage(docId: string, page: number, ext: 'png' | 'jpg'): Promise<Buffer | undefined> {
    return this.objects.getBytes(keys.pageImage(docId, page, ext));
  }

  async putManifest(manifest: ReadManifest): Promise<void> {
    await this.objects.putJson(keys.readManifest(manifest.docId), ReadManifest.parse(manifest));
  }

  getManifest(docId: string): Promise<ReadManifest | undefined> {
    return this.objects.getJson(keys.readManifest(docId), ReadManifest);
  }

  /** Every page of a read document, in order. */
  async list(docId: string): Promise<PageText[]> {
    const manifest = await this.getManifest(docId);
    if (!manifest) return [];
    const pages: PageText[] = [];
    for (const p of manifest.pages) {
      const page = await this.getPage(docId, p.page);
      if (!page) throw new Error(`page ${p.page} of a read document is missing from the store`);
      pages.push(page);
    }
    return pages;
  }
}

// ---- extraction results ----

export class ExtractionRepository {
  constructor(private readonly objects: ObjectStore) {}

  async put(docId: string, result: ExtractionResult): Promise<void> {
    await this.objects.putJson(keys.extraction(docId), ExtractionResult.parse(result));
  }

  get(docId: string): Promise<ExtractionResult | undefined> {
    return this.objects.getJson(keys.extraction(docId), ExtractionResult);
  }
}

// ---- review revisions ----

export class RevisionRepository {
  constructor(private readonly objects: ObjectStore) {}

  async latestNumber(docId: string): Promise<number> {
    const ks = await this.objects.listKeys(keys.revisionsPrefix(docId));
    let latest = 0;
    for (const k of ks) latest = Math.max(latest, revisionFromKey(k) ?? 0);
    return latest;
  }

  get(docId: string, revision: number): Promise<ReviewRevision | undefined> {
    return this.objects.getJson(keys.revision(docId, revision), ReviewRevision);
  }

  async latest(docId: string): Promise<ReviewRevision | undefined> {
    const n = await this.latestNumber(docId);
    return n > 0 ? this.get(docId, n) : undefined;
  }

  async list(docId: string): Promise<ReviewRevision[]> {
    const ks = await this.objects.listKeys(keys.revisionsPrefix(docId));
    const out: ReviewRevision[] = [];
    for (const k of ks) {
      const r = await this.objects.getJson(k, ReviewRevision);
      if (r) out.push(r);
    }
    return out;
  }

  /**
   * Append a revision. It must name the latest revision as the one it replaces, and its
   * object is created with `If-None-Match: *`: of two clerks saving revision n+1 at once,
   * one wins and the other gets RevisionConflictError, never a silent overwrite.
   */
  async append(revision: ReviewRevision): Promise<ReviewRevision> {
    const parsed = ReviewRevision.parse(revision);
    const latest = await this.latestNumber(parsed.docId);
    if (parsed.replaces !== latest || parsed.revision !== latest + 1) throw new RevisionConflictError(latest);
    if (!(await this.objects.createJson(keys.revision(parsed.docId, parsed.revision), parsed))) {
      throw new RevisionConflictError(parsed.revision);
    }
    return parsed;
  }
}

// ---- audit ----

export class AuditRepository {
  constructor(
    private readonly objects: ObjectStore,
    private readonly index: ReviewIndex,
  ) {}

  /**
   * Append-only: each event is its own object, created once, then its index row.
   * `id` makes the key deterministic (a transition's event), so writing it again is a no-op.
   */
  async append(event: AuditEvent, id?: string): Promise<string> {
    const parsed = AuditEvent.parse(event);
    const key = keys.audit(new Date(parsed.at), id ?? randomBytes(6).toString('hex'));
    if (id) await this.objects.createJson(key, parsed);
    else await this.objects.putJson(key, parsed);
    await this.index.putAudit([{ key, event: parsed }]);
    return key;
  }

  get(key: string): Promise<AuditEvent | undefined> {
    return this.objects.getJson(key, AuditEvent);
  }

  /** Every event key in the store, in key (= time) order, page by page. */
  walkKeys(): AsyncGenerator<string> {
    return this.objects.walk(keys.auditPrefix());
  }
}

// ---- quarantine ----

/** What a step knows when it gives up on a document; the record is built from it in one place. */
export interface QuarantineEntry {
  docId: string;
  stage: QuarantineRecord['stage'];
  code: string;
  reason: string;
  fileName?: string;
  channel?: QuarantineRecord['channel'];
  attempts?: number;
}

export function quarantineRecord(entry: QuarantineEntry, at = new Date()): QuarantineRecord {
  return QuarantineRecord.parse({
    docId: entry.docId,
    stage: entry.stage,
    code: entry.code,
    reason: entry.reason,
    fileName: entry.fileName,
    channel: entry.channel,
    at: at.toISOString(),
    attempts: entry.attempts ?? 0,
    status: 'open',
  });
}

export class QuarantineRepository {
  constructor(
    private readonly objects: ObjectStore,
    private readonly index: ReviewIndex,
  ) {}

  /** Open (or reopen) an entry: a fresh record replaces any earlier one for the same id. */
  async open(entry: QuarantineEntry): Promise<QuarantineRecord> {
    const record = quarantineRecord(entry);
    await this.objects.putJson(keys.quarantine(record.docId), record);
    await this.index.putQuarantine([record]);
    return record;
  }

  get(docId: string): Promise<QuarantineRecord | undefined> {
    return this.objects.getJson(keys.quarantine(docId), QuarantineRecord);
  }

  /** Change an entry with its ETag (a concurrent change is re-read, not overwritten); undefined when there is none. */
  async update(docId: string, change: (record: QuarantineRecord) => QuarantineRecord): Promise<QuarantineRecord | undefined> {
    if (!(await this.get(docId))) return undefined;
    const next = await updateJson(this.objects, keys.quarantine(docId), QuarantineRecord, (current) => {
      if (!current) throw new Error('the quarantine record disappeared');
      return QuarantineRecord.parse(change(current));
    });
    await this.index.putQuarantine([next]);
    return next;
  }

  /** Every record in the store (reindex). */
  async listFromStore(): Promise<QuarantineRecord[]> {
    const ks = await this.objects.listKeys(keys.quarantinePrefix());
    const out: QuarantineRecord[] = [];
    for (const k of ks) {
      const r = await this.objects.getJson(k, QuarantineRecord);
      if (r) out.push(r);
    }
    return out;
  }

  /** The clerks' list, from the index. */
  list(status: 'open' | 'retried' | 'closed' | 'all'): Promise<QuarantineRecord[]> {
    return this.index.quarantineList(status);
  }
}

// ---- document state ----

/** Test hook: called after the status is in S3 and before the index is written (crash tests). */
export type AfterStoreWrite = (docId: string, status: DocumentStatus) => void | Promise<void>;

/**
 * The one writer of `status.json`. Each transition is checked by the state machine and
 * written with the ETag it was read with (`If-None-Match: *` for the first), re-read and
 * re-applied when another writer got there first. Then its audit event (a deterministic
 * key, so never twice) and the index row. A crash after the S3 write is repaired by the
 * next transition of that document, which re-writes the previous transition's event and
 * the whole row, or by `intake reindex`.
 */
export class DocumentStateRepository {
  afterStoreWrite?: AfterStoreWrite;
  /** Told of every transition once it is in the store and the index (live progress); by name, so registering twice replaces. */
  readonly #observers = new Map<string, (status: DocumentStatus) => void>();

  observe(name: string, observer: (status: DocumentStatus) => void): void {
    this.#observers.set(name, observer);
  }

  constructor(
    private readonly objects: ObjectStore,
    private readonly index: ReviewIndex,
    private readonly audit: AuditRepository,
  ) {}

  get(docId: string): Promise<DocumentStatus | undefined> {
    return this.objects.getJson(keys.status(docId), DocumentStatus);
  }

  async transition(docId: string, transition: Transition, actor = 'pipeline'): Promise<DocumentStatus> {
    const key = keys.status(docId);
    for (let attempt = 1; ; attempt++) {
      const current = await this.objects.getJsonWithEtag(key, DocumentStatus);
      if (current) await this.recordEvent(current.value);
      const next = applyTransition(current?.value, transition, { docId, at: new Date().toISOString(), actor });
      try {
        await this.objects.putJson(key, next, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
      } catch (error) {
        if (!(error instanceof WriteConflictError) || attempt >= CONDITIONAL_ATTEMPTS) throw error;
        await backoff(attempt);
        continue;
      }
      await this.afterStoreWrite?.(docId, next);
      await this.recordEvent(next);
      await this.index.putDocument(next);
      for (const observer of this.#observers.values()) observer(next);
      return next;
    }
  }

  /** The audit event of a status's last transition; its key is fixed by document and version, so this is idempotent. */
  async recordEvent(status: DocumentStatus): Promise<void> {
    const last = status.lastTransition;
    if (!last) return;
    await this.audit.append(
      {
        at: last.at,
        actor: last.actor,
        action: `document.${last.name}`,
        docId: status.docId,
        detail: { stage: status.stage, reviewState: status.reviewState, version: status.version },
      },
      `${status.docId.slice(0, 16)}-v${status.version}`,
    );
  }

  /** Bring the index row up to the store's status (repair). */
  async reindex(docId: string): Promise<DocumentStatus | undefined> {
    const status = await this.get(docId);
    if (status) {
      await this.recordEvent(status);
      await this.index.putDocument(status);
    }
    return status;
  }

  /** Every document id in the store. */
  async listIds(): Promise<string[]> {
    const prefixes = await this.objects.listKeys(keys.documentsPrefix(), { delimiter: '/' });
    return prefixes.map((p) => p.slice('documents/'.length).replace(/\/$/, '')).filter((id) => /^[0-9a-f]{64}$/.test(id));
  }
}
