import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readDocument } from './read.ts';
import { createOcrPool } from './ocr-pool.ts';
import type { OcrEngine, Orientation } from './ocr-engine.ts';
import { makeFaxTiff, renderTextImage, squash, syntheticLines } from './testing/fixtures.ts';

const limits = { maxPages: 5, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 60_000 };
const faxPage = (lines: string[]) => renderTextImage(lines, { width: 1728, height: 1100, fontSize: 30, top: 120 });
const short = ['PHARMACY PROFILE', 'Lisinopril 10 mg tablet daily', 'Metformin 500 mg twice daily'];
// Enough lines for tesseract's orientation check to be sure (a few words leave it unsure).
const lines = [...short, ...syntheticLines(12, 5, 60)];

describe('fax orientation', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  /** The real engine, with an orientation check that answers `says` and counts the reads. */
  const engineSaying = (says: (real: Orientation | undefined) => Orientation | undefined) => {
    const calls = { recognize: 0, detect: 0 };
    const engine: OcrEngine = {
      size: pool.size,
      recognize: (image, opts) => (calls.recognize++, pool.recognize(image, opts)),
      detectOrientation: async (image, opts) => (calls.detect++, says(await pool.detectOrientation?.(image, opts))),
      close: async () => undefined,
    };
    return { engine, calls };
  };

  it('an upright fax page that reads well is read once, its orientation not checked (a check sure of a wrong turn is never asked)', async () => {
    const tiff = await makeFaxTiff([await faxPage(short)], 196);
    const { engine, calls } = engineSaying(() => ({ degrees: 180, confidence: 15 }));
    const { pages } = await readDocument(tiff, { ...limits, ocr: engine, renderImages: false });
    expect(pages[0]!.rotation).toBe(0);
    expect(squash(pages[0]!.text)).toContain('lisinopril 10 mg tablet daily');
    expect(pages[0]!.confidence).toBeGreaterThan(0.8);
    expect(calls).toEqual({ recognize: 1, detect: 0 });
  });

  it('a page really upside down: its poor read asks the orientation check, and it is read again turned', async () => {
    const upside = await sharp(await faxPage(lines)).rotate(180).png().toBuffer();
    const tiff = await makeFaxTiff([upside], 196);
    const { engine, calls } = engineSaying((real) => real);
    const { pages } = await readDocument(tiff, { ...limits, ocr: engine, renderImages: false });
    expect(pages[0]!.rotation).toBe(180);
    expect(squash(pages[0]!.text)).toContain('metformin 500 mg twice daily');
    expect(calls).toEqual({ recognize: 2, detect: 1 });
  });
});
