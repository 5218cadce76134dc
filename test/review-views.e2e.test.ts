import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../services/review/src/audit.ts';
import { Clerk, seedDocument, startTestEnv, type TestEnv } from '../services/review/src/testing/fixtures.ts';
import { axeLog, checkAxe } from './support/axe.ts';

// The views and dialogs the other end-to-end files do not reach, each checked with axe-core
// (zero violations of any impact) in Chromium against the real review server: a failed
// sign-in, records not (or no longer) in review, the error page, the needs-member-action and
// member-mismatch dialogs, and closing a quarantine record. Synthetic records only.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the remaining views and dialogs in Chromium, with axe', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let record: string;
  let waiting: string;
  let quarantined: string;
  let toClose: string;
  let superseded: string;
  let halves: string[];

  beforeAll(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: set CHROMIUM_PATH`);
    env = await startTestEnv();
    record = await seedDocument(env.store, { tag: 'views-record', receivedAt: '2026-11-20T08:00:00.000Z' });
    waiting = await seedDocument(env.store, { tag: 'views-waiting', stage: 'received' });
    quarantined = await seedDocument(env.store, {
      tag: 'views-quarantined',
      quarantine: {
        stage: 'read',
        code: 'encrypted',
        reason: 'encrypted PDF: ask the sender for an unprotected copy',
        attempts: 1,
      },
    });
    toClose = await seedDocument(env.store, {
      tag: 'views-to-close',
      channel: 'email',
      quarantine: { stage: 'read', code: 'empty', reason: 'the file is empty', attempts: 1 },
    });
    superseded = await seedDocument(env.store, { tag: 'views-superseded', pages: 2 });
    const clerk = await Clerk.login(env.url, 'clerk2');
    const split = await clerk.post(`/api/documents/${superseded}/split`, { groups: [[1], [2]] });
    expect(split.status, split.text).toBe(200);
    halves = (split.body.documents as { docId: string }[]).map((d) => d.docId);
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await (await browser.newContext({ viewport: { width: 1500, height: 950 } })).newPage();
  });

  afterAll(async () => {
    console.log(`axe (review-views): ${axeLog.map((a) => `${a.view} ${a.violations}`).join(', ')}`);
    await browser?.close();
    await env?.close();
  });

  it('says a sign-in failed, accessibly', async () => {
    await page.goto(`${env.url}/login`);
    await page.fill('#username', 'clerk1');
    await page.fill('#password', 'not-the-password');
    await page.click('#sign-in');
    await page.waitForSelector('.error[role="alert"]');
    expect(await page.textContent('.error')).toBe('Wrong user name or password.');
    expect(await checkAxe(page, 'login, wrong password')).toEqual([]);
    await page.fill('#username', 'clerk1');
    await page.fill('#password', 'clerk1-password-123');
    await page.click('#sign-in');
    await page.waitForSelector('#queue-table');
  });

  it('shows records waiting to be read, quarantined and superseded, and the error page', async () => {
    await page.goto(`${env.url}/records/${waiting}`);
    await page.waitForFunction(() => document.querySelector('#pages')?.textContent?.includes('Waiting to be read'));
    expect(await checkAxe(page, 'record waiting to be read')).toEqual([]);

    await page.goto(`${env.url}/records/${quarantined}`);
    await page.waitForFunction(() => document.querySelector('#pages')?.textContent?.includes('Quarantined: encrypted PDF'));
    expect(await checkAxe(page, 'record quarantined')).toEqual([]);

    await page.goto(`${env.url}/records/${superseded}`);
    await page.waitForSelector('#superseded');
    for (const id of halves) expect(await page.locator(`#superseded a[href="/records/${id}"]`).count()).toBe(1);
    expect(await checkAxe(page, 'record superseded (split)')).toEqual([]);

    await page.goto(`${env.url}/records/${'0'.repeat(64)}`);
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'This page could not be shown');
    expect(await page.textContent('main [role="alert"]')).toContain('no such document');
    expect(await checkAxe(page, 'error page (no such record)')).toEqual([]);
  });

  it('asks what the member must do, and asks again before approving for a member who does not match', async () => {
    await page.goto(`${env.url}/records/${record}`);
    await page.locator('#items li.item.selected').waitFor();
    await page.keyboard.press('Shift+M');
    await page.locator('#needs-member-dialog').waitFor();
    expect(await checkAxe(page, 'needs-member-action dialog')).toEqual([]);
    await page.keyboard.press('Escape');
    await page.locator('#needs-member-dialog').waitFor({ state: 'detached' });

    // Bob Okafor (M1002) linked to a record that names Alice Newman: approving asks first.
    await page.keyboard.press('m');
    await page.keyboard.type('Okafor');
    await page.keyboard.press('Enter');
    await page.locator('#member-results button', { hasText: 'M1002' }).click();
    expect(await page.textContent('#linked-member')).toContain('M1002');
    await page.locator('#items li.item.selected').click();
    await page.keyboard.press('y');
    await page.keyboard.press('Shift+A');
    await page.locator('#approve-dialog').waitFor();
    await page.locator('#approve-dialog button[data-value="approve"]').click();
    await page.locator('#mismatch-dialog').waitFor();
    expect(await page.textContent('#mismatch-dialog')).toContain('does not match');
    expect(await checkAxe(page, 'member-mismatch dialog')).toEqual([]);
    await page.locator('#mismatch-dialog button.subtle').click();
    await page.waitForFunction(() => document.querySelector('#toast')?.textContent === 'Not saved: check the member link');
    // Nothing was approved.
    expect((await env.store.revisions.latest(record))?.state).not.toBe('approved');

    // The suggested member (M1001, the document's patient) linked instead: approved, then the read-only view with its exports.
    await page.locator('#items li.item.selected').click();
    await page.keyboard.press('l');
    await page.waitForFunction(() => document.querySelector('#member-check')?.textContent?.startsWith('✓'));
    await page.keyboard.press('Shift+A');
    await page.locator('#approve-dialog button[data-value="approve"]').click();
    await page.waitForFunction(() => document.querySelector('#record-state')?.textContent === 'Approved');
    expect(await env.store.revisions.latest(record)).toMatchObject({ state: 'approved', memberId: 'M1001' });
    expect(await page.locator('#export-fhir').count()).toBe(1);
    expect(await checkAxe(page, 'record approved (read only, exports)')).toEqual([]);
  });

  it('lets a supervisor close a quarantine record after a confirmation, with a note', async () => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
    const p = await context.newPage();
    await p.goto(`${env.url}/login`);
    await p.fill('#username', 'super1');
    await p.fill('#password', 'super1-password-123');
    await p.click('#sign-in');
    await p.waitForSelector('#queue-table');
    await p.click('header nav a[href="/quarantine"]');
    const row = p.locator(`#quarantine-table tr[data-doc="${toClose}"]`);
    await row.locator('button.close').click();
    await p.locator('#close-dialog').waitFor();
    expect(await checkAxe(p, 'close-quarantine dialog')).toEqual([]);
    await p.fill('#close-note', 'the member sent the record again by fax');
    await p.locator('#close-dialog button[data-value="close"]').click();
    await row.waitFor({ state: 'detached' });
    expect(await env.store.quarantine.get(toClose)).toMatchObject({
      status: 'closed',
      closedBy: 'super1',
      note: 'the member sent the record again by fax',
    });
    expect((await env.store.documents.get(toClose))?.stage).toBe('closed');
    expect(await new AuditLog(env.store).search({ actor: 'super1', action: 'quarantine.close', docId: toClose })).toHaveLength(1);
    expect(await checkAxe(p, 'quarantine (supervisor, after close)')).toEqual([]);
    await context.close();
  });
});
