import sharp from 'sharp';
import UTIF from 'utif2';
import { BadInputError } from '@intake/core';
import { Slots } from './ocr-engine.ts';
import { readRasterPage, type PageContext, type ReadPage } from './page.ts';
import { squarePixels, toOcrResolution } from './preprocess.ts';
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

const num = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : typeof v === 'number' ? v : undefined);

/** Page directory of a TIFF, read without decoding pixels (so limits apply before any allocation). */
export function tiffPages(bytes: Uint8Array): TiffPageInfo[] {
  let ifds: UTIF.IFD[];
  try {
    ifds = UTIF.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new BadInputError('corrupt', 'damaged TIFF that cannot be opened: ask the sender to send it again', { cause: error });
  }
  return ifds
    .filter((ifd) => num(ifd['t256']) !== undefined && num(ifd['t257']) !== undefined)
    .map((ifd) => {
      // Resolution unit 3 is centimetres; TIFF's default unit is inches.
      const unit = num(ifd['t296']) === 3 ? 2.54 : 1;
      const res = (t: string): number => {
        const v = ifd[t] as unknown;
        // utif2 gives RATIONALs as [[numerator, denominator]]; older versions as plain numbers.
        const first = Array.isArray(v) ? (v[0] as unknown) : v;
        if (Array.isArray(first)) return first[1] ? (Number(first[0]) / Number(first[1])) * unit : 0;
        return typeof first === 'number' ? first * unit : 0;
      };
      return {
        width: num(ifd['t256'])!,
        height: num(ifd['t257'])!,
        xDpi: res('t282'),
        yDpi: res('t283'),
        bitsPerSample: num(ifd['t258']) ?? 1,
        compression: num(ifd['t259']) ?? 1,
      };
    });
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
  const pages = tiffPages(bytes);
  if (pages.length === 0) throw new BadInputError('corrupt', 'TIFF without any readable page: ask the sender to send it again');
  if (pages.length > limits.maxPages)
    throw new BadInputError('too-many-pages', `TIFF has ${pages.length} pages, over the limit of ${limits.maxPages}: ask the sender to split it`);
  for (const [i, p] of pages.entries())
    if (p.width * p.height > limits.maxPixelsPerPage)
      throw new BadInputError('too-many-pixels', `TIFF page ${i + 1} is ${p.width}×${p.height} pixels, over the limit of ${limits.maxPixelsPerPage}: ask for a smaller scan`);

  const inflight = new Slots(ctx.engine.size + 1);
  const results: Promise<ReadPage>[] = [];
  for (const [i, info] of pages.entries()) {
    await inflight.acquire();
    const started = performance.now();
    const work = (async () => {
      const raw = await decodeTiffPage(bytes, i, limits.maxPixelsPerPage);
      const fax = info.bitsPerSample === 1 || [2, 3, 4].includes(info.compression);
      const square = await squarePixels(raw, info.xDpi || (fax ? 204 : 0), info.yDpi || info.xDpi || (fax ? 196 : 0));
      const sized = await toOcrResolution(square.image, square.dpi);
      return readRasterPage(ctx, i + 1, sized.image, sized.dpi || 200, { started, orientationFirst: fax });
    })().finally(() => inflight.release());
    work.catch(() => undefined);
    results.push(work);
  }
  return Promise.all(results);
}
