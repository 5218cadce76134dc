import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  ExtractionResult,
  IntakeRecord,
  PageText,
  QuarantineRecord,
  Receipt,
  ReviewRevision,
  sha256Hex,
} from '@intake/core';
import { z } from 'zod';
import { keys, revisionFromKey } from './keys.ts';
import type { S3Settings } from './s3.ts';

/** The summary the review queue lists; updated by each pipeline step. */
export const DocumentStatus = z.object({
  docId: z.string(),
  stage: z.enum(['received', 'read', 'extracted', 'quarantined']),
  reviewState: z.enum(['pending', 'in-review', 'approved', 'rejected', 'needs-member-action']).default('pending'),
  channel: z.string(),
  receivedAt: z.string(),
  updatedAt: z.string(),
  mediaType: z.string().optional(),
  pages: z.number().int().optional(),
  itemCounts: z.record(z.string(), z.number()).optional(),
  memberId: z.string().optional(),
  latestRevision: z.number().int().default(0),
  quarantineReason: z.string().optional(),
});
export type DocumentStatus = z.infer<typeof DocumentStatus>;

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

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The HIMS review store over S3. Every write requests server-side encryption. Objects
 * under raw/ and revisions are write-once: the store checks before writing, and the
 * callers that could race (clerks on one record) hold a lease in Redis.
 */
export class ReviewStore {
  constructor(
    readonly s3: S3Client,
    readonly settings: S3Settings,
  ) {}

  get bucket(): string {
    return this.settings.bucket;
  }

  /** Create the bucket when it is missing (embedded default and tests; production buckets are provisioned by infra). */
  async ensureBucket(): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.s3.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  // ---- low level ----

  async put(key: string, body: Uint8Array | string, contentType: string, metadata?: Record<string, string>): Promise<void> {
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ServerSideEncryption: this.settings.sse,
      Metadata: metadata,
    };
    if (this.settings.sse === 'aws:kms' && this.settings.kmsKeyId) input.SSEKMSKeyId = this.settings.kmsKeyId;
    await this.s3.send(new PutObjectCommand(input));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async getBytes(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return undefined;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.put(key, JSON.stringify(value), 'application/json');
  }

