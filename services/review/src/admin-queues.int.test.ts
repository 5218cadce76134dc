import { JOBS, jobId } from '@intake/core';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from './audit.ts';
import { Clerk, seedDocument, startTestEnv, type TestEnv } from './testing/fixtures.ts';
import { settleJobs } from './testing/jobs.ts';

/** The pipeline queues for admins (/api/admin/queues, BullMQ's API): counts, failed jobs, retry, clean; audited. */
describe('admin queue view', () => {
  let env: TestEnv;
  let quarantined: string;
  let unrecorded: string;
  let done: string;
  const read = JOBS[0];
  beforeAll(async () => {
    env = await startTestEnv();
    quarantined = await seedDocument(env.store, {
      tag: 'aq-quarantined',
      quarantine: { stage: 'read', code: 'bad-pdf', reason: 'the PDF could not be parsed', attempts: 1 },
    });
    unrecorded = await seedDocument(env.store, { tag: 'aq-unrecorded', stage: 'received' });
    done = await seedDocument(env.store, { tag: 'aq-done', pages: 1 });
    await settleJobs(env, [
      { step: 'read', docId: quarantined, failure: 'bad-pdf: the PDF could not be parsed' },
      { step: 'read', docId: unrecorded, failure: 'timeout: synthetic' },
      { step: 'read', docId: done },
    ]);
  });
  afterAll(() => env?.close());

  it('answers 401 without a session, 403 to a clerk and a supervisor; the admin gets counts and failed jobs', async () => {
    expect((await fetch(`${env.url}/api/admin/queues`)).status).toBe(401);
    const clerk = await Clerk.login(env.url, 'clerk1');
    const supervisor = await Clerk.login(env.url, 'super1');
    const admin = await Clerk.login(env.url, 'admin1');
    for (const who of [clerk, supervisor]) {
      expect((await who.get('/api/admin/queues')).status).toBe(403);
      expect((await who.send('GET', '/admin/queues', undefined, { accept: 'text/html' })).status).toBe(403);
      expect((await who.post(`/api/admin/queues/${read.queue}/clean`, { state: 'completed' })).status).toBe(403);
    }
    const page = await admin.send('GET', '/admin/queues', undefined, { accept: 'text/html' });
    expect(page.status).toBe(200);
    // The clerk UI's shell under the service's one strict policy.
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('content-security-policy')).toMatch(/base-uri 'none'/);
    expect(page.text).toContain('/ui/app.js');

    const answer = await admin.get('/api/admin/queues');
    expect(answer.status).toBe(200);
    const queues = answer.body.queues as {
      name: string;
      counts: Record<string, number>;
      failed: { docId: string; reason: string; stage: string }[];
    }[];
    expect(queues.map((q) => q.name).sort()).toEqual([...new Set(JOBS.map((j) => j.queue))].sort());
    const intake = queues.find((q) => q.name === read.queue)!;
    expect(intake.counts).toMatchObject({ failed: 2, completed: 1, waiting: 0, active: 0 });
    expect(intake.failed.map((f) => [f.docId, f.reason, f.stage]).sort()).toEqual(
      [
        [quarantined, 'bad-pdf: the PDF could not be parsed', 'quarantined'],
        [unrecorded, 'timeout: synthetic', 'received'],
      ].sort(),
    );
  });

  it('retries a quarantined document through its quarantine record, any other failed job back to waiting', async () => {
    const admin = await Clerk.login(env.url, 'admin1');
    const q = new Queue(read.queue, { connection: env.redis, prefix: env.config.INTAKE_QUEUE_PREFIX });
    try {
      const viaQuarantine = await admin.post(
        `/api/admin/queues/${read.queue}/jobs/${jobId(read.name, quarantined, read.version)}/retry`,
      );
      expect(viaQuarantine.status, viaQuarantine.text).toBe(200);
      expect(viaQuarantine.body.via).toBe('quarantine');
      expect(env.retried).toContain(quarantined);
      expect((await env.store.quarantine.get(quarantined))?.status).toBe('retried');
      expect((await env.store.documents.get(quarantined))?.stage).toBe('received');
      // In production the retry queues the job again in place of the failed one; the test env only records the retry.
      await (await q.getJob(jobId(read.name, quarantined, read.version)))!.remove();

      const id = jobId(read.name, unrecorded, read.version);
      const viaJob = await admin.post(`/api/admin/queues/${read.queue}/jobs/${id}/retry`);
      expect(viaJob.body.via).toBe('job');
      expect(await (await q.getJob(id))!.getState()).toBe('waiting');
      // Not failed any more: a second retry is refused.
      expect((await admin.post(`/api/admin/queues/${read.queue}/jobs/${id}/retry`)).status).toBe(409);
      expect((await admin.post(`/api/admin/queues/nope/jobs/${id}/retry`)).status).toBe(404);
      // No worker runs here: the job waits; taken out so the next test's worker does not run it.
      await (await q.getJob(id))!.remove();
    } finally {
      await q.close();
    }
    const events = await new AuditLog(env.store).search({ actor: 'admin1', action: 'queues.retry' });
    expect(events.map((e) => [e.docId, (e.detail as { via: string }).via]).sort()).toEqual(
      [
        [quarantined, 'quarantine'],
        [unrecorded, 'job'],
      ].sort(),
    );
  });

  it('cleans completed jobs, and failed jobs only when their failure is recorded in the store', async () => {
    const admin = await Clerk.login(env.url, 'admin1');
    const recorded = await seedDocument(env.store, {
      tag: 'aq-quarantined-2',
      quarantine: { stage: 'read', code: 'encrypted', reason: 'encrypted PDF', attempts: 1 },
    });
    const other = await seedDocument(env.store, { tag: 'aq-unrecorded-2', stage: 'received' });
    await settleJobs(env, [
      { step: 'read', docId: recorded, failure: 'encrypted: encrypted PDF' },
      { step: 'read', docId: other, failure: 'timeout: synthetic again' },
    ]);
    const completed = await admin.post(`/api/admin/queues/${read.queue}/clean`, { state: 'completed' });
    expect(completed.body).toEqual({ removed: 1, kept: 0 });
    // The quarantined document's failed job (its failure recorded) goes; the unrecorded one stays for the sweeper.
    const failed = await admin.post(`/api/admin/queues/${read.queue}/clean`, { state: 'failed' });
    expect(failed.status, failed.text).toBe(200);
    expect(failed.body).toEqual({ removed: 1, kept: 1 });
    const after = (await admin.get('/api/admin/queues')).body.queues.find((q: { name: string }) => q.name === read.queue);
    expect(after.counts).toMatchObject({ completed: 0, failed: 1 });
    expect(after.failed.map((f: { docId: string }) => f.docId)).toEqual([other]);
    const events = await new AuditLog(env.store).search({ actor: 'admin1', action: 'queues.clean' });
    expect(events.map((e) => e.detail).sort((a, b) => String(a!.state).localeCompare(String(b!.state)))).toEqual([
      { queue: read.queue, state: 'completed', olderThanHours: 0, removed: 1, kept: 0 },
      { queue: read.queue, state: 'failed', olderThanHours: 0, removed: 1, kept: 1 },
    ]);
    expect((await new AuditLog(env.store).search({ actor: 'admin1', action: 'queues.view' })).length).toBeGreaterThan(0);
  });
});
