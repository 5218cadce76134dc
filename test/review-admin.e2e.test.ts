import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JOBS, jobId } from '@intake/core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../services/review/src/audit.ts';
import { Clerk, seedDocument, startTestEnv, type TestEnv } from '../services/review/src/testing/fixtures.ts';
import { settleJobs } from '../services/review/src/testing/jobs.ts';
import { axeLog, checkAxe } from './support/axe.ts';

// The admin's queue view and the supervisor's bulk actions, in Chromium against the real
// review server (embedded S3, Redis): real BullMQ jobs left failed or completed, real
// records rejected and typed in bulk. Synthetic documents only.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(root, 'test-output');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const read = JOBS[0];

describe('admin queue view and supervisor bulk actions in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let quarantined: string;
  let unrecorded: string;
  let bulk: string[];

  async function signIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
    const page = await context.newPage();
    await page.goto(`${env.url}/login`);
    await page.fill('#username', username);
    await page.fill('#password', `${username}-password-123`);
    await page.click('#sign-in');
    await page.waitForSelector('#queue-table');
    return { context, page };
  }

  beforeAll(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: set CHROMIUM_PATH`);
    env = await startTestEnv();
    quarantined = await seedDocument(env.store, {
      tag: 'adm-quarantined',
      quarantine: { stage: 'read', code: 'bad-pdf', reason: 'the PDF could not be parsed', attempts: 1 },
    });
    unrecorded = await seedDocument(env.store, { tag: 'adm-unrecorded', stage: 'received' });
    const done = await seedDocument(env.store, { tag: 'adm-done', pages: 1 });
    await settleJobs(env, [
      { step: 'read', docId: quarantined, failure: 'bad-pdf: the PDF could not be parsed' },
      { step: 'read', docId: unrecorded, failure: 'timeout: synthetic stall' },
      { step: 'read', docId: done },
    ]);
    bulk = [];
    for (const [i, name] of ['Dana Bulkone', 'Evan Bulktwo', 'Fay Bulkthree'].entries())
      bulk.push(
        await seedDocument(env.store, {
          tag: `adm-bulk-${i}`,
          pages: 1,
          receivedAt: `2026-11-2${i}T08:00:00.000Z`,
          patient: { name, birthDate: '1980-01-0' + (i + 1) },
        }),
      );
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    console.log(`axe (review-admin): ${axeLog.map((a) => `${a.view} ${a.violations}`).join(', ')}`);
    await browser?.close();
    await env?.close();
  });

  it('shows an admin the pipeline queues (axe: 0 violations), retries failed jobs and cleans completed ones', async () => {
    const { context, page } = await signIn('admin1');
    await page.click('header nav a[href="/admin/queues"]');
    const counts = (state: string) => page.textContent(`#queue-${read.queue}-counts dd[data-state="${state}"]`);
    await page.waitForSelector(`#queue-${read.queue}-counts`);
    expect(await counts('failed')).toBe('2');
    expect(await counts('completed')).toBe('1');
    const row = (docId: string) => page.locator(`#failed-${read.queue} tr[data-job="${jobId(read.name, docId, read.version)}"]`);
    expect(await row(quarantined).textContent()).toContain('bad-pdf: the PDF could not be parsed');
    expect(await row(quarantined).textContent()).toContain('quarantined');
    expect(await row(unrecorded).textContent()).toContain('timeout: synthetic stall');
    expect(await checkAxe(page, 'admin queues')).toEqual([]);
    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, 'review-admin-queues.png') });

    // The quarantined document: retried through its quarantine record (the store's retry), from the keyboard.
    await row(quarantined).locator('button.retry').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#queues-status')?.textContent?.includes('quarantine record'));
    expect((await env.store.quarantine.get(quarantined))?.status).toBe('retried');
    expect((await env.store.documents.get(quarantined))?.stage).toBe('received');
    expect(env.retried).toContain(quarantined);

    // A failure nobody recorded: the job goes back to waiting.
    await row(unrecorded).locator('button.retry').click();
    await page.waitForFunction(() => document.querySelector('#queues-status')?.textContent?.includes('back to waiting'));
    expect(await row(unrecorded).count()).toBe(0);
    expect(await counts('waiting')).toBe('1');

    // Clean completed jobs, after a confirmation (axe-checked).
    await page.click(`#clean-${read.queue}-completed`);
    await page.locator('#clean-dialog').waitFor();
    expect(await checkAxe(page, 'clean dialog')).toEqual([]);
    await page.locator('#clean-dialog button[data-value="clean"]').click();
    await page.waitForFunction(() => document.querySelector('#queues-status')?.textContent?.includes('removed'));
    expect(await counts('completed')).toBe('0');

    const audit = new AuditLog(env.store);
    const retries = await audit.search({ actor: 'admin1', action: 'queues.retry' });
    expect(retries.map((e) => [e.docId, (e.detail as { via: string }).via]).sort()).toEqual(
      [
        [quarantined, 'quarantine'],
        [unrecorded, 'job'],
      ].sort(),
    );
    const cleans = await audit.search({ actor: 'admin1', action: 'queues.clean' });
    expect(cleans.map((e) => e.detail)).toEqual([
      { queue: read.queue, state: 'completed', olderThanHours: 0, removed: 1, kept: 0 },
    ]);
    await context.close();
  });

  it('lets a supervisor reject several records with one reason and set their type in bulk, with the outcome per record', async () => {
    // One of the three is being worked on by another clerk: the bulk reject leaves it and says so.
    const clerk2 = await Clerk.login(env.url, 'clerk2');
    expect((await clerk2.post(`/api/documents/${bulk[2]}/lease`)).status).toBe(200);
    const { context, page } = await signIn('super1');
    const pendingBefore = Number(await page.textContent('.tab[data-state="pending"] .count'));
    for (const id of bulk) await page.locator(`#queue-table tr[data-doc="${id}"] input[type="checkbox"]`).check();
    expect(await page.textContent('#bulk-count')).toBe('3 documents selected');
    await page.selectOption('#bulk-action', 'reject');
    await page.click('#bulk-apply');
    await page.locator('#bulk-dialog').waitFor();
    expect(await checkAxe(page, 'bulk reject dialog')).toEqual([]);
    await page.fill('#bulk-dialog-reason', 'duplicate fax of a record already filed');
    await page.locator('#bulk-dialog button[type="submit"]').click();
    await page.waitForFunction(() => document.querySelector('#toast')?.textContent?.startsWith('2 done, 1 not'));
    expect(await page.textContent('#toast')).toContain('clerk2');
    // The two rejected leave the pending tab; the claimed one stays.
    await page.waitForFunction(
      (n) => Number(document.querySelector('.tab[data-state="pending"] .count')?.textContent) === n,
      pendingBefore - 2,
    );
    expect(await page.locator(`#queue-table tr[data-doc="${bulk[0]}"]`).count()).toBe(0);
    expect(await page.locator(`#queue-table tr[data-doc="${bulk[2]}"]`).count()).toBe(1);
    for (const id of bulk.slice(0, 2))
      expect(await env.store.revisions.latest(id)).toMatchObject({
        state: 'rejected',
        by: 'super1',
        note: 'duplicate fax of a record already filed',
      });
    expect(await env.store.revisions.latest(bulk[2]!)).toBeUndefined();
    expect(await checkAxe(page, 'queue after bulk reject (supervisor)')).toEqual([]);

    // Set the type of the rejected two from the Rejected tab.
    await page.click('.tab[data-state="rejected"]');
    for (const id of bulk.slice(0, 2)) await page.locator(`#queue-table tr[data-doc="${id}"] input[type="checkbox"]`).check();
    await page.selectOption('#bulk-action', 'type:referral-letter');
    await page.click('#bulk-apply');
    await page.waitForFunction(() => document.querySelector('#toast')?.textContent === '2 documents done');
    for (const id of bulk.slice(0, 2))
      expect(await env.store.documents.get(id)).toMatchObject({ documentType: 'referral-letter', documentTypeBy: 'super1' });

    const audit = new AuditLog(env.store);
    const summaries = await audit.search({ actor: 'super1', action: 'queue.bulk' });
    expect(summaries.map((e) => e.detail).sort((a, b) => String(a!.action).localeCompare(String(b!.action)))).toEqual([
      { action: 'reject', docIds: bulk, ok: 2, failed: 1 },
      { action: 'set-type', type: 'referral-letter', docIds: bulk.slice(0, 2), ok: 2, failed: 0 },
    ]);
    // Each record's own trail names the bulk action and its outcome.
    const perRecord = await audit.search({ actor: 'super1', action: 'record.bulk', docId: bulk[2] });
    expect(perRecord).toHaveLength(1);
    expect(perRecord[0]!.detail).toMatchObject({ action: 'reject', ok: false });
    expect(String(perRecord[0]!.detail!.error)).toContain('clerk2');
    expect(await audit.search({ actor: 'super1', action: 'record.bulk', docId: bulk[0] })).toHaveLength(2);
    await context.close();
  });
});
