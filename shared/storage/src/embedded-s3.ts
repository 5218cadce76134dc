import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, open, readdir, readFile, rename, rmdir, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import { mapLimit } from '@intake/core';

/**
 * The embedded default's S3: an S3-compatible HTTP server over a local folder. The
 * application talks to it with the same AWS SDK calls it uses against a real bucket.
 * Bound to loopback only, and:
 * - every request must carry an AWS Signature V4 made with this folder's own key pair
 *   (random, created once per folder, kept in a 0600 file); anything else is refused;
 * - every object is written to a temporary file, flushed, then renamed into place, so a
 *   process killed half way through a write leaves the old object or the new one, never
 *   a torn one;
 * - folders are 0700 and files 0600 (the data is PHI).
 */
export interface EmbeddedS3 {
  endpoint: string;
  credentials: EmbeddedS3Credentials;
  close(): Promise<void>;
}

export interface EmbeddedS3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const require = createRequire(import.meta.url);

interface S3rverObject {
  bucket: string;
  key: string;
  content: Buffer | NodeJS.ReadableStream;
  metadata: Record<string, string>;
}
interface FilesystemStoreBase {
  rootDirectory: string;
  getResourcePath(bucket: string, key?: string, resource?: string): string;
}
type FilesystemStoreClass = new (root: string) => FilesystemStoreBase;
const FilesystemStore = require('s3rver/lib/stores/filesystem') as FilesystemStoreClass & { prototype: FilesystemStoreBase };
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string, detail?: Record<string, string>) => Error;
const S3ObjectModel = require('s3rver/lib/models/object') as new (
  bucket: string,
  key: string,
  content: NodeJS.ReadableStream | null,
  metadata: Record<string, unknown>,
) => { range?: { start: number; end: number } };
const AWSAccount = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
const objectSuffixPick = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'content-type', 'expires'];

/** The suffix s3rver gives an object's file (`<name>._S3rver_object`); temporary files end otherwise. */
const OBJECT_SUFFIX = '._S3rver_object';
/**
 * Objects up to this size are read whole on GET and HEAD, and their ETag is the MD5 of the bytes
 * served (records, statuses, receipts: the objects that are replaced). Larger ones (originals,
 * page images: written once) take the stored MD5.
 */
const READ_WHOLE_MAX = 4 * 1024 * 1024;
/** Metadata reads in flight per listing (s3rver's own listing started one per key of the page at once). */
const LIST_METADATA_CONCURRENCY = 16;

/** How long a bucket's existence and configuration are taken as read (changes through this server apply at once). */
const BUCKET_CACHE_MS = 1000;
interface SubresourceStore {
  getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
  putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<unknown>;
  deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
}

const vanished = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');


/**
 * Continuation tokens of ListObjectsV2. s3rver enciphers its own with DES, which OpenSSL 3
 * (Node >= 17) refuses: every truncated listing — any over 1,000 keys — failed with
 * InternalError. The listing reports truncation here (per request), and the server's
 * middleware writes a token of its own: the last key, base64url, with a marker.
 */
const listing = new AsyncLocalStorage<{ lastKey?: string }>();
const TOKEN_MARK = 'k1.';
const encodeToken = (key: string) => TOKEN_MARK + Buffer.from(key, 'utf8').toString('base64url');
const decodeToken = (token: string): string | undefined =>
  token.startsWith(TOKEN_MARK) ? Buffer.from(token.slice(TOKEN_MARK.length), 'base64url').toString('utf8') : undefined;

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/**
 * s3rver's folder store with writes that cannot tear: the object, its MD5 and its
 * metadata each go to a temporary file first (not listed: its name does not end in the
 * object suffix), are flushed, and are renamed into place, the object first (see putObject). An unreadable
 * metadata file (from a version that wrote in place) reads as no metadata instead of failing
 * every request for that key.
 */
export class AtomicFilesystemStore extends FilesystemStore {
  /**
   * Every request looks its bucket up (a stat) and reads the bucket's CORS and website
   * configurations (two files that are not there: two failed opens). Kept here for
   * BUCKET_CACHE_MS, and dropped at once when this server changes them.
   */
  private readonly bucketCache = new Map<string, { until: number; value: Promise<unknown> }>();

  private cached(key: string, load: () => Promise<unknown>): Promise<unknown> {
    const now = Date.now();
    const hit = this.bucketCache.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = load();
    this.bucketCache.set(key, { until: now + BUCKET_CACHE_MS, value });
    value.catch(() => this.bucketCache.delete(key));
    return value;
  }

