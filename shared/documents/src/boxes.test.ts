import { describe, expect, it } from 'vitest';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import type { Line, Word } from '@intake/core';
import { withBoxWords } from './boxes.ts';
import type { GrayImage } from './raster.ts';
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
      page.drawLine({
        start: { x: x + 1.5, y: y + side * 0.45 },
        end: { x: x + side * 0.4, y: y + 0.5 },
        thickness: 1.2,
        color: rgb(0.1, 0.2, 0.6),
      });
      page.drawLine({
        start: { x: x + side * 0.4, y: y + 0.5 },
        end: { x: x + side - 1, y: y + side - 2 },
        thickness: 1.2,
        color: rgb(0.1, 0.2, 0.6),
      });
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

  it("puts the box word where the box is drawn, in the page image pixels, on its option's row", async () => {
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

describe('check boxes on a page image', () => {
  /** A form image at ~200 dpi: 26 px boxes before options, text 26 px high; marks as asked. */
  async function formImage(
    rows: { label: string; mark: 'none' | 'cross' | 'tick' }[],
  ): Promise<{ img: GrayImage; lines: Line[] }> {
    const W = 900;
    const H = 60 + rows.length * 60;
    const parts: string[] = [];
    const lines: Line[] = [];
    rows.forEach((r, i) => {
      const y = 40 + i * 60;
      parts.push(`<rect x="60.5" y="${y + 0.5}" width="25" height="25" fill="none" stroke="black" stroke-width="2"/>`);
      if (r.mark === 'cross')
        parts.push(`<path d="M58 ${y - 3} L90 ${y + 29} M90 ${y - 3} L58 ${y + 29}" stroke="black" stroke-width="3"/>`);
      if (r.mark === 'tick')
        parts.push(`<path d="M64 ${y + 12} L72 ${y + 22} L84 ${y + 3}" fill="none" stroke="black" stroke-width="3"/>`);
      parts.push(`<text x="100" y="${y + 22}" font-family="sans-serif" font-size="26">${r.label}</text>`);
      const width = 15 * r.label.length;
      lines.push({
        text: r.label,
        bbox: [100, y, 100 + width, y + 26],
        confidence: 0.9,
        words: [{ text: r.label, bbox: [100, y, 100 + width, y + 26], confidence: 0.9 }],
      });
    });
    // A dark banner with a word in it, and a framed table cell, are no boxes.
    const by = 40 + rows.length * 60 - 10;
    parts.push(`<rect x="40" y="${by}" width="500" height="40" fill="black"/>`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 40}"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).grayscale().raw().toBuffer({ resolveWithObject: true });
    lines.push({
      text: 'HISTORY',
      bbox: [100, by + 8, 220, by + 34],
      confidence: 0.9,
      words: [{ text: 'HISTORY', bbox: [100, by + 8, 220, by + 34], confidence: 0.9 }],
    });
    return { img: { data: new Uint8Array(data), width: info.width, height: info.height }, lines };
  }

  it('reads an empty square as ☐ and one with a cross or tick in it as ☒, in front of the option', async () => {
    const { img, lines } = await formImage([
      { label: 'Asthma', mark: 'none' },
      { label: 'Stroke', mark: 'cross' },
      { label: 'Diabetes', mark: 'tick' },
      { label: 'Cancer', mark: 'none' },
    ]);
    const out = withBoxWords(img, lines)!;
    expect(out.lines.map((l) => l.text)).toEqual(['☐ Asthma', '☒ Stroke', '☒ Diabetes', '☐ Cancer', 'HISTORY']);
    const box = out.lines[0]!.words[0]!;
    expect(box.bbox[0]).toBeGreaterThanOrEqual(58);
    expect(box.bbox[2]).toBeLessThanOrEqual(88);
  });

  it('replaces OCR\'s reading of a box ("[]") with the box word', async () => {
    const { img, lines } = await formImage([
      { label: 'Asthma', mark: 'none' },
      { label: 'Stroke', mark: 'none' },
    ]);
    const junk: Word = { text: '[]', bbox: [60, 40, 86, 66], confidence: 0.4 };
    lines[0] = { ...lines[0]!, text: '[] Asthma', words: [junk, ...lines[0]!.words] };
    const out = withBoxWords(img, lines)!;
    expect(out.lines[0]!.text).toBe('☐ Asthma');
  });

  it('takes no letter for a box: O, D and Q have no corners', async () => {
    // Monospace capitals at fax-like sizes (0.6 em a character, so the words' boxes are known), as
    // on a pharmacy profile or a hospital's header block, beside two real boxes.
    const text = [
      'DATE OF BIRTH: 04/19/1949',
      'PAGE 1 OF 1',
      'ANTONIA STARK MD',
      'DOB: 01/04/1984',
      'ORAL DOSE QD',
      'O D Q OD',
      'HISTORY OF PRESENT ILLNESS',
      '250 mg / 125 mg tablet',
      'presented to the clinic',
    ];
    const W = 1100;
    const parts: string[] = [];
    const lines: Line[] = [];
    for (const [size, weight] of [
      [22, 'normal'],
      [30, 'bold'],
    ] as const) {
      for (const t of text) {
        const y = 40 + lines.length * 50;
        parts.push(
          `<text x="100" y="${y + size * 0.8}" font-family="DejaVu Sans Mono" font-weight="${weight}" font-size="${size}">${t}</text>`,
        );
        const words: Word[] = [];
        let at = 0;
        for (const w of t.split(' ')) {
          const x0 = 100 + at * size * 0.6;
          words.push({ text: w, bbox: [Math.round(x0), y, Math.round(x0 + w.length * size * 0.6), y + size], confidence: 0.9 });
          at += w.length + 1;
        }
        lines.push({ text: t, bbox: [100, y, words.at(-1)!.bbox[2], y + size], confidence: 0.9, words });
      }
    }
    const boxY = 40 + lines.length * 50;
    for (const [i, label] of ['Asthma', 'Stroke'].entries()) {
      const y = boxY + i * 50;
      parts.push(`<rect x="60.5" y="${y + 0.5}" width="25" height="25" fill="none" stroke="black" stroke-width="2"/>`);
      parts.push(`<text x="100" y="${y + 22}" font-family="DejaVu Sans Mono" font-size="26">${label}</text>`);
      const bbox: [number, number, number, number] = [100, y, 100 + Math.round(15.6 * label.length), y + 26];
      lines.push({ text: label, bbox, confidence: 0.9, words: [{ text: label, bbox, confidence: 0.9 }] });
    }
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${boxY + 120}"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).grayscale().raw().toBuffer({ resolveWithObject: true });
    const out = withBoxWords({ data: new Uint8Array(data), width: info.width, height: info.height }, lines)!;
    expect(out.lines.map((l) => l.text)).toEqual([...text, ...text, '☐ Asthma', '☐ Stroke']);
  });

  it('finds nothing on a page without a form (one box is not a form)', async () => {
    const { img, lines } = await formImage([{ label: 'Asthma', mark: 'none' }]);
    expect(withBoxWords(img, lines)).toBeUndefined();
  });
});
