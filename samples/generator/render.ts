/** Renders a laid-out document: text PDF, 300-dpi scan, 1-bit G4 fax TIFF, phone photo. */
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import type { Row } from './layouts.ts';
import { rng } from './records.ts';

GlobalFonts.registerFromPath('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'DejaVu Sans');
GlobalFonts.registerFromPath('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', 'DejaVu Sans Bold');
GlobalFonts.registerFromPath('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf', 'DejaVu Serif');

/** A placed line: y of the baseline in points from the top of a Letter page (612×792 pt). */
export interface Placed {
  row: Row;
  y: number;
}
const MARGIN = 54;
const PAGE_H = 792;
const PAGE_W = 612;

export function paginate(rows: Row[], baseSize = 10.5): Placed[][] {
  const pages: Placed[][] = [[]];
  let y = MARGIN;
  for (const row of rows) {
    const size = row.size ?? baseSize;
    const lh = size * 1.45;
    const gap = (row.gap ?? 0) * lh;
    if (y + gap + lh > PAGE_H - MARGIN) {
      pages.push([]);
      y = MARGIN;
    } else y += gap;
    y += lh;
    pages[pages.length - 1]!.push({ row, y });
  }
  return pages.filter((p) => p.length);
}

function pdfEscape(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
}

/** A born-digital PDF with a real text layer (Helvetica), written by hand: no PDF library needed. */
export function textPdf(pages: Placed[][], baseSize = 10.5): Buffer {
  const objs: string[] = [];
  const add = (s: string) => objs.push(s) - 1 + 1;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('PAGES');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const page of pages) {
    let content = '';
    for (const { row, y } of page) {
      const size = row.size ?? baseSize;
      for (const c of row.cells) {
        const x = MARGIN + c.x * (PAGE_W - 2 * MARGIN);
        content += `BT /${c.bold ? 'F2' : 'F1'} ${size} Tf ${x.toFixed(1)} ${(PAGE_H - y).toFixed(1)} Td (${pdfEscape(c.text)}) Tj ET\n`;
      }
    }
    const contentId = add(`<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${contentId} 0 R >>`,
      ),
    );
  }
  objs[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  return assemblePdf(objs.map((o) => Buffer.from(o, 'latin1')));
}

function assemblePdf(objs: Buffer[], binaryStreams: Map<number, Buffer> = new Map()): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let len = parts[0]!.length;
  objs.forEach((o, i) => {
    offsets.push(len);
    const bin = binaryStreams.get(i + 1);
    const chunk = bin
      ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nstream\n'), bin, Buffer.from('\nendstream\nendobj\n')])
      : Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    len += chunk.length;
  });
  let xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) xref += `${String(off).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${len}\n%%EOF\n`;
  parts.push(Buffer.from(xref));
  return Buffer.concat(parts);
}

/** A PDF whose pages are JPEG images (a scanner's or phone app's PDF): no text layer. */
export async function imagePdf(jpegs: Buffer[]): Promise<Buffer> {
  const objs: Buffer[] = [];
  const bins = new Map<number, Buffer>();
  const add = (s: string) => objs.push(Buffer.from(s, 'latin1'));
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('PAGES');
  const kids: number[] = [];
  for (const jpg of jpegs) {
    const meta = await sharp(jpg).metadata();
    const w = meta.width!;
    const h = meta.height!;
    const cs = meta.channels === 1 ? '/DeviceGray' : '/DeviceRGB';
    const img = add(
      `<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpg.length} >>`,
    );
    bins.set(img, jpg);
    const content = `q ${PAGE_W} 0 0 ${PAGE_H} 0 0 cm /Im0 Do Q`;
    const c = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /XObject << /Im0 ${img} 0 R >> >> /Contents ${c} 0 R >>`,
      ),
    );
  }
  objs[1] = Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  return assemblePdf(objs, bins);
}

/** Draws a page at `dpi` (grayscale PNG). `font` picks a face so scans do not all look alike. */
export function rasterPage(page: Placed[], dpi: number, opts: { serif?: boolean; baseSize?: number } = {}): Buffer {
  const s = dpi / 72;
  const canvas = createCanvas(Math.round(PAGE_W * s), Math.round(PAGE_H * s));
  const ctx: SKRSContext2D = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (const { row, y } of page) {
    const size = (row.size ?? opts.baseSize ?? 10.5) * s;
    for (const c of row.cells) {
      ctx.font = `${size}px ${c.bold ? 'DejaVu Sans Bold' : opts.serif ? 'DejaVu Serif' : 'DejaVu Sans'}`;
      ctx.fillText(c.text, (MARGIN + c.x * (PAGE_W - 2 * MARGIN)) * s, y * s);
    }
  }
  return canvas.toBuffer('image/png');
}

/** Fax quality: 204×196 dpi, slight skew, speckle noise, thresholded to 1 bit, CCITT G4, multi-page. */
export async function faxTiff(pages: Placed[][], seed: string): Promise<Buffer> {
  const r = rng(seed);
  const out: Buffer[] = [];
  for (const page of pages) {
    const png = rasterPage(page, 200);
    const angle = (r() - 0.5) * 2.4;
    let img = sharp(png).greyscale().rotate(angle, { background: '#ffffff' }).resize(1728, 2156, { fit: 'fill' });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i++) {
      const v = r();
      if (v < 0.004)
        data[i] = 0; // speckle
      else if (v > 0.985 && data[i]! < 128) data[i] = 255; // dropout in strokes
    }
    img = sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } });
    out.push(await img.threshold(150).png().toBuffer());
  }
  return (out.length > 1 ? sharp(out, { join: { animated: true } }) : sharp(out[0]!))
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 204 / 25.4, yres: 196 / 25.4 })
    .toBuffer();
}

/** Phone photo: rotated a little, uneven lighting, slight perspective-like shear, blur, JPEG. */
export async function photoJpeg(page: Placed[], seed: string): Promise<Buffer> {
  const r = rng(seed);
  const png = rasterPage(page, 220, { serif: r() < 0.5 });
  const base = sharp(png).greyscale();
  const meta = await sharp(png).metadata();
  const w = meta.width!;
  const h = meta.height!;
  const shade = Buffer.from(
    `<svg width="${w}" height="${h}"><defs><radialGradient id="g" cx="${0.3 + r() * 0.4}" cy="${0.2 + r() * 0.4}" r="0.9"><stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.38"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
  );
  const lit = await base
    .composite([{ input: shade, blend: 'multiply' }])
    .png()
    .toBuffer();
  const angle = (r() < 0.5 ? -1 : 1) * (1 + r() * 2.5);
  const shear = (r() - 0.5) * 0.04;
  return sharp(lit)
    .affine(
      [
        [1, shear],
        [0, 1 + shear / 2],
      ],
      { background: '#8a8478' },
    )
    .rotate(angle, { background: '#7d776c' })
    .blur(0.7)
    .resize({ width: 1700 })
    .jpeg({ quality: 78 })
    .toBuffer();
}
