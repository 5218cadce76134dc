import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '@intake/core';
import { ReviewIndex, type IndexLocation } from '@intake/index';
import { dropTestSchema, testSchema } from '@intake/index/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transition } from './document-state.ts';
import { startEmbeddedS3, type EmbeddedS3 } from './embedded-s3.ts';
import { ReviewStore } from './review-store.ts';
import { createS3Client, type S3Settings } from './s3.ts';
import { TEST_DATABASE_URL } from '@intake/index/testing';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-support', 'crash-child.ts');

function killedWriter(args: { settings: S3Settings; location: IndexLocation; docId: string; transition: Transition }) {
  return new Promise<{ signal: NodeJS.Signals | null; out: string }>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.once('close', (_code, signal) => resolve({ signal, out }));
  });
}

// The process is SIGKILLed after status.json is written and before the index row: the index
// may lag, but never holds a row the store does not have, and no transition is lost.
describe.each([
  ['pglite', (dir: string): IndexLocation => ({ dataDir: path.join(dir, 'index') })],
  ['postgres', (): IndexLocation => ({ url: TEST_DATABASE_URL, schema: testSchema('crash') })],
] as const)('a writer killed between the S3 write and the index write (%s)', (_name, locate) => {
  let dir: string;
  let s3: EmbeddedS3;
  let settings: S3Settings;
  let location: IndexLocation;
  const docId = sha256Hex(`crash ${Date.now()}`);
  const fresh = sha256Hex(`crash fresh ${Date.now()}`);

  /** The store with its index open for the length of `fn` (PGlite's folder has one process at a time). */
  async function withStore<T>(fn: (store: ReviewStore) => Promise<T>): Promise<T> {
    const index = await ReviewIndex.open(location);
    const client = createS3Client(settings);
    try {
      const store = new ReviewStore(client, settings, index);
      await store.open();
      return await fn(store);
    } finally {
      client.destroy();
      await index.close();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-crash-'));
    s3 = await startEmbeddedS3({ directory: path.join(dir, 's3'), bucket: 'crash-test' });
    settings = {
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      bucket: 'crash-test',
      region: 'us-east-1',
      forcePathStyle: true,
      sse: 'AES256',
    };
    location = locate(dir);
    await withStore((store) =>
      store.documents.transition(docId, { name: 'received', channel: 'fax', receivedAt: new Date().toISOString() }),
    );
  });
  afterAll(async () => {
    await s3?.close();
    await dropTestSchema(location);
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the transition in S3, and the next step repairs the index row and the audit event', async () => {
    const killed = await killedWriter({
      settings,
      location,
      docId,
      transition: { name: 'read', mediaType: 'application/pdf', pages: 3 },
    });
    expect(killed.signal, killed.out).toBe('SIGKILL');
    expect(killed.out).toContain('killed after the S3 write');
    await withStore(async (store) => {
      // In S3 (the system of record) the transition happened; the index is one step behind, not ahead.
      expect(await store.documents.get(docId)).toMatchObject({ stage: 'read', pages: 3, version: 2 });
      expect(await store.index.getDocument(docId)).toMatchObject({ stage: 'received', version: 1 });
      // The next step of that document brings the row and the lost transition's event back.
      await store.documents.transition(docId, { name: 'extracted', itemCounts: { medication: 1 }, patient: {} });
      expect(await store.index.getDocument(docId)).toMatchObject({ stage: 'extracted', version: 3 });
      const events = await store.index.auditSearch({ docId, from: '2000-01-01', limit: 10 });
      expect(events.map((e) => e.action).sort()).toEqual(['document.extracted', 'document.read', 'document.received']);
    });
  });

  it('never has an index row without its S3 object; reindex adds the row a crash left out', async () => {
    const killed = await killedWriter({
      settings,
      location,
      docId: fresh,
      transition: { name: 'received', channel: 'email', receivedAt: new Date().toISOString() },
    });
    expect(killed.signal, killed.out).toBe('SIGKILL');
    await withStore(async (store) => {
      expect(await store.documents.get(fresh)).toMatchObject({ stage: 'received' });
      expect(await store.index.getDocument(fresh)).toBeUndefined();
      for (const id of (await store.index.documentVersions()).keys()) expect(await store.documents.get(id)).toBeDefined();
      const report = await store.reindex();
      expect(report.documents).toMatchObject({ missing: 1, stale: 0, extra: 0 });
      expect(report.audit).toMatchObject({ missing: 0, extra: 0 });
      expect(await store.index.getDocument(fresh)).toMatchObject({ stage: 'received', channel: 'email' });
      // The crashed transition's audit event is written by the repair (its key is fixed by document and version).
      const events = await store.index.auditSearch({ docId: fresh, from: '2000-01-01', limit: 10 });
      expect(events.map((e) => e.action)).toEqual(['document.received']);
    });
  });
});
