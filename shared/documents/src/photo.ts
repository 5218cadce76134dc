/**
 * Phone photo → an upright, evenly lit page at a size tesseract reads well.
 *
 * 1. the sheet found as a quadrilateral (perspective.ts) and warped to a rectangle (perspective
 *    and rotation undone, the desk gone); without four straight edges, the sheet's bounding box
 *    when one stands out, else the whole photo;
 * 2. lighting flattened: divided by a max-pooled background estimate (shadows, vignetting and
 *    shaded table rows become white paper);
 * 3. scaled so the median glyph is ~22 px tall (print photographed at ~130 dpi has 8–12 px
 *    glyphs, too small for tesseract; a sharp 200 dpi photo is left alone), at most 2.5×;
 * 4. sharpened (phone photos are soft, more so once enlarged).
 */
import { medianGlyphHeight } from './textsize.ts';
import { cropToPaper } from './preprocess.ts';
import { findPaperQuad, quadSize, warpQuad, type Quad } from './perspective.ts';
import { grayFromSharp, resizeGray, sharpFromGray, type GrayImage } from './raster.ts';

export interface PreparedPhoto {
  image: GrayImage;
  /** Resolution the page is at, taking the sheet as letter width. */
  dpi: number;
  /** The sheet's corners in the photo, when one was found. */
  quad?: Quad;
}

/** A letter-size sheet this wide is ~280 dpi: enough for tesseract, not more (used when there are no glyphs to measure). */
export const PHOTO_TARGET_WIDTH = 2400;
/** Never wider than this (a 48 MP photo of a sheet has nothing for OCR that 3400 px lacks). */
export const PHOTO_MAX_WIDTH = 3400;
/** Median glyph height (≈ x-height) tesseract reads best at; photos of 8–9 pt print at ~130 dpi give 8–12 px. */
export const PHOTO_GLYPH_TARGET = 22;
/** Enlarge at most this much (beyond it there is no detail left to gain, only CPU to spend). */
export const PHOTO_MAX_UPSCALE = 2.5;

/** Trim this share of each side after the warp: the sheet's edge and a sliver of desk. */
const INSET = 0.006;

export async function preparePhoto(
  gray: GrayImage,
  options: { glyphTarget?: number; maxUpscale?: number; sharpen?: boolean; block?: number } = {},
): Promise<PreparedPhoto> {
  const glyphTarget = options.glyphTarget ?? PHOTO_GLYPH_TARGET;
  const maxUpscale = options.maxUpscale ?? PHOTO_MAX_UPSCALE;
  const quad = await findPaperQuad(gray);
  let page: GrayImage;
  if (quad) {
    const size = quadSize(quad);
    const f = Math.min(1, PHOTO_MAX_WIDTH / size.width);
    // Inset the quad (in its own coordinates) so the paper's edge is not in the page.
    page = warpQuad(gray, insetQuad(quad, INSET), size.width * (1 - 2 * INSET) * f, size.height * (1 - 2 * INSET) * f);
  } else {
    // No sheet with four straight edges: its bounding box when one stands out, else the whole photo.
    page = await cropToPaper(gray);
  }
  page = await flattenBackground(page, options.block);
  const glyph = medianGlyphHeight(page);
  // Scale so glyphs are ~glyphTarget px tall; without glyphs to measure, so the sheet is ~2400 px wide.
  let f = glyph ? glyphTarget / glyph : PHOTO_TARGET_WIDTH / page.width;
  f = Math.max(Math.min(f, maxUpscale, PHOTO_MAX_WIDTH / page.width), 0.5);
  if (Math.abs(f - 1) > 0.15) page = await resizeGray(page, page.width * f, page.height * f);
  if (options.sharpen ?? true) page = await grayFromSharp(sharpFromGray(page).sharpen({ sigma: 1.2, m1: 0.5, m2: 2 }));
  const sheetWidth = quad ? page.width / (1 - 2 * INSET) : page.width;
  return { image: page, dpi: Math.round(sheetWidth / 8.5), ...(quad ? { quad } : {}) };
}

/** The quad shrunk by `share` of its size on every side (bilinear in the quad's own coordinates). */
export function insetQuad(q: Quad, share: number): Quad {
  const at = (u: number, v: number): { x: number; y: number } => {
    const top = { x: q[0].x + (q[1].x - q[0].x) * u, y: q[0].y + (q[1].y - q[0].y) * u };
    const bot = { x: q[3].x + (q[2].x - q[3].x) * u, y: q[3].y + (q[2].y - q[3].y) * u };
    return { x: top.x + (bot.x - top.x) * v, y: top.y + (bot.y - top.y) * v };
  };
  const a = share;
  const b = 1 - share;
  return [at(a, a), at(b, a), at(b, b), at(a, b)];
}

/**
 * The paper's brightness at every pixel, ink left out: the brightest pixel of each `block`²
 * cell (letters and lines leave paper between them at this scale, where an area-averaged
 * thumbnail turns a dense table into a gray block), the brightest of each cell's neighbours
 * (a cell inside a heavy stroke), smoothed, and scaled back up.
 */
export async function estimateBackground(img: GrayImage, block = 16): Promise<GrayImage> {
  const { width: w, height: h, data } = img;
  const bw = Math.ceil(w / block);
  const bh = Math.ceil(h / block);
  const pooled = new Uint8Array(bw * bh);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const brow = Math.floor(y / block) * bw;
    for (let x = 0; x < w; x++) {
      const v = data[row + x]!;
      const k = brow + Math.floor(x / block);
      if (v > pooled[k]!) pooled[k] = v;
    }
  }
  const grown = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) {
      let m = 0;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(bh - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(bw - 1, x + 1); xx++) m = Math.max(m, pooled[yy * bw + xx]!);
      grown[y * bw + x] = m;
    }
  return grayFromSharp(sharpFromGray({ data: grown, width: bw, height: bh }).blur(1.5).resize(w, h, { fit: 'fill', kernel: 'cubic' }));
}

/** Divide by the background (paper → white, shadows gone), then stretch so the darkest ink is black. */
export async function flattenBackground(img: GrayImage, block = 16): Promise<GrayImage> {
  const bg = await estimateBackground(img, block);
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.round((img.data[i]! * 255) / Math.max(24, bg.data[i]!)));
  return { data: out, width: img.width, height: img.height };
}
