import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Item } from '@intake/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PAGE_H,
  PAGE_W,
  renderPage,
  sampleItems,
  seedDocument,
  startTestEnv,
  type TestEnv,
} from '../services/review/src/testing/fixtures.ts';
import { axeLog, checkAxe } from './support/axe.ts';

// The record view as a clerk works it, in Chromium: density, boxes, the code picker, words
// selected on the page, keyboard-only review (keys counted), and nothing final on one key.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(root, 'test-output');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

const med = (
  name: string,
  display: string,
  extra: Partial<Item> & Record<string, unknown>,
  bbox: [number, number, number, number],
  page = 1,
): Item =>
  ({
    kind: 'medication',
    name,
    display,
    codes: [],
    negated: false,
    confidence: 0.9,
    evidence: { page, text: display, bbox },
    ...extra,
  }) as Item;

/** A typical record: 15 items, one read with low confidence, one whose code is another dose form, and a large block box over small ones. */
function fifteenItems(): Item[] {
  return [
    ...sampleItems(),
    med(
      'atorvastatin',
      'Atorvastatin 20 mg tablet',
      { strength: '20 mg', confidence: 0.45, codes: [{ system: RX, code: '617312' }] },
      [100, 660, 900, 700],
    ),
    med('fentanyl', 'Fentanyl nasal spray', { codes: [{ system: RX, code: '245134' }] }, [100, 720, 900, 760]),
    med(
      'amlodipine',
      'Amlodipine 5 mg tablet',
      { strength: '5 mg', codes: [{ system: RX, code: '197361' }] },
      [100, 780, 900, 820],
    ),
    {
      kind: 'condition',
      name: 'type 2 diabetes mellitus',
      display: 'Type 2 diabetes',
      codes: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }],
      negated: false,
      confidence: 0.92,
      evidence: { page: 2, text: 'DM2', bbox: [100, 660, 700, 700] },
    },
    {
      kind: 'immunization',
      vaccine: 'Tdap',
      display: 'Tdap vaccine',
      date: '2020-04',
      codes: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '115' }],
      negated: false,
      confidence: 0.9,
      evidence: { page: 2, text: 'Tdap 04/2020', bbox: [100, 720, 700, 760] },
    },
    {
      kind: 'provider',
      name: 'Riverside Family Clinic',
      display: 'Riverside Family Clinic (results block)',
      organization: 'Riverside Family Clinic',
      codes: [],
      negated: false,
      confidence: 0.8,
      // The block around the page's results: it covers the screening, condition and surgery lines' boxes.
      evidence: { page: 2, text: '', bbox: [60, 280, 1200, 780] },
    },
  ];
}

