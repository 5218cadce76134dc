import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { z } from 'zod';
import type { S3Settings } from './s3.ts';

/** A conditional write lost: the object was created or changed by another writer since it was read. */
export class WriteConflictError extends Error {
  override readonly name = 'WriteConflictError';
  constructor(readonly key: string) {
    super('the object was changed by another writer');
  }
}

/** What a conditional write asks: create only (`If-None-Match: *`) or replace the version read (`If-Match: etag`). */
export type WriteCondition = { ifNoneMatch: '*' } | { ifMatch: string } | undefined;

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

function isConditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return e?.name === 'PreconditionFailed' || e?.name === 'ConditionalRequestConflict' || status === 412 || status === 409;
}

/**
 * The low-level object layer, private to shared/storage: the repositories are the only
 * callers. Every write requests server-side encryption and may carry a condition.
 *
 * S3 (and MinIO, Ceph, …, and the embedded default's server: embedded-s3.ts) enforce
 * `If-None-Match` / `If-Match` on PUT themselves. Some S3-compatible servers ignore them
 * (s3rver alone does); `open()` probes once, and against such a server the condition is checked
 * here under a per-key lock, which is exact within one process only.
 */
export class ObjectStore {
  // Until open() has probed, assume the server ignores conditions: checking here as well is never wrong.
  private serverEnforcesConditions = false;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly s3: S3Client,
    readonly settings: S3Settings,
  ) {}

  get bucket(): string {
    return this.settings.bucket;
  }

  /** How conditional writes are enforced: by the server, or in this process (servers that ignore the headers). */
  get conditionalWrites(): 'server' | 'process' {
    return this.serverEnforcesConditions ? 'server' : 'process';
  }

  /** Create the bucket when missing (embedded default and tests), then find out whether the server enforces conditions. */
  async open(): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.s3.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
    const probe = `.probe/conditional-write-${randomBytes(8).toString('hex')}`;
    await this.send(probe, '1', 'text/plain', { ifNoneMatch: '*' });
    try {
      await this.send(probe, '2', 'text/plain', { ifNoneMatch: '*' });
      this.serverEnforcesConditions = false;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      this.serverEnforcesConditions = true;
    } finally {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probe }));
    }
  }

  private async send(key: string, body: Uint8Array | string, contentType: string, condition: WriteCondition): Promise<string> {
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ServerSideEncryption: this.settings.sse,
    };
    if (this.settings.sse === 'aws:kms' && this.settings.kmsKeyId) input.SSEKMSKeyId = this.settings.kmsKeyId;
    if (condition && 'ifNoneMatch' in condition) input.IfNoneMatch = '*';
    if (condition && 'ifMatch' in condition) input.IfMatch = condition.ifMatch;
    const out = await this.s3.send(new PutObjectCommand(input));
    return out.ETag ?? '';
  }

  /** Serialise the check and the write of one key within this process. */
  private async withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  /**
   * Write an object; with a condition, WriteConflictError when it does not hold.
   * Returns the new ETag.
   */
  async put(key: string, body: Uint8Array | string, contentType: string, condition?: WriteCondition): Promise<string> {
    if (!condition) return this.send(key, body, contentType, undefined);
    if (this.serverEnforcesConditions) {
      try {
        return await this.send(key, body, contentType, condition);
      } catch (error) {
        if (isConditionFailed(error)) throw new WriteConflictError(key);
        throw error;
      }
    }
    return this.withKeyLock(key, async () => {
      const current = await this.head(key);
      if ('ifNoneMatch' in condition && current !== undefined) throw new WriteConflictError(key);
      if ('ifMatch' in condition && current !== condition.ifMatch) throw new WriteConflictError(key);
      return this.send(key, body, contentType, undefined);
    });
  }

  /** Create once: false when the key is already there. */
  async create(key: string, body: Uint8Array | string, contentType: string): Promise<boolean> {
    try {
      await this.put(key, body, contentType, { ifNoneMatch: '*' });
      return true;
    } catch (error) {
      if (error instanceof WriteConflictError) return false;
      throw error;
    }
  }

  /** The object's ETag, or undefined when it does not exist. */
  async head(key: string): Promise<string | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.ETag ?? '';
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async getBytesWithEtag(key: string): Promise<{ bytes: Buffer; etag: string } | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return undefined;
      return { bytes: Buffer.from(await out.Body.transformToByteArray()), etag: out.ETag ?? '' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getBytes(key: string): Promise<Buffer | undefined> {
    return (await this.getBytesWithEtag(key))?.bytes;
  }

  async putJson(key: string, value: unknown, condition?: WriteCondition): Promise<string> {
    return this.put(key, JSON.stringify(value), 'application/json', condition);
  }

  async createJson(key: string, value: unknown): Promise<boolean> {
    return this.create(key, JSON.stringify(value), 'application/json');
  }

  async getJson<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    return (await this.getJsonWithEtag(key, schema))?.value;
  }

  async getJsonWithEtag<S extends z.ZodType>(key: string, schema: S): Promise<{ value: z.infer<S>; etag: string } | undefined> {
    const got = await this.getBytesWithEtag(key);
    if (!got) return undefined;
    return { value: schema.parse(JSON.parse(got.bytes.toString('utf8'))), etag: got.etag };
  }

  /** Every key under a prefix, in key order (with a delimiter: the common prefixes too). */
  async listKeys(prefix: string, options: { delimiter?: string; max?: number; startAfter?: string } = {}): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: options.delimiter,
          ContinuationToken: token,
          StartAfter: token ? undefined : options.startAfter,
        }),
      );
      for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (options.max && out.length >= options.max) break;
    } while (token);
    return out.sort();
  }

  /** Walk every key under a prefix page by page, without holding them all. */
  async *walk(prefix: string): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) yield o.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
