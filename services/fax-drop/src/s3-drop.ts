import { createHash } from 'node:crypto';
import path from 'node:path';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@intake/config';
import type { readDocumentJob } from '@intake/core';
import { detectMediaType } from '@intake/documents/containers';
import { ingestArrival, type ArrivalOutcome } from '@intake/arrivals';
import type { JobProducer } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';
import { DEFAULT_SIDECAR_FIELDS, gatewayHints, parseSidecar, sidecarNames, type GatewayHint } from './sidecar.ts';

export interface S3DropOptions {
  s3: S3Client;
  bucket: string;
  /** The prefix the gateway writes into, e.g. `fax-inbox/`. */
  prefix: string;
  /** Taken objects are moved here (outside `prefix`). */
  archivePrefix: string;
  pollMs: number;
  /** Endings taken (lower case, no dot), or ['*']. */
  extensions: readonly string[];
  maxFileBytes: number;
  sidecarFields?: Record<GatewayHint, string[]>;
  /** Server-side encryption requested on the archive copy (the review store's S3_SSE). */
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
}

interface Seen {
  etag?: string;
  size?: number;
  modified?: number;
  stableScans: number;
  taken?: boolean;
}

/** An object named in logs without its key (keys can name a patient): a short hash, and its ending. */
export function objectRef(key: string): string {
  const lower = key.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  const ending = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).slice(0, 12) : '';
  return `${createHash('sha256').update(key).digest('hex').slice(0, 12)}${ending ? `.${ending}` : ''}`;
}

const PARTIAL = /\.(part|tmp|crdownload|filepart)$/i;
const SIDECAR = /\.(json|xml)$/i;

/**
 * A cloud fax gateway's bucket prefix, polled with ListObjectsV2. The same stable rule as
 * the folder: an object is taken once its ETag, size and last-modified time are the same
 * on two consecutive listings (a multipart upload in progress is not listed at all; a
 * gateway that rewrites an object changes its ETag). Taking it: the bytes, its metadata
 * and a sidecar (same base name, .json/.xml) through the durable intake step, then a copy
 * to the archive prefix and the deletes. A crash before the delete only means the next
 * listing takes it again, which content ids make harmless. In production S3 event
 * notifications through SQS can replace the polling; the taking is the same.
 */
