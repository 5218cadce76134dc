import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readDocument } from './read.ts';
import { createOcrPool } from './ocr-pool.ts';
import { phonePhoto, renderTextImage, squash } from './testing/fixtures.ts';

const limits = { maxPages: 20, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 60_000 };
const record = ['VISIT SUMMARY', 'Blood pressure 128/82', 'Temperature 98.6 degrees'];

async function phonePhotoOfRecord(): Promise<Buffer> {
  return phonePhoto(await renderTextImage(record, { width: 1275, height: 1650, fontSize: 34 }));
}

describe('images', () => {
  const pool = createOcrPool({ size: 2 });
  afterAll(() => pool.close());

  it('a phone photo: honours EXIF orientation, crops to the paper, evens the light, reads it', async () => {
    const { mediaType, pages } = await readDocument(await phonePhotoOfRecord(), { ...limits, ocr: pool });
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
