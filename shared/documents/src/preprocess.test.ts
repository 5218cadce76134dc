import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { cropToPaper, despeckle, estimateSkew, isBilevel, normaliseLighting, speckArea, squarePixels, toOcrResolution } from './preprocess.ts';
import { grayFromSharp, type GrayImage } from './raster.ts';
import { renderTextImage } from './testing/fixtures.ts';

const lines = Array.from({ length: 20 }, (_, i) => `Line ${i + 1}: the quick brown fox jumps over the lazy dog`);

describe('preprocessing', () => {
  it('measures skew (degrees to rotate back)', async () => {
    const png = await renderTextImage(lines, { width: 1700, height: 2200, fontSize: 30 });
    for (const angle of [3, -2]) {
      const skewed = await grayFromSharp(sharp(png).rotate(angle, { background: '#fff' }));
      expect(await estimateSkew(skewed)).toBeCloseTo(-angle, 0);
    }
    expect(await estimateSkew(await grayFromSharp(sharp(png)))).toBe(0);
  });

  it('despeckles a fax: lone specks and pairs go, letters, periods and thin lines stay', async () => {
    // A speckled 1-bit text render, as a fax line delivers it.
    const png = await renderTextImage(['Tobacco: Never smoker (denies tobacco use).', 'Completed May 2, 2016 - normal'], { width: 900, height: 200, fontSize: 28, top: 60 });
    const clean = await grayFromSharp(sharp(png).threshold(160));
    const { width: w, height: h } = clean;
    const speckled: GrayImage = { data: new Uint8Array(clean.data), width: w, height: h };
    let s = 7;
    const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0), s / 2 ** 32);
    const specks: number[] = [];
    for (let k = 0; k < 400; k++) {
      const x = 1 + Math.floor(rand() * (w - 3));
      const y = 1 + Math.floor(rand() * (h - 3));
      // Only on paper, away from ink and other specks, so each speck is a component of its own.
      let nearInk = false;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 3; dx++) nearInk ||= speckled.data[(y + dy) * w + x + dx] === 0;
      if (nearInk) continue;
      speckled.data[y * w + x] = 0;
      if (k % 2) speckled.data[y * w + x + 1] = 0; // half of them pairs
      specks.push(y * w + x);
    }
    expect(specks.length).toBeGreaterThan(100);
    expect(isBilevel(speckled)).toBe(true);
    const out = despeckle(speckled, 2);
    expect(specks.every((p) => out.data[p] === 255)).toBe(true);
    // Every ink pixel of the text (strokes, the period, the colon) is kept.
    expect(Buffer.from(out.data).equals(Buffer.from(clean.data))).toBe(true);
    // A one-pixel rule is a long component: kept.
    const rule: GrayImage = { data: new Uint8Array(100 * 5).fill(255), width: 100, height: 5 };
    rule.data.fill(0, 200, 300);
    expect(despeckle(rule, 2).data).toEqual(rule.data);
    // A 3-pixel mark is more than a speck at 204×196.
    const dot: GrayImage = { data: new Uint8Array(25).fill(255), width: 5, height: 5 };
    dot.data[6] = dot.data[7] = dot.data[12] = 0;
    expect(despeckle(dot, 2).data).toEqual(dot.data);
  });

  it('tells 1-bit pages from gray ones; speck size follows the resolution', () => {
    const gray: GrayImage = { data: new Uint8Array(1000).map((_, i) => i % 256), width: 100, height: 10 };
    expect(isBilevel(gray)).toBe(false);
    expect([speckArea(204, 196), speckArea(204, 98), speckArea(300, 300)]).toEqual([2, 1, 4]);
  });

  it('squares fax pixels: 204×98 doubles the height, 204×196 stays', async () => {
    const img: GrayImage = { data: new Uint8Array(1728 * 1100).fill(255), width: 1728, height: 1100 };
    const normal = await squarePixels(img, 204, 98);
    expect([normal.image.width, normal.image.height, normal.dpi]).toEqual([1728, 2290, 204]);
    const fine = await squarePixels(img, 204, 196);
    expect(fine.image).toBe(img);
  });

  it('scales fine scans down to 300 dpi and leaves coarser ones alone', async () => {
    const img: GrayImage = { data: new Uint8Array(2400 * 100).fill(255), width: 2400, height: 100 };
    expect((await toOcrResolution(img, 600)).image.width).toBe(1200);
    expect((await toOcrResolution(img, 200)).image).toBe(img);
  });

  it('evens out lighting and crops a photo to the paper', async () => {
    const w = 1200;
    const h = 1600;
    const data = new Uint8Array(w * h);
    // Dark desk, a sheet from (200,150) to (1000,1450) lit from the left (240 → 140).
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const inSheet = x >= 200 && x < 1000 && y >= 150 && y < 1450;
        data[y * w + x] = inSheet ? Math.round(240 - (100 * (x - 200)) / 800) : 40;
      }
    const photo: GrayImage = { data, width: w, height: h };
    const cropped = await cropToPaper(photo);
    expect(Math.abs(cropped.width - 800)).toBeLessThan(12);
    expect(Math.abs(cropped.height - 1300)).toBeLessThan(12);
    const lit = await normaliseLighting(cropped);
    const at = (img: GrayImage, x: number, y: number): number => img.data[y * img.width + x]!;
    expect(Math.abs(at(lit, 100, 600) - at(lit, 700, 600))).toBeLessThan(20);
    expect(at(lit, 700, 600)).toBeGreaterThan(230);
  });
});
