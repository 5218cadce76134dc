import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExtractWorker } from '@intake/extract-worker';
import { createLogger } from '@intake/config';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { closeDefaultOcrPool, createOcrEngine } from '@intake/documents';
import { startReadWorker } from '@intake/read-worker';
import { createRedis, JobProducer } from '@intake/queue';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../services/review/src/testing/fixtures.ts';
import { axeLog, checkAxe } from './support/axe.ts';

// Paper brought to the appointment, end to end in Chromium with the real read and extract
// workers: three files uploaded from the queue, their reading followed live (server-sent
// events), a two-patient fax split in the split view and both halves approved, axe on each
// view. Synthetic names, dates and numbers only (the roster of testing/fixtures.ts).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(root, 'test-output');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A born-digital PDF, one page per list of lines. */
async function pdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    lines.forEach((line, i) => page.drawText(line, { x: 54, y: 740 - i * 20, size: 12, font }));
  }
  return Buffer.from(await doc.save());
}

const ALICE = ['Riverside Family Clinic', 'Patient: Alice Newman    DOB: 05/01/1970    MRN: 12345678'];
const BOB = ['Lakeview Medical Group', 'Patient Name: Bob Okafor    Date of birth: 11/23/1962'];
const CARLA = ['Harbor Pediatrics', 'Patient: Carla Newman    DOB: 02/14/1998'];

