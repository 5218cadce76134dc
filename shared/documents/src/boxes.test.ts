import { describe, expect, it } from 'vitest';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { readDocument } from './read.ts';
import { noOcrEngine } from './testing/fixtures.ts';

const limits = { maxPages: 5, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 60_000, renderImages: false };

type Mark = 'none' | 'tick' | 'cross' | 'fill' | 'glyph';

/** A form page: one row per option, a box drawn as a path in front of it, marked as asked. */
async function formPdf(rows: { label: string; mark: Mark; side?: number }[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  page.drawText('Have you ever had any of these? (check all that apply)', { x: 40, y: 740, size: 11, font });
  rows.forEach((r, i) => {
    const side = r.side ?? 9;
    const y = 710 - i * 20;
    const x = 40;
    page.drawRectangle({ x, y: y - 1, width: side, height: side, borderColor: rgb(0.2, 0.2, 0.2), borderWidth: 0.8 });
    if (r.mark === 'tick') {
      page.drawLine({ start: { x: x + 1.5, y: y + side * 0.45 }, end: { x: x + side * 0.4, y: y + 0.5 }, thickness: 1.2, color: rgb(0.1, 0.2, 0.6) });
      page.drawLine({ start: { x: x + side * 0.4, y: y + 0.5 }, end: { x: x + side - 1, y: y + side - 2 }, thickness: 1.2, color: rgb(0.1, 0.2, 0.6) });
    } else if (r.mark === 'cross') {
      page.drawLine({ start: { x: x + 1, y }, end: { x: x + side - 1, y: y + side - 2 }, thickness: 1 });
      page.drawLine({ start: { x: x + 1, y: y + side - 2 }, end: { x: x + side - 1, y }, thickness: 1 });
    } else if (r.mark === 'fill') {
      page.drawRectangle({ x: x + 2, y: y + 1, width: side - 4, height: side - 4, color: rgb(0, 0, 0) });
    } else if (r.mark === 'glyph') {
      page.drawText('X', { x: x + 1.5, y: y + 0.5, size: 9, font });
    }
    page.drawText(r.label, { x: x + side + 6, y, size: 10, font });
  });
  // A table rule and a large frame are not boxes.
  page.drawLine({ start: { x: 40, y: 300 }, end: { x: 560, y: 300 }, thickness: 0.5 });
  page.drawRectangle({ x: 40, y: 200, width: 200, height: 60, borderColor: rgb(0, 0, 0), borderWidth: 1 });
  return doc.save();
}

describe('check boxes drawn in a PDF', () => {
  it('reads an empty drawn box as ☐ and a box with a drawn tick, cross or fill as ☒, in front of its option', async () => {
    const pdf = await formPdf([
      { label: 'Asthma', mark: 'tick' },
      { label: 'Diabetes', mark: 'none' },
      { label: 'Stroke', mark: 'cross' },
      { label: 'Cancer', mark: 'fill', side: 12 },
      { label: 'Migraines', mark: 'none', side: 14 },
    ]);
    const { pages } = await readDocument(pdf, { ...limits, ocr: noOcrEngine });
    const lines = pages[0]!.text.split('\n');
    expect(lines).toContain('☒ Asthma');
    expect(lines).toContain('☐ Diabetes');
    expect(lines).toContain('☒ Stroke');
    expect(lines).toContain('☒ Cancer');
    expect(lines).toContain('☐ Migraines');
    // Rules and large frames give no box words.
    expect(pages[0]!.text.match(/[☐☒]/g)).toHaveLength(5);
  });

  it('leaves a box that holds a text mark to that text (the glyph is read as it is)', async () => {
    const pdf = await formPdf([
      { label: 'Asthma', mark: 'glyph' },
      { label: 'Diabetes', mark: 'none' },
    ]);
    const { pages } = await readDocument(pdf, { ...limits, ocr: noOcrEngine });
    const text = pages[0]!.text;
    expect(text).toMatch(/^X\s+Asthma$/m);
    expect(text).toContain('☐ Diabetes');
    expect(text).not.toMatch(/[☐☒]\s*X/);
  });

  it('puts the box word where the box is drawn, in the page image pixels, on its option\'s row', async () => {
    const pdf = await formPdf([{ label: 'Asthma', mark: 'none' }]);
    const { pages } = await readDocument(pdf, { ...limits, ocr: noOcrEngine });
    const page = pages[0]!;
    const box = page.lines.flatMap((l) => l.words).find((w) => w.text === '☐')!;
    const scale = page.width / 612;
    // Drawn at x 40..49 pt, y 709..718 pt from the bottom; the word spans its option's height.
    expect(box.bbox[0] / scale).toBeCloseTo(40, 0);
    expect(box.bbox[2] / scale).toBeCloseTo(49, 0);
    const option = page.lines.flatMap((l) => l.words).find((w) => w.text === 'Asthma')!;
    expect([box.bbox[1], box.bbox[3]]).toEqual([option.bbox[1], option.bbox[3]]);
    const middle = (page.height - (box.bbox[1] + box.bbox[3]) / 2) / scale;
    expect(middle).toBeGreaterThan(709);
    expect(middle).toBeLessThan(718);
  });
});
