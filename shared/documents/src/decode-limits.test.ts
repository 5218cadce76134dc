import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readDocument } from './read.ts';
import { createOcrPool } from './ocr-pool.ts';
import { makePdf, renderTextImage, squash } from './testing/fixtures.ts';

// Bounded decoding (image.ts, pdf.ts): a scan finer than the OCR resolution is shrunk to it while
// it is decoded, so a page is never held at its full size (intake extract's memory). The page
// that comes out is the 300 dpi page, and it still reads.
const limits = { maxPages: 20, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 60_000 };
const record = ['VISIT SUMMARY', 'Blood pressure 128/82', 'Temperature 98.6 degrees'];

describe('bounded decoding', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  it('a 600 dpi scanned image is decoded at 300 dpi', async () => {
    const page = await renderTextImage(record, { width: 2400, height: 1600, fontSize: 64 });
    const scan = await sharp(page).png().withMetadata({ density: 600 }).toBuffer();
    const { pages } = await readDocument(scan, { ...limits, ocr: pool });
    expect([pages[0]!.width, pages[0]!.height]).toEqual([1200, 800]);
    expect(squash(pages[0]!.text)).toContain('blood pressure 128/82');
  });

  it('a PDF page whose scan is 600 dpi is decoded at 300 dpi', async () => {
    const jpeg = await sharp(await renderTextImage(record, { width: 2400, height: 1600, fontSize: 64 })).jpeg({ quality: 90 }).toBuffer();
    // 2400 × 1600 pixels on a 4 × 2.667 in page: 600 dpi.
    const pdf = makePdf([{ kind: 'image', jpeg, pixelWidth: 2400, pixelHeight: 1600, channels: 3, width: 288, height: 192 }]);
    const { pages } = await readDocument(pdf, { ...limits, ocr: pool });
    expect([pages[0]!.width, pages[0]!.height]).toEqual([1200, 800]);
    expect(squash(pages[0]!.text)).toContain('blood pressure 128/82');
  });
});