  private forgetBucket(bucket: string): void {
    for (const key of this.bucketCache.keys()) if (key === bucket || key.startsWith(`${bucket}/`)) this.bucketCache.delete(key);
  }

  getBucket(bucket: string): Promise<unknown> {
    return this.cached(bucket, () => (FilesystemStore.prototype as unknown as { getBucket(b: string): Promise<unknown> }).getBucket.call(this, bucket));
  }

  async putBucket(bucket: string): Promise<unknown> {
    this.forgetBucket(bucket);
    await mkdir(path.join(this.rootDirectory, bucket), { recursive: true, mode: DIR_MODE });
    this.forgetBucket(bucket);
    return this.getBucket(bucket);
  }

  async deleteBucket(bucket: string): Promise<unknown> {
    this.forgetBucket(bucket);
    try {
      return await (FilesystemStore.prototype as unknown as { deleteBucket(b: string): Promise<unknown> }).deleteBucket.call(this, bucket);
    } finally {
      this.forgetBucket(bucket);
    }
  }

  /** A bucket's configuration (key undefined) from the cache; an object's subresources as s3rver reads them. */
  getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown> {
    const read = () => (FilesystemStore.prototype as unknown as SubresourceStore).getSubresource.call(this, bucket, key, type);
    return key === undefined ? this.cached(`${bucket}/${type}`, read) : read();
  }

  async putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<unknown> {
    this.forgetBucket(bucket);
    try {
      return await (FilesystemStore.prototype as unknown as SubresourceStore).putSubresource.call(this, bucket, key, resource);
    } finally {
      this.forgetBucket(bucket);
    }
  }

  async deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown> {
    this.forgetBucket(bucket);
    try {
      return await (FilesystemStore.prototype as unknown as SubresourceStore).deleteSubresource.call(this, bucket, key, type);
    } finally {
      this.forgetBucket(bucket);
    }
  }

