import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readDocument } from './read.ts';
import { createOcrPool } from './ocr-pool.ts';
import { makeFaxTiff, renderTextImage, squash } from './testing/fixtures.ts';
import { tiffPages } from './tiff.ts';

const limits = { maxPages: 20, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 60_000 };
// A fax is 1728 px wide at 204 dpi; half a page keeps the test quick.
const faxPage = (lines: string[]) => renderTextImage(lines, { width: 1728, height: 1100, fontSize: 30, top: 120 });

describe('TIFF and fax', () => {
  const pool = createOcrPool({ size: 2 });
  afterAll(() => pool.close());

  it('reads the page directory and resolution without decoding', async () => {
    const tiff = await makeFaxTiff([await faxPage(['x']), await faxPage(['y'])], 98);
    const pages = tiffPages(tiff);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ width: 1728, height: 528, xDpi: 204, yDpi: 98, bitsPerSample: 1, compression: 4 });
  });

  it('a G4 fax at 204×98: corrects the aspect, reads the text', async () => {
    const tiff = await makeFaxTiff([await faxPage(['REFERRAL FOR COLONOSCOPY', 'Date of procedure: 03/14/2022', 'Result: two small polyps removed'])], 98);
    const { mediaType, pages } = await readDocument(tiff, { ...limits, ocr: pool });
    expect(mediaType).toBe('image/tiff');
    const page = pages[0]!;
    expect(page.method).toBe('ocr');
    expect(page.width).toBe(1728);
    expect(page.height).toBeCloseTo(1100, -1); // 528 rows stretched back to square pixels
    const text = squash(page.text);
    expect(text).toContain('referral for colonoscopy');
    expect(text).toContain('03/14/2022');
    expect(text).toContain('two small polyps removed');
  });

  it('a speckled fax at 204×98: specks removed before squaring, every word read', async () => {
    const lines = ['Tobacco: Never smoker (denies tobacco use)', 'Completed May 2, 2016 - normal'];
    const page = await sharp(await faxPage(lines)).raw().toBuffer({ resolveWithObject: true });
    const { data, info } = page;
    let s = 11;
    const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0), s / 2 ** 32);
    // One speck in ~150 pixels, as a noisy fax line leaves them.
    for (let i = 0; i < data.length; i += info.channels) if (rand() < 1 / 150) data.fill(0, i, i + info.channels);
    const noisy = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).png().toBuffer();
    const tiff = await makeFaxTiff([noisy], 98);
    const { pages } = await readDocument(tiff, { ...limits, ocr: pool });
    // Every word read. A speck in the gap between two words, within a letter's reach, stays (a
    // period there would too), and tesseract may read it as punctuation joining them: here
    // "may'2" with the fax clean-up, by luck not with despeckle alone. So words are compared as
    // letter/digit runs.
    const words = (t: string): string[] => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    expect(words(pages[0]!.text)).toEqual(words(lines.join(' ')));
    // The review image is the cleaned page: of the specks on the paper below the text (one in
    // 150 pixels) fewer than a tenth are left (touching pairs merged by the 98-row squash stay;
    // each survivor is two rows tall once stretched back).
    const img = await sharp(pages[0]!.image!.data).raw().toBuffer({ resolveWithObject: true });
    const band = img.data.subarray(Math.round(img.info.height * 0.8) * img.info.width, Math.round(img.info.height * 0.9) * img.info.width);
    expect(band.filter((v) => v < 128).length).toBeLessThan((2 * band.length) / 150 / 10);
  });

  it('a multi-page G4 fax at 204×196 with an upside-down page and a blank page', async () => {
    const upside = await sharp(await faxPage(['MEDICATION LIST', 'Atorvastatin 40 mg daily'])).rotate(180).png().toBuffer();
    const blank = await renderTextImage([], { width: 1728, height: 1100, fontSize: 30 });
    const tiff = await makeFaxTiff([await faxPage(['ALLERGIES', 'Penicillin: hives']), upside, blank], 196);
    const { pages } = await readDocument(tiff, { ...limits, ocr: pool });
    expect(pages.map((p) => [p.page, p.method, p.rotation])).toEqual([
      [1, 'ocr', 0],
      [2, 'ocr', 180],
      [3, 'skipped-blank', 0],
    ]);
    expect(squash(pages[0]!.text)).toContain('penicillin: hives');
    expect(squash(pages[1]!.text)).toContain('atorvastatin 40 mg daily');
    expect(pages[1]!.image?.mediaType).toBe('image/png');
  });
});
