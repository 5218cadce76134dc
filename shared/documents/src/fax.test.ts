import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { cleanFaxPage, removeIsolatedMarks } from './fax.ts';
import { despeckle } from './preprocess.ts';
import { grayFromSharp, type GrayImage } from './raster.ts';

/** A 1-bit page at 204 dpi from an SVG body, black on white. */
async function page(body: string, width = 1728, height = 400): Promise<GrayImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${body}</svg>`;
  return grayFromSharp(sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).grayscale().threshold(128));
}
const inkIn = (img: GrayImage, x0: number, y0: number, x1: number, y1: number): number => {
  let k = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (img.data[y * img.width + x]! < 128) k++;
  return k;
};
// ~10 pt at 204 dpi: periods, commas, a colon, i-dots, a semicolon, hyphens inside words, an em dash.
const lines = ['Tobacco: Never smoker (denies tobacco use).', 'Completed May 2, 2016 — normal; i.e. fine', 'Tdap-IPV, seasonal, injectable; re-dosed'];
const body = lines.map((l, i) => `<text x="150" y="${80 + i * 90}" font-family="DejaVu Sans" font-size="28" xml:space="preserve">${l}</text>`).join('');

describe('fax clean-up', () => {
  it('removes the dashes of a dotted row rule between rows; every pixel of the text stays', async () => {
    const clean = await page(body);
    // A dotted rule 25 px (3 mm) below each baseline, as a fax line leaves a light gray separator: 3×2 px dashes every 9 px.
    const dashes = lines
      .map((_, i) => Array.from({ length: 150 }, (__, k) => `<rect x="${150 + k * 9}" y="${80 + i * 90 + 25}" width="3" height="2" fill="black"/>`).join(''))
      .join('');
    const ruled = await page(body + dashes);
    expect(inkIn(ruled, 0, 0, ruled.width, ruled.height) - inkIn(clean, 0, 0, clean.width, clean.height)).toBeGreaterThan(2000);
    const out = cleanFaxPage(ruled, 204, 196);
    expect(Buffer.from(out.data).equals(Buffer.from(clean.data))).toBe(true);
    // On the text alone it does what despeckle does (nothing here: there are no specks).
    expect(Buffer.from(cleanFaxPage(clean, 204, 196).data).equals(Buffer.from(despeckle(clean, 2).data))).toBe(true);
  });

  it('keeps a small mark next to a letter, drops the same mark alone in the white space and specks anywhere', () => {
    const w = 200;
    const img: GrayImage = { data: new Uint8Array(w * 100).fill(255), width: w, height: 100 };
    const fill = (x0: number, y0: number, x1: number, y1: number): void => {
      for (let y = y0; y < y1; y++) img.data.fill(0, y * w + x0, y * w + x1);
    };
    fill(20, 20, 30, 40); // a letter stroke, 200 px
    fill(33, 37, 36, 40); // its period, 3 px away
    fill(120, 60, 124, 62); // a dash alone
    fill(40, 30, 41, 31); // a speck beside the letter
    const out = removeIsolatedMarks(img, 15, 12, 5, 2);
    expect(inkIn(out, 20, 20, 30, 40)).toBe(200);
    expect(inkIn(out, 33, 37, 36, 40)).toBe(9);
    expect(inkIn(out, 110, 50, 140, 70)).toBe(0);
    expect(inkIn(out, 40, 30, 41, 31)).toBe(0);
  });

  it('at 204×98 the same rule: the reach follows the resolution', async () => {
    // The rows squashed to half, as a "normal" fax stores them.
    const clean = await page(body);
    const dashes = Array.from({ length: 150 }, (__, k) => `<rect x="${150 + k * 9}" y="${80 + 25}" width="3" height="2" fill="black"/>`).join('');
    const squash = async (img: GrayImage): Promise<GrayImage> =>
      grayFromSharp(sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } }).resize(img.width, img.height / 2, { fit: 'fill', kernel: 'nearest' }));
    const ruled = await squash(await page(body + dashes));
    const out = cleanFaxPage(ruled, 204, 98);
    // The dashes are gone (the rule's rows are paper), the text rows keep their ink.
    const ruleRows = [Math.floor((80 + 25) / 2) - 1, Math.ceil((80 + 27) / 2) + 1] as const;
    expect(inkIn(ruled, 0, ruleRows[0], ruled.width, ruleRows[1])).toBeGreaterThan(150);
    expect(inkIn(out, 0, ruleRows[0], out.width, ruleRows[1])).toBeLessThanOrEqual(inkIn(await squash(clean), 0, ruleRows[0], out.width, ruleRows[1]));
    expect(inkIn(out, 0, 20, out.width, 45)).toBe(inkIn(ruled, 0, 20, ruled.width, 45));
  });
});