  async getMetadata(bucket: string, key: string): Promise<Record<string, unknown>> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    const info = await stat(objectPath); // throws ENOENT when the object does not exist, as s3rver expects
    let stored: Record<string, unknown> | undefined;
    try {
      stored = JSON.parse(await readFile(this.getResourcePath(bucket, key, 'metadata.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      stored = undefined;
    }
    let md5: string;
    try {
      md5 = (await readFile(`${objectPath}.md5`, 'utf8')).trim();
      if (!/^[0-9a-f]{32}$/.test(md5)) throw new Error('bad md5 file');
    } catch {
      const hash = createHash('md5');
      await pipeline((await open(objectPath)).createReadStream(), new Transform({ transform: (c: Buffer, _e, cb) => (hash.update(c), cb()) }));
      md5 = hash.digest('hex');
      await writeFileAtomic(`${objectPath}.md5`, md5);
    }
    return { ...stored, etag: JSON.stringify(md5), 'last-modified': info.mtime.toUTCString(), 'content-length': info.size };
  }

  /**
   * GET and HEAD from one open file: s3rver took the length and the ETag from the path, then
   * opened it again for the body, so a replace in between served the new body cut to the old
   * length, or the old body under the new ETag (a conditional write made from that read passed
   * its If-Match and lost the newer version). Here the length is the open file's, and the ETag
   * of a small object is computed from the very bytes served.
   */
  async getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<unknown> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    let handle: FileHandle;
    try {
      handle = await open(objectPath, 'r');
    } catch (error) {
      if (vanished(error)) return null;
      throw error;
    }
    let streaming = false;
    try {
      const info = await handle.stat();
      let stored: Record<string, unknown> = {};
      try {
        stored = JSON.parse(await readFile(this.getResourcePath(bucket, key, 'metadata.json'), 'utf8')) as Record<string, unknown>;
      } catch {
        // none, or unreadable: the object's bytes are still served
      }
      const size = info.size;
      const lastByte = Math.max(0, size - 1);
      const range = { start: options?.start ?? 0, end: Math.min(options?.end ?? Infinity, lastByte) };
      const ranged = options !== undefined && (options.start !== undefined || options.end !== undefined);
      let md5: string;
      let whole: Buffer | undefined;
      if (size <= READ_WHOLE_MAX) {
        whole = await handle.readFile();
        md5 = createHash('md5').update(whole).digest('hex');
      } else {
        try {
          md5 = (await readFile(`${objectPath}.md5`, 'utf8')).trim();
          if (!/^[0-9a-f]{32}$/.test(md5)) throw new Error('bad md5 file');
        } catch {
          const hash = createHash('md5');
          await pipeline(handle.createReadStream({ start: 0, autoClose: false }), new Transform({ transform: (c: Buffer, _e, cb) => (hash.update(c), cb()) }));
          md5 = hash.digest('hex');
        }
      }
      const metadata = { ...stored, etag: JSON.stringify(md5), 'last-modified': info.mtime.toUTCString(), 'content-length': size };
      if (range.start < 0 || range.end < range.start) {
        const object = new S3ObjectModel(bucket, key, null, metadata);
        if (ranged) object.range = range;
        return object;
      }
      let content: NodeJS.ReadableStream;
      if (whole) content = Readable.from([whole.subarray(range.start, range.end + 1)]);
      else {
        content = handle.createReadStream({ start: range.start, end: range.end, autoClose: true });
        streaming = true;
      }
      const object = new S3ObjectModel(bucket, key, content, metadata);
      if (ranged) object.range = range;
      return object;
    } finally {
      if (!streaming) await handle.close();
    }
  }

  /**
   * The object's ETag (the MD5 hex), undefined when there is none: of the bytes themselves for an
   * object up to READ_WHOLE_MAX (as GET serves it), else the stored MD5.
   */
  async currentEtag(bucket: string, key: string): Promise<string | undefined> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    let handle: FileHandle;
    try {
      handle = await open(objectPath, 'r');
    } catch (error) {
      if (vanished(error)) return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size <= READ_WHOLE_MAX) return createHash('md5').update(await handle.readFile()).digest('hex');
    } finally {
      await handle.close();
    }
    return JSON.parse(String((await this.getMetadata(bucket, key)).etag)) as string;
  }

  async putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void> {
    const json: Record<string, string> = {};
    for (const [k, v] of Object.entries(metadata)) if (objectSuffixPick.includes(k) || k.startsWith('x-amz-meta-')) json[k] = v;
    if (md5) await this.writeInFolder(this.getResourcePath(bucket, key, 'object.md5'), md5);
    await this.writeInFolder(this.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(json, null, 2));
  }

  async putObject(object: S3rverObject): Promise<{ size: number; md5: string }> {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    const tmp = `${objectPath}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('md5');
    let size = 0;
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : (object.content as NodeJS.ReadableStream);
    try {
      // The folder can vanish between mkdir and open: a delete of the last object in it removes it.
      const out = await this.openInFolder(tmp);
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        }),
        out.createWriteStream(),
      );
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const md5 = hash.digest('hex');
      // The object first, then its MD5 (the ETag) and metadata. The other order let a GET between
      // the two renames pair the old body with the new ETag; a conditional write made from that
      // read then passed its If-Match and replaced the newer version (a lost update). This way a
      // GET in between pairs the new body with the old ETag, and a write from it fails its
      // condition and reads again.
      await rename(tmp, objectPath);
      await this.putMetadata(object.bucket, object.key, object.metadata, md5);
      return { size, md5 };
    } catch (error) {
      await unlink(tmp).catch(() => {});
      throw error;
    }
  }

  /** Create `file` (exclusive, 0600) in its folder, making the folder again if a concurrent delete removed it. */
  private async openInFolder(file: string): Promise<FileHandle> {
    for (let attempt = 1; ; attempt++) {
      try {
        // mkdir itself fails ENOENT when a delete removes a parent folder while it creates the path.
        await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
        return await open(file, 'wx', FILE_MODE);
      } catch (error) {
        if (!vanished(error) || attempt >= 5) throw error;
      }
    }
  }

  /**
   * Writes go through writeFileAtomic into folders a concurrent delete may be removing: the
   * folder is made again when it vanished.
   */
  private async writeInFolder(file: string, data: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
        await writeFileAtomic(file, data);
        return;
      } catch (error) {
        if (!vanished(error) || attempt >= 5) throw error;
      }
    }
  }

  /**
   * s3rver's own delete reads each parent folder synchronously and removes it when empty: a
   * folder removed meanwhile by another delete, or filled by a concurrent put, failed the
   * request (500). Here both are the normal case.
   */
  async deleteObject(bucket: string, key: string): Promise<void> {
    for (const file of [this.getResourcePath(bucket, key, 'object'), this.getResourcePath(bucket, key, 'object.md5'), this.getResourcePath(bucket, key, 'metadata.json')])
      await unlink(file).catch((error: unknown) => {
        if (!vanished(error)) throw error;
      });
    const bucketPath = path.join(this.rootDirectory, bucket);
    const parts = key.split('/');
    parts.pop();
    while (parts.length > 0) {
      try {
        await rmdir(path.join(bucketPath, ...parts));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || vanished(error)) return;
        throw error;
      }
      parts.pop();
    }
  }

  /**
   * Listing, replacing s3rver's: its walk was synchronous (a listing of a large bucket stopped
   * every other request), failed the request when a file vanished between reading a folder
   * and its stat (every atomic write renames a temporary file away), followed the folders'
   * on-disk order (so `start-after` pages could skip keys), and read the metadata of a whole
   * page at once. Here: asynchronous, vanished entries skipped, keys in S3 order (UTF-8
   * binary), at most LIST_METADATA_CONCURRENCY metadata reads at a time.
   */
  async listObjects(
    bucket: string,
    options: { delimiter?: string; startAfter?: string; prefix?: string; maxKeys?: number },
  ): Promise<{ objects: unknown[]; commonPrefixes: string[]; isTruncated: boolean }> {
    const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
    const bucketPath = path.join(this.rootDirectory, bucket);
    const order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    // Keys, and the common prefixes a delimiter makes (a folder beneath one is searched only for one key after startAfter).
    const entries: { key: string; prefix: boolean }[] = [];
    const folder = async (dir: string) => {
      try {
        return await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (vanished(error)) return [];
        throw error;
      }
    };
    const anyKeyAfter = async (dir: string, rel: string): Promise<boolean> => {
      for (const entry of await folder(dir)) {
        if (entry.isDirectory()) {
          if (await anyKeyAfter(path.join(dir, entry.name), `${rel}${entry.name}/`)) return true;
        } else if (entry.name.endsWith(OBJECT_SUFFIX) && order(`${rel}${entry.name.slice(0, -OBJECT_SUFFIX.length)}`, startAfter) > 0) return true;
      }
      return false;
    };
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const entry of await folder(dir)) {
        const name = entry.name;
        if (entry.isDirectory()) {
          const sub = `${rel}${name}/`;
          if (!(sub.startsWith(prefix) || prefix.startsWith(sub))) continue;
          const cut = delimiter && sub.startsWith(prefix) ? sub.indexOf(delimiter, prefix.length) : -1;
          if (cut !== -1) {
            const common = sub.slice(0, cut + delimiter.length);
            if (common === sub) {
              if (await anyKeyAfter(path.join(dir, name), sub)) entries.push({ key: common, prefix: true });
              continue;
            }
          }
          await walk(path.join(dir, name), sub);
        } else if (name.endsWith(OBJECT_SUFFIX)) {
          const key = `${rel}${name.slice(0, -OBJECT_SUFFIX.length)}`;
          if (key.startsWith(prefix)) entries.push({ key, prefix: false });
        }
      }
    };
    // Every key under the prefix is below the folder its last '/' names: the walk starts there
    // (from the bucket's top it read every folder on the way, such as one of thousands of keys beside it).
    // (A prefix whose folders are not plain names, as 'a//b/' or '../', is walked from the top as before.)
    const folderOfPrefix = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const folders = folderOfPrefix.split('/').slice(0, -1);
    if (folders.every((f) => f !== '' && f !== '.' && f !== '..')) await walk(path.join(bucketPath, ...folders), folderOfPrefix);
    else await walk(bucketPath, '');
    entries.sort((a, b) => order(a.key, b.key));
    const commonPrefixes = new Set<string>();
    const page: string[] = [];
    let isTruncated = false;
    for (const { key, prefix: isPrefix } of entries) {
      if (!isPrefix && order(key, startAfter) <= 0) continue;
      if (isPrefix && order(key, startAfter) <= 0 && !startAfter.startsWith(key)) continue;
      let common = isPrefix ? key : undefined;
      if (!common && delimiter) {
        const i = key.indexOf(delimiter, prefix.length);
        if (i !== -1) common = key.slice(0, i + delimiter.length);
      }
      if (common) {
        commonPrefixes.add(common);
        continue;
      }
      if (page.length >= maxKeys) {
        isTruncated = true;
        break;
      }
      page.push(key);
    }
    const metadata = await mapLimit(page, LIST_METADATA_CONCURRENCY, (key) =>
      this.getMetadata(bucket, key).catch((error: unknown) => {
        if (vanished(error)) return undefined; // deleted since the walk
        throw error;
      }),
    );
    const objects: unknown[] = [];
    page.forEach((key, i) => {
      if (metadata[i]) objects.push(new S3ObjectModel(bucket, key, null, metadata[i]!));
    });
    // Truncation goes to the request's listing state: s3rver's own token would fail (see encodeToken).
    const request = listing.getStore();
    if (request && isTruncated && page.length > 0) {
      request.lastKey = page[page.length - 1];
      return { objects, commonPrefixes: [...commonPrefixes].sort(order), isTruncated: false };
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(order), isTruncated };
  }
}

/** The folder's key pair: created once (exclusively, so two processes starting together agree), then read. */
export async function embeddedS3Credentials(directory: string): Promise<EmbeddedS3Credentials> {
  const file = path.join(directory, '.credentials.json');
  const read = async (): Promise<EmbeddedS3Credentials | undefined> => {
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<EmbeddedS3Credentials>;
      if (typeof parsed.accessKeyId === 'string' && typeof parsed.secretAccessKey === 'string') return parsed as EmbeddedS3Credentials;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`the embedded S3 credentials file ${file} is unreadable: remove it to create a new key pair`);
    }
    return undefined;
  };
  const existing = await read();
  if (existing) {
    await chmod(file, FILE_MODE);
    return existing;
  }
  const created: EmbeddedS3Credentials = {
    accessKeyId: `INTAKE${randomBytes(10).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(created), { mode: FILE_MODE });
  try {
    await link(tmp, file); // fails if another process created it first
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp).catch(() => {});
  }
  return (await read())!;
}

