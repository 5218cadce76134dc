import { Readable } from 'node:stream';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteBucketCorsCommand, DeleteObjectCommand, GetBucketCorsCommand, GetObjectCommand, ListObjectsV2Command, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtomicFilesystemStore, embeddedS3Credentials, startEmbeddedS3, verifySigV4, type EmbeddedS3 } from './embedded-s3.ts';
import { createS3Client } from './s3.ts';

const settings = (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) => ({
  endpoint,
  bucket: 'auth-test',
  region: 'us-east-1',
  forcePathStyle: true,
  sse: 'AES256' as const,
  credentials: { ...credentials },
});
async function putJson(s3: S3Client, key: string, value: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: 'auth-test', Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
}
async function getJson(s3: S3Client, key: string): Promise<unknown> {
  const out = await s3.send(new GetObjectCommand({ Bucket: 'auth-test', Key: key }));
  return JSON.parse(await out.Body!.transformToString());
}

async function walk(dir: string): Promise<{ file: string; mode: number; dir: boolean }[]> {
  const out: { file: string; mode: number; dir: boolean }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    out.push({ file: full, mode: (await stat(full)).mode & 0o777, dir: e.isDirectory() });
    if (e.isDirectory()) out.push(...(await walk(full)));
  }
  return out;
}

describe('embedded S3: signed requests only, writes that cannot tear, private files', () => {
  let dir: string;
  let embedded: EmbeddedS3;
  let s3: S3Client;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-s3-'));
    embedded = await startEmbeddedS3({ directory: path.join(dir, 's3'), bucket: 'auth-test' });
    s3 = createS3Client(settings(embedded.endpoint, embedded.credentials));
    await putJson(s3, 'documents/x/status.json', { ok: true });
  });
  afterAll(async () => {
    s3?.destroy();
    await embedded?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('enforces If-None-Match: * and If-Match on PUT (412), one check-and-write of a key at a time', async () => {
    const put = (Key: string, Body: string, cond: { IfNoneMatch?: string; IfMatch?: string }) =>
      s3.send(new PutObjectCommand({ Bucket: 'auth-test', Key, Body, ContentType: 'application/json', ...cond }));
    const failed = { $metadata: { httpStatusCode: 412 } };
    const first = await put('cond/a.json', '{"v":1}', { IfNoneMatch: '*' });
    await expect(put('cond/a.json', '{"v":2}', { IfNoneMatch: '*' })).rejects.toMatchObject(failed);
    await expect(put('cond/a.json', '{"v":2}', { IfMatch: '"00000000000000000000000000000000"' })).rejects.toMatchObject(failed);
    await expect(put('cond/missing.json', '{}', { IfMatch: first.ETag! })).rejects.toMatchObject(failed);
    const second = await put('cond/a.json', '{"v":2}', { IfMatch: first.ETag! });
    await expect(put('cond/a.json', '{"v":3}', { IfMatch: first.ETag! })).rejects.toMatchObject(failed); // stale now
    expect(await getJson(s3, 'cond/a.json')).toEqual({ v: 2 });
    // Ten writers replace the version they read at once: one wins, nine learn they lost.
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => put('cond/a.json', `{"v":${10 + i}}`, { IfMatch: second.ETag! })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const creates = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => put('cond/b.json', `{"w":${i}}`, { IfNoneMatch: '*' })));
    expect(creates.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a bucket configuration changed through the server applies to the next request (its lookups are cached)', async () => {
    const cors = { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://review.example'] }] };
    await expect(s3.send(new GetBucketCorsCommand({ Bucket: 'auth-test' }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
    await s3.send(new PutBucketCorsCommand({ Bucket: 'auth-test', CORSConfiguration: cors }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: 'auth-test' }))).CORSRules?.[0]?.AllowedOrigins).toEqual(['https://review.example']);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'auth-test' }));
    await expect(s3.send(new GetBucketCorsCommand({ Bucket: 'auth-test' }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
  });

  it('lists a folder deep among many (the walk starts at the folder the prefix names), with and without a delimiter', async () => {
    for (let i = 0; i < 30; i++) await putJson(s3, `deep/bands/b${String(i).padStart(2, '0')}/doc-${i}`, {});
    await putJson(s3, 'deep/bands/b07/sub/doc-x', {});
    await putJson(s3, 'deep/bands/b07x/doc-y', {});
    const list = async (Prefix: string, Delimiter?: string) => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'auth-test', Prefix, Delimiter }));
      return [...(out.Contents ?? []).map((o) => o.Key), ...(out.CommonPrefixes ?? []).map((p) => p.Prefix)];
    };
    expect(await list('deep/bands/b07/')).toEqual(['deep/bands/b07/doc-7', 'deep/bands/b07/sub/doc-x']);
    expect(await list('deep/bands/b07/', '/')).toEqual(['deep/bands/b07/doc-7', 'deep/bands/b07/sub/']);
    expect(await list('deep/bands/b07')).toEqual(['deep/bands/b07/doc-7', 'deep/bands/b07/sub/doc-x', 'deep/bands/b07x/doc-y']);
    expect(await list('deep/bands/b2', '/')).toEqual(['deep/bands/b20/', 'deep/bands/b21/', 'deep/bands/b22/', 'deep/bands/b23/', 'deep/bands/b24/', 'deep/bands/b25/', 'deep/bands/b26/', 'deep/bands/b27/', 'deep/bands/b28/', 'deep/bands/b29/']);
    expect(await list('deep/nothing/here/')).toEqual([]);
  });

  it('refuses unsigned requests, unknown keys and wrong secrets; accepts its own key pair', async () => {
    const endpoint = embedded.endpoint;
    for (const url of [`${endpoint}/auth-test/documents/x/status.json`, `${endpoint}/auth-test?list-type=2`, `${endpoint}/`]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(403);
    }
    const put = await fetch(`${endpoint}/auth-test/forged.json`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(403);
    for (const credentials of [
      { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      { accessKeyId: embedded.credentials.accessKeyId, secretAccessKey: 'wrong' },
    ]) {
      const other = createS3Client(settings(endpoint, credentials));
      await expect(getJson(other, 'documents/x/status.json')).rejects.toThrow(/Access Denied/);
      other.destroy();
    }
    expect(await getJson(s3, 'documents/x/status.json')).toEqual({ ok: true });
    // A key with spaces and symbols, and a list with query parameters, verify too.
    await putJson(s3, 'odd dir/a+b (1)!.json', { odd: true });
    expect(await getJson(s3, 'odd dir/a+b (1)!.json')).toEqual({ odd: true });
    expect(verifySigV4({ method: 'GET', url: '/', headers: {} }, embedded.credentials)).toBe('unsigned request');
  });

  it('keeps one key pair per folder in a 0600 file, and the folder 0700 with files 0600', async () => {
    const s3dir = path.join(dir, 's3');
    const { accessKeyId, secretAccessKey } = embedded.credentials;
    expect(await embeddedS3Credentials(s3dir)).toEqual({ accessKeyId, secretAccessKey });
    const entries = await walk(s3dir);
    expect(entries.length).toBeGreaterThan(3);
    expect((await stat(s3dir)).mode & 0o777).toBe(0o700);
    for (const e of entries) expect(e.mode, e.file).toBe(e.dir ? 0o700 : 0o600);
  });

  it('pairs every body a GET returns with that body\'s ETag while the object is being replaced (no lost update from a stale pair)', async () => {
    const { createHash } = await import('node:crypto');
    const key = 'documents/pair/status.json';
    let stop = false;
    // Readers: every body must parse and hash to the ETag it came with.
    const reader = async () => {
      while (!stop) {
        const out = await s3.send(new GetObjectCommand({ Bucket: 'auth-test', Key: key })).catch(() => undefined);
        if (!out) continue;
        const body = Buffer.from(await out.Body!.transformToByteArray());
        const md5 = JSON.stringify(createHash('md5').update(body).digest('hex'));
        const version = (JSON.parse(body.toString('utf8')) as { n: number }).n;
        if (md5 !== out.ETag) etagLag.push({ version, etag: out.ETag! });
      }
    };
    const etagLag: { version: number; etag: string }[] = [];
    const writer = async () => {
      for (let n = 0; n < 60; n++) {
        const body = JSON.stringify({ n, pad: 'x'.repeat(n % 7) });
        await putJson(s3, key, JSON.parse(body));
      }
      stop = true;
    };
    await putJson(s3, key, { n: -1 });
    await Promise.all([writer(), reader(), reader(), reader()]);
    // Each body came whole (it parsed) and under its own ETag.
    expect(etagLag).toEqual([]);
  });

  it('keeps the old object whole when a write is cut off half way (the state a SIGKILL mid-write left before)', async () => {
    const key = 'documents/y/status.json';
    await putJson(s3, key, { version: 1, pad: 'a'.repeat(1000) });
    const store = new AtomicFilesystemStore(path.join(dir, 's3'));
    const body = new Readable({
      read() {
        this.push(Buffer.from(`{"version":2,"pad":"${'b'.repeat(400_000)}`));
        setTimeout(() => this.destroy(new Error('writer killed')), 20);
      },
    });
    await expect(store.putObject({ bucket: 'auth-test', key, content: body, metadata: { 'content-type': 'application/json' } })).rejects.toThrow(/writer killed/);
    expect(await getJson(s3, key)).toMatchObject({ version: 1 });
    const leftovers = (await walk(path.join(dir, 's3'))).filter((e) => e.file.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('lists in key order across pages, with common prefixes, and answers every put, delete and listing under concurrent load (no 500)', async () => {
    // No SDK retries: a 500 from the server shows here instead of being retried away.
    const raw = new S3Client({ endpoint: embedded.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...embedded.credentials }, maxAttempts: 1 });
    try {
      const keys = ['ld/a-c.json', 'ld/a/b.json', 'ld/a/c/d.json', 'ld/b.json', 'ld/ab.json', 'ld/z/1.json', 'ld/0.json'];
      for (const key of keys) await putJson(raw, key, { key });
      const listed: string[] = [];
      let token: string | undefined;
      do {
        const page = await raw.send(new ListObjectsV2Command({ Bucket: 'auth-test', Prefix: 'ld/', MaxKeys: 2, ContinuationToken: token }));
        listed.push(...(page.Contents ?? []).map((c) => c.Key!));
        token = page.NextContinuationToken;
      } while (token);
      expect(listed).toEqual([...keys].sort());
      const folders = await raw.send(new ListObjectsV2Command({ Bucket: 'auth-test', Prefix: 'ld/', Delimiter: '/' }));
      expect((folders.Contents ?? []).map((c) => c.Key)).toEqual(['ld/0.json', 'ld/a-c.json', 'ld/ab.json', 'ld/b.json']);
      expect((folders.CommonPrefixes ?? []).map((c) => c.Prefix)).toEqual(['ld/a/', 'ld/z/']);

      // Writers putting and deleting the last object of folders (which removes the folder) while others list.
      const failures: string[] = [];
      const fail = (what: string) => (error: Error) => void failures.push(`${what}: ${error.name} ${error.message}`);
      const until = Date.now() + 4000;
      let lists = 0;
      await Promise.all([
        ...Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; Date.now() < until; i++) {
            const key = `load/d${(w + i) % 6}/p${i % 3}/status.json`;
            await putJson(raw, key, { w, i }).catch(fail('put'));
            if (i % 2 === 0) await raw.send(new DeleteObjectCommand({ Bucket: 'auth-test', Key: key })).catch(fail('delete'));
          }
        }),
        ...Array.from({ length: 3 }, async () => {
          while (Date.now() < until) {
            await raw.send(new ListObjectsV2Command({ Bucket: 'auth-test', Prefix: 'load/' })).catch(fail('list'));
            await raw.send(new ListObjectsV2Command({ Bucket: 'auth-test', Prefix: 'load/', Delimiter: '/' })).catch(fail('list'));
            lists += 2;
          }
        }),
      ]);
      expect(failures).toEqual([]);
      expect(lists).toBeGreaterThan(0);
    } finally {
      raw.destroy();
    }
  });
});
