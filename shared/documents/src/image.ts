import sharp, { type Metadata } from 'sharp';
import heicDecode from 'heic-decode';
import { BadInputError, MediaType } from '@intake/core';
import { readRasterPage, type PageContext, type ReadPage } from './page.ts';
import { OCR_TARGET_DPI, toOcrResolution } from './preprocess.ts';
import { grayFromSharp, type GrayImage } from './raster.ts';
import { preparePhoto } from './photo.ts';

export interface ImageLimits {
  maxPixelsPerPage: number;
}

/**
 * A photo is decoded to at most this many pixels (shrunk while it is decoded, libvips
 * shrink-on-load): 24 million is a letter page at ~560 dpi, more than OCR uses (preparePhoto
 * scales the text to ~22 px anyway), and it keeps the photo steps' working copies of one
 * page inside `intake extract`'s 500 MB whatever the file's size up to maxPixelsPerPage.
 */
export const PHOTO_DECODE_MAX_PIXELS = 24_000_000;

const tooManyPixels = (w: number, h: number, limit: number): BadInputError =>
  new BadInputError('too-many-pixels', `image is ${w}×${h} pixels, over the limit of ${limit}: ask for a smaller photo or scan`);

const damaged = (kind: string, error: unknown): BadInputError =>
  new BadInputError('corrupt', `damaged or truncated ${kind} image that cannot be decoded: ask the sender to send it again`, { cause: error });

/** Width and height from the HEIF 'ispe' property, before decoding anything. */
function heifDeclaredSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let best: { width: number; height: number } | undefined;
  for (let at = buf.indexOf('ispe'); at >= 0 && at + 16 <= buf.length; at = buf.indexOf('ispe', at + 4)) {
    const width = buf.readUInt32BE(at + 8);
    const height = buf.readUInt32BE(at + 12);
    if (!best || width * height > best.width * best.height) best = { width, height };
  }
  return best;
}

async function decodeHeic(bytes: Uint8Array, limit: number): Promise<GrayImage> {
  const declared = heifDeclaredSize(bytes);
  if (declared && declared.width * declared.height > limit) throw tooManyPixels(declared.width, declared.height, limit);
  let images: Awaited<ReturnType<typeof heicDecode.all>>;
  try {
    // HEVC is patent-encumbered, so sharp's prebuilt libvips cannot decode it; libheif in WebAssembly can.
    images = await heicDecode.all({ buffer: bytes });
  } catch (error) {
    throw damaged('HEIC', error);
  }
  try {
    const primary = images[0];
    if (!primary) throw damaged('HEIC', new Error('no image'));
    if (primary.width * primary.height > limit) throw tooManyPixels(primary.width, primary.height, limit);
    const { data, width, height } = await primary.decode().catch((e: unknown) => {
      throw damaged('HEIC', e);
    });
    return await grayFromSharp(sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 4 } }));
  } finally {
    images.dispose();
  }
}

/**
 * A photo or a scan saved as an image. Scanners record a resolution; phones do not (or say 72).
 * Photos go through preparePhoto (photo.ts): the sheet found and warped upright, lighting
 * flattened, text scaled to a size tesseract reads well, sharpened.
 */
export async function readImage(bytes: Uint8Array, mediaType: string, limits: ImageLimits, ctx: PageContext): Promise<ReadPage[]> {
  const started = performance.now();
  const limit = limits.maxPixelsPerPage;
  let gray: GrayImage;
  let density = 0;
  if (mediaType === MediaType.heic) {
    gray = await decodeHeic(bytes, limit);
  } else {
    let meta: Metadata;
    try {
      meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch (error) {
      throw damaged(mediaType.replace('image/', '').toUpperCase(), error);
    }
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (width * height > limit) throw tooManyPixels(width, height, limit);
    density = meta.density ?? 0;
    // Bounded decode: a scan over the OCR resolution is shrunk to it, a photo to
    // PHOTO_DECODE_MAX_PIXELS, in the decode itself (never the full-size pixels and a copy).
    const scan = density >= 150 && density <= 1200;
    const f = scan ? Math.min(1, OCR_TARGET_DPI / density) : Math.min(1, Math.sqrt(PHOTO_DECODE_MAX_PIXELS / Math.max(1, width * height)));
    const shrink = scan ? density > OCR_TARGET_DPI * 1.1 : f < 1;
    try {
      // rotate() with no angle applies the EXIF orientation (phones store sideways pixels and a tag).
      let pipeline = sharp(bytes, { limitInputPixels: limit, failOn: 'error' }).rotate();
      // After rotate(): the EXIF-rotated size (sideways pixels swap width and height).
      const swapped = (meta.orientation ?? 1) >= 5;
      if (shrink) {
        const [w, h] = swapped ? [height, width] : [width, height];
        pipeline = pipeline.resize(Math.max(1, Math.round(w * f)), Math.max(1, Math.round(h * f)), { fit: 'fill', kernel: 'lanczos3' });
      }
      gray = await grayFromSharp(pipeline);
    } catch (error) {
      throw damaged(mediaType.replace('image/', '').toUpperCase(), error);
    }
    if (scan && shrink) density = OCR_TARGET_DPI;
  }
  const scanned = density >= 150 && density <= 1200;
  if (scanned) {
    const sized = await toOcrResolution(gray, density);
    return [await readRasterPage(ctx, 1, sized.image, sized.dpi, { started })];
  }
  const prepared = await preparePhoto(gray);
  const sized = await toOcrResolution(prepared.image, prepared.dpi);
  return [await readRasterPage(ctx, 1, sized.image, sized.dpi, { photo: true, started })];
}
