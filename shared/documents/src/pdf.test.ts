import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readDocument } from './read.ts';
import { createOcrPool } from './ocr-pool.ts';
import { ccittG4Stream, makePdf, noOcrEngine, renderTextImage, squash } from './testing/fixtures.ts';
import { embeddedScan } from './pdf-scan.ts';
import { declaredImageSizes, MAX_RENDER_PIXELS } from './pdf.ts';

const limits = { maxPages: 20, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 60_000 };

describe('PDF', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  it('reads a born-digital page from its text layer, with boxes in the rendered image', async () => {
    const pdf = makePdf([
      {
        kind: 'text',
        lines: [
          { text: 'Medication List', x: 72, y: 72, size: 14 },
          { text: 'Metformin', x: 72, y: 110 },
          { text: '500 mg', x: 250, y: 110 },
          { text: 'twice daily', x: 400, y: 110 },
          { text: 'Lisinopril', x: 72, y: 130 },
          { text: '10 mg', x: 250, y: 130 },
          { text: 'once daily', x: 400, y: 130 },
        ],
      },
    ]);
    const { mediaType, pages } = await readDocument(pdf, { ...limits, ocr: noOcrEngine });
    expect(mediaType).toBe('application/pdf');
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    expect(page.method).toBe('text-layer');
    expect(page.confidence).toBe(1);
    const lines = page.text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('Medication List');
    expect(lines[1]).toMatch(/^Metformin {3,}500 mg {3,}twice daily$/);
    expect(lines[2]).toMatch(/^Lisinopril {3,}10 mg {3,}once daily$/);
    expect(page.lines.map((l) => l.text)).toEqual(lines);

    // 150 dpi: a letter page is 1275×1650 px; x = 72 pt → 150 px.
    expect([page.width, page.height]).toEqual([1275, 1650]);
    expect(page.image?.mediaType).toBe('image/png');
    expect([page.image?.width, page.image?.height]).toEqual([1275, 1650]);
    const word = page.lines[1]!.words[0]!;
    expect(word.text).toBe('Metformin');
    expect(word.bbox[0]).toBeCloseTo(150, 0);
    // The box covers the word's ink in the page image; just below it there is none.
    const { data, info } = await sharp(page.image!.data).raw().toBuffer({ resolveWithObject: true });
    const darkIn = (box: number[]): number => {
      let dark = 0;
      for (let y = Math.floor(box[1]!); y < Math.ceil(box[3]!); y++)
        for (let x = Math.floor(box[0]!); x < Math.ceil(box[2]!); x++)
          if (data[(y * info.width + x) * info.channels]! < 128) dark++;
      return dark;
    };
    expect(darkIn(word.bbox)).toBeGreaterThan(100);
    expect(darkIn([word.bbox[0], word.bbox[3] + 2, word.bbox[2], word.bbox[3] + 12])).toBe(0);
  });

  it('without page images (intake extract) a text page is not rendered: same text, boxes and size', async () => {
    const pdf = makePdf([
      {
        kind: 'text',
        lines: [
          { text: 'Metformin', x: 72, y: 110 },
          { text: '500 mg', x: 250, y: 110 },
        ],
      },
      { kind: 'text', width: 14400, height: 14400, lines: [{ text: 'Lisinopril 10 mg daily', x: 72, y: 110 }] },
    ]);
    const withImages = await readDocument(pdf, { ...limits, ocr: noOcrEngine });
    const without = await readDocument(pdf, { ...limits, ocr: noOcrEngine, renderImages: false });
    expect(without.pages.map((p) => p.image)).toEqual([undefined, undefined]);
    for (const [i, page] of without.pages.entries()) {
      const other = withImages.pages[i]!;
      expect(page.method).toBe('text-layer');
      expect([page.text, page.lines, page.width, page.height]).toEqual([other.text, other.lines, other.width, other.height]);
    }
  });

  it('skips blank pages and OCRs scanned pages in a mixed PDF', async () => {
    const scan = await renderTextImage(
      ['IMMUNIZATION RECORD', 'Influenza vaccine given 2023-10-04', 'Tetanus booster given 2019-05-17'],
      {
        width: 1700,
        height: 2200,
        fontSize: 34,
      },
    );
    const jpeg = await sharp(scan).jpeg({ quality: 85 }).toBuffer();
    const pdf = makePdf([
      { kind: 'text', lines: [{ text: 'Cover letter from the clinic to the health plan', x: 72, y: 72 }] },
      { kind: 'image', jpeg, pixelWidth: 1700, pixelHeight: 2200, channels: 1 },
      { kind: 'blank' },
    ]);
    const { pages } = await readDocument(pdf, { ...limits, ocr: pool });
    expect(pages.map((p) => p.method)).toEqual(['text-layer', 'ocr', 'skipped-blank']);
    const ocr = pages[1]!;
    expect(squash(ocr.text)).toContain('influenza vaccine given 2023-10-04');
    expect(squash(ocr.text)).toContain('tetanus booster given 2019-05-17');
    expect(ocr.confidence).toBeGreaterThan(0.8);
    // Scanned at 200 dpi (1700 px over 8.5 in): rendered at that resolution, not more.
    expect(ocr.width).toBe(1700);
    const word = ocr.lines.flatMap((l) => l.words).find((w) => w.text === 'Influenza')!;
    expect(word.confidence).toBeGreaterThan(0.5);
    expect(word.confidence).toBeLessThanOrEqual(1);
    expect(word.bbox[0]).toBeGreaterThan(100);
    expect(word.bbox[0]).toBeLessThan(160); // rendered 8% margin = 136 px
    expect(pages[2]!.text).toBe('');
  });

  it('an e-fax PDF (one CCITT G4 image per page) is decoded natively, aspect corrected, and read', async () => {
    const strip = await renderTextImage(['PRIOR AUTHORIZATION', 'Member ID 99887766'], {
      width: 1728,
      height: 240,
      fontSize: 30,
      top: 60,
    });
    const g4 = await ccittG4Stream(strip);
    // Rows stretched over the page as if sent at 98 dpi (a "normal" fax): letters twice as tall.
    const header = [{ text: 'FAX FROM 555-0100 PAGE 1/1', x: 300, y: 2, size: 7 }];
    const pdf = makePdf([
      {
        kind: 'ccitt',
        data: g4.data,
        pixelWidth: g4.width,
        pixelHeight: g4.height,
        width: 612,
        height: (g4.height / 98) * 72,
        overlay: header,
      },
    ]);
    expect(embeddedScan(pdf, { num: 6, gen: 0 })).toMatchObject({ width: 1728, height: g4.height });
    const { pages } = await readDocument(pdf, { ...limits, ocr: pool });
    expect(pages[0]!.method).toBe('ocr');
    expect(pages[0]!.height).toBeCloseTo((g4.height * 204) / 98, -1); // rows stretched to square pixels
    expect(squash(pages[0]!.text)).toContain('prior authorization');
    expect(squash(pages[0]!.text)).toContain('member id 99887766');
    // The fax server's header is text drawn over the image: kept exactly, as the first line, confidence 1.
    expect(pages[0]!.lines[0]!.text).toBe('FAX FROM 555-0100 PAGE 1/1');
    expect(pages[0]!.lines[0]!.words[0]!.confidence).toBe(1);
    expect(pages[0]!.lines[0]!.bbox[0]).toBeCloseTo(300 * (204 / 72), -1);
  });

  it('renders pages whose image does not simply fill the page (photo pasted on a letter)', async () => {
    const scan = await renderTextImage(['LAB RESULTS', 'Glucose 112 mg/dL'], { width: 1200, height: 400, fontSize: 44 });
    const jpeg = await sharp(scan).jpeg({ quality: 85 }).toBuffer();
    const pdf = makePdf([
      { kind: 'image', jpeg, pixelWidth: 1200, pixelHeight: 400, channels: 1, place: { x: 36, y: 400, w: 540, h: 180 } },
    ]);
    expect(embeddedScan(pdf, { num: 6, gen: 0 })).toMatchObject({ width: 1200, height: 400 }); // extractable, but not a full page
    const { pages } = await readDocument(pdf, { ...limits, ocr: pool });
    expect(pages[0]!.method).toBe('ocr');
    expect([pages[0]!.width, pages[0]!.height]).toEqual([1700, 2200]); // whole page rendered, at 200 dpi (image is 160 dpi)
    expect(squash(pages[0]!.text)).toContain('glucose 112 mg/dl');
  });

  it('a searchable scan (text layer over the image) is read from the text layer; the page image is the scan', async () => {
    const scan = await renderTextImage(['DISCHARGE SUMMARY'], { width: 1700, height: 2200, fontSize: 40 });
    const jpeg = await sharp(scan).jpeg({ quality: 85 }).toBuffer();
    const words = Array.from({ length: 12 }, (_, i) => ({
      text: `Line ${i + 1} of the invisible OCR layer a scanner adds to its PDFs`,
      x: 72,
      y: 120 + i * 14,
      size: 9,
    }));
    const searchable = makePdf([{ kind: 'image', jpeg, pixelWidth: 1700, pixelHeight: 2200, channels: 1, overlay: words }]);
    const { pages } = await readDocument(searchable, { ...limits, ocr: noOcrEngine });
    expect(pages[0]!.method).toBe('text-layer');
    expect(pages[0]!.text.split('\n')).toHaveLength(12);
    expect([pages[0]!.width, pages[0]!.height]).toEqual([1275, 1650]);
    // The image is the scan (its heading is there), not a blank rendering.
    const top = await sharp(pages[0]!.image!.data).extract({ left: 0, top: 0, width: 1275, height: 200 }).stats();
    expect(top.channels[0]!.min).toBeLessThan(100);
  });

  it('finds image sizes declared in the file before decoding anything', () => {
    const pdf = makePdf([{ kind: 'image', jpeg: Buffer.alloc(10), pixelWidth: 30000, pixelHeight: 40000, channels: 1 }]);
    expect(declaredImageSizes(pdf)).toEqual([{ width: 30000, height: 40000 }]);
  });

  it('renders a page with a huge page box (200 × 200 inches) within the render cap, text still read', async () => {
    const pdf = makePdf([
      { kind: 'text', width: 14400, height: 14400, lines: [{ text: 'Metformin 500 mg twice daily', x: 72, y: 110 }] },
    ]);
    const { pages } = await readDocument(pdf, { ...limits, ocr: noOcrEngine });
    expect(pages[0]?.text).toMatch(/Metformin 500 mg/);
    expect(pages[0]!.width * pages[0]!.height).toBeLessThanOrEqual(MAX_RENDER_PIXELS);
  });
});
