import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExtractWorker } from '@intake/extract-worker';
import { createLogger } from '@intake/config';
import { sha256Hex } from '@intake/core';
import { createRedis } from '@intake/queue';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../services/review/src/audit.ts';
import { Clerk, PAGE_H, PAGE_W, seedDocument, startTestEnv, type TestEnv } from '../services/review/src/testing/fixtures.ts';
import { axeLog, checkAxe } from './support/axe.ts';

// Indexing in Chromium against the real review server and the real extract worker: a page's
// rotation in the record view (image and evidence boxes together), pages moved into an
// existing record, and a continuation merged into it — each new document naming its sources,
// the originals kept as received, the audit log recording each step. Synthetic records only.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(root, 'test-output');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Rect = { x: number; y: number; width: number; height: number };

/** The patient line a record's first page states (the extract worker reads it from the page text). */
async function statePatient(env: TestEnv, docId: string, line: string): Promise<void> {
  const page = (await env.store.pages.getPage(docId, 1))!;
  await env.store.pages.putPage(docId, {
    ...page,
    text: `${line}\n${page.text}`,
    lines: [{ text: line, bbox: [100, 100, 1100, 140], confidence: 0.95, words: [] }, ...(page.lines ?? [])],
  });
}

describe('rotation, moving pages and merging a continuation in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let clerk: Clerk;
  let worker: { extract: Worker; redis: Redis } | undefined;

  const rectOf = async (selector: string): Promise<Rect> => (await rects(selector))[0]!;
  /** Several elements' rectangles in one go (the pane may scroll between two separate reads). */
  const rects = (...selectors: string[]): Promise<Rect[]> =>
    page.evaluate((sels) => sels.map((sel) => document.querySelector(sel)!.getBoundingClientRect().toJSON() as Rect), selectors);
  /** Where a box of the unrotated page ([x0,y0,x1,y1] in image pixels) shows on a figure turned by `rotation`. */
  function expected(fig: Rect, b: [number, number, number, number], rotation: 90 | 180): Rect {
    const [x0, y0, x1, y1] = b;
    if (rotation === 90)
      return {
        x: fig.x + ((PAGE_H - y1) / PAGE_H) * fig.width,
        y: fig.y + (x0 / PAGE_W) * fig.height,
        width: ((y1 - y0) / PAGE_H) * fig.width,
        height: ((x1 - x0) / PAGE_W) * fig.height,
      };
    return {
      x: fig.x + ((PAGE_W - x1) / PAGE_W) * fig.width,
      y: fig.y + ((PAGE_H - y1) / PAGE_H) * fig.height,
      width: ((x1 - x0) / PAGE_W) * fig.width,
      height: ((y1 - y0) / PAGE_H) * fig.height,
    };
  }
  const near = (actual: Rect, want: Rect) => {
    for (const k of ['x', 'y', 'width', 'height'] as const)
      expect(Math.abs(actual[k] - want[k]), `${k}: ${actual[k]} vs ${want[k]}`).toBeLessThan(2.5);
  };

  beforeAll(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: set CHROMIUM_PATH`);
    env = await startTestEnv();
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    await page.goto(`${env.url}/login`);
    await page.fill('#username', 'clerk1');
    await page.fill('#password', 'clerk1-password-123');
    await page.click('#sign-in');
    await page.waitForSelector('#queue-table');
    clerk = await Clerk.login(env.url, 'clerk1');
  });

  afterAll(async () => {
    console.log(`axe (review-indexing): ${axeLog.map((a) => `${a.view} ${a.violations}`).join(', ')}`);
    await browser?.close();
    if (worker) {
      await worker.extract.close();
      await worker.redis.quit();
    }
    await env?.close();
  });

  it('turns a page in the record view by its stored rotation, the evidence boxes with it, and rotates it further', async () => {
    const docId = await seedDocument(env.store, { tag: 'idx-rotated', pages: 2 });
    // Stored before the record opens (as the split view's Rotate does).
    expect((await clerk.post(`/api/documents/${docId}/pages/1/rotate`, { rotation: 90 })).body).toEqual({
      page: 1,
      rotation: 90,
    });
    await page.goto(`${env.url}/records/${docId}`);
    await page.waitForSelector('#items li.item');
    await page.waitForFunction(() => (document.querySelector('#page-1 img') as HTMLImageElement | null)?.complete === true);
    expect(await page.getAttribute('#page-1', 'data-rotation')).toBe('90');
    expect(await page.getAttribute('#page-2', 'data-rotation')).toBe('0');

    // A quarter turn: the figure is landscape, the image fills it, Metformin's box ([100,360,800,400]) turned with it.
    const first = await rects('#page-1', '#page-1 img', '#page-1 .box[data-items="x1"]');
    let fig = first[0]!;
    let box = first[2]!;
    const img = first[1]!;
    expect(fig.width / fig.height).toBeCloseTo(PAGE_H / PAGE_W, 2);
    near(img, fig);
    near(box, expected(fig, [100, 360, 800, 400], 90));
    // Still a button where it shows: clicking it selects its item.
    await page.locator('#page-1 .box[data-items="x1"]').click();
    expect(await page.getAttribute('#items li.item.selected', 'data-id')).toBe('x1');
    expect(await checkAxe(page, 'record (page rotated 90°)')).toEqual([]);

    // ⟳ on the page turns it a further quarter (stored), from the keyboard.
    await page.locator('#page-1 .rotate-page').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#page-1')?.getAttribute('data-rotation') === '180');
    expect((await env.store.documents.get(docId))?.rotations).toEqual({ '1': 180 });
    [fig, box] = (await rects('#page-1', '#page-1 .box[data-items="x1"]')) as [Rect, Rect];
    expect(fig.width / fig.height).toBeCloseTo(PAGE_W / PAGE_H, 2);
    near(box, expected(fig, [100, 360, 800, 400], 180));
    // Page 2 was not touched; after a reload the stored rotation is shown again.
    const [fig2, box2] = await rects('#page-2', '#page-2 .box[data-items="x4"]');
    near(box2!, {
      x: fig2!.x + (100 / PAGE_W) * fig2!.width,
      y: fig2!.y + (300 / PAGE_H) * fig2!.height,
      width: (800 / PAGE_W) * fig2!.width,
      height: (40 / PAGE_H) * fig2!.height,
    });
    await page.reload();
    await page.waitForSelector('#items li.item');
    expect(await page.getAttribute('#page-1', 'data-rotation')).toBe('180');
    // A box marked by dragging on the turned page is stored in the unrotated image's pixels.
    await page.keyboard.press('i');
    const adding = page.locator('#items li.adding');
    await adding.locator('select[name="kind"]').selectOption('surgery');
    await adding.locator('input[name="display"]').fill('Tonsillectomy');
    await adding.locator('input[name="name"]').fill('tonsillectomy');
    expect(await checkAxe(page, 'add-item form')).toEqual([]);
    await adding.locator('button.mark').click();
    fig = await rectOf('#page-1');
    // Upside down: the page's (x, y) shows at (W - x, H - y).
    const at = (x: number, y: number) =>
      [fig.x + ((PAGE_W - x) / PAGE_W) * fig.width, fig.y + ((PAGE_H - y) / PAGE_H) * fig.height] as const;
    await page.mouse.move(...at(100, 700));
    await page.mouse.down();
    await page.mouse.move(...at(400, 720), { steps: 4 });
    await page.mouse.move(...at(700, 740), { steps: 4 });
    await page.mouse.up();
    expect(await adding.locator('.mark-info').textContent()).toBe('marked on page 1');
    await adding.locator('input[name="name"]').press('Enter');
    await page.waitForSelector('#items li.item[data-id="a1"].added');
    // (The pane may have scrolled to the new item's box: both measured again.)
    const [figNow, a1Box] = await rects('#page-1', '#page-1 .box[data-items="a1"]');
    near(a1Box!, expected(figNow!, [100, 700, 700, 740], 180));
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelector('#record-state')?.textContent === 'In review');
    const bbox = (await env.store.revisions.latest(docId))!.items.find((i) => i.id === 'a1')!.item.evidence!.bbox!;
    [100, 700, 700, 740].forEach((v, k) => expect(Math.abs(bbox[k]! - v), `bbox[${k}] ${bbox[k]}`).toBeLessThanOrEqual(3));

    // Each turn is in the audit log (the API's and the page's own button alike).
    const turns = await new AuditLog(env.store).search({ actor: 'clerk1', action: 'record.page.rotate', docId });
    expect(turns.map((e) => e.detail).sort((a, b) => Number(a!.rotation) - Number(b!.rotation))).toEqual([
      { page: 1, rotation: 90 },
      { page: 1, rotation: 180 },
    ]);
    // The image itself is not changed: the stored page image is the one read.
    const image = await clerk.send('GET', `/api/documents/${docId}/pages/1/image`);
    expect(image.status).toBe(200);
  });

  it('moves a page of a fax into an existing record and merges a continuation into it, each result naming its sources', async () => {
    const record = await seedDocument(env.store, {
      tag: 'idx-record',
      pages: 2,
      patient: { name: 'Alice Newman', birthDate: '1970-05-01' },
    });
    const fax = await seedDocument(env.store, {
      tag: 'idx-fax',
      pages: 2,
      patient: { name: 'Bob Okafor', birthDate: '1962-11-23' },
    });
    const continuation = await seedDocument(env.store, {
      tag: 'idx-continuation',
      pages: 1,
      patient: { name: 'Alice Newman', birthDate: '1970-05-01' },
    });
    await statePatient(env, record, 'Patient: Alice Newman    DOB: 05/01/1970');
    await statePatient(env, fax, 'Patient Name: Bob Okafor    Date of birth: 11/23/1962');
    await statePatient(env, continuation, 'Patient: Alice Newman    DOB: 05/01/1970');
    // The fax's page 2 was scanned sideways and turned: the turn goes with the page.
    await clerk.post(`/api/documents/${fax}/pages/2/rotate`, { rotation: 90 });
    const redis = createRedis(env.redisHandle.url);
    worker = {
      redis,
      extract: startExtractWorker({
        store: env.store,
        connection: redis,
        logger: createLogger({ level: 'silent' }),
        concurrency: 1,
        prefix: env.config.INTAKE_QUEUE_PREFIX,
      }),
    };

    // The fax's split view: page 2 into a group of its own, then moved to Alice's record found by name.
    await page.goto(`${env.url}/records/${fax}`);
    await page.locator('#items li.item.selected').waitFor();
    await page.click('#open-split');
    await page.waitForSelector('#split-board .split-group');
    await page.locator('#split-page-2').selectOption('1');
    // The search starts with the patient this document names (Bob); the clerk looks for Alice's record.
    await page.waitForFunction(() => document.querySelector('#target-status')?.textContent !== 'Searching…');
    await page.fill('#target-q', 'Alice Newman');
    await page.press('#target-q', 'Enter');
    await page.locator(`#target-list .target[data-doc="${record}"]`).waitFor();
    expect(await page.locator(`#target-list .target[data-doc="${continuation}"]`).count()).toBe(1);
    await page.check(`#target-list .target[data-doc="${record}"] input`);
    await page.selectOption('#move-group', '1');
    expect(await page.textContent('#move-group option:checked')).toContain('page: 2');
    expect(await checkAxe(page, 'split view, existing record found')).toEqual([]);
    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, 'review-move.png'), fullPage: true });
    await page.click('#move-confirm');
    await page.locator('#move-dialog').waitFor();
    expect(await checkAxe(page, 'move dialog')).toEqual([]);
    await page.locator('#move-dialog button[data-value="move"]').click();
    await page.waitForURL((url) => url.pathname.startsWith('/records/') && !url.pathname.endsWith(fax));
    const moved = JSON.parse((await page.evaluate(() => sessionStorage.getItem('move-result'))) ?? '{}') as {
      source: { docId: string };
      target: { docId: string };
    };
    const newRecord = moved.target.docId;
    const rest = moved.source.docId;
    expect(new URL(page.url()).pathname).toBe(`/records/${newRecord}`);

    // Through the one state machine: both sources superseded, naming where their pages went.
    expect(await env.store.documents.get(record)).toMatchObject({ stage: 'superseded', supersededBy: [newRecord] });
    expect(await env.store.documents.get(fax)).toMatchObject({ stage: 'superseded', supersededBy: [rest, newRecord] });
    expect(await env.store.documents.get(newRecord)).toMatchObject({
      pages: 3,
      derivedFrom: [
        { docId: record, pages: [1, 2] },
        { docId: fax, pages: [2] },
      ],
      rotations: { '3': 90 },
    });
    expect(await env.store.documents.get(rest)).toMatchObject({ pages: 1, derivedFrom: [{ docId: fax, pages: [1] }] });
    // The original bytes stay as received.
    for (const id of [record, fax]) expect(sha256Hex((await env.store.originals.get(id))!)).toBe(id);

    // The new record is read again for its items (the extract worker), shown live; the moved page keeps its turn.
    await page.waitForSelector('#items li.item', { timeout: 90_000 });
    expect(await page.textContent('#provenance')).toContain(record.slice(0, 12));
    expect(await page.textContent('#provenance')).toContain(fax.slice(0, 12));
    expect(await page.locator('#pages figure.page').count()).toBe(3);
    expect(await page.getAttribute('#page-3', 'data-rotation')).toBe('90');
    expect(await checkAxe(page, 'record made by a move')).toEqual([]);

    // The continuation: merged into the new record, found by the name it states (searched at once).
    // A one-page document: its record offers the merge (x), which opens the same view.
    await page.goto(`${env.url}/records/${continuation}`);
    await page.locator('#items li.item.selected').waitFor();
    expect(await page.textContent('#open-split')).toContain('Merge into an existing record…');
    await page.keyboard.press('x');
    await page.waitForURL((url) => url.search === '?split');
    await page.locator(`#target-list .target[data-doc="${newRecord}"]`).waitFor({ timeout: 30_000 });
    // The superseded record is no longer offered.
    expect(await page.locator(`#target-list .target[data-doc="${record}"]`).count()).toBe(0);
    await page.check(`#target-list .target[data-doc="${newRecord}"] input`);
    await page.click('#merge-confirm');
    await page.locator('#merge-dialog').waitFor();
    expect(await checkAxe(page, 'merge dialog')).toEqual([]);
    await page.locator('#merge-dialog button[data-value="merge"]').click();
    await page.waitForURL((url) => url.pathname.startsWith('/records/') && !url.pathname.endsWith(continuation));
    const merged = new URL(page.url()).pathname.split('/').pop()!;
    expect(await env.store.documents.get(merged)).toMatchObject({
      pages: 4,
      derivedFrom: [
        { docId: newRecord, pages: [1, 2, 3] },
        { docId: continuation, pages: [1] },
      ],
      rotations: { '3': 90 },
    });
    for (const id of [newRecord, continuation])
      expect(await env.store.documents.get(id)).toMatchObject({ stage: 'superseded', supersededBy: [merged] });
    expect(sha256Hex((await env.store.originals.get(continuation))!)).toBe(continuation);
    await page.waitForSelector('#items li.item', { timeout: 90_000 });
    expect(await page.textContent('#provenance')).toContain(continuation.slice(0, 12));
    expect(await page.locator('#pages figure.page').count()).toBe(4);

    const audit = new AuditLog(env.store);
    const moves = await audit.search({ actor: 'clerk1', action: 'record.pages.move' });
    expect(moves.map((e) => [e.docId, e.detail])).toEqual([[fax, { pages: [2], to: record, source: rest, target: newRecord }]]);
    const merges = await audit.search({ actor: 'clerk1', action: 'record.merge' });
    expect(merges.map((e) => [e.docId, e.detail])).toEqual([[continuation, { into: newRecord, result: merged }]]);
    // And each step of the state machine: the new documents derived, the sources moved / merged, by the clerk.
    for (const [id, action] of [
      [newRecord, 'document.derived'],
      [rest, 'document.derived'],
      [merged, 'document.derived'],
      [record, 'document.moved'],
      [fax, 'document.moved'],
      [newRecord, 'document.merged'],
      [continuation, 'document.merged'],
    ] as const)
      expect(
        (await audit.search({ action, docId: id })).map((e) => e.actor),
        `${action} ${id.slice(0, 8)}`,
      ).toEqual(['clerk1']);
  });
});
