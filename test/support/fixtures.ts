import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

/** Synthetic record text used across end-to-end tests (no real person). */
export const SUMMARY_LINES = [
  'Riverside Family Practice',
  'Patient: Jordan Testcase    DOB: 04/12/1961    MRN: 55501234',
  '',
  'Current Medications',
  'Lisinopril 10 mg tablet, take 1 tablet by mouth daily',
  'Metformin 500 mg tablet, 1 tab PO BID',
  'Atorvastatin 20 mg tablet at bedtime',
  '',
  'Allergies',
  'Penicillin - hives',
  '',
  'Immunizations',
  'Tdap 08/14/2019',
  'Influenza vaccine 10/02/2023',
];

/** A born-digital PDF: one page with a real text layer. */
export async function textPdf(lines: string[] = SUMMARY_LINES): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  lines.forEach((line, i) => page.drawText(line, { x: 54, y: 740 - i * 18, size: 12, font }));
  return Buffer.from(await doc.save());
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A page image with the lines typeset in DejaVu Sans, like a 200 dpi scan. */
export async function pageImage(lines: string[] = SUMMARY_LINES, options: { width?: number; height?: number } = {}): Promise<Buffer> {
  const width = options.width ?? 1700;
  const height = options.height ?? 2200;
  const text = lines
    .map((line, i) => `<text x="110" y="${200 + i * 56}" font-family="DejaVu Sans" font-size="34" fill="#111">${escapeXml(line)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).grayscale().png().toBuffer();
}

/** A scanned PDF: the page is an image, with no text layer. */
export async function scannedPdf(lines: string[] = SUMMARY_LINES): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const png = await doc.embedPng(await pageImage(lines));
  const page = doc.addPage([612, 792]);
  page.drawImage(png, { x: 0, y: 0, width: 612, height: 792 });
  return Buffer.from(await doc.save());
}

/** A PDF cut off half way, as a broken upload or fax transfer leaves it. */
export async function truncatedPdf(): Promise<Buffer> {
  const full = await textPdf();
  return full.subarray(0, Math.floor(full.length / 3));
}