/** Folders 0700, files 0600 below `dir` (older versions wrote with the umask's modes). */
export async function restrictModes(dir: string): Promise<void> {
  await chmod(dir, DIR_MODE);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await restrictModes(full);
    else if (entry.isFile()) await chmod(full, FILE_MODE);
  }
}

/** restrictModes once per folder (a marker records it): later writes create 0600/0700 themselves. */
async function restrictModesOnce(dir: string): Promise<void> {
  const marker = path.join(dir, '.modes-restricted');
  try {
    await stat(marker);
    return;
  } catch {
    await restrictModes(dir);
    await writeFile(marker, '', { mode: FILE_MODE });
  }
}

const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/**
 * Verify an AWS Signature V4 Authorization header against our key pair (s3rver itself
 * accepts any signature, and unsigned requests). S3's canonical URI is the path as sent.
 * Returns why a request is refused, or undefined when it is signed correctly.
 */
export function verifySigV4(
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined> },
  credentials: EmbeddedS3Credentials,
  now = Date.now(),
): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return 'unsigned request';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/s3\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(header);
  if (!m) return 'unsupported authorization';
  const [, accessKeyId, day, region, signedHeaderList, signature] = m as unknown as [string, string, string, string, string, string];
  if (accessKeyId !== credentials.accessKeyId) return 'unknown access key';
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== day) return 'bad date';
  const at = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (!Number.isFinite(at) || Math.abs(now - at) > 15 * 60_000) return 'request time too far from now';
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-content-sha256')) return 'host and payload hash must be signed';
  const payloadHash = request.headers['x-amz-content-sha256'];
  if (typeof payloadHash !== 'string') return 'no payload hash';

  const q = request.url.indexOf('?');
  const rawPath = q < 0 ? request.url : request.url.slice(0, q);
  const pairs = q < 0 ? [] : [...new URLSearchParams(request.url.slice(q + 1)).entries()];
  const canonicalQuery = pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  let canonicalHeaders = '';
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return `signed header ${name} missing`;
    const joined = Array.isArray(value) ? value.join(',') : value;
    canonicalHeaders += `${name}:${joined.trim().replace(/\s+/g, ' ')}\n`;
  }
  const canonicalRequest = [request.method, rawPath, canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 's3'), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature does not match';
  return undefined;
}

