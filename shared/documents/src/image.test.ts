import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readDocument } from './read.ts';
import { createOcrPool } from './ocr-pool.ts';
import { renderTextImage, squash } from './testing/fixtures.ts';

const limits = { maxPages: 20, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 60_000 };
const record = ['VISIT SUMMARY', 'Blood pressure 128/82', 'Temperature 98.6 degrees'];

/** A phone photo of a sheet: on a dark desk, lit unevenly, slightly skewed, stored sideways with EXIF orientation 6. */
async function phonePhoto(): Promise<Buffer> {
  const sheet = await renderTextImage(record, { width: 1275, height: 1650, fontSize: 34 });
  const w = 1275;
  const h = 1650;
  const shade = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) shade[y * w + x] = Math.round(255 - (90 * (x + y)) / (w + h));
  const lit = await sharp(sheet)
    .composite([{ input: shade, raw: { width: w, height: h, channels: 1 }, blend: 'multiply' }])
    .png()
    .toBuffer();
  const skewed = await sharp(lit).rotate(2, { background: '#3a3a3a' }).png().toBuffer();
  const onDesk = await sharp({ create: { width: 1700, height: 2100, channels: 3, background: '#3a3a3a' } })
    .composite([{ input: skewed, left: 150, top: 150 }])
    .png()
    .toBuffer();
  // Orientation 6: the viewer turns the stored pixels 90° clockwise; store them turned back.
  return sharp(onDesk).rotate(270).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer();
}

describe('images', () => {
  const pool = createOcrPool({ size: 2 });
  afterAll(() => pool.close());

  it('a phone photo: honours EXIF orientation, crops to the paper, evens the light, reads it', async () => {
    const { mediaType, pages } = await readDocument(await phonePhoto(), { ...limits, ocr: pool });
    expect(mediaType).toBe('image/jpeg');
    const page = pages[0]!;
    expect(page.method).toBe('ocr');
    expect(page.rotation).toBe(0); // upright thanks to EXIF, no OSD needed
    expect(page.height).toBeGreaterThan(page.width); // portrait
    expect(page.width).toBeLessThan(1500); // cropped: the desk around the 1275 px sheet is gone
    const text = squash(page.text);
    expect(text).toContain('visit summary');
    expect(text).toContain('128/82');
    expect(text).toContain('temperature 98.6 degrees');
    expect(page.image?.mediaType).toBe('image/jpeg');
  });

  it('a sideways scan without EXIF: detects the orientation and turns it upright', async () => {
    const scan = await renderTextImage(record, { width: 1275, height: 900, fontSize: 34 });
    const sideways = await sharp(scan).rotate(90).png().withMetadata({ density: 150 }).toBuffer();
    const { mediaType, pages } = await readDocument(sideways, { ...limits, ocr: pool });
    expect(mediaType).toBe('image/png');
    expect(pages[0]!.rotation).toBe(270);
    expect([pages[0]!.width, pages[0]!.height]).toEqual([1275, 900]);
    expect(squash(pages[0]!.text)).toContain('blood pressure 128/82');
  });
});
