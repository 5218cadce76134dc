import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { loadCoreConfig } from '@intake/config';
import { sha256Hex } from '@intake/core';
import type { IndexLocation } from '@intake/index';
import { dropTestSchema, testIndexLocations } from '@intake/index/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentStatus, IllegalTransitionError } from './document-state.ts';
import { keys } from './keys.ts';
import { ObjectStore } from './object-store.ts';
import { openReviewStore, type OpenedStore } from './open.ts';
import { RevisionConflictError } from './repositories.ts';

const rev = (docId: string, revision: number, replaces: number) => ({
  docId,
  revision,
  replaces,
  state: 'in-review' as const,
  items: [],
  by: 'clerk1',
  at: new Date().toISOString(),
});

// Against the embedded S3-compatible server over HTTP with the AWS SDK (the same calls as production),
// and the index on both back ends: PGlite in-process and a real PostgreSQL.
describe.each(testIndexLocations('store'))('ReviewStore over a real S3 API, index on %s', (_name, locate) => {
  let dir: string;
  let opened: OpenedStore;
  let location: IndexLocation;
  let objects: ObjectStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-store-'));
    location = locate();
    opened = await openReviewStore(loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'store-test' }), { index: location });
    objects = new ObjectStore(opened.store.s3, opened.store.settings);
    await objects.open();
  });
  afterAll(async () => {
    await opened?.close();
    await dropTestSchema(location);
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an original once and reads it back, requesting encryption', async () => {
    const bytes = Buffer.from('%PDF-1.4 synthetic');
    const id = sha256Hex(bytes);
    expect(await opened.store.originals.put(id, bytes, 'application/pdf')).toEqual({ created: true });
    expect(await opened.store.originals.put(id, bytes, 'application/pdf')).toEqual({ created: false });
    expect((await opened.store.originals.get(id))?.equals(bytes)).toBe(true);
    const head = await opened.store.s3.send(new HeadObjectCommand({ Bucket: 'store-test', Key: keys.original(id) }));
    expect(head.ContentType).toBe('application/pdf');
    await expect(opened.store.originals.put(sha256Hex('other'), bytes)).rejects.toThrow(/does not match/);
  });

  it('refuses a second create and a replace with a stale ETag (If-None-Match / If-Match)', async () => {
    const key = keys.mailboxState(sha256Hex('conditional'));
    expect(await objects.createJson(key, { n: 1 })).toBe(true);
    expect(await objects.createJson(key, { n: 2 })).toBe(false);
    const first = await objects.getJsonWithEtag(key, DocumentStatus.pick({}).loose());
    await objects.putJson(key, { n: 3 }, { ifMatch: first!.etag });
    await expect(objects.putJson(key, { n: 4 }, { ifMatch: first!.etag })).rejects.toThrow(/changed by another writer/);
    expect(['server', 'process']).toContain(opened.store.conditionalWrites);
  });

  it('records arrivals: the first is new, a repeat is a receipt only', async () => {
    const id = sha256Hex('doc-arrivals');
    const base = { docId: id, channel: 'fax' as const, fileName: 'a.pdf', size: 12, hints: {} };
    expect(await opened.store.arrivals.record({ ...base, receivedAt: '2026-11-01T10:00:00.000Z' })).toEqual({ isNew: true });
    expect(await opened.store.arrivals.record({ ...base, receivedAt: '2026-11-02T10:00:00.000Z' })).toEqual({ isNew: false });
    expect(await opened.store.arrivals.listReceipts(id)).toHaveLength(2);
    expect((await opened.store.arrivals.getIntake(id))?.receivedAt).toBe('2026-11-01T10:00:00.000Z');
  });

  it('never overwrites a revision: of two saves of the same number one wins', async () => {
    const id = sha256Hex('doc-revisions');
    await opened.store.revisions.append(rev(id, 1, 0));
    const racing = await Promise.allSettled([
      opened.store.revisions.append(rev(id, 2, 1)),
      opened.store.revisions.append(rev(id, 2, 1)),
    ]);
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(racing.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.any(RevisionConflictError),
    ]);
    await expect(opened.store.revisions.append(rev(id, 3, 1))).rejects.toBeInstanceOf(RevisionConflictError);
    expect((await opened.store.revisions.list(id)).map((r) => r.revision)).toEqual([1, 2]);
    const raw = await opened.store.s3.send(new GetObjectCommand({ Bucket: 'store-test', Key: keys.revision(id, 1) }));
    expect(JSON.parse(await raw.Body!.transformToString()).revision).toBe(1);
  });

  it('moves a document through the state machine: illegal moves are typed errors, concurrent ones are all kept', async () => {
    const id = sha256Hex('doc-states');
    const docs = opened.store.documents;
    await expect(docs.transition(id, { name: 'read', mediaType: 'application/pdf', pages: 1 })).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    await docs.transition(id, { name: 'received', channel: 'fax', receivedAt: '2026-11-03T10:00:00.000Z', sender: '+15550100' });
    await expect(
      docs.transition(id, { name: 'received', channel: 'fax', receivedAt: '2026-11-03T10:00:00.000Z' }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    await docs.transition(id, { name: 'read', mediaType: 'application/pdf', pages: 2 });
    await docs.transition(id, {
      name: 'extracted',
      itemCounts: { medication: 2 },
      patient: { name: 'Zoë Quintero', birthDate: '1951-07-04' },
    });
    await expect(docs.transition(id, { name: 'reopened', revision: 1, itemCounts: {} })).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    // Ten clerks claim at once: every write is conditional, so none is lost.
    await Promise.all(
      Array.from({ length: 10 }, (_, n) => docs.transition(id, { name: 'claimed', by: `clerk${n}` }, `clerk${n}`)),
    );
    const status = await docs.get(id);
    expect(status).toMatchObject({ stage: 'extracted', version: 13, sender: '+15550100' });
    const events = await opened.store.index.auditSearch({ docId: id, limit: 100, from: '2000-01-01' });
    expect(events.filter((e) => e.action === 'document.claimed')).toHaveLength(10);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['document.received', 'document.read', 'document.extracted']),
    );
    await docs.transition(id, { name: 'approved', revision: 1, memberId: 'M-0042', itemCounts: { medication: 2 } }, 'clerk1');
    await expect(docs.transition(id, { name: 'saved', revision: 2, itemCounts: {} })).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    await docs.transition(id, { name: 'reopened', revision: 2, memberId: 'M-0042', itemCounts: {} }, 'super1');
    expect(await opened.store.index.getDocument(id)).toMatchObject({ reviewState: 'in-review', version: 15, memberId: 'M-0042' });
  });

  it('quarantines in one place, retries and closes, and lists from the index', async () => {
    const bytes = Buffer.from('%PDF-1.4 broken');
    const id = sha256Hex(bytes);
    await opened.store.originals.put(id, bytes);
    await opened.store.arrivals.record({
      docId: id,
      channel: 'email',
      fileName: 'b.pdf',
      size: bytes.length,
      hints: {},
      receivedAt: '2026-11-04T10:00:00.000Z',
    });
    await opened.store.documents.transition(id, { name: 'received', channel: 'email', receivedAt: '2026-11-04T10:00:00.000Z' });
    await opened.store.quarantineDocument({
      docId: id,
      stage: 'read',
      code: 'corrupt',
      reason: 'corrupt PDF: ask the sender to send it again',
      attempts: 3,
    });
    expect(await opened.store.quarantine.get(id)).toMatchObject({
      status: 'open',
      fileName: 'b.pdf',
      channel: 'email',
      attempts: 3,
    });
    expect((await opened.store.quarantine.list('open')).map((q) => q.docId)).toContain(id);
    expect((await opened.store.index.queue({ state: 'quarantined', limit: 10 })).documents.map((d) => d.docId)).toContain(id);
    expect(await opened.store.retryDocument(id, 'clerk1')).toBe('read');
    expect((await opened.store.documents.get(id))?.stage).toBe('received');
    expect((await opened.store.quarantine.list('retried')).map((q) => q.docId)).toContain(id);
    await opened.store.quarantineDocument({
      docId: id,
      stage: 'read',
      code: 'corrupt',
      reason: 'corrupt PDF again',
      attempts: 3,
    });
    expect(await opened.store.closeQuarantine(id, 'super1', 'sender informed')).toBe(true);
    expect((await opened.store.documents.get(id))?.stage).toBe('closed');
    expect((await opened.store.index.queue({ state: 'all', limit: 1000 })).documents.map((d) => d.docId)).not.toContain(id);
    expect((await opened.store.index.queue({ state: 'closed', limit: 10 })).documents.map((d) => d.docId)).toContain(id);
  });

  it('appends audit events without rewriting and searches them from the index', async () => {
    const at = new Date().toISOString();
    const k1 = await opened.store.audit.append({ at, actor: 'auditor1', action: 'login' });
    const k2 = await opened.store.audit.append({ at, actor: 'auditor1', action: 'login' });
    expect(k1).not.toBe(k2);
    const day = at.slice(0, 10);
    expect(await opened.store.index.auditSearch({ actor: 'auditor1', from: day, to: day, limit: 10 })).toHaveLength(2);
    expect(await opened.store.index.auditSearch({ actor: 'auditor1', action: 'log', limit: 10 })).toHaveLength(2);
    expect(await opened.store.index.auditSearch({ actor: 'auditor1', to: '2001-01-01', limit: 10 })).toHaveLength(0);
  });

  it('reindex rebuilds the index from S3 and reports what differed', async () => {
    const clean = await opened.store.reindex();
    expect(clean.documents).toMatchObject({ missing: 0, stale: 0, extra: 0 });
    expect(clean.audit).toMatchObject({ missing: 0, extra: 0 });
    const id = sha256Hex('doc-states');
    const sql = opened.store.index.sql;
    await sql.query(`DELETE FROM documents WHERE doc_id = $1`, [id]);
    await sql.query(`DELETE FROM audit_events WHERE key IN (SELECT key FROM audit_events WHERE actor = 'auditor1' LIMIT 1)`);
    await sql.query(
      `INSERT INTO audit_events (key, at, actor, action, event) VALUES ('audit/1999/01/01/ghost.json', now(), 'x', 'y', '{}')`,
    );
    const other = sha256Hex('doc-arrivals');
    await opened.store.documents.transition(other, { name: 'received', channel: 'fax', receivedAt: '2026-11-01T10:00:00.000Z' });
    await sql.query(`UPDATE documents SET version = 0 WHERE doc_id = $1`, [other]);
    await opened.store.index.putDocument({
      ...(await opened.store.documents.get(other))!,
      docId: sha256Hex('ghost'),
      version: 1,
    });
    const report = await opened.store.reindex();
    expect(report.documents).toMatchObject({ missing: 1, stale: 1, extra: 1 });
    expect(report.audit).toMatchObject({ missing: 1, extra: 1 });
    expect(await opened.store.index.getDocument(id)).toMatchObject({ stage: 'extracted', version: 15 });
    expect((await opened.store.reindex()).documents).toMatchObject({ missing: 0, stale: 0, extra: 0 });
  });
});
