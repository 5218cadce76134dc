import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { findPaperQuad, squareToQuad, warpQuad, type Quad } from './perspective.ts';
import { filter3x3, flattenBackground, preparePhoto, whitenPaper } from './photo.ts';
import { estimateSkew } from './preprocess.ts';
import { grayFromSharp, sharpenGray, sharpFromGray, type GrayImage } from './raster.ts';
import { medianGlyphHeight } from './textsize.ts';
import { renderTextImage, syntheticLines } from './testing/fixtures.ts';

/** A sheet (text on white) at 1275×1650 (letter at 150 dpi). */
async function sheet(fontSize = 22): Promise<GrayImage> {
  const png = await renderTextImage(syntheticLines(30, 7), { width: 1275, height: 1650, fontSize, lineHeight: Math.round(fontSize * 1.6), left: 110, top: 150 });
  return grayFromSharp(sharp(png));
}

/**
 * The sheet photographed: placed by a homography on the unit square (corners `quad`) on a
 * darker desk, then a shadow across it (darker towards the bottom left), blurred a little,
 * JPEG-compressed. The placement is a plain inverse mapping (nearest pixel), not the code under test.
 */
async function photograph(page: GrayImage, quad: Quad, width: number, height: number): Promise<GrayImage> {
  const [a, b, c, d, e, f, g, h] = squareToQuad(quad) as [number, number, number, number, number, number, number, number];
  // Inverse of the 3×3 matrix [a b c; d e f; g h 1].
  const m = [e - f * h, c * h - b, b * f - c * e, f * g - d, a - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const z = m[6]! * x + m[7]! * y + m[8]!;
      const u = (m[0]! * x + m[1]! * y + m[2]!) / z;
      const v = (m[3]! * x + m[4]! * y + m[5]!) / z;
      const inside = u >= 0 && u < 1 && v >= 0 && v < 1;
      const px = inside ? page.data[Math.floor(v * page.height) * page.width + Math.floor(u * page.width)]! : 95;
      // Shadow: 100 % light at the top right, 55 % at the bottom left.
      const light = 1 - 0.45 * ((width - x) / width + y / height) / 2;
      out[y * width + x] = Math.round(px * light);
    }
  const raw = sharp(out, { raw: { width, height, channels: 1 } });
  const jpeg = await raw.blur(0.8).jpeg({ quality: 80 }).toBuffer();
  return grayFromSharp(sharp(jpeg));
}

/** Where the sheet lands: rotated by 4°, seen from below (top edge 7 % shorter than the bottom); sides average 1016×1314, the sheet's 1:1.29. */
const photoQuad: Quad = [
  { x: 300, y: 180 },
  { x: 1277, y: 248 },
  { x: 1255, y: 1563 },
  { x: 205, y: 1490 },
];

