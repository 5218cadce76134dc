import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { cropToPaper, estimateSkew, normaliseLighting, squarePixels, toOcrResolution } from './preprocess.ts';
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
