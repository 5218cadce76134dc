import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleItems, seedDocument, startTestEnv, type TestEnv } from '../services/review/src/testing/fixtures.ts';
import { axeLog, checkAxe } from './support/axe.ts';

// The clerk's workplace end to end: a real browser (Debian's chromium) against the real
// review server over the embedded S3 API and Redis.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(root, 'test-output');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('review UI in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let docId: string;
  let bigDocId: string;
  let quarantinedId: string;

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(
        `Chromium not found at ${executablePath}: run .ci/install-chromium.sh (Debian package "chromium") or set CHROMIUM_PATH`,
      );
    }
    env = await startTestEnv();
    docId = await seedDocument(env.store, {
      tag: 'e2e-record',
      receivedAt: '2026-11-27T08:00:00.000Z',
      hints: { senderAddress: 'alice.newman@example.org' },
    });
    const extra = [30, 60, 99].map((p) => ({
      kind: 'condition' as const,
      name: `finding on page ${p}`,
      display: `Finding on page ${p}`,
      codes: [],
      negated: false,
      confidence: 0.7,
      evidence: { page: p, text: `finding ${p}`, bbox: [150, 800, 1100, 860] as [number, number, number, number] },
    }));
    quarantinedId = await seedDocument(env.store, {
      tag: 'e2e-quarantined',
      pages: 1,
      items: [],
      channel: 'email',
      quarantine: {
        stage: 'read',
        code: 'encrypted',
        reason: 'encrypted PDF: ask the sender for an unprotected copy',
        attempts: 1,
      },
    });
    bigDocId = await seedDocument(env.store, {
      tag: 'e2e-100-pages',
      pages: 100,
      receivedAt: '2026-11-28T08:00:00.000Z',
      items: [...sampleItems(), ...extra],
    });
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
    page = await context.newPage();
  });

  afterAll(async () => {
    console.log(`axe (review-ui): ${axeLog.map((a) => `${a.view} ${a.violations}`).join(', ')}`);
    await browser?.close();
    await env?.close();
  });

  it('logs in, opens a record, corrects a medication, approves and exports', async () => {
    await page.goto(`${env.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#username', 'clerk1');
    await page.fill('#password', 'clerk1-password-123');
    await page.click('#sign-in');

    // Queue: counts per state, oldest first.
    await page.waitForSelector('#queue-table tbody tr[data-doc]');
    expect(await page.textContent('.tab[data-state="pending"] .count')).toBe('2');
    expect(await page.getAttribute('#queue-table tbody tr.selected', 'data-doc')).toBe(docId);
    await page.keyboard.press('Enter');

    // Record view: page images on the left, items on the right.
    await page.waitForSelector('#items li.item');
    expect(new URL(page.url()).pathname).toBe(`/records/${docId}`);
    expect(await page.locator('#items li.item').count()).toBe(9);
    expect(await page.locator('.page img').count()).toBe(2);
    await page.waitForFunction(() => (document.querySelector('.page img') as HTMLImageElement | null)?.complete === true);

    // Selecting an item highlights its evidence box, scaled to the displayed page.
    await page.keyboard.press('j');
    const active = page.locator('.box.active');
    expect(await active.count()).toBe(1);
    const img = await page.locator('#page-1 img').boundingBox();
    const box = await active.boundingBox();
    // Metformin's bbox is [100, 360, 800, 400] on a 1275 × 1650 page.
    expect(box!.x - img!.x).toBeCloseTo((100 / 1275) * img!.width, 0);
    expect(box!.y - img!.y).toBeCloseTo((360 / 1650) * img!.height, 0);
    expect(box!.width).toBeCloseTo((700 / 1275) * img!.width, 0);
    // Selecting a box shows its items.
    await page.locator('#page-1 .box[data-items="x8"]').click();
    expect(await page.getAttribute('#items li.item.selected', 'data-id')).toBe('x8');
    expect(await page.locator('#items li.from-box').count()).toBe(1);

    // Correct the lisinopril dose: k back to the first medication, e to edit.
    await page.keyboard.press('k');
    for (let i = 0; i < 9; i++) await page.keyboard.press('k');
    expect(await page.getAttribute('#items li.item.selected', 'data-id')).toBe('x0');
    await page.keyboard.press('e');
    const form = page.locator('#items li.item.selected form.edit-form');
    // Only the strength: the display follows it (and so do the exports below).
    await form.locator('input[name="strength"]').fill('20 mg');
    expect(await form.locator('input[name="display"]').inputValue()).toBe('Lisinopril 20 mg tablet');
    await form.locator('input[name="strength"]').press('Enter');
    await page.waitForSelector('#items li.item[data-id="x0"].edited');
    expect(await page.textContent('#items li.item[data-id="x0"] .display')).toBe('Lisinopril 20 mg tablet');

    // Add a missed item and mark its evidence by dragging a box on page 1.
    await page.keyboard.press('i');
    const adding = page.locator('#items li.adding');
    await adding.locator('select[name="kind"]').selectOption('surgery');
    await adding.locator('input[name="display"]').fill('Tonsillectomy');
    await adding.locator('input[name="name"]').fill('tonsillectomy');
    await adding.locator('input[name="date"]').fill('1990');
    await adding.locator('button.mark').click();
    const pageBox = (await page.locator('#page-1').boundingBox())!;
    const at = (x: number, y: number) =>
      [pageBox.x + (x / 1275) * pageBox.width, pageBox.y + (y / 1650) * pageBox.height] as const;
    await page.mouse.move(...at(100, 700));
    await page.mouse.down();
    await page.mouse.move(...at(500, 720), { steps: 4 });
    await page.mouse.move(...at(700, 740), { steps: 4 });
    await page.mouse.up();
    expect(await adding.locator('.mark-info').textContent()).toBe('marked on page 1');
    await adding.locator('input[name="name"]').press('Enter');
    await page.waitForSelector('#items li.item[data-id="a1"].added');
    expect(await page.locator('#page-1 .box[data-items="a1"]').count()).toBe(1);

    // Reject the surgery, accept the rest, link the suggested member.
    await page.click('#items li.item[data-id="x7"]');
    await page.keyboard.press('r');
    await page.keyboard.press('y');
    expect(await page.locator('#items li.item.pending').count()).toBe(0);
    await page.keyboard.press('l');
    expect(await page.textContent('#linked-member')).toContain('M1001');

    await page.click('#items li.item[data-id="x0"]');
    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, 'review-record.png') });

    // Approve with the keyboard: Shift+A shows the summary, which the clerk confirms.
    await page.keyboard.press('Shift+A');
    const summary = page.locator('#approve-dialog');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('M1001');
    expect(await summary.textContent()).toContain('1 edited');
    expect(await summary.textContent()).toContain('1 rejected');
    await summary.locator('button[data-value="approve"]').press('Enter');
    await page.waitForFunction(() => document.querySelector('#record-state')?.textContent === 'Approved');
    const revision = await env.store.revisions.get(docId, 1);
    expect(revision).toMatchObject({ state: 'approved', memberId: 'M1001', by: 'clerk1' });
    expect(revision!.items.find((i) => i.id === 'x0')).toMatchObject({
      decision: 'edited',
      item: { strength: '20 mg' },
      original: { strength: '10 mg' },
    });
    expect(revision!.items.find((i) => i.id === 'x7')?.decision).toBe('rejected');
    const added = revision!.items.find((i) => i.id === 'a1');
    expect(added).toMatchObject({
      decision: 'added',
      item: { kind: 'surgery', name: 'tonsillectomy', date: '1990', evidence: { page: 1 } },
    });
    const [bx0, by0, bx1, by1] = added!.item.evidence!.bbox!;
    expect(Math.abs(bx0 - 100)).toBeLessThan(8);
    expect(Math.abs(by0 - 700)).toBeLessThan(8);
    expect(Math.abs(bx1 - 700)).toBeLessThan(8);
    expect(Math.abs(by1 - 740)).toBeLessThan(8);

    // Export, as the clerk's browser downloads it.
    const [fhirDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-fhir')]);
    const bundle = JSON.parse(await readFile((await fhirDownload.path())!, 'utf8'));
    expect(bundle.resourceType).toBe('Bundle');
    const med = bundle.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'MedicationStatement',
    ).resource;
    expect(med.medicationCodeableConcept.text).toBe('Lisinopril 20 mg tablet');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = await readFile((await csvDownload.path())!, 'utf8');
    expect(csv).toContain('Lisinopril 20 mg tablet');
    expect(csv).not.toContain('Appendectomy');
  });

  it('opens a 100-page fax fast, loading page images lazily', async () => {
    const started = Date.now();
    await page.goto(`${env.url}/records/${bigDocId}`);
    await page.waitForSelector('#items li.item');
    await page.waitForFunction(() => (document.querySelector('#page-1 img') as HTMLImageElement | null)?.complete === true);
    const firstView = Date.now() - started;
    const pages = await page.locator('.page').count();
    const loadedAtOpen = await page.evaluate(
      () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/image')).length,
    );
    expect(pages).toBe(100);
    expect(loadedAtOpen).toBeLessThan(20);

    // Jump to the finding on page 99: the page scrolls there and its image loads on demand.
    const t0 = Date.now();
    await page.click('#items li.item[data-id="x11"]');
    await page.waitForFunction(
      () =>
        (document.querySelector('#page-99 img') as HTMLImageElement | null)?.complete === true &&
        (document.querySelector('#page-99 img') as HTMLImageElement).naturalWidth > 0,
    );
    const jump = Date.now() - t0;
    expect(await page.locator('#page-99 .box.active').isVisible()).toBe(true);
    const recordReadyMs = Number(await page.evaluate(() => document.body.dataset.recordReadyMs));
    console.log(
      `100-page record: first view ${firstView} ms (client render ${recordReadyMs} ms), ${loadedAtOpen} page images fetched at open, jump to page 99 ${jump} ms`,
    );
    // The times are printed, not asserted (no timed assertions in tests); what is asserted is that
    // the pages load on demand.
  });

  it('keeps a second clerk out of a record being worked on', async () => {
    const other = await browser.newContext();
    const p2 = await other.newPage();
    await p2.goto(`${env.url}/login`);
    await p2.fill('#username', 'clerk2');
    await p2.fill('#password', 'clerk2-password-123');
    await p2.click('#sign-in');
    await p2.waitForSelector('#queue-table');
    // clerk1 still has the 100-page record open (and claimed).
    await p2.goto(`${env.url}/records/${bigDocId}`);
    await p2.waitForSelector('#lease .notice');
    expect(await checkAxe(p2, 'record, read only (claimed by another clerk)')).toEqual([]);
    expect(await p2.textContent('#lease .notice')).toContain('clerk1 is working on this record');
    expect(await p2.locator('#approve').count()).toBe(0);
    await other.close();
  });

  it('shows quarantined documents with their reason, retries one, and lets a supervisor search the audit log', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${env.url}/login`);
    await p.fill('#username', 'super1');
    await p.fill('#password', 'super1-password-123');
    await p.click('#sign-in');
    await p.waitForSelector('#queue-table');
    await p.click('header nav a[href="/quarantine"]');
    const row = p.locator(`#quarantine-table tr[data-doc="${quarantinedId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('encrypted PDF: ask the sender for an unprotected copy');
    expect(await checkAxe(p, 'quarantine')).toEqual([]);
    await row.locator('button.retry').click();
    await p.waitForSelector(`#quarantine-table tr[data-doc="${quarantinedId}"]`, { state: 'detached' });
    expect(env.retried).toContain(quarantinedId);

    await p.click('header nav a[href="/audit"]');
    await p.fill('#audit-action', 'export');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => {
      const actions = [...document.querySelectorAll('#audit-table tbody tr td:nth-child(3)')].map((td) => td.textContent ?? '');
      return actions.length >= 2 && actions.every((a) => a.startsWith('export'));
    });
    expect(await checkAxe(p, 'audit')).toEqual([]);
    const rows = await p.locator('#audit-table tbody tr').allTextContents();
    expect(rows.every((r) => r.includes('export'))).toBe(true);
    expect(rows.some((r) => r.includes('clerk1') && r.includes('export.fhir'))).toBe(true);
    await context.close();
  });
  it('lets an admin add and disable an account in the accounts view (axe-checked, with a confirmation)', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${env.url}/login`);
    await p.fill('#username', 'admin1');
    await p.fill('#password', 'admin1-password-123');
    await p.click('#sign-in');
    await p.waitForSelector('#queue-table');
    expect(await checkAxe(p, 'queue (admin, bulk actions)')).toEqual([]);
    await p.click('header nav a[href="/admin/users"]');
    await p.waitForSelector('#accounts-table tbody tr[data-user="clerk1"]');
    expect(await checkAxe(p, 'accounts (admin)')).toEqual([]);
    await p.fill('#account-username', 'temp1');
    await p.selectOption('#account-role', 'clerk');
    await p.fill('#account-password', 'temp1-password-123');
    await p.press('#account-password', 'Enter');
    const row = p.locator('#accounts-table tbody tr[data-user="temp1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('active');
    await row.locator('button').click();
    await p.locator('#disable-dialog').waitFor();
    expect(await checkAxe(p, 'disable-account dialog')).toEqual([]);
    await p.locator('#disable-dialog button[data-value="disable"]').click();
    await p.waitForFunction(() =>
      document.querySelector('#accounts-table tr[data-user="temp1"]')?.textContent?.includes('disabled'),
    );
    // A clerk is not shown the view, and the server refuses its page.
    const clerkPage = await fetch(`${env.url}/admin/users`, {
      headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(clerkPage.status).toBe(403);
    await context.close();
  });
});