  async getJson<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const bytes = await this.getBytes(key);
    if (!bytes) return undefined;
    return schema.parse(JSON.parse(bytes.toString('utf8')));
  }

  /** Every key under a prefix, in key order. */
  async listKeys(prefix: string, options: { delimiter?: string; max?: number } = {}): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: options.delimiter,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (options.max && out.length >= options.max) break;
    } while (token);
    return out.sort();
  }

  // ---- originals and intake ----

  /** Write the original once; a second delivery of the same bytes finds it there. */
  async putOriginal(docId: string, bytes: Uint8Array, contentType = 'application/octet-stream'): Promise<{ created: boolean }> {
    if (sha256Hex(bytes) !== docId) throw new Error('document id does not match the bytes');
    const key = keys.original(docId);
    if (await this.exists(key)) return { created: false };
    await this.put(key, bytes, contentType);
    return { created: true };
  }

  getOriginal(docId: string): Promise<Buffer | undefined> {
    return this.getBytes(keys.original(docId));
  }

  async putRawEmail(emailId: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const key = keys.rawEmail(emailId);
    if (await this.exists(key)) return { created: false };
    await this.put(key, bytes, 'message/rfc822');
    return { created: true };
  }

  getRawEmail(emailId: string): Promise<Buffer | undefined> {
    return this.getBytes(keys.rawEmail(emailId));
  }

  /**
   * Record an arrival. Returns whether this document is new: the first arrival writes the
   * intake record; every arrival writes a receipt (so a repeat is visible, not lost).
   */
  async recordArrival(receipt: Receipt): Promise<{ isNew: boolean }> {
    const parsed = Receipt.parse(receipt);
    const receiptId = sha256Hex(
      JSON.stringify([parsed.channel, parsed.origin ?? '', parsed.fileName, parsed.hints.messageId ?? '', parsed.receivedAt]),
    );
    await this.putJson(keys.receipt(parsed.docId, receiptId), parsed);
    const intakeKey = keys.intake(parsed.docId);
    if (await this.exists(intakeKey)) return { isNew: false };
    const record: IntakeRecord = { ...parsed, sha256: parsed.docId };
    await this.putJson(intakeKey, record);
    return { isNew: true };
  }

  getIntake(docId: string): Promise<IntakeRecord | undefined> {
    return this.getJson(keys.intake(docId), IntakeRecord);
  }

  async listReceipts(docId: string): Promise<Receipt[]> {
    const ks = await this.listKeys(keys.receiptsPrefix(docId));
    const out: Receipt[] = [];
    for (const k of ks) {
      const r = await this.getJson(k, Receipt);
      if (r) out.push(r);
    }
    return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  // ---- status ----

  getStatus(docId: string): Promise<DocumentStatus | undefined> {
    return this.getJson(keys.status(docId), DocumentStatus);
  }

  async putStatus(status: DocumentStatus): Promise<void> {
    await this.putJson(keys.status(status.docId), DocumentStatus.parse(status));
  }

  async updateStatus(docId: string, patch: Partial<DocumentStatus>): Promise<DocumentStatus> {
    const now = new Date().toISOString();
    const current = (await this.getStatus(docId)) ?? {
      docId,
      stage: 'received' as const,
      reviewState: 'pending' as const,
      channel: 'fax',
      receivedAt: now,
      updatedAt: now,
      latestRevision: 0,
    };
    const next = DocumentStatus.parse({ ...current, ...patch, docId, updatedAt: now });
    await this.putStatus(next);
    return next;
  }

  /** Every document id in the store. */
  async listDocumentIds(): Promise<string[]> {
    const prefixes = await this.listKeys(keys.documentsPrefix(), { delimiter: '/' });
    return prefixes.map((p) => p.slice('documents/'.length).replace(/\/$/, '')).filter((id) => /^[0-9a-f]{64}$/.test(id));
  }

  // ---- pages and extraction ----

  async putPage(docId: string, page: PageText): Promise<void> {
    await this.putJson(keys.pageText(docId, page.page), PageText.parse(page));
  }

  getPage(docId: string, page: number): Promise<PageText | undefined> {
    return this.getJson(keys.pageText(docId, page), PageText);
  }

  async putPageImage(docId: string, page: number, data: Uint8Array, mediaType: 'image/png' | 'image/jpeg'): Promise<'png' | 'jpg'> {
    const ext = mediaType === 'image/png' ? 'png' : 'jpg';
    await this.put(keys.pageImage(docId, page, ext), data, mediaType);
    return ext;
  }

  getPageImage(docId: string, page: number, ext: 'png' | 'jpg'): Promise<Buffer | undefined> {
    return this.getBytes(keys.pageImage(docId, page, ext));
  }

  async putReadManifest(manifest: ReadManifest): Promise<void> {
    await this.putJson(keys.readManifest(manifest.docId), ReadManifest.parse(manifest));
  }

  getReadManifest(docId: string): Promise<ReadManifest | undefined> {
    return this.getJson(keys.readManifest(docId), ReadManifest);
  }

  async getPages(docId: string): Promise<PageText[]> {
    const manifest = await this.getReadManifest(docId);
    if (!manifest) return [];
    const pages: PageText[] = [];
    for (const p of manifest.pages) {
      const page = await this.getPage(docId, p.page);
      if (!page) throw new Error(`page ${p.page} of a read document is missing from the store`);
      pages.push(page);
    }
    return pages;
  }

  async putExtraction(docId: string, result: ExtractionResult): Promise<void> {
    await this.putJson(keys.extraction(docId), ExtractionResult.parse(result));
  }

  getExtraction(docId: string): Promise<ExtractionResult | undefined> {
    return this.getJson(keys.extraction(docId), ExtractionResult);
  }

  // ---- review revisions ----

  async latestRevisionNumber(docId: string): Promise<number> {
    const ks = await this.listKeys(keys.revisionsPrefix(docId));
    let latest = 0;
    for (const k of ks) latest = Math.max(latest, revisionFromKey(k) ?? 0);
    return latest;
  }

  getRevision(docId: string, revision: number): Promise<ReviewRevision | undefined> {
    return this.getJson(keys.revision(docId, revision), ReviewRevision);
  }

  async listRevisions(docId: string): Promise<ReviewRevision[]> {
    const ks = await this.listKeys(keys.revisionsPrefix(docId));
    const out: ReviewRevision[] = [];
    for (const k of ks) {
      const r = await this.getJson(k, ReviewRevision);
      if (r) out.push(r);
    }
    return out;
  }

  /**
   * Append a revision. It must name the latest revision as the one it replaces, else
   * RevisionConflictError: a clerk never silently overwrites another's work. Callers
   * hold the record's lease (Redis) so the check and the write are not interleaved.
   */
  async appendRevision(revision: ReviewRevision): Promise<ReviewRevision> {
    const parsed = ReviewRevision.parse(revision);
    const latest = await this.latestRevisionNumber(parsed.docId);
    if (parsed.replaces !== latest || parsed.revision !== latest + 1) throw new RevisionConflictError(latest);
    const key = keys.revision(parsed.docId, parsed.revision);
    if (await this.exists(key)) throw new RevisionConflictError(parsed.revision);
    await this.putJson(key, parsed);
    return parsed;
  }

  // ---- quarantine ----

  async putQuarantine(record: QuarantineRecord): Promise<void> {
    await this.putJson(keys.quarantine(record.docId), QuarantineRecord.parse(record));
  }

  getQuarantine(docId: string): Promise<QuarantineRecord | undefined> {
    return this.getJson(keys.quarantine(docId), QuarantineRecord);
  }

  async listQuarantine(): Promise<QuarantineRecord[]> {
    const ks = await this.listKeys(keys.quarantinePrefix());
    const out: QuarantineRecord[] = [];
    for (const k of ks) {
      const r = await this.getJson(k, QuarantineRecord);
      if (r) out.push(r);
    }
    return out;
  }

  // ---- audit ----

  /** Append-only: each event is its own object, never rewritten. */
  async appendAudit(event: AuditEvent): Promise<string> {
    const parsed = AuditEvent.parse(event);
    const key = keys.audit(new Date(parsed.at), randomBytes(6).toString('hex'));
    await this.putJson(key, parsed);
    return key;
  }

  async listAudit(options: { day?: Date; max?: number } = {}): Promise<AuditEvent[]> {
    const ks = await this.listKeys(keys.auditPrefix(options.day), { max: options.max });
    const out: AuditEvent[] = [];
    for (const k of ks.slice(-(options.max ?? 1000))) {
      const e = await this.getJson(k, AuditEvent);
      if (e) out.push(e);
    }
    return out;
  }
}