interface KoaContext {
  req: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> };
  query: Record<string, string | string[] | undefined>;
  body: unknown;
}

interface KoaLike {
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
  store: unknown;
  context: { store: unknown };
}

export async function startEmbeddedS3(options: { directory: string; port?: number; bucket: string }): Promise<EmbeddedS3> {
  await mkdir(options.directory, { recursive: true, mode: DIR_MODE });
  await restrictModesOnce(options.directory);
  const credentials = await embeddedS3Credentials(options.directory);
  // s3rver looks keys up in a process-wide registry before its own (non-)check; ours is verified below.
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  const koa = server as unknown as KoaLike;
  koa.store = koa.context.store = new AtomicFilesystemStore(options.directory);
  // s3rver's request log (koa-logger) formats a coloured line for every request, silent or not:
  // the server is silent, so the line is not made (it was a share of every request's CPU).
  const requestLog = koa.middleware.findIndex((m) => m.name === 'logger');
  if (requestLog >= 0) koa.middleware.splice(requestLog, 1);
  koa.middleware.unshift(async (ctx, next) => {
    const why = verifySigV4({ method: ctx.req.method ?? 'GET', url: ctx.req.url ?? '/', headers: ctx.req.headers }, credentials);
    if (why) throw new S3Error('AccessDenied', `Access Denied (${why})`);
    await next();
  });
  // Conditional writes, as S3 does them: a PUT with If-None-Match: * fails (412) when the object
  // exists, one with If-Match when its ETag is another (or there is none). Every PUT and DELETE
  // of a key waits for the one before it, so a check and its write are not split by another write
  // of that key (this server is the folder's only writer). s3rver ignored both headers: the store
  // checked them itself with a HEAD before each such write, exact only within its own process.
  const store = koa.store as AtomicFilesystemStore;
  const writes = new Map<string, Promise<unknown>>();
  koa.middleware.splice(1, 0, async (ctx, next) => {
    const method = ctx.req.method ?? 'GET';
    const url = ctx.req.url ?? '/';
    const q = url.indexOf('?');
    // Object writes only: a query other than the SDK's x-id is a subresource (tagging, multipart parts…).
    const query = q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1)).keys()];
    if ((method !== 'PUT' && method !== 'DELETE') || query.some((k) => k !== 'x-id') || ctx.req.headers['x-amz-copy-source'] !== undefined) return next();
    const [bucket, ...rest] = (q < 0 ? url : url.slice(0, q)).slice(1).split('/').map((part) => decodeURIComponent(part));
    const key = rest.join('/');
    if (!bucket || !key) return next();
    const header = (name: string) => {
      const v = ctx.req.headers[name];
      return typeof v === 'string' ? v.trim() : undefined;
    };
    const ifNoneMatch = method === 'PUT' ? header('if-none-match') : undefined;
    const ifMatch = method === 'PUT' ? header('if-match') : undefined;
    const id = `${bucket}/${key}`;
    const previous = writes.get(id) ?? Promise.resolve();
    const run = previous.then(async () => {
      if (ifNoneMatch !== undefined || ifMatch !== undefined) {
        const current = await store.currentEtag(bucket, key);
        const failed =
          (ifNoneMatch === '*' && current !== undefined) || (ifMatch !== undefined && (current === undefined || ifMatch.replace(/^"|"$/g, '') !== current));
        if (failed)
          throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
            Condition: ifMatch !== undefined ? 'If-Match' : 'If-None-Match',
          });
      }
      await next();
    });
    const tail = run.catch(() => undefined);
    writes.set(id, tail);
    try {
      await run;
    } finally {
      if (writes.get(id) === tail) writes.delete(id);
    }
  });
  // Just before the router (inside the XML encoder, so the body is still an object): our continuation tokens.
  koa.middleware.splice(koa.middleware.length - 1, 0, async (ctx, next) => {
    if (ctx.query['list-type'] !== '2') return next();
    const token = typeof ctx.query['continuation-token'] === 'string' ? ctx.query['continuation-token'] : undefined;
    const after = token === undefined ? undefined : decodeToken(token);
    if (token !== undefined && after === undefined) throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
    if (after !== undefined) {
      const query: KoaContext['query'] = { ...ctx.query, 'start-after': after };
      delete query['continuation-token'];
      ctx.query = query;
    }
    const state: { lastKey?: string } = {};
    await listing.run(state, next);
    const result = (ctx.body as { ListBucketResult?: Record<string, unknown> } | undefined)?.ListBucketResult;
    if (!result) return;
    if (token !== undefined) {
      delete result.StartAfter;
      result.ContinuationToken = token;
    }
    if (state.lastKey !== undefined) {
      result.IsTruncated = true;
      result.NextContinuationToken = encodeToken(state.lastKey);
    }
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials,
    close: () => server.close(),
  };
}