describe('phone photos', () => {
  it('finds the sheet as a quadrilateral in a rotated, shadowed, perspective photo', async () => {
    const photo = await photograph(await sheet(), photoQuad, 1500, 1750);
    const quad = await findPaperQuad(photo);
    expect(quad).toBeDefined();
    for (const [i, corner] of quad!.entries()) {
      expect(Math.abs(corner.x - photoQuad[i]!.x)).toBeLessThan(8);
      expect(Math.abs(corner.y - photoQuad[i]!.y)).toBeLessThan(8);
    }
  });

  it('gives no quad when the photo is already the sheet (nothing darker around it)', async () => {
    expect(await findPaperQuad(await sheet())).toBeUndefined();
  });

  it('warps the sheet upright: no desk left, lines level, shadow gone, small text enlarged', async () => {
    const page = await sheet(14); // small print: glyphs ~8 px on the sheet, smaller in the photo
    const photo = await photograph(page, photoQuad, 1500, 1750);
    // Before: the shadowed corner of the paper is far darker than the lit one.
    const at = (x: number, y: number): number => photo.data[y * photo.width + x]!;
    expect(at(1150, 300) - at(280, 1420)).toBeGreaterThan(60);
    const { image, quad } = await preparePhoto(photo);
    expect(quad).toBeDefined();
    // The sheet's proportions come back (±3 %).
    expect(image.height / image.width).toBeGreaterThan((1650 / 1275) * 0.97);
    expect(image.height / image.width).toBeLessThan((1650 / 1275) * 1.03);
    expect(Math.abs(await estimateSkew(image))).toBeLessThan(0.5);
    // Paper is white everywhere: the 90th percentile of each corner region (paper between the lines).
    const p90 = (x0: number, y0: number): number => {
      const vals: number[] = [];
      for (let y = y0; y < y0 + image.height * 0.1; y++)
        for (let x = x0; x < x0 + image.width * 0.1; x++) vals.push(image.data[Math.floor(y) * image.width + Math.floor(x)]!);
      vals.sort((a, b) => a - b);
      return vals[Math.floor(vals.length * 0.9)]!;
    };
    for (const [x, y] of [[0, 0], [image.width * 0.9, 0], [0, image.height * 0.9], [image.width * 0.9, image.height * 0.9]] as const)
      expect(p90(Math.floor(x), Math.floor(y))).toBeGreaterThanOrEqual(245);
    // No desk along the borders.
    let darkBorder = 0;
    for (let x = 0; x < image.width; x++) if (image.data[x]! < 128 || image.data[(image.height - 1) * image.width + x]! < 128) darkBorder++;
    expect(darkBorder).toBeLessThan(image.width * 0.01);
    // Glyphs scaled to ~22 px.
    const glyph = medianGlyphHeight(image)!;
    expect(glyph).toBeGreaterThanOrEqual(18);
    expect(glyph).toBeLessThanOrEqual(26);
  });

  it('flattens a shadow without graying a dense block of text', async () => {
    const page = await sheet(22);
    // A shadow from 100 % to 50 % light, left to right (the text ends at x ≈ 900).
    const shaded = new Uint8Array(page.data.length);
    for (let i = 0; i < shaded.length; i++) shaded[i] = Math.round(page.data[i]! * (1 - (0.5 * (i % page.width)) / page.width));
    const flat = await flattenBackground({ data: shaded, width: page.width, height: page.height });
    // Paper between lines, in the text block, on the dark side: white again.
    const vals: number[] = [];
    for (let y = 300; y < 800; y++) for (let x = 500; x < 700; x++) vals.push(flat.data[y * flat.width + x]!);
    vals.sort((a, b) => a - b);
    expect(vals[Math.floor(vals.length * 0.5)]).toBeGreaterThanOrEqual(250);
    // Ink stays dark.
    expect(vals[Math.floor(vals.length * 0.01)]).toBeLessThan(90);
  });

  it('flattens a hard-edged shadow up to its edge (no grey band just inside it)', async () => {
    const page = await sheet(22);
    // A cast shadow: 55 % light right of x = 640, sharp-edged, across the text.
    const edge = 640;
    const shaded = new Uint8Array(page.data.length);
    for (let i = 0; i < shaded.length; i++) shaded[i] = Math.round(page.data[i]! * ((i % page.width) >= edge ? 0.55 : 1));
    const flat = whitenPaper(await flattenBackground({ data: shaded, width: page.width, height: page.height }));
    // Paper in the band 2–30 px inside the shadow, over the text block's rows.
    const band: number[] = [];
    const textBand: number[] = [];
    for (let y = 300; y < 1000; y++)
      for (let x = edge + 2; x < edge + 30; x++) {
        if (page.data[y * page.width + x]! === 255) band.push(flat.data[y * flat.width + x]!);
        else if (page.data[y * page.width + x]! < 60) textBand.push(flat.data[y * flat.width + x]!);
      }
    band.sort((a, b) => a - b);
    expect(band.length).toBeGreaterThan(1000);
    // Paper there is white (a dilation-only background leaves it at ~0.55 × 255 ≈ 140 near the edge).
    expect(band[Math.floor(band.length * 0.1)]).toBeGreaterThanOrEqual(240);
    // Ink there stays dark.
    textBand.sort((a, b) => a - b);
    expect(textBand[Math.floor(textBand.length * 0.5)]).toBeLessThan(100);
  });

  it('whitens grainy grey paper and keeps ink in proportion', () => {
    const w = 200;
    const h = 200;
    const data = new Uint8Array(w * h);
    let s = 3;
    const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0), s / 2 ** 32);
    // Paper at 200 ± 8 (grain), a block of ink at 60 (a tenth of the page).
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = y < 20 ? 60 : Math.round(200 + (rand() - 0.5) * 16);
    const out = whitenPaper({ data, width: w, height: h });
    let white = 0;
    for (let i = 20 * w; i < w * h; i++) if (out.data[i] === 255) white++;
    expect(white / (w * (h - 20))).toBeGreaterThan(0.6);
    // The ink is scaled by the same gain (≈ 255 / 195), not pushed to black or to paper.
    expect(out.data[5 * w + 5]).toBeGreaterThan(65);
    expect(out.data[5 * w + 5]).toBeLessThan(90);
  });

  it('closes cells: a one-cell dark hole is filled, a wide dark region keeps its edge', () => {
    const w = 12;
    const h = 6;
    const a = new Uint8Array(w * h).fill(250);
    a[2 * w + 2] = 40; // one dark cell (ink)
    for (let y = 0; y < h; y++) for (let x = 7; x < w; x++) a[y * w + x] = 120; // shadow from column 7
    const closed = filter3x3(filter3x3(a, w, h, Math.max), w, h, Math.min);
    expect(closed[2 * w + 2]).toBe(250);
    expect(closed[3 * w + 6]).toBe(250);
    expect(closed[3 * w + 7]).toBe(120);
    expect(closed[3 * w + 9]).toBe(120);
  });

  it('warpQuad maps an axis-aligned quad to a plain crop and scale', () => {
    const img: GrayImage = { data: new Uint8Array(100 * 100), width: 100, height: 100 };
    for (let y = 0; y < 100; y++) for (let x = 0; x < 100; x++) img.data[y * 100 + x] = x < 50 ? 0 : 200;
    const out = warpQuad(img, [{ x: 20, y: 10 }, { x: 80, y: 10 }, { x: 80, y: 90 }, { x: 20, y: 90 }], 120, 160);
    expect(out.width).toBe(120);
    expect(out.height).toBe(160);
    // The edge at x = 50 lands in the middle (60 of 120).
    expect(out.data[80 * 120 + 55]).toBe(0);
    expect(out.data[80 * 120 + 65]).toBe(200);
  });
});