export class S3PrefixDrop {
  private readonly seen = new Map<string, Seen>();
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly options: S3DropOptions,
    private readonly deps: {
      store: ReviewStore;
      readProducer: JobProducer<typeof readDocumentJob.schema>;
      logger: Logger;
      onTaken?: (outcome: ArrivalOutcome) => void;
    },
  ) {
    const prefix = options.prefix.replace(/^\/+/, '');
    const archive = options.archivePrefix.replace(/^\/+/, '');
    if (archive.startsWith(prefix) || prefix.startsWith(archive)) throw new Error('FAX_ARCHIVE_S3_PREFIX must not overlap FAX_DROP_S3_PREFIX');
  }

  start(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanning = this.scan()
        .catch((error: unknown) => this.deps.logger.error({ err: { name: (error as Error).name, message: (error as Error).message } }, 's3 fax drop scan failed'))
        .finally(() => this.schedule(this.options.pollMs));
    }, ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  private async list(): Promise<Map<string, { etag?: string; size?: number; modified?: number }>> {
    const out = new Map<string, { etag?: string; size?: number; modified?: number }>();
    let token: string | undefined;
    do {
      const page = await this.options.s3.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.options.prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) out.set(o.Key, { etag: o.ETag, size: o.Size, modified: o.LastModified?.getTime() });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  private accepts(key: string): boolean {
    const lower = key.toLowerCase();
    if (PARTIAL.test(lower)) return false;
    const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
    return this.options.extensions.includes('*') || this.options.extensions.includes(ext);
  }

  /** One listing; exported for tests and one-shot runs. */
  async scan(): Promise<void> {
    const objects = await this.list();
    for (const key of this.seen.keys()) if (!objects.has(key)) this.seen.delete(key);
    const keys = [...objects.keys()].sort();
    // A .json/.xml beside another object with the same base name is that object's sidecar, not a document.
    const sidecarOf = new Map<string, string>();
    for (const key of keys) {
      if (SIDECAR.test(key)) continue;
      for (const name of sidecarNames(key)) if (objects.has(name)) sidecarOf.set(name, key);
    }
    for (const key of keys) {
      if (this.stopped) return;
      const now = objects.get(key)!;
      const prev = this.seen.get(key);
      if (!prev || prev.etag !== now.etag || prev.size !== now.size || prev.modified !== now.modified) {
        this.seen.set(key, { ...now, stableScans: 0 });
        continue;
      }
      prev.stableScans += 1;
      if (prev.taken || prev.stableScans < 1 || !this.accepts(key)) continue;
      const sidecar = sidecarNames(key).find((n) => objects.has(n));
      if (sidecarOf.has(key)) {
        // Possibly a sidecar: unless it is a document itself (a C-CDA), it waits for its fax.
        const bytes = await this.get(key);
        if (bytes && detectMediaType(bytes.bytes) === undefined) continue;
      }
      if (sidecar && (this.seen.get(sidecar)?.stableScans ?? 0) < 1) continue; // the sidecar is still being written
      // Each object on its own: one that fails is logged (by a hash of its key, never the key) and tried again next listing.
      try {
        await this.take(key, sidecar);
        prev.taken = true;
      } catch (error) {
        const e = error as Error & { code?: string };
        this.deps.logger.error(
          { object: objectRef(key), err: { name: e.name, code: e.code, message: e.message } },
          's3 fax drop could not take an object; it stays in the prefix and is tried again',
        );
      }
    }
  }

  private async get(key: string): Promise<{ bytes: Buffer; metadata: Record<string, string>; modified?: Date } | undefined> {
    try {
      const out = await this.options.s3.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      if (!out.Body) return undefined;
      return { bytes: Buffer.from(await out.Body.transformToByteArray()), metadata: out.Metadata ?? {}, modified: out.LastModified };
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined; // taken by another watcher
      throw error;
    }
  }

  private async take(key: string, sidecarKey: string | undefined): Promise<void> {
    const object = await this.get(key);
    if (!object) return;
    const gateway: Record<string, string> = {};
    for (const [k, v] of Object.entries(object.metadata)) gateway[`s3.${k}`] = v;
    if (sidecarKey) {
      const side = await this.get(sidecarKey);
      const fields = side ? parseSidecar(side.bytes) : undefined;
      if (fields) Object.assign(gateway, fields);
      else if (side) gateway['sidecar.unreadable'] = path.basename(sidecarKey);
    }
    const names = this.options.sidecarFields ?? DEFAULT_SIDECAR_FIELDS;
    const hints = { ...gatewayHints(Object.fromEntries(Object.entries(object.metadata)), names), ...gatewayHints(gateway, names) };
    const outcome = await ingestArrival(
      { store: this.deps.store, readProducer: this.deps.readProducer, maxFileBytes: this.options.maxFileBytes },
      {
        bytes: object.bytes,
        channel: 'fax',
        fileName: path.posix.basename(key),
        receivedAt: object.modified ?? new Date(),
        origin: `s3://${this.options.bucket}/${key}`,
        hints,
        gateway: Object.keys(gateway).length > 0 ? gateway : undefined,
      },
    );
    this.deps.logger.info(
      { doc: outcome.docId.slice(0, 12), documents: outcome.documents.length, container: outcome.container?.kind, sidecar: Boolean(sidecarKey) },
      'fax taken from the s3 drop',
    );
    await this.archive(key, outcome.docId);
    if (sidecarKey) await this.archive(sidecarKey, outcome.docId);
    this.deps.onTaken?.(outcome);
  }

  private async archive(key: string, docId: string): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    const archivePrefix = this.options.archivePrefix.endsWith('/') ? this.options.archivePrefix : `${this.options.archivePrefix}/`;
    const target = `${archivePrefix}${day}/${docId.slice(0, 16)}-${path.posix.basename(key)}`;
    await this.options.s3.send(
      new CopyObjectCommand({
        Bucket: this.options.bucket,
        Key: target,
        CopySource: `${this.options.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'COPY',
        ServerSideEncryption: this.options.sse ?? 'AES256',
        SSEKMSKeyId: this.options.sse === 'aws:kms' ? this.options.kmsKeyId : undefined,
      }),
    );
    await this.options.s3.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }
}
