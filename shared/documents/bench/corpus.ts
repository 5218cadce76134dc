/**
 * The fixed, synthetic page set for benches: text PDFs, scans, faxes, photos, blank pages.
 * Deterministic (seeded text, no randomness elsewhere), generated in memory, no real people.
 */
import sharp from 'sharp';
import { renderPdfPages } from '../src/pdf.ts';
import { makeFaxTiff, makePdf, phonePhoto, renderTextImage, syntheticLines } from '../src/testing/fixtures.ts';

export interface BenchDocument {
  name: string;
  bytes: Buffer;
  /** Ground truth per page, '' for a blank page. */
  truth: string[];
  /** The same pages as a naive pipeline would hand them to tesseract: PDFs rendered at 300 dpi, TIFF pages as stored, photos as taken. */
  naivePages: () => Promise<Buffer[]>;
}

/** A letter page of text at `dpi`, 10–11 pt type. */
export async function letterPage(lines: string[], dpi: number): Promise<Buffer> {
  const width = Math.round(8.5 * dpi);
  const height = Math.round(11 * dpi);
  const fontSize = Math.round((10.5 / 72) * dpi);
  return renderTextImage(lines, { width, height, fontSize, lineHeight: Math.round(fontSize * 1.45), left: Math.round(0.9 * dpi), top: Math.round(1 * dpi) });
}

export const faxWidth = 1728;

/** A fax page at 204 dpi (square pixels), before the fax encoding squashes it. */
export async function faxPage(lines: string[]): Promise<Buffer> {
  return renderTextImage(lines, { width: faxWidth, height: 2200, fontSize: 28, lineHeight: 42, left: 150, top: 200 });
}

const tiffPagesOf = async (bytes: Buffer, n: number): Promise<Buffer[]> =>
  Promise.all(Array.from({ length: n }, (_, i) => sharp(bytes, { page: i }).png().toBuffer()));

export async function benchCorpus(): Promise<BenchDocument[]> {
  const docs: BenchDocument[] = [];

  // 1. Born-digital letter, 3 dense pages with a text layer.
  const textPages = [0, 1, 2].map((i) => syntheticLines(40, 100 + i));
  const textPdf = makePdf(textPages.map((lines) => ({ kind: 'text' as const, lines: lines.map((text, j) => ({ text, x: 64, y: 60 + j * 16.5, size: 10 })) })));
  docs.push({ name: 'text PDF (3 pages)', bytes: textPdf, truth: textPages.map((l) => l.join('\n')), naivePages: () => renderPdfPages(textPdf, 300) });

  // 2. Scanned letter, 2 pages, 300 dpi grayscale JPEG in a PDF.
  const scanLines = [0, 1].map((i) => syntheticLines(40, 200 + i));
  const scans = await Promise.all(scanLines.map(async (lines) => sharp(await letterPage(lines, 300)).jpeg({ quality: 80 }).toBuffer()));
  const scanPdf = makePdf(scans.map((jpeg) => ({ kind: 'image' as const, jpeg, pixelWidth: 2550, pixelHeight: 3300, channels: 1 as const })));
  docs.push({ name: 'scanned PDF 300 dpi (2 pages)', bytes: scanPdf, truth: scanLines.map((l) => l.join('\n')), naivePages: () => renderPdfPages(scanPdf, 300) });

  // 3. Mixed PDF: a born-digital cover letter, a 200 dpi scan, a scanned blank page.
  const coverLines = syntheticLines(12, 300);
  const mixedScan = syntheticLines(30, 301);
  const scan200 = await sharp(await letterPage(mixedScan, 200)).jpeg({ quality: 80 }).toBuffer();
  const blankScan = await sharp({ create: { width: 1700, height: 2200, channels: 3, background: '#f6f6f6' } }).grayscale().jpeg({ quality: 80 }).toBuffer();
  const mixedPdf = makePdf([
    { kind: 'text', lines: coverLines.map((text, j) => ({ text, x: 64, y: 60 + j * 16.5, size: 10 })) },
    { kind: 'image', jpeg: scan200, pixelWidth: 1700, pixelHeight: 2200, channels: 1 },
    { kind: 'image', jpeg: blankScan, pixelWidth: 1700, pixelHeight: 2200, channels: 1 },
  ]);
  docs.push({ name: 'mixed PDF: text + scan + blank', bytes: mixedPdf, truth: [coverLines.join('\n'), mixedScan.join('\n'), ''], naivePages: () => renderPdfPages(mixedPdf, 300) });

  // 4. Fine fax (204×196), G4, 4 pages: one upside down, a blank page at the end.
  const fineLines = [0, 1, 2].map((i) => syntheticLines(36, 400 + i));
  const fine = await Promise.all(fineLines.map((lines) => faxPage(lines)));
  fine[1] = await sharp(fine[1]).rotate(180).png().toBuffer();
  const blankFax = await renderTextImage([], { width: faxWidth, height: 2200, fontSize: 28 });
  const fineTiff = await makeFaxTiff([...fine, blankFax], 196);
  docs.push({ name: 'fax G4 204×196 (4 pages, 1 upside down, 1 blank)', bytes: fineTiff, truth: [...fineLines.map((l) => l.join('\n')), ''], naivePages: () => tiffPagesOf(fineTiff, 4) });

  // 5. Normal fax (204×98), G4, 2 pages.
  const normalLines = [0, 1].map((i) => syntheticLines(36, 500 + i));
  const normalTiff = await makeFaxTiff(await Promise.all(normalLines.map((l) => faxPage(l))), 98);
  docs.push({ name: 'fax G4 204×98 (2 pages)', bytes: normalTiff, truth: normalLines.map((l) => l.join('\n')), naivePages: () => tiffPagesOf(normalTiff, 2) });

  // 6. Two phone photos of printed pages (one stored sideways with EXIF orientation).
  for (const [i, exifSideways] of [true, false].entries()) {
    const lines = syntheticLines(28, 600 + i);
    const sheet = await renderTextImage(lines, { width: 2040, height: 2640, fontSize: 30, lineHeight: 44, left: 150, top: 200 });
    const photo = await phonePhoto(sheet, { skew: i === 0 ? 1.5 : -2, exifSideways });
    docs.push({ name: `photo ${i + 1}${exifSideways ? ' (EXIF rotated)' : ''}`, bytes: photo, truth: [lines.join('\n')], naivePages: async () => [photo] });
  }
  return docs;
}

/** Whitespace-insensitive text for CER: lines trimmed, runs of spaces collapsed, empty lines dropped. */
export function normaliseForCer(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = new Uint32Array(b.length + 1).map((_, i) => i);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Character error rate: edit distance over the truth's length (whitespace-normalised). */
export function cer(truth: string, read: string): { errors: number; chars: number } {
  const t = normaliseForCer(truth);
  return { errors: levenshtein(t, normaliseForCer(read)), chars: t.length };
}