describe('upload, live progress and split in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let workers: { read: Worker; extract: Worker; redis: Redis; producers: { close(): Promise<unknown> }[] } | undefined;
  let files: { name: string; mimeType: string; buffer: Buffer }[];

  function startWorkers(): void {
    const redis = createRedis(env.redisHandle.url);
    const prefix = env.config.INTAKE_QUEUE_PREFIX;
    const logger = createLogger({ level: 'silent' });
    const extractProducer = new JobProducer(extractDocumentJob, redis, prefix);
    const readProducer = new JobProducer(readDocumentJob, redis, prefix);
    const read = startReadWorker({
      store: env.store,
      extractProducer,
      readProducer,
      ocr: createOcrEngine('auto', { size: 1 }),
      limits: { maxPages: 50, maxPixelsPerPage: 20_000_000, pageTimeoutMs: 60_000 },
      connection: redis,
      logger,
      prefix,
      concurrency: 1,
    });
    const extract = startExtractWorker({ store: env.store, connection: redis, logger, concurrency: 2, prefix });
    workers = { read, extract, redis, producers: [extractProducer, readProducer] };
  }

  beforeAll(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: set CHROMIUM_PATH`);
    env = await startTestEnv({ REVIEW_TURNAROUND_HOURS: '24' });
    files = [
      {
        name: 'fax-two-patients.pdf',
        mimeType: 'application/pdf',
        buffer: await pdf([
          [...ALICE, 'MEDICATIONS', 'Lisinopril 10 mg tablet daily'],
          [...ALICE, 'ALLERGIES', 'Penicillin - hives'],
          [...BOB, 'IMMUNIZATIONS', 'Tdap 04/02/2019'],
        ]),
      },
      {
        name: 'immunizations.pdf',
        mimeType: 'application/pdf',
        buffer: await pdf([[...CARLA, 'IMMUNIZATIONS', 'Influenza vaccine 10/02/2023', 'Tdap 08/14/2019']]),
      },
      {
        name: 'medications.pdf',
        mimeType: 'application/pdf',
        buffer: await pdf([[...BOB, 'MEDICATIONS', 'Metformin 500 mg tablet twice daily', 'Amlodipine 5 mg tablet daily']]),
      },
    ];
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    await page.goto(`${env.url}/login`);
    expect(await checkAxe(page, 'login')).toEqual([]);
    await page.fill('#username', 'clerk1');
    await page.fill('#password', 'clerk1-password-123');
    await page.click('#sign-in');
    await page.waitForSelector('#queue-table');
  });

  afterAll(async () => {
    console.log(`axe (review-intake): ${axeLog.map((a) => `${a.view} ${a.violations}`).join(', ')}`);
    await browser?.close();
    if (workers) {
      await Promise.all([workers.read.close(), workers.extract.close()]);
      for (const p of workers.producers) await p.close();
      await workers.redis.quit();
      await closeDefaultOcrPool();
    }
    await env?.close();
  });

  it('uploads three files from the queue and follows their reading live', async () => {
    await page.waitForFunction(() => document.querySelector('#queue-live')?.textContent === 'Live updates: on');
    // The page is never reloaded: what changes comes over the event stream.
    await page.evaluate(() => {
      const w = window as unknown as { sameDocument: boolean; progressSeen: string[] };
      w.sameDocument = true;
      w.progressSeen = [];
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('#queue-table .progress-text'))
          if (!w.progressSeen.includes(el.textContent ?? '')) w.progressSeen.push(el.textContent ?? '');
      }).observe(document.querySelector('#queue-table')!, { childList: true, subtree: true, characterData: true });
    });
    await page.setInputFiles('#upload-input', files);
    const results = page.locator('#upload-results li');
    await page.waitForFunction(() => document.querySelectorAll('#upload-results li[data-doc]').length === 3);
    expect(await results.allTextContents()).toEqual(files.map((f) => `${f.name}: received, being read`));
    const ids = await results.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.doc!));
    // No reader runs yet: each document waits in the queue, channel upload.
    for (const id of ids) {
      const row = page.locator(`#queue-table tr[data-doc="${id}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('Waiting to be read');
      expect(await row.textContent()).toContain('upload');
    }

    startWorkers();
    // Live: each row becomes a pending document naming its patient, with no reload.
    for (const id of ids)
      await page.waitForSelector(`#queue-table tr[data-doc="${id}"][data-stage="extracted"] .state.pending`, { timeout: 90_000 });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    console.log(`live progress shown in the queue: ${seen.join(' → ')}`);
    expect(seen).toContain('Waiting to be read');
    expect(seen.some((t) => ['Reading…', 'Read, waiting for extraction', 'Extracting items…'].includes(t))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    const fax = page.locator(`#queue-table tr[data-doc="${ids[0]}"]`);
    expect(await fax.textContent()).toContain('Alice Newman');
    expect(await fax.textContent()).toContain('1970-05-01');
    expect(await fax.locator('.flag.mixed').count()).toBe(1);
    expect(await page.locator(`#queue-table tr[data-doc="${ids[1]}"]`).textContent()).toContain('Carla Newman');

    expect(await checkAxe(page, 'queue')).toEqual([]);
    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, 'review-queue.png') });
  });

  it('splits the two-patient fax in the split view and approves both halves', async () => {
    const fax = page.locator('#queue-table tr', { has: page.locator('.flag.mixed') });
    const faxId = (await fax.getAttribute('data-doc'))!;
    await fax.locator('a[data-nav]').click();
    await page.waitForSelector('#mixed-patients');
    expect(await page.textContent('#mixed-patients')).toContain('Bob Okafor');

    // x opens the split view with the pages grouped by the patient each names.
    await page.locator('#items li.item.selected').waitFor();
    await page.keyboard.press('x');
    await page.waitForSelector('#split-board .split-group');
    const groupPages = () =>
      page
        .locator('#split-board .split-group')
        .evaluateAll((els) =>
          els.map((g) => [...g.querySelectorAll<HTMLElement>('li.split-page')].map((li) => Number(li.dataset.page))),
        );
    expect(await groupPages()).toEqual([[1, 2], [3]]);
    expect(await page.textContent('.split-group[data-group="0"] h2')).toContain('Alice Newman');
    expect(await page.textContent('.split-group[data-group="1"] h2')).toContain('Bob Okafor');
    // Drag page 2 to the second document, then put it back from the keyboard with its list.
    await page.locator('li.split-page[data-page="2"]').dragTo(page.locator('.split-group[data-group="1"]'));
    expect(await groupPages()).toEqual([[1], [2, 3]]);
    await page.locator('#split-page-2').focus();
    await page.locator('#split-page-2').selectOption('0');
    expect(await groupPages()).toEqual([[1, 2], [3]]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('split-page-2');

    expect(await checkAxe(page, 'split view')).toEqual([]);
    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, 'review-split.png') });

    await page.click('#split-confirm');
    const dialog = page.locator('#split-dialog');
    await dialog.waitFor();
    expect(await checkAxe(page, 'split dialog')).toEqual([]);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== `/records/${faxId}` && url.pathname.startsWith('/records/'));
    const halves = JSON.parse((await page.evaluate(() => sessionStorage.getItem('split-result'))) ?? '[]') as string[];
    expect(halves).toHaveLength(2);
    expect((await env.store.documents.get(faxId))!.stage).toBe('superseded');

    // Each half is read again; the record shows it live and opens its items when they are ready.
    for (const [n, id] of halves.entries()) {
      if (n > 0) await page.goto(`${env.url}/records/${id}`);
      await page.waitForSelector('#items li.item.selected', { timeout: 90_000 });
      expect(await page.textContent('#provenance')).toContain(faxId.slice(0, 12));
      expect(await page.locator('#mixed-patients').count()).toBe(0);
      if (n === 0) expect(await checkAxe(page, 'record (split half)')).toEqual([]);
      await page.keyboard.press('y');
      await page.keyboard.press('l');
      const expected = n === 0 ? 'M1001' : 'M1002';
      expect(await page.textContent('#linked-member')).toContain(expected);
      await page.waitForFunction(() => document.querySelector('#member-check')?.textContent?.startsWith('✓'));
      await page.keyboard.press('Shift+A');
      await page.locator('#approve-dialog').waitFor();
      await page.locator('#approve-dialog button[data-value="approve"]').click();
      await page.waitForFunction(() => document.querySelector('#record-state')?.textContent === 'Approved');
      const revision = await env.store.revisions.latest(id);
      expect(revision).toMatchObject({ state: 'approved', memberId: expected, by: 'clerk1' });
    }
  });
});
