import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startExtractWorker } from '@intake/extract-worker';
import { createLogger, loadReviewConfig, type ReviewConfig } from '@intake/config';
import { jobId, sha256Hex, type PageText } from '@intake/core';
import type { IndexLocation } from '@intake/index';
import { dropTestSchema, testIndexLocations } from '@intake/index/testing';
import { createRedis, ensureRedis, JobProducer, type RedisHandle } from '@intake/queue';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { openReviewStore, type OpenedStore, type ReviewStore } from '@intake/storage';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAccounts } from './auth/users.ts';
import { startReviewServer } from './server.ts';
import { Clerk, PAGE_H, PAGE_W, renderPage, ROSTER_CSV } from './testing/fixtures.ts';

// Synthetic names, dates and numbers only (the roster of testing/fixtures.ts).
const RUN = randomBytes(6).toString('hex');

interface Env {
  config: ReviewConfig;
  opened: OpenedStore;
  store: ReviewStore;
  redis: Redis;
  redisHandle: RedisHandle;
  url: string;
  worker: Worker;
  extract: JobProducer<typeof extractDocumentJob.schema>;
  read: JobProducer<typeof readDocumentJob.schema>;
  close(): Promise<void>;
}

/** The review server, a real extract worker on the same queues, the embedded S3 API, Redis, and the index back end given. */
async function startEnv(location: IndexLocation): Promise<Env> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-indexing-'));
  await writeFile(path.join(dir, 'roster.csv'), ROSTER_CSV, { mode: 0o600 });
  const config = loadReviewConfig({
    NODE_ENV: 'test',
    INTAKE_DATA_DIR: dir,
    S3_BUCKET: 'review-test',
    REVIEW_PORT: '0',
    REVIEW_BOOTSTRAP_ADMIN: 'false',
    MEMBER_ROSTER_CSV: path.join(dir, 'roster.csv'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    INTAKE_QUEUE_PREFIX: `ix${randomBytes(6).toString('hex')}`,
    REVIEW_TURNAROUND_HOURS: '24',
    LOG_LEVEL: 'silent',
  });
  const accounts = new LocalAccounts(config.REVIEW_USERS_FILE);
  await accounts.upsert('clerk1', 'clerk', 'clerk1-password-123');
  await accounts.upsert('clerk2', 'clerk', 'clerk2-password-123');
  await accounts.upsert('super1', 'supervisor', 'super1-password-123');
  const redisHandle = await ensureRedis({ url: config.REDIS_URL, autostart: true, dataDir: path.join(dir, 'redis') });
  const redis = createRedis(redisHandle.url);
  const opened = await openReviewStore(config, { index: location });
  const logger = createLogger({ level: 'silent' });
  const workerRedis = createRedis(redisHandle.url);
  const worker = startExtractWorker({ store: opened.store, connection: workerRedis, logger, concurrency: 2, prefix: config.INTAKE_QUEUE_PREFIX });
  const extract = new JobProducer(extractDocumentJob, redis, config.INTAKE_QUEUE_PREFIX);
  const read = new JobProducer(readDocumentJob, redis, config.INTAKE_QUEUE_PREFIX);
  const server = await startReviewServer({ config, store: opened.store, redis, logger, retryDocument: async () => {} });
  return {
    config,
    opened,
    store: opened.store,
    redis,
    redisHandle,
    url: server.url,
    worker,
    extract,
    read,
    async close() {
      await server.close();
      await worker.close();
      await extract.close();
      await read.close();
      await workerRedis.quit();
      await redis.quit();
      await opened.close();
      await redisHandle.stop();
      await dropTestSchema(location);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A page as OCR gives it: lines of words with boxes (12 px a character, 28 px high). */
function ocrPage(page: number, texts: string[]): PageText {
  const lines = texts.map((text, r) => {
    const y = 200 + r * 60;
    let x = 100;
    const words = text.split(/\s+/).map((w) => {
      const bbox: [number, number, number, number] = [x, y, x + w.length * 14, y + 28];
      x += (w.length + 1) * 14;
      return { text: w, bbox, confidence: 0.93 };
    });
    return { text, bbox: [100, y, x, y + 28] as [number, number, number, number], confidence: 0.93, words };
  });
  return { page, method: 'ocr', text: texts.join('\n'), lines, width: PAGE_W, height: PAGE_H, rotation: 0, confidence: 0.93 };
}

const ALICE = ['Riverside Family Clinic', 'Patient: Alice Newman    DOB: 05/01/1970    MRN: 12345678'];
const BOB = ['Lakeview Medical Group', 'Patient Name: Bob Okafor    Date of birth: 11/23/1962'];

/** A fax as the read step leaves it (original, receipt, pages, images, manifest, `read`), then the real extract job. */
async function seedFax(env: Env, tag: string, pages: string[][], receivedAt = new Date(Date.now() - 30 * 3600_000).toISOString()): Promise<string> {
  const { store } = env;
  const bytes = Buffer.from(`%PDF-1.4 synthetic fax ${tag} ${RUN}`);
  const docId = sha256Hex(bytes);
  await store.originals.put(docId, bytes, 'application/pdf');
  await store.arrivals.record({ docId, channel: 'fax', fileName: `${tag}.pdf`, receivedAt, size: bytes.length, hints: { faxFrom: '+1 555 0100' } });
  await store.documents.transition(docId, { name: 'received', channel: 'fax', receivedAt, sender: '+1 555 0100' });
  const manifest = [];
  for (const [i, texts] of pages.entries()) {
    const page = ocrPage(i + 1, texts);
    await store.pages.putPage(docId, page);
    const image = await renderPage(page.lines.map((l) => ({ text: l.text, bbox: l.bbox })), i + 1);
    await store.pages.putImage(docId, i + 1, image, 'image/png');
    manifest.push({ page: i + 1, method: 'ocr', confidence: 0.93, image: 'png' as const, width: PAGE_W, height: PAGE_H });
  }
  await store.pages.putManifest({ docId, mediaType: 'application/pdf', pages: manifest, readAt: new Date().toISOString(), ms: 1 });
  await store.documents.transition(docId, { name: 'read', mediaType: 'application/pdf', pages: pages.length });
  await env.extract.add({ docId });
  await extracted(env.store, docId);
  return docId;
}

async function extracted(store: ReviewStore, docId: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    // The embedded S3 server can answer a read in the middle of a write: read again.
    const s = await store.documents.get(docId).catch((error: unknown) => {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    });
    // The index row is written after the store: the queue shows it once both are.
    if (s?.stage === 'extracted' && (await store.index.getDocument(docId))?.version === s.version) return s;
    if (s?.stage === 'quarantined') throw new Error(`quarantined: ${s.quarantineReason}`);
    if (Date.now() > until) throw new Error(`not extracted in time (stage ${s?.stage})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Approve a record as a clerk does: claim, accept every item, link the member, approve. */
async function approve(clerk: Clerk, docId: string, memberId: string) {
  expect((await clerk.post(`/api/documents/${docId}/lease`)).status).toBe(200);
  const record = await clerk.get(`/api/documents/${docId}`);
  const items = record.body.items.map((i: { id: string; item: unknown }) => ({ id: i.id, decision: 'accepted', item: i.item }));
  return clerk.post(`/api/documents/${docId}/revisions`, { replaces: record.body.latestRevision, state: 'approved', items, memberId });
}

/** Read server-sent events until `done` says so. */
type JobEvt = { docId: string; step: string; status: string };
async function collectEvents(
  clerk: Clerk,
  done: (events: { docId: string; stage: string }[], jobs: JobEvt[]) => boolean,
  start: () => Promise<void>,
) {
  const controller = new AbortController();
  const res = await fetch(`${clerk.base}/api/events`, { headers: { cookie: clerk.cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { docId: string; stage: string; state: string; transition: string }[] = [];
  const jobs: JobEvt[] = [];
  let buffer = '';
  let started = false;
  const timeout = setTimeout(() => controller.abort(), 60_000);
  try {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type === 'ready' && !started) {
          started = true;
          await start();
        }
        if (type === 'document' && data) events.push(JSON.parse(data));
        if (type === 'job' && data) jobs.push(JSON.parse(data));
      }
      if (started && done(events, jobs)) break;
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
  return { events, jobs };
}

describe.each(testIndexLocations('indexing'))('indexing, types, upload, live progress (%s)', (_name, location) => {
  let env: Env;
  let clerk: Clerk;
  let clerk2: Clerk;
  let supervisor: Clerk;

  beforeAll(async () => {
    env = await startEnv(location());
    clerk = await Clerk.login(env.url, 'clerk1');
    clerk2 = await Clerk.login(env.url, 'clerk2');
    supervisor = await Clerk.login(env.url, 'super1');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('a two-patient fax is flagged, split into two documents, both can be approved', async () => {
    const fax = await seedFax(env, 'two-patients', [
      [...ALICE, 'MEDICATIONS', 'Lisinopril 10 mg tablet daily'],
      ['ALLERGIES', 'Penicillin - hives'],
      [...BOB, 'IMMUNIZATIONS', 'Tdap 04/02/2019'],
    ]);
    // Flagged in the queue (a column and a filter) and on the record, with the suggested split.
    const flagged = await clerk.get('/api/documents?mixed=true');
    expect(flagged.status).toBe(200);
    expect(flagged.body.documents.map((d: { docId: string }) => d.docId)).toEqual([fax]);
    const row = flagged.body.documents[0];
    expect(row).toMatchObject({ mixedPatients: true, channel: 'fax', sender: '+1 555 0100', pages: 3, patient: { name: 'Alice Newman', birthDate: '1970-05-01' } });
    expect(row.overTarget).toBe(true); // 30 h old, target 24 h
    const record = await clerk.get(`/api/documents/${fax}`);
    expect(record.body.identity.mixedPatients).toBe(true);
    expect(record.body.identity.pages[2]).toMatchObject({ page: 3, name: 'Bob Okafor', birthDate: '1962-11-23' });
    const groups = record.body.identity.groups.map((g: { pages: number[] }) => g.pages);
    expect(groups).toEqual([[1, 2], [3]]);

    // Thumbnails: small PNGs, audited, never cached.
    const thumb = await fetch(`${env.url}/api/documents/${fax}/pages/3/thumbnail?width=120`, { headers: { cookie: clerk.cookie } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('cache-control')).toBe('no-store');
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(120);

    // Split by the suggested groups, watching the live progress of the new documents.
    let split: { docId: string; pages: number[] }[] = [];
    const { events, jobs } = await collectEvents(
      clerk,
      (evs, js) =>
        split.length === 2 &&
        split.every(
          (d) =>
            evs.some((e) => e.docId === d.docId && e.stage === 'extracted') &&
            js.some((j) => j.docId === d.docId && j.step === 'extract' && j.status === 'completed'),
        ),
      async () => {
        const res = await clerk.post(`/api/documents/${fax}/split`, { groups });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        split = res.body.documents;
      },
    );
    expect(split.map((d) => d.pages)).toEqual([[1, 2], [3]]);
    for (const e of events) expect(Object.keys(e).sort()).not.toContain('patient');
    expect(events.some((e) => e.docId === fax && e.stage === 'superseded')).toBe(true);
    expect(events.some((e) => e.docId === split[0]!.docId && e.stage === 'read')).toBe(true);
    // The extract job's own progress: started, then done.
    expect(jobs.filter((j) => j.docId === split[0]!.docId).map((j) => j.status)).toEqual(expect.arrayContaining(['active', 'completed']));
    for (const j of jobs) expect(Object.keys(j).sort()).toEqual(expect.arrayContaining(['at', 'docId', 'status', 'step']));

    // The source is superseded, out of the queue; its original is as received.
    const source = await clerk.get(`/api/documents/${fax}`);
    expect(source.body.stage).toBe('superseded');
    expect(source.body.supersededBy).toEqual(split.map((d) => d.docId));
    expect(sha256Hex((await env.store.originals.get(fax))!)).toBe(fax);
    const queue = await clerk.get('/api/documents');
    const ids = queue.body.documents.map((d: { docId: string }) => d.docId);
    expect(ids).not.toContain(fax);
    expect(ids).toEqual(expect.arrayContaining(split.map((d) => d.docId)));
    expect(queue.body.counts.superseded).toBe(1);

    // Each new document: its provenance, its own patient, not flagged, re-extracted.
    const [a, b] = await Promise.all(split.map((d) => clerk.get(`/api/documents/${d.docId}`)));
    expect(a!.body.provenance).toEqual([{ docId: fax, pages: [1, 2] }]);
    expect(b!.body.provenance).toEqual([{ docId: fax, pages: [3] }]);
    expect(b!.body.pages[0].source).toEqual({ docId: fax, page: 3 });
    expect(a!.body.patient).toMatchObject({ name: 'Alice Newman', birthDate: '1970-05-01', mrn: '12345678' });
    expect(b!.body.patient).toMatchObject({ name: 'Bob Okafor', birthDate: '1962-11-23' });
    expect(a!.body.identity.mixedPatients).toBe(false);
    expect(b!.body.identity.mixedPatients).toBe(false);
    expect(a!.body.items.map((i: { item: { kind: string } }) => i.item.kind)).toContain('medication');
    expect(b!.body.items.map((i: { item: { kind: string } }) => i.item.kind)).toContain('immunization');

    // The member link checked when it is made: field by field.
    const wrong = await clerk.post(`/api/documents/${split[1]!.docId}/member/check`, { memberId: 'M1001' });
    expect(wrong.body).toMatchObject({ verdict: 'mismatch', fields: { name: 'mismatch', birthDate: 'mismatch' } });
    const right = await clerk.post(`/api/documents/${split[1]!.docId}/member/check`, { memberId: 'M1002' });
    expect(right.body).toMatchObject({ verdict: 'match', found: true, fields: { name: 'match', birthDate: 'match', mrn: 'unknown' } });

    // Both halves approved.
    const okA = await approve(clerk, split[0]!.docId, 'M1001');
    expect(okA.status, JSON.stringify(okA.body)).toBe(200);
    const okB = await approve(clerk, split[1]!.docId, 'M1002');
    expect(okB.status, JSON.stringify(okB.body)).toBe(200);
    expect((await env.store.documents.get(split[0]!.docId))!.reviewState).toBe('approved');
    expect((await env.store.documents.get(split[1]!.docId))!.reviewState).toBe('approved');

    // Audited: the split (with the pages), each new document's derivation, the thumbnail read.
    const audit = await supervisor.get(`/api/audit?docId=${fax}`);
    const actions = audit.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['record.split', 'document.split', 'record.page.thumbnail']));
    // A superseded document cannot be split again.
    expect((await clerk.post(`/api/documents/${fax}/split`, { groups })).status).toBe(409);
  });

  it('split refuses bad groups and a record another clerk holds', async () => {
    const doc = await seedFax(env, 'refusals', [ALICE, ['ALLERGIES', 'none known']]);
    expect((await clerk.post(`/api/documents/${doc}/split`, { groups: [[1, 2]] })).status).toBe(422);
    expect((await clerk.post(`/api/documents/${doc}/split`, { groups: [[1], [3]] })).status).toBe(422);
    expect((await clerk.post(`/api/documents/${doc}/split`, { groups: [[1], [1]] })).status).toBe(422);
    expect((await clerk2.post(`/api/documents/${doc}/lease`)).status).toBe(200);
    const held = await clerk.post(`/api/documents/${doc}/split`, { groups: [[1], [2]] });
    expect(held.status).toBe(409);
    expect(held.body.conflict).toBe('lease');
    await clerk2.send('DELETE', `/api/documents/${doc}/lease`);
    // Two clerks splitting at once: one wins, the other is refused, and only the winner's documents exist.
    const [x, y] = await Promise.all([
      clerk.post(`/api/documents/${doc}/split`, { groups: [[1], [2]] }),
      clerk2.post(`/api/documents/${doc}/split`, { groups: [[2], [1]] }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const won = (x.status === 200 ? x : y).body.documents.map((d: { docId: string }) => d.docId);
    expect((await env.store.documents.get(doc))!.supersededBy).toEqual(won);
    const derived = (await env.store.index.queue({ state: 'all', limit: 500 })).documents.filter((d) =>
      d.derivedFrom?.some((f) => f.docId === doc),
    );
    expect(derived.map((d) => d.docId).sort()).toEqual([...won].sort());
  });

  it('rotates a page as a view transform, moves pages, merges a continuation', async () => {
    const record = await seedFax(env, 'record', [ALICE, ['MEDICATIONS', 'Metformin 500 mg tablet twice daily']]);
    const continuation = await seedFax(env, 'continuation', [['Page 3 of 3', 'ALLERGIES', 'Sulfa drugs - rash'], BOB]);

    const rotated = await clerk.post(`/api/documents/${continuation}/pages/1/rotate`, { rotation: 90 });
    expect(rotated.body).toEqual({ page: 1, rotation: 90 });
    const thumb = await fetch(`${env.url}/api/documents/${continuation}/pages/1/thumbnail?width=100`, { headers: { cookie: clerk.cookie } });
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(meta.width).toBe(100);
    expect(meta.height).toBeLessThan(100); // a portrait page turned a quarter
    const view = await clerk.get(`/api/documents/${continuation}`);
    expect(view.body.pages[0].rotation).toBe(90);
    // The stored image is as read.
    expect((await sharp((await env.store.pages.getImage(continuation, 1, 'png'))!).metadata()).width).toBe(PAGE_W);
    expect((await clerk.post(`/api/documents/${continuation}/pages/1/rotate`, { rotation: 45 })).status).toBe(400);

    // Bob's page moves out of the continuation into a document of its own? No: to the end of another record.
    const other = await seedFax(env, 'bob-record', [BOB]);
    const moved = await clerk.post(`/api/documents/${continuation}/move`, { pages: [2], to: other });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const newOther = moved.body.target.docId;
    const newContinuation = moved.body.source.docId;
    expect((await clerk.get(`/api/documents/${newOther}`)).body.provenance).toEqual([
      { docId: other, pages: [1] },
      { docId: continuation, pages: [2] },
    ]);
    await extracted(env.store, newContinuation);
    // The rotation travels with the page.
    expect((await clerk.get(`/api/documents/${newContinuation}`)).body.pages[0].rotation).toBe(90);

    // The rest of the continuation merged into the record: the record's pages, then these; the member link kept.
    const merged = await clerk.post(`/api/documents/${newContinuation}/merge`, { into: record });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const m = await extracted(env.store, merged.body.docId);
    expect(m.pages).toBe(3);
    expect(m.derivedFrom).toEqual([
      { docId: record, pages: [1, 2] },
      { docId: newContinuation, pages: [1] },
    ]);
    const mv = await clerk.get(`/api/documents/${merged.body.docId}`);
    expect(mv.body.items.map((i: { item: { kind: string } }) => i.item.kind)).toEqual(expect.arrayContaining(['medication', 'allergy']));
    for (const id of [record, newContinuation, continuation, other]) expect((await env.store.documents.get(id))!.stage).toBe('superseded');
  });

  it('suggests the document type, and the clerk confirms or changes it; the queue filters by it', async () => {
    const doc = await seedFax(env, 'immunizations', [
      ['IMMUNIZATION RECORD', 'Patient: Carla Newman    DOB: 02/14/1998', 'Tdap 04/02/2019', 'MMR 01/10/1999', 'Influenza 10/01/2023'],
    ]);
    const record = await clerk.get(`/api/documents/${doc}`);
    expect(record.body.documentType).toMatchObject({ value: 'immunization-record', suggested: 'immunization-record', confirmed: false });
    const types = await clerk.get('/api/document-types');
    expect(types.body.types.map((t: { id: string }) => t.id)).toContain('discharge-summary');
    expect((await clerk.post(`/api/documents/${doc}/type`, { type: 'nonsense' })).status).toBe(422);
    const changed = await clerk.post(`/api/documents/${doc}/type`, { type: 'lab-report' });
    expect(changed.body.documentType).toMatchObject({ value: 'lab-report', suggested: 'immunization-record', confirmed: true, by: 'clerk1' });
    const filtered = await clerk.get('/api/documents?type=lab-report');
    expect(filtered.body.documents.map((d: { docId: string }) => d.docId)).toEqual([doc]);
    expect(filtered.body.documents[0]).toMatchObject({ documentType: 'lab-report', documentTypeConfirmed: true });
  });

  it('uploads several files through the intake step, channel upload, the uploader audited', async () => {
    const form = new FormData();
    const files = ['a', 'b', 'c'].map((n) => Buffer.from(`%PDF-1.4 synthetic upload ${n} ${RUN}`));
    files.forEach((bytes, i) => form.append('file', new Blob([bytes], { type: 'application/pdf' }), `scan-${i + 1}.pdf`));
    form.append('file', new Blob([Buffer.from('MZ not a document')], { type: 'application/octet-stream' }), 'tool.exe');
    const res = await fetch(`${env.url}/api/uploads`, { method: 'POST', headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf }, body: form });
    const body = (await res.json()) as { files: { fileName: string; docId?: string; outcome: string }[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.files.map((f) => f.outcome)).toEqual(['queued', 'queued', 'queued', 'refused']);
    for (const [i, f] of body.files.slice(0, 3).entries()) {
      expect(f.docId).toBe(sha256Hex(files[i]!));
      const status = await env.store.documents.get(f.docId!);
      expect(status).toMatchObject({ channel: 'upload', stage: 'received' });
      expect((await env.store.arrivals.getIntake(f.docId!))!.channel).toBe('upload');
      expect(await env.read.queue.getJob(jobId('document.read', f.docId!))).toBeDefined();
      expect(sha256Hex((await env.store.originals.get(f.docId!))!)).toBe(f.docId);
    }
    const jobs = await env.read.queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs.map((j) => j.data.docId)).toEqual(expect.arrayContaining(body.files.slice(0, 3).map((f) => f.docId)));
    // Again: the same bytes are a repeat, not a second document.
    const again = new FormData();
    again.append('file', new Blob([files[0]!], { type: 'application/pdf' }), 'scan-1.pdf');
    const repeat = await fetch(`${env.url}/api/uploads`, { method: 'POST', headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf }, body: again });
    expect(((await repeat.json()) as { files: { outcome: string }[] }).files[0]!.outcome).toBe('repeat');
    const audit = await supervisor.get('/api/audit?actor=clerk1&action=upload');
    const events = audit.body.events;
    expect(events.filter((e: { action: string }) => e.action === 'upload').length).toBeGreaterThanOrEqual(5);
    // A saved e-mail with two scans attached: each scan is a record of its own, channel upload, naming its container; both audited as the clerk's upload.
    const scans = ['d', 'e'].map((n) => Buffer.from(`%PDF-1.4 synthetic upload in an e-mail ${n} ${RUN}`));
    const eml = Buffer.from(
      [
        'From: Member Example <member@example.org>',
        'To: records@plan.example',
        'Subject: my records',
        `Message-ID: <upload-${RUN}@example.org>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Scans attached.',
        ...scans.flatMap((bytes, i) => [
          '--b',
          `Content-Type: application/pdf; name="page-${i + 1}.pdf"`,
          `Content-Disposition: attachment; filename="page-${i + 1}.pdf"`,
          'Content-Transfer-Encoding: base64',
          '',
          bytes.toString('base64'),
        ]),
        '--b--',
        '',
      ].join('\r\n'),
    );
    const mail = new FormData();
    mail.append('file', new Blob([eml], { type: 'message/rfc822' }), 'saved-mail.eml');
    const fromMail = await fetch(`${env.url}/api/uploads`, { method: 'POST', headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf }, body: mail });
    const mailBody = (await fromMail.json()) as { files: { docId: string; outcome: string; documents?: number; docIds?: string[] }[] };
    expect(fromMail.status, JSON.stringify(mailBody)).toBe(200);
    expect(mailBody.files).toEqual([
      expect.objectContaining({ docId: sha256Hex(eml), outcome: 'queued', documents: 2, docIds: scans.map((b) => sha256Hex(b)) }),
    ]);
    for (const [i, bytes] of scans.entries()) {
      const id = sha256Hex(bytes);
      expect(await env.store.documents.get(id)).toMatchObject({ channel: 'upload', stage: 'received' });
      const [receipt] = await env.store.arrivals.listReceipts(id);
      expect(receipt).toMatchObject({ channel: 'upload', fileName: `page-${i + 1}.pdf`, container: { docId: sha256Hex(eml) } });
      const trail = await supervisor.get(`/api/audit?docId=${id}`);
      expect(trail.body.events).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'upload', actor: 'clerk1' })]));
    }
    expect(await env.store.originals.exists(sha256Hex(eml))).toBe(false); // the wrapper is not a document
    // No CSRF token: refused.
    const noCsrf = await fetch(`${env.url}/api/uploads`, { method: 'POST', headers: { cookie: clerk.cookie }, body: form });
    expect(noCsrf.status).toBe(403);
  });

  it('rejecting a record or sending it for member action needs a reason', async () => {
    const doc = await seedFax(env, 'reason', [ALICE, ['MEDICATIONS', 'Amlodipine 5 mg tablet daily']]);
    expect((await clerk.post(`/api/documents/${doc}/lease`)).status).toBe(200);
    const record = await clerk.get(`/api/documents/${doc}`);
    const items = record.body.items.map((i: { id: string; item: unknown }) => ({ id: i.id, decision: 'rejected', item: i.item }));
    const bare = await clerk.post(`/api/documents/${doc}/revisions`, { replaces: 0, state: 'rejected', items });
    expect(bare.status).toBe(422);
    expect(bare.body.error).toMatch(/say why/);
    expect((await clerk.post(`/api/documents/${doc}/revisions`, { replaces: 0, state: 'needs-member-action', items, note: ' ' })).status).toBe(422);
    expect((await env.store.documents.get(doc))!.reviewState).toBe('pending');
    const ok = await clerk.post(`/api/documents/${doc}/revisions`, { replaces: 0, state: 'needs-member-action', items, note: 'ask for page 2' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await env.store.revisions.latest(doc))!).toMatchObject({ state: 'needs-member-action', note: 'ask for page 2', by: 'clerk1' });
  });

  it('saved views, save-and-next and bulk actions (supervisors only)', async () => {
    const views = await clerk.get('/api/queue/views');
    expect(views.body.views.map((v: { id: string }) => v.id)).toEqual(['faxes-over-24h', 'needs-member-action', 'mine']);
    expect(views.body.turnaroundHours).toBe(24);
    const old = await seedFax(env, 'old-fax', [ALICE], new Date(Date.now() - 40 * 3600_000).toISOString());
    const fresh = await seedFax(env, 'fresh-fax', [BOB], new Date(Date.now() - 3600_000).toISOString());
    const over = await clerk.get('/api/documents?view=faxes-over-24h');
    const overIds = over.body.documents.map((d: { docId: string }) => d.docId);
    expect(overIds).toContain(old);
    expect(overIds).not.toContain(fresh);

    expect((await clerk.post(`/api/documents/${fresh}/lease`)).status).toBe(200);
    const mine = await clerk.get('/api/documents?view=mine');
    expect(mine.body.documents.map((d: { docId: string }) => d.docId)).toEqual([fresh]);

    // Save and next: the next open record another clerk does not hold.
    const next = await clerk2.get(`/api/documents/next?after=${old}`);
    expect(next.status).toBe(200);
    expect(next.body.docId).not.toBe(old);
    expect(next.body.docId).not.toBe(fresh); // clerk1 holds it
    expect((await clerk2.get(`/api/documents/next?q=Alice`)).status).toBe(400);

    expect((await clerk.post('/api/documents/bulk', { docIds: [old], action: 'release' })).status).toBe(403);
    expect((await supervisor.post('/api/documents/bulk', { docIds: [old], action: 'reject' })).status).toBe(400); // no reason
    const bulk = await supervisor.post('/api/documents/bulk', { docIds: [old, fresh], action: 'needs-member-action', reason: 'ask the member for the rest of the record' });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toEqual([
      { docId: old, ok: true },
      { docId: fresh, ok: false, error: expect.stringContaining('clerk1') },
    ]);
    expect((await env.store.documents.get(old))!.reviewState).toBe('needs-member-action');
    expect((await env.store.revisions.latest(old))!.note).toBe('ask the member for the rest of the record');
    const nma = await clerk.get('/api/documents?view=needs-member-action');
    expect(nma.body.documents.map((d: { docId: string }) => d.docId)).toContain(old);
    const released = await supervisor.post('/api/documents/bulk', { docIds: [fresh], action: 'release' });
    expect(released.body.results).toEqual([{ docId: fresh, ok: true }]);
    const typed = await supervisor.post('/api/documents/bulk', { docIds: [fresh], action: 'set-type', type: 'referral-letter' });
    expect(typed.body.results[0].ok).toBe(true);
    expect((await env.store.documents.get(fresh))!.documentType).toBe('referral-letter');
  });
});
