import { describe, expect, it } from 'vitest';
import { classifyPageContent } from './blank.ts';
import type { GrayImage } from './raster.ts';
import { grayFromSharp } from './raster.ts';
import sharp from 'sharp';
import { renderTextImage } from './testing/fixtures.ts';

const page = (fill: number, w = 1700, h = 2200): GrayImage => ({ data: new Uint8Array(w * h).fill(fill), width: w, height: h });

describe('classifyPageContent', () => {
  it('a white page is blank', async () => {
    expect(await classifyPageContent(page(255))).toBe('blank');
  });

  it('a fax page with speckle, a dark scanner edge and a punch hole is still blank', async () => {
    const p = page(250);
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) p.data[Math.floor(rand() * p.data.length)] = 0;
    for (let y = 0; y < p.height; y++) for (let x = 0; x < 30; x++) p.data[y * p.width + x] = 0; // edge
    for (let y = 1000; y < 1040; y++) for (let x = 40; x < 60; x++) p.data[y * p.width + x] = 0; // hole in the margin
    expect(await classifyPageContent(p)).toBe('blank');
  });

  it('an all-black page and a barcode sheet are separators', async () => {
    expect(await classifyPageContent(page(10))).toBe('separator');
    const bars = page(255);
    for (let y = 100; y < 2100; y++) for (const x0 of [300, 500, 560, 900, 1200]) for (let x = x0; x < x0 + 40; x++) bars.data[y * bars.width + x] = 0;
    expect(await classifyPageContent(bars)).toBe('separator');
  });

  it('a page with a single short line of text has content', async () => {
    const png = await renderTextImage(['Signed: Dr. Example'], { width: 1700, height: 2200, fontSize: 30 });
    expect(await classifyPageContent(await grayFromSharp(sharp(png)))).toBe('content');
  });
});