describe('text size', () => {
  it('measures the median glyph height, proportional to the font size', async () => {
    const small = medianGlyphHeight(await sheet(20))!;
    const large = medianGlyphHeight(await sheet(40))!;
    // DejaVu Sans: x-height 0.55 em; most glyphs are lower case without ascenders.
    expect(small).toBeGreaterThanOrEqual(10);
    expect(small).toBeLessThanOrEqual(16);
    expect(large / small).toBeGreaterThan(1.8);
    expect(large / small).toBeLessThan(2.2);
    expect(medianGlyphHeight({ data: new Uint8Array(10000).fill(255), width: 100, height: 100 })).toBeUndefined();
  });
});

describe('sharpenGray', () => {
  it("gives sharp's sharpen() within one gray level, flat areas unchanged", async () => {
    const page = await sheet(14);
    // Gray paper, soft ink and a gradient: every level and edges of every contrast.
    const soft = await grayFromSharp(sharpFromGray(page).blur(1.1).linear(0.7, 60));
    for (let x = 0; x < soft.width; x++) soft.data[x] = x % 256;
    const options = { sigma: 1.2, m1: 0.5, m2: 2 };
    const ours = await sharpenGray(soft, options);
    const theirs = await grayFromSharp(sharpFromGray(soft).sharpen(options));
    let off = 0;
    let worst = 0;
    for (let i = 0; i < ours.data.length; i++) {
      const d = Math.abs(ours.data[i]! - theirs.data[i]!);
      if (d) off++;
      worst = Math.max(worst, d);
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(off / ours.data.length).toBeLessThan(0.05);
    // An edge is steepened: darker ink next to the paper than before.
    const darkest = (img: GrayImage): number => img.data.subarray(img.width * 200).reduce((m, v) => Math.min(m, v), 255);
    expect(darkest(ours)).toBeLessThan(darkest(soft));
  });
});
