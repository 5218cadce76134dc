/**
 * Synthetic fixtures for tests and benches: PDFs written by hand, page images rendered
 * from SVG text by sharp (DejaVu fonts), fax TIFFs. No real documents, no patient data.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { OcrEngine } from '../ocr-engine.ts';

export interface PdfTextLine {
  text: string;
  /** PDF points from the left edge. */
  x: number;
  /** PDF points from the top edge (converted to PDF's bottom-up space here). */
  y: number;
  size?: number;
}

export type PdfPageSpec =
  | { kind: 'text'; lines: PdfTextLine[]; width?: number; height?: number }
  /** A scanned page: one JPEG filling the page (8-bit gray or RGB). */
  | {
      kind: 'image';
      jpeg: Buffer;
      pixelWidth: number;
      pixelHeight: number;
      channels: 1 | 3;
      width?: number;
      height?: number;
      /** Where on the page, in points from the bottom left; default: the whole page. */
      place?: { x: number; y: number; w: number; h: number };
      /** Text drawn over the image (a scanner's OCR layer, a stamp). */
      overlay?: PdfTextLine[];
    }
  /** A fax page: one CCITT G4 (K -1) stream, as e-fax servers produce. */
  | { kind: 'ccitt'; data: Buffer; pixelWidth: number; pixelHeight: number; width?: number; height?: number; overlay?: PdfTextLine[] }
  | { kind: 'blank'; width?: number; height?: number };

function escapePdfString(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`);
}

/** A minimal, valid PDF 1.4 (xref table with exact offsets). `encrypt` adds an /Encrypt dictionary. */
export function makePdf(pages: PdfPageSpec[], options: { encrypt?: boolean } = {}): Buffer {
  const objects: Buffer[] = [];
  const add = (body: Buffer | string): number => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };
  const stream = (dict: string, data: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);

  const catalogId = add(''); // placeholder, filled below
  const pagesId = add('');
  const fontId = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const pageIds: number[] = [];
  for (const spec of pages) {
    const w = spec.width ?? 612;
    const h = spec.height ?? 792;
    let content = '';
    let resources = `<< /Font << /F1 ${fontId} 0 R >> >>`;
    if (spec.kind === 'text') {
      for (const line of spec.lines) {
        const size = line.size ?? 11;
        content += `BT /F1 ${size} Tf ${line.x} ${h - line.y - size} Td (${escapePdfString(line.text)}) Tj ET\n`;
      }
    } else if (spec.kind === 'image') {
      const imgId = add(
        stream(
          `/Type /XObject /Subtype /Image /Width ${spec.pixelWidth} /Height ${spec.pixelHeight} /ColorSpace /${spec.channels === 1 ? 'DeviceGray' : 'DeviceRGB'} /BitsPerComponent 8 /Filter /DCTDecode`,
          spec.jpeg,
        ),
      );
      resources = `<< /Font << /F1 ${fontId} 0 R >> /XObject << /Im1 ${imgId} 0 R >> >>`;
      const p = spec.place ?? { x: 0, y: 0, w, h };
      content = `q ${p.w} 0 0 ${p.h} ${p.x} ${p.y} cm /Im1 Do Q\n`;
      for (const line of spec.overlay ?? []) {
        const size = line.size ?? 9;
        content += `BT /F1 ${size} Tf ${line.x} ${h - line.y - size} Td (${escapePdfString(line.text)}) Tj ET\n`;
      }
    } else if (spec.kind === 'ccitt') {
      const imgId = add(
        stream(
          `/Type /XObject /Subtype /Image /Width ${spec.pixelWidth} /Height ${spec.pixelHeight} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns ${spec.pixelWidth} /Rows ${spec.pixelHeight} >>`,
          spec.data,
        ),
      );
      resources = `<< /Font << /F1 ${fontId} 0 R >> /XObject << /Im1 ${imgId} 0 R >> >>`;
      content = `q ${w} 0 0 ${h} 0 0 cm /Im1 Do Q\n`;
      for (const line of spec.overlay ?? []) {
        const size = line.size ?? 9;
        content += `BT /F1 ${size} Tf ${line.x} ${h - line.y - size} Td (${escapePdfString(line.text)}) Tj ET\n`;
      }
    }
    const contentId = add(stream('', Buffer.from(content, 'latin1')));
    pageIds.push(add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${w} ${h}] /Resources ${resources} /Contents ${contentId} 0 R >>`));
  }
  objects[catalogId - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pagesId} 0 R >>`, 'latin1');
  objects[pagesId - 1] = Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`, 'latin1');
  let encryptId = 0;
  if (options.encrypt) {
    // Standard security handler, RC4 40-bit, with a user password: readers cannot open it without one.
    encryptId = add(
      `<< /Filter /Standard /V 1 /R 2 /O <${'a1'.repeat(32)}> /U <${'b2'.repeat(32)}> /P -3904 >>`,
    );
  }

  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(obj);
    offset += obj.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root ${catalogId} 0 R${encryptId ? ` /Encrypt ${encryptId} 0 R /ID [<${'c3'.repeat(16)}> <${'c3'.repeat(16)}>]` : ''} >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export interface TextImageOptions {
  width: number;
  height: number;
  /** Font size in pixels. */
  fontSize: number;
  /** Left margin and first baseline, pixels. */
  left?: number;
  top?: number;
  lineHeight?: number;
  font?: string;
}

