/**
 * Character error rate per input form, on pages rendered from synthetic text (ground truth
 * known exactly). Run: npx tsx shared/documents/bench/cer.ts
 *
 * Pages are degraded like real ones (blur, sensor noise, JPEG, 1-bit thresholding for faxes).
 * CER = edit distance / truth length, after collapsing runs of whitespace (column spacing is
 * layout, not characters) and dropping empty lines.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { readDocument } from '../src/read.ts';
import { createOcrPool } from '../src/ocr-pool.ts';
import { createNativeOcrEngine, findNativeTesseract } from '../src/native-ocr.ts';
import type { OcrEngine } from '../src/ocr-engine.ts';
import { degrade, makeFaxTiff, makePdf, phonePhoto, renderTextImage, syntheticLines } from '../src/testing/fixtures.ts';
import { cer, faxPage, letterPage } from './corpus.ts';

interface Form {
  name: string;
  /** The document as it arrives. */
  bytes: Buffer;
  /** The page image as a naive pipeline would give tesseract. */
  raw: Buffer;
  truth: string;
}

async function forms(): Promise<Form[]> {
  const out: Form[] = [];
  const scanLines = syntheticLines(40, 11);
  const scan = await sharp(await degrade(await letterPage(scanLines, 300), { blur: 0.8, noise: 12 })).jpeg({ quality: 75 }).toBuffer();
  out.push({
    name: 'scan, 300 dpi gray, JPEG in a PDF',
    bytes: makePdf([{ kind: 'image', jpeg: scan, pixelWidth: 2550, pixelHeight: 3300, channels: 1 }]),
    raw: scan,
    truth: scanLines.join('\n'),
  });
  const fineLines = syntheticLines(36, 12);
  const fine = await makeFaxTiff([await degrade(await faxPage(fineLines), { blur: 1, noise: 30, seed: 2 })], 196);
  out.push({ name: 'fax G4 204×196 (TIFF)', bytes: fine, raw: await sharp(fine).png().toBuffer(), truth: fineLines.join('\n') });
  const normalLines = syntheticLines(36, 13);
  const normal = await makeFaxTiff([await degrade(await faxPage(normalLines), { blur: 1, noise: 30, seed: 3 })], 98);
  out.push({ name: 'fax G4 204×98 (TIFF)', bytes: normal, raw: await sharp(normal).png().toBuffer(), truth: normalLines.join('\n') });
  const photoLines = syntheticLines(28, 14);
  const sheet = await renderTextImage(photoLines, { width: 2040, height: 2640, fontSize: 30, lineHeight: 44, left: 150, top: 200 });
  const photo = await phonePhoto(await degrade(sheet, { blur: 1.2, noise: 10, seed: 4 }), { skew: 1.5 });
  out.push({ name: 'phone photo (JPEG, EXIF-rotated, skewed, shaded)', bytes: photo, raw: photo, truth: photoLines.join('\n') });
  return out;
}

async function ours(engine: OcrEngine, form: Form): Promise<number> {
  const { pages } = await readDocument(form.bytes, { maxPages: 10, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 180_000, ocr: engine, renderImages: false });
  const c = cer(form.truth, pages.map((p) => p.text).join('\n'));
  return c.errors / c.chars;
}

async function cli(form: Form, dir: string): Promise<number> {
  const path = join(dir, `page.${form.raw[0] === 0xff ? 'jpg' : 'png'}`);
  writeFileSync(path, form.raw);
  const { stdout } = await promisify(execFile)('tesseract', [path, 'stdout', '--oem', '1', '-l', 'eng'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 << 20 });
  const c = cer(form.truth, stdout);
  return c.errors / c.chars;
}

const pct = (x: number | undefined): string => (x === undefined ? '–' : `${(100 * x).toFixed(2)}%`);

const all = await forms();
const native = findNativeTesseract() ? createNativeOcrEngine({ size: 1 }) : undefined;
const tjs = createOcrPool({ size: 1 });
const dir = mkdtempSync(join(tmpdir(), 'intake-cer-'));
console.log('| input form | truth chars | intake, native engine | intake, tesseract.js | tesseract CLI on the raw image |');
console.log('|---|---|---|---|---|');
try {
  for (const form of all) {
    const [n, j, c] = await Promise.all([native ? ours(native, form) : undefined, ours(tjs, form), native ? cli(form, dir) : undefined]);
    console.log(`| ${form.name} | ${form.truth.length} | ${pct(n)} | ${pct(j)} | ${pct(c)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([native?.close(), tjs.close()]);
}
