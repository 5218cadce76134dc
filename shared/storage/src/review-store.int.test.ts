import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { loadCoreConfig } from '@intake/config';
import { sha256Hex } from '@intake/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from './keys.ts';
import { openReviewStore, type OpenedStore } from './open.ts';
import { RevisionConflictError } from './review-store.ts';

// Against the embedded S3-compatible server over HTTP, with the AWS SDK: the same calls as production.
describe('ReviewStore over a real S3 API', () => {
  let dir: string;
  let opened: OpenedStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-store-'));
    opened = await openReviewStore(loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'store-test' }));
  });
  afterAll(async () => {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an original once and reads it back, requesting encryption', async () => {
    const bytes = Buffer.from('%PDF-1.4 synthetic');
    const id = sha256Hex(bytes);
    expect(await opened.store.putOriginal(id, bytes, 'application/pdf')).toEqual({ created: true });
    expect(await opened.store.putOriginal(id, bytes, 'application/pdf')).toEqual({ created: false });
    expect((await opened.store.getOriginal(id))?.equals(bytes)).toBe(true);
    const head = await opened.store.s3.send(new HeadObjectCommand({ Bucket: 'store-test', Key: keys.original(id) }));
    expect(head.ContentType).toBe('application/pdf');
    await expect(opened.store.putOriginal(sha256Hex('other'), bytes)).rejects.toThrow(/does not match/);
  });

  it('records arrivals: the first is new, a repeat is a receipt only', async () => {
    const id = sha256Hex('doc-arrivals');
    const base = { docId: id, channel: 'fax' as const, fileName: 'a.pdf', size: 12, hints: {} };
    expect(await opened.store.recordArrival({ ...base, receivedAt: '2026-11-01T10:00:00.000Z' })).toEqual({ isNew: true });
    expect(await opened.store.recordArrival({ ...base, receivedAt: '2026-11-02T10:00:00.000Z' })).toEqual({ isNew: false });
    expect(await opened.store.listReceipts(id)).toHaveLength(2);
    expect((await opened.store.getIntake(id))?.receivedAt).toBe('2026-11-01T10:00:00.000Z');
  });

  it('never overwrites a revision: a write must replace the latest', async () => {
    const id = sha256Hex('doc-revisions');
    const rev = (revision: number, replaces: number) => ({
      docId: id,
      revision,
      replaces,
      state: 'in-review' as const,
      items: [],
      by: 'clerk1',
      at: new Date().toISOString(),
    });
    await opened.store.appendRevision(rev(1, 0));
    await opened.store.appendRevision(rev(2, 1));
    await expect(opened.store.appendRevision(rev(2, 1))).rejects.toBeInstanceOf(RevisionConflictError);
    await expect(opened.store.appendRevision(rev(3, 1))).rejects.toBeInstanceOf(RevisionConflictError);
    expect((await opened.store.listRevisions(id)).map((r) => r.revision)).toEqual([1, 2]);
    const raw = await opened.store.s3.send(new GetObjectCommand({ Bucket: 'store-test', Key: keys.revision(id, 1) }));
    expect(JSON.parse(await raw.Body!.transformToString()).revision).toBe(1);
  });

  it('lists documents and quarantine records', async () => {
    const id = sha256Hex('doc-quarantine');
    await opened.store.updateStatus(id, { stage: 'quarantined', channel: 'fax', quarantineReason: 'corrupt PDF' });
    await opened.store.putQuarantine({
      docId: id,
      stage: 'read',
      code: 'corrupt',
      reason: 'corrupt PDF: ask the sender to send it again',
      at: new Date().toISOString(),
      attempts: 1,
      status: 'open',
    });
    expect(await opened.store.listDocumentIds()).toContain(id);
    expect((await opened.store.listQuarantine()).map((q) => q.docId)).toContain(id);
  });

  it('appends audit events without rewriting', async () => {
    const at = new Date().toISOString();
    const k1 = await opened.store.appendAudit({ at, actor: 'clerk1', action: 'login' });
    const k2 = await opened.store.appendAudit({ at, actor: 'clerk1', action: 'login' });
    expect(k1).not.toBe(k2);
    expect((await opened.store.listAudit()).filter((e) => e.actor === 'clerk1')).toHaveLength(2);
  });
});