/** A grayscale page image with the given lines of text, black on white (PNG). */
export async function renderTextImage(lines: string[], o: TextImageOptions): Promise<Buffer> {
  const left = o.left ?? Math.round(o.width * 0.08);
  const top = o.top ?? Math.round(o.height * 0.08);
  const lh = o.lineHeight ?? Math.round(o.fontSize * 1.5);
  const texts = lines
    .map(
      (line, i) =>
        `<text x="${left}" y="${top + i * lh}" font-family="${o.font ?? 'DejaVu Sans'}" font-size="${o.fontSize}" xml:space="preserve">${escapeXml(line)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}"><rect width="100%" height="100%" fill="white"/><g fill="black">${texts}</g></svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).grayscale().toColourspace('b-w').png().toBuffer();
}

/** A 1-bit CCITT G4 (or G3) fax TIFF at 204 × `yDpi`, from a square-pixel image at 204 dpi. */
export async function makeFaxTiff(pages: Buffer[], yDpi: 98 | 196, compression: 'ccittfax4' = 'ccittfax4'): Promise<Buffer> {
  const frames: Buffer[] = [];
  for (const page of pages) {
    const meta = await sharp(page).metadata();
    const h = Math.round((meta.height! * yDpi) / 204);
    frames.push(
      await sharp(page)
        .resize(meta.width!, h, { fit: 'fill' })
        .removeAlpha()
        .extractChannel(0)
        .threshold(160)
        .toColourspace('b-w')
        .tiff({ compression, bitdepth: 1, xres: 204 / 25.4, yres: yDpi / 25.4, resolutionUnit: 'inch' })
        .toBuffer(),
    );
  }
  if (frames.length === 1) return frames[0]!;
  return joinTiffs(frames);
}

/** Concatenate single-page TIFFs into one multi-page TIFF by chaining their IFDs (little-endian only). */
export function joinTiffs(files: Buffer[]): Buffer {
  // Simplest correct approach: rewrite each file's offsets by its position in the output.
  const out: Buffer[] = [];
  let base = 0;
  const ifdLinkPositions: number[] = []; // absolute positions of "next IFD" fields
  const ifdStarts: number[] = [];
  for (const [index, file] of files.entries()) {
    if (file.toString('latin1', 0, 2) !== 'II') throw new Error('joinTiffs: little-endian TIFFs only');
    const buf = Buffer.from(file);
    const shift = index === 0 ? 0 : base - 8; // drop the 8-byte header of later files
    const ifd = buf.readUInt32LE(4);
    const n = buf.readUInt16LE(ifd);
    const sizes: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      const tag = buf.readUInt16LE(e);
      const type = buf.readUInt16LE(e + 2);
      const count = buf.readUInt32LE(e + 4);
      const bytes = (sizes[type] ?? 1) * count;
      if (bytes > 4) buf.writeUInt32LE(buf.readUInt32LE(e + 8) + shift, e + 8);
      if (tag === 273 || tag === 324) {
        // strip/tile offsets: values are offsets
        if (bytes <= 4) {
          if (type === 4) buf.writeUInt32LE(buf.readUInt32LE(e + 8) + shift, e + 8);
          else if (type === 3) buf.writeUInt16LE(buf.readUInt16LE(e + 8) + shift, e + 8);
        } else {
          const at = buf.readUInt32LE(e + 8) - shift;
          for (let k = 0; k < count; k++) {
            if (type === 4) buf.writeUInt32LE(buf.readUInt32LE(at + k * 4) + shift, at + k * 4);
            else buf.writeUInt16LE(buf.readUInt16LE(at + k * 2) + shift, at + k * 2);
          }
        }
      }
    }
    const body = index === 0 ? buf : buf.subarray(8);
    ifdStarts.push(ifd + shift);
    ifdLinkPositions.push(ifd + 2 + n * 12 + shift);
    out.push(body);
    base += body.length;
  }
  const joined = Buffer.concat(out);
  for (let i = 0; i < ifdLinkPositions.length - 1; i++) joined.writeUInt32LE(ifdStarts[i + 1]!, ifdLinkPositions[i]!);
  return joined;
}

/** An engine that fails the test if anything reaches OCR. */
export const noOcrEngine: OcrEngine = {
  name: 'none',
  size: 2,
  recognize: () => Promise.reject(new Error('OCR was called but should not have been')),
  close: () => Promise.resolve(),
};

/** A PNG whose header claims `width`×`height` pixels, with valid CRCs and almost no data. */
export function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Normalised text for comparisons: lower case, single spaces. */
export const squash = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * A phone photo of a sheet of paper: the page on a dark desk, lit unevenly, slightly
 * skewed, stored sideways with EXIF orientation 6 (as phones do). JPEG.
 */
export async function phonePhoto(sheet: Buffer, options: { skew?: number; exifSideways?: boolean } = {}): Promise<Buffer> {
  const meta = await sharp(sheet).metadata();
  const w = meta.width!;
  const h = meta.height!;
  const shade = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) shade[y * w + x] = Math.round(255 - (90 * (x + y)) / (w + h));
  const lit = await sharp(sheet)
    .removeAlpha()
    .composite([{ input: shade, raw: { width: w, height: h, channels: 1 }, blend: 'multiply' }])
    .png()
    .toBuffer();
  const skewed = await sharp(lit).rotate(options.skew ?? 2, { background: '#3a3a3a' }).png().toBuffer();
  const sk = await sharp(skewed).metadata();
  const margin = Math.round(w * 0.12);
  const onDesk = await sharp({ create: { width: sk.width! + 2 * margin, height: sk.height! + 2 * margin, channels: 3, background: '#3a3a3a' } })
    .composite([{ input: skewed, left: margin, top: margin }])
    .png()
    .toBuffer();
  // Orientation 6: the viewer turns the stored pixels 90° clockwise; store them turned back.
  if (options.exifSideways === false) return sharp(onDesk).jpeg({ quality: 85 }).toBuffer();
  return sharp(onDesk).rotate(270).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer();
}

/** Deterministic synthetic clinical prose, `n` lines of about `width` characters. No real people. */
export function syntheticLines(n: number, seed = 1, width = 68): string[] {
  const words = (
    'patient reports no chest pain shortness of breath denies fever chills blood pressure ' +
    'well controlled on current regimen metformin 500 mg twice daily lisinopril 10 mg once ' +
    'daily atorvastatin 40 mg at bedtime allergies penicillin hives sulfa rash immunizations ' +
    'influenza vaccine given tetanus booster colonoscopy normal mammogram scheduled follow up ' +
    'in three months hemoglobin glucose 112 mg/dL creatinine 0.9 weight 82 kg plan continue ' +
    'monitor review labs referral cardiology diabetes type 2 hypertension hyperlipidemia'
  ).split(' ');
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    let line = '';
    while (line.length < width - 10) line += (line ? ' ' : '') + words[Math.floor(rand() * words.length)];
    lines.push(line.charAt(0).toUpperCase() + line.slice(1) + '.');
  }
  return lines;
}

/**
 * A raw CCITT G4 stream as a PDF carries it (white runs are white). Images up to 256 rows
 * (libvips writes 256-row strips). libvips writes BlackIsZero fax TIFFs, whose "white" runs
 * are black pixels: encode the negative so the runs mean what fax readers expect.
 */
export async function ccittG4Stream(image: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const tiff = await makeFaxTiff([await sharp(image).negate({ alpha: false }).png().toBuffer()], 196);
  const ifd = (await import('utif2')).default.decode(tiff)[0]!;
  if ((ifd['t262'] as number[])[0] !== 1) throw new Error('ccittG4Stream: expected a BlackIsZero TIFF from libvips');
  const offsets = ifd['t273'] as number[];
  const counts = ifd['t279'] as number[];
  if (offsets.length !== 1) throw new Error('ccittG4Stream: image too tall for one strip');
  return { data: tiff.subarray(offsets[0], offsets[0]! + counts[0]!), width: (ifd['t256'] as number[])[0]!, height: (ifd['t257'] as number[])[0]! };
}

/** Scanner-like degradation: optical blur and sensor noise (deterministic). Gray PNG. */
export async function degrade(image: Buffer, o: { blur: number; noise: number; seed?: number }): Promise<Buffer> {
  const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).grayscale().extractChannel(0).blur(o.blur).raw().toBuffer({ resolveWithObject: true });
  let s = (o.seed ?? 1) >>> 0 || 1;
  const rand = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < data.length; i++) {
    // Sum of uniforms ≈ gaussian.
    const g = (rand() + rand() + rand() + rand() - 2) * 1.73;
    data[i] = Math.max(0, Math.min(255, Math.round(data[i]! + g * o.noise)));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toBuffer();
}