describe('record view in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let reviewId: string;
  let rejectId: string;
  let pickerId: string;

  beforeAll(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: set CHROMIUM_PATH`);
    env = await startTestEnv();
    reviewId = await seedDocument(env.store, {
      tag: 'e2e-15-items',
      receivedAt: '2026-11-20T08:00:00.000Z',
      items: fifteenItems(),
      hints: { senderAddress: 'alice.newman@example.org' },
    });
    rejectId = await seedDocument(env.store, { tag: 'e2e-reject', receivedAt: '2026-11-21T08:00:00.000Z' });
    pickerId = await seedDocument(env.store, {
      tag: 'e2e-picker',
      receivedAt: '2026-11-22T08:00:00.000Z',
      items: fifteenItems(),
    });
    // A line on page 1 that no item came from: the clerk selects it to add the missed item.
    const lines = fifteenItems()
      .filter((i) => i.evidence?.page === 1 && i.evidence.bbox)
      .map((i) => ({ text: i.evidence!.text, bbox: i.evidence!.bbox! }));
    lines.push({ text: 'Aspirin 81 mg daily', bbox: [100, 900, 700, 940] });
    await env.store.pages.putImage(pickerId, 1, await renderPage(lines, 1), 'image/png');
    await env.store.pages.putPage(pickerId, {
      page: 1,
      method: 'ocr',
      text: lines.map((l) => l.text).join('\n'),
      lines: lines.map((l) => ({ text: l.text, bbox: l.bbox, confidence: 0.9, words: [] })),
      width: PAGE_W,
      height: PAGE_H,
      rotation: 0,
      confidence: 0.9,
    });
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    await page.goto(`${env.url}/login`);
    await page.fill('#username', 'clerk1');
    await page.fill('#password', 'clerk1-password-123');
    await page.click('#sign-in');
    await page.waitForSelector('#queue-table tbody tr[data-doc]');
  });

  afterAll(async () => {
    console.log(`axe (review-record): ${axeLog.map((a) => `${a.view} ${a.violations}`).join(', ')}`);
    await browser?.close();
    await env?.close();
  });

  it('reviews and approves a 15-item record from the keyboard alone, in at most 25 keys', async () => {
    let keys = 0;
    const press = async (key: string) => {
      keys++;
      await page.keyboard.press(key);
    };
    await page.goto(`${env.url}/`);
    await page.waitForSelector(`#queue-table tbody tr.selected[data-doc="${reviewId}"]`);
    await press('Enter');
    await page.waitForSelector('#items li.item.selected');

    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, 'review-record-15-items.png') });
    // Compact rows: at least 12 of the 15 items visible at 1600×1000 without scrolling.
    const visible = await page.evaluate(() => {
      const list = document.querySelector('#items')!.getBoundingClientRect();
      return [...document.querySelectorAll('#items li.item')].filter((li) => {
        const r = li.getBoundingClientRect();
        return r.top >= list.top - 1 && r.bottom <= list.bottom + 1;
      }).length;
    });
    expect(visible).toBeGreaterThanOrEqual(12);
    // Grouped by kind with counts.
    expect(await page.textContent('.kind-group[data-kind="medication"] h3')).toContain('5');
    // Low confidence and a code naming another dose form are marked for attention (the code's meaning shown).
    const fentanyl = page.locator('#items li.item', { hasText: 'Fentanyl nasal spray' });
    await page.waitForFunction(() => document.querySelectorAll('#items li.item .code .meaning').length >= 5);
    expect(await fentanyl.textContent()).toContain('Transdermal System');
    expect(await fentanyl.getAttribute('class')).toContain('attention');
    expect(await page.locator('#items li.item.attention').count()).toBe(2);

    // Focus is on the selected item, and visible.
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { selected: el.matches('li.item.selected'), outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(focus.selected).toBe(true);
    expect(focus.outline).not.toBe('none');
    expect(await checkAxe(page, 'record (15 items)')).toEqual([]);

    // One key per item: reject the mis-coded spray, accept the rest.
    const ids = await page
      .locator('#items li.item')
      .evaluateAll((els) => els.map((el) => ({ id: (el as HTMLElement).dataset.id!, text: el.textContent ?? '' })));
    expect(ids).toHaveLength(15);
    for (const item of ids) {
      expect(await page.getAttribute('#items li.item.selected', 'data-id')).toBe(item.id);
      await press(item.text.includes('Fentanyl') ? 'r' : 'a');
    }
    expect(await page.locator('#items li.item.pending').count()).toBe(0);
    await press('l');
    expect(await page.textContent('#linked-member')).toContain('M1001');
    await press('Shift+A');
    const summary = page.locator('#approve-dialog');
    await summary.waitFor();
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('14 accepted');
    expect(text).toContain('1 rejected');
    expect(text).toContain('Atorvastatin 20 mg tablet'); // accepted though marked for attention
    expect(await checkAxe(page, 'approve dialog')).toEqual([]);
    await press('Enter'); // "Approve and next"
    await page.waitForURL((url) => url.pathname !== `/records/${reviewId}`);
    const revision = await env.store.revisions.get(reviewId, 1);
    expect(revision).toMatchObject({ state: 'approved', memberId: 'M1001', by: 'clerk1' });
    expect(revision!.items.filter((i) => i.decision === 'accepted')).toHaveLength(14);
    console.log(`keyboard-only review of a 15-item record: ${keys} keys (open, 15 decisions, link, approve, confirm)`);
    expect(keys).toBeLessThanOrEqual(25);
  });

  it('puts nothing final on one key: reject needs a reason and a confirmation, Caps Lock is not Shift, undo', async () => {
    await page.goto(`${env.url}/records/${rejectId}`);
    await page.waitForSelector('#items li.item.selected');
    // "R" without Shift (Caps Lock) is the item's reject, and undo takes it back.
    await page.keyboard.press('R');
    expect(await page.locator('#items li.item.rejected').count()).toBe(1);
    expect(await page.locator('#reject-dialog').count()).toBe(0);
    await page.keyboard.press('u');
    expect(await page.locator('#items li.item.rejected').count()).toBe(0);
    expect(await page.locator('#items li.item.pending').count()).toBe(9);

    // Shift+R asks; Esc leaves the record as it was.
    await page.keyboard.press('Shift+R');
    const dialog = page.locator('#reject-dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await env.store.revisions.list(rejectId)).toHaveLength(0);

    await page.keyboard.press('Shift+R');
    await dialog.waitFor();
    expect(await checkAxe(page, 'reject dialog')).toEqual([]);
    const confirm = dialog.locator('button[type="submit"]');
    expect(await confirm.isDisabled()).toBe(true);
    await page.keyboard.type('no');
    expect(await confirm.isDisabled()).toBe(true);
    await page.keyboard.type('t this member’s record');
    expect(await confirm.isDisabled()).toBe(false);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.querySelector('#record-state')?.textContent === 'Rejected');
    const [revision] = await env.store.revisions.list(rejectId);
    expect(revision).toMatchObject({ state: 'rejected', note: 'not this member’s record' });
  });

  it('lets single-key shortcuts be turned off (Alt+key still works)', async () => {
    await page.goto(`${env.url}/records/${pickerId}`);
    await page.waitForSelector('#items li.item.selected');
    await page.keyboard.press('?');
    await page.locator('#single-keys').waitFor();
    expect(await checkAxe(page, 'help dialog')).toEqual([]);
    await page.locator('#single-keys').uncheck();
    await page.keyboard.press('Escape');
    const first = await page.getAttribute('#items li.item.selected', 'data-id');
    await page.keyboard.press('a');
    expect(await page.locator(`#items li.item[data-id="${first}"]`).getAttribute('class')).toContain('pending');
    await page.keyboard.press('Alt+a');
    expect(await page.locator(`#items li.item[data-id="${first}"]`).getAttribute('class')).toContain('accepted');
    await page.keyboard.press('Alt+u');
    expect(await page.locator(`#items li.item[data-id="${first}"]`).getAttribute('class')).toContain('pending');
    await page.keyboard.press('Alt+Shift+/');
    await page.locator('#single-keys').check();
    await page.keyboard.press('Escape');
  });

  it('makes every box clickable (small above large) and reachable with Tab', async () => {
    await page.goto(`${env.url}/records/${pickerId}`);
    await page.waitForSelector('#page-2 .box');
    const unreachable = await page.evaluate(() => {
      const out: string[] = [];
      for (const box of document.querySelectorAll<HTMLElement>('.box')) {
        box.scrollIntoView({ block: 'center' });
        const r = box.getBoundingClientRect();
        let hit = false;
        for (let i = 1; i < 10 && !hit; i++)
          for (let j = 1; j < 10 && !hit; j++)
            hit = document.elementFromPoint(r.left + (r.width * i) / 10, r.top + (r.height * j) / 10) === box;
        if (!hit) out.push(box.dataset.items ?? '');
      }
      return out;
    });
    expect(unreachable).toEqual([]);
    // A small box inside the block selects its own item; the block, its own.
    const colonoscopy = await page.locator('#items li.item', { hasText: 'Colonoscopy' }).getAttribute('data-id');
    await page.locator(`#page-2 .box[data-items="${colonoscopy}"]`).click();
    expect(await page.getAttribute('#items li.item.selected', 'data-id')).toBe(colonoscopy);
    const block = await page.locator('#items li.item', { hasText: 'results block' }).getAttribute('data-id');
    // A point of the block that no smaller box covers.
    const spot = await page.evaluate((items) => {
      const box = document.querySelector<HTMLElement>(`#page-2 .box[data-items="${items}"]`)!;
      box.scrollIntoView({ block: 'center' });
      const r = box.getBoundingClientRect();
      for (let i = 1; i < 20; i++)
        for (let j = 1; j < 20; j++) {
          const x = r.left + (r.width * i) / 20;
          const y = r.top + (r.height * j) / 20;
          if (document.elementFromPoint(x, y) === box) return { x, y };
        }
      return null;
    }, block);
    expect(spot).not.toBeNull();
    await page.mouse.click(spot!.x, spot!.y);
    expect(await page.getAttribute('#items li.item.selected', 'data-id')).toBe(block);
    // Tab from the pages pane reaches the boxes, which are buttons.
    await page.locator('#pages').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('box'))).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.matches('li.item.selected'))).toBe(true);
  });

  it('picks a code from the shipped vocabulary by name or code and shows its meaning', async () => {
    await page.goto(`${env.url}/records/${pickerId}`);
    await page.waitForSelector('#items li.item.selected');
    const metformin = page.locator('#items li.item', { hasText: 'Metformin 500 mg tablet' });
    await metformin.click();
    await page.keyboard.press('e');
    const code = metformin.locator('input[name="code"]');
    await code.fill('');
    await code.pressSequentially('metformin 1000', { delay: 20 });
    const options = metformin.locator('[role="listbox"] [role="option"]');
    // Under load a keystroke can arrive after the debounce: the list may show a shorter query's
    // answer first. Wait for the answer to the whole query.
    const answered = () =>
      expect
        .poll(async () => {
          const texts = await options.allTextContents();
          return texts.length > 0 && texts.every((t) => /metformin/i.test(t) && /1000/.test(t));
        }, { timeout: 15_000 })
        .toBe(true);
    await answered();
    expect(await code.getAttribute('aria-expanded')).toBe('true');
    expect(await checkAxe(page, 'edit form, code picker open')).toEqual([]);
    await code.press('ArrowDown');
    const chosen = (await metformin.locator('[role="option"][aria-selected="true"]').textContent()) ?? '';
    await code.press('Enter');
    const meaning = (await metformin.locator('.code-meaning').textContent()) ?? '';
    expect(chosen).toContain(meaning);
    expect(meaning).toMatch(/metformin/i);
    // By code: the meaning of 314076.
    await code.fill('');
    await code.pressSequentially('314076', { delay: 20 });
    await metformin.locator('[role="option"]', { hasText: 'lisinopril 10 MG Oral Tablet' }).waitFor();
    await code.press('Escape');
    expect(await metformin.locator('[role="listbox"]').isHidden()).toBe(true);
    await code.fill('');
    await code.pressSequentially('metformin 1000', { delay: 20 });
    await answered();
    await code.press('ArrowDown');
    await code.press('Enter');
    await code.press('Enter'); // saves the form
    await page.waitForSelector('#items li.item.edited');
    expect(await page.locator('#items li.item.edited .code .meaning').textContent()).toContain(meaning);
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelector('#progress')?.textContent?.includes('revision 1'));
    const [revision] = await env.store.revisions.list(pickerId);
    const saved = revision!.items.find((i) => i.item.display === 'Metformin 500 mg tablet');
    expect(saved?.item.codes[0]).toMatchObject({ system: RX, display: meaning });
  });

  it('adds the item a clerk selects on the page', async () => {
    await page.goto(`${env.url}/records/${pickerId}`);
    await page.waitForSelector('#items li.item.selected');
    const line = page.locator('#page-1 .text-layer span', { hasText: 'Aspirin 81 mg daily' });
    await line.waitFor({ state: 'attached' });
    await line.scrollIntoViewIfNeeded();
    const r = (await line.boundingBox())!;
    await page.mouse.move(r.x + 2, r.y + r.height / 2);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2, { steps: 4 });
    await page.mouse.move(r.x + r.width - 1, r.y + r.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.locator('#add-from-selection').click();
    const adding = page.locator('#items li.adding');
    expect(await adding.locator('input[name="display"]').inputValue()).toBe('Aspirin 81 mg daily');
    await adding.locator('input[name="name"]').fill('aspirin');
    await adding.locator('input[name="strength"]').fill('81 mg');
    await adding.locator('input[name="name"]').press('Enter');
    const added = page.locator('#items li.item.added', { hasText: 'Aspirin 81 mg daily' });
    await added.waitFor();
    const id = await added.getAttribute('data-id');
    expect(await page.locator(`#page-1 .box[data-items="${id}"]`).count()).toBe(1);
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelector('#progress')?.textContent?.includes('revision 2'));
    const revisions = await env.store.revisions.list(pickerId);
    const saved = revisions.at(-1)!.items.find((i) => i.id === id);
    expect(saved?.item).toMatchObject({
      kind: 'medication',
      name: 'aspirin',
      evidence: { page: 1, text: 'Aspirin 81 mg daily', bbox: [100, 900, 700, 940] },
    });
  });
});
