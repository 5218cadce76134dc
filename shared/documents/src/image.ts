import sharp, { type Metadata } from 'sharp';
import heicDecode from 'heic-decode';
import { BadInputError, MediaType } from '@intake/core';
import { readRasterPage, type PageContext, type ReadPage } from './page.ts';
import { toOcrResolution } from './preprocess.ts';
import { grayFromSharp, type GrayImage } from './raster.ts';
import { preparePhoto } from './photo.ts';

export interface ImageLimits {
  maxPixelsPerPage: number;
}

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
    if ((meta.width ?? 0) * (meta.height ?? 0) > limit) throw tooManyPixels(meta.width ?? 0, meta.height ?? 0, limit);
    density = meta.density ?? 0;
    try {
      // rotate() with no angle applies the EXIF orientation (phones store sideways pixels and a tag).
      gray = await grayFromSharp(sharp(bytes, { limitInputPixels: limit, failOn: 'error' }).rotate());
    } catch (error) {
      throw damaged(mediaType.replace('image/', '').toUpperCase(), error);
    }
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
