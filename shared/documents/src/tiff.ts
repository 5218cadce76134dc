import sharp from 'sharp';
import UTIF from 'utif2';
import { BadInputError } from '@intake/core';
import { Slots } from './ocr-engine.ts';
import { readRasterPage, type PageContext, type ReadPage } from './page.ts';
import { isBilevel, squarePixels, toOcrResolution } from './preprocess.ts';
import { cleanFaxPage } from './fax.ts';
import { grayFromSharp, type GrayImage } from './raster.ts';

export interface TiffLimits {
  maxPages: number;
  maxPixelsPerPage: number;
}

export interface TiffPageInfo {
  width: number;
  height: number;
  xDpi: number;
  yDpi: number;
  bitsPerSample: number;
  compression: number;
}

/**
 * Page directory of a TIFF, read without decoding pixels (so limits apply before any
 * allocation). Our own walker, not utif2's: it stops at `stopAfter` pages and refuses IFD
 * chains that loop or point outside the file (utif2 would spin forever on a loop).
 */
export function tiffPages(bytes: Uint8Array, stopAfter = Number.MAX_SAFE_INTEGER): TiffPageInfo[] {
  const corrupt = (why: string): BadInputError => new BadInputError('corrupt', `damaged TIFF (${why}): ask the sender to send it again`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw corrupt('too short');
  const le = bytes[0] === 0x49;
  const u16 = (at: number): number => view.getUint16(at, le);
  const u32 = (at: number): number => view.getUint32(at, le);
  const sizes: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
  const pages: TiffPageInfo[] = [];
  const seen = new Set<number>();
  let ifd = u32(4);
  while (ifd !== 0 && pages.length < stopAfter) {
    if (seen.has(ifd)) throw corrupt('its page list loops');
    seen.add(ifd);
    if (ifd + 2 > bytes.length) throw corrupt('truncated page directory');
    const count = u16(ifd);
    if (ifd + 2 + count * 12 + 4 > bytes.length) throw corrupt('truncated page directory');
    const tags = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const e = ifd + 2 + i * 12;
      const tag = u16(e);
      const type = u16(e + 2);
      const n = u32(e + 4);
      const size = (sizes[type] ?? 0) * n;
      if (!size || n > 4 || ![256, 257, 258, 259, 282, 283, 296].includes(tag)) continue;
      const at = size <= 4 ? e + 8 : u32(e + 8);
      if (at + size > bytes.length) continue;
      const values: number[] = [];
      for (let k = 0; k < Math.min(n, 2); k++) {
        if (type === 3) values.push(u16(at + k * 2));
        else if (type === 4) values.push(u32(at + k * 4));
        else if (type === 5) values.push(u32(at + k * 8) / (u32(at + k * 8 + 4) || 1));
      }
      tags.set(tag, values);
    }
    const width = tags.get(256)?.[0];
    const height = tags.get(257)?.[0];
    if (width && height) {
      // Resolution unit 3 is centimetres; TIFF's default unit is inches.
      const unit = tags.get(296)?.[0] === 3 ? 2.54 : 1;
      pages.push({
        width,
        height,
        xDpi: (tags.get(282)?.[0] ?? 0) * unit,
        yDpi: (tags.get(283)?.[0] ?? 0) * unit,
        bitsPerSample: tags.get(258)?.[0] ?? 1,
        compression: tags.get(259)?.[0] ?? 1,
      });
    }
    ifd = u32(ifd + 2 + count * 12);
  }
  return pages;
}

async function decodeTiffPage(bytes: Uint8Array, index: number, limit: number): Promise<GrayImage> {
  try {
    return await grayFromSharp(sharp(bytes, { page: index, limitInputPixels: limit }));
  } catch (error) {
    // libvips reads nearly every TIFF; utif2 covers a few old encodings it refuses.
    try {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const ifd = UTIF.decode(buffer)[index]!;
      UTIF.decodeImage(buffer, ifd);
      const rgba = UTIF.toRGBA8(ifd);
      return await grayFromSharp(sharp(rgba, { raw: { width: ifd.width, height: ifd.height, channels: 4 } }));
    } catch {
      const tiny = bytes.length < 1024;
      throw new BadInputError(tiny ? 'truncated' : 'corrupt', `TIFF page ${index + 1} is damaged or truncated and cannot be decoded: ask the sender to send it again`, {
        cause: error,
      });
    }
  }
}

export async function readTiff(bytes: Uint8Array, limits: TiffLimits, ctx: PageContext): Promise<ReadPage[]> {
  const pages = tiffPages(bytes, limits.maxPages + 1);
  if (pages.length === 0) throw new BadInputError('corrupt', 'TIFF without any readable page: ask the sender to send it again');
  if (pages.length > limits.maxPages)
    throw new BadInputError('too-many-pages', `TIFF has more than ${limits.maxPages} pages (the limit): ask the sender to split it`);
  for (const [i, p] of pages.entries())
    if (p.width * p.height > limits.maxPixelsPerPage)
      throw new BadInputError('too-many-pixels', `TIFF page ${i + 1} is ${p.width}×${p.height} pixels, over the limit of ${limits.maxPixelsPerPage}: ask for a smaller scan`);

  const inflight = new Slots(ctx.engine.size + 1);
  const results: Promise<ReadPage>[] = [];
  for (const [i, info] of pages.entries()) {
    await inflight.acquire();
    const started = performance.now();
    const work = (async () => {
      let raw = await decodeTiffPage(bytes, i, limits.maxPixelsPerPage);
      const fax = info.bitsPerSample === 1 || [2, 3, 4].includes(info.compression);
      const xDpi = info.xDpi || (fax ? 204 : 0);
      const yDpi = info.yDpi || info.xDpi || (fax ? 196 : 0);
      // Specks and stray rule fragments go before the pixels are stretched square (stretching smears them into gray ink).
      const bilevel = isBilevel(raw);
      if (bilevel) raw = cleanFaxPage(raw, xDpi, yDpi);
      const square = await squarePixels(raw, xDpi, yDpi);
      const sized = await toOcrResolution(square.image, square.dpi);
      // No orientation check up front (~0.6 s of CPU a page, more than the re-read it saves when most
      // faxes come upright): readRasterPage checks it after a poor or sideways read, and reads again turned.
      return readRasterPage(ctx, i + 1, sized.image, sized.dpi || 200, { started, despeckled: bilevel });
    })().finally(() => inflight.release());
    work.catch(() => undefined);
    results.push(work);
  }
  return Promise.all(results);
}
