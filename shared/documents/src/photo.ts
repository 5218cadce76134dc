/**
 * Phone photo → an upright, evenly lit page at a size tesseract reads well.
 *
 * 1. the sheet found as a quadrilateral (perspective.ts) and warped to a rectangle (perspective
 *    and rotation undone, the desk gone); without four straight edges, the sheet's bounding box
 *    when one stands out, else the whole photo;
 * 2. lighting flattened: divided by a background estimate, the brightest pixel of each 16 px
 *    cell closed (dilated then eroded by one cell) so ink leaves no trace in it while the edge of
 *    a hard shadow stays where it is (a dilation alone moves it a cell into the shadow, leaving a
 *    grey, grainy band that reads as specks);
 * 3. paper made white: levels at or above the paper's (its typical level less its grain) become
 *    255, the rest scaled up in proportion, ink unchanged in shape (no black point: pushing grey
 *    stroke edges to black thickens blurred letters and fills their counters);
 * 4. scaled so the median glyph is ~22 px tall (print photographed at ~130 dpi has 8–12 px
 *    glyphs, too small for tesseract; a sharp 200 dpi photo is left alone), at most 2.5×;
 * 5. sharpened (phone photos are soft, more so once enlarged).
 */
import { medianGlyphHeight } from './textsize.ts';
import { cropToPaper } from './preprocess.ts';
import { findPaperQuad, quadSize, warpQuad, type Quad } from './perspective.ts';
import { grayFromSharp, resizeGray, sharpenGray, sharpFromGray, type GrayImage } from './raster.ts';

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

export interface PhotoOptions {
  glyphTarget?: number;
  maxUpscale?: number;
  sharpen?: boolean;
  /** Background cell size in pixels. */
  block?: number;
  /** Make the paper white after flattening (default true). */
  whiten?: boolean;
}

export async function preparePhoto(gray: GrayImage, options: PhotoOptions = {}): Promise<PreparedPhoto> {
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
  if (options.whiten ?? true) page = whitenPaper(page);
  const glyph = medianGlyphHeight(page);
  // Scale so glyphs are ~glyphTarget px tall; without glyphs to measure, so the sheet is ~2400 px wide.
  let f = glyph ? glyphTarget / glyph : PHOTO_TARGET_WIDTH / page.width;
  f = Math.max(Math.min(f, maxUpscale, PHOTO_MAX_WIDTH / page.width), 0.5);
  if (Math.abs(f - 1) > 0.15) page = await resizeGray(page, page.width * f, page.height * f);
  if (options.sharpen ?? true) page = await sharpenGray(page, { sigma: 1.2, m1: 0.5, m2: 2 });
  const sheetWidth = quad ? page.width / (1 - 2 * INSET) : page.width;
  return { image: page, dpi: Math.round(sheetWidth / 8.5), ...(quad ? { quad } : {}) };
}

/**
 * Paper white: a flattened page has paper near one level, the 60th percentile (paper is most of
 * a page), with grain above and below it (spread: 90th less 60th percentile). Levels at or above
 * paper less spread become 255, darker ones are scaled up by the same gain (0 stays 0).
 */
export function whitenPaper(img: GrayImage): GrayImage {
  const hist = new Uint32Array(256);
  const { data } = img;
  for (let i = 0; i < data.length; i++) hist[data[i]!]!++;
  const at = (p: number): number => {
    const target = p * data.length;
    let acc = 0;
    for (let v = 0; v < 256; v++) if ((acc += hist[v]!) >= target) return v;
    return 255;
  };
  const paper = at(0.6);
  // A page that is mostly dark (a photo of something else) has no paper level to trust.
  const white = Math.max(128, paper - Math.max(0, at(0.9) - paper));
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.min(255, Math.round((v * 255) / white));
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = lut[data[i]!]!;
  return { data: out, width: img.width, height: img.height };
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
 * thumbnail turns a dense table into a gray block), then a closing over the cells: the
 * brightest of each cell's neighbours (a cell inside a heavy stroke), then the darkest of those
 * (so a region darker than its surroundings over more than a cell, a shadow, keeps its edge),
 * smoothed a little, and scaled back up.
 */
export async function estimateBackground(img: GrayImage, block = 16): Promise<GrayImage> {
  const { width: w, height: h, data } = img;
  const bw = Math.ceil(w / block);
  const bh = Math.ceil(h / block);
  const pooled = new Uint8Array(bw * bh);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const brow = Math.floor(y / block) * bw;
    for (let bx = 0, x = 0; bx < bw; bx++) {
      let m = pooled[brow + bx]!;
      for (const end = Math.min(w, x + block); x < end; x++) if (data[row + x]! > m) m = data[row + x]!;
      pooled[brow + bx] = m;
    }
  }
  const closed = filter3x3(filter3x3(pooled, bw, bh, Math.max), bw, bh, Math.min);
  return grayFromSharp(sharpFromGray({ data: closed, width: bw, height: bh }).blur(0.8).resize(w, h, { fit: 'fill', kernel: 'cubic' }));
}

/** Each cell replaced by `pick` (Math.max: dilation, Math.min: erosion) of its 3×3 neighbourhood. */
export function filter3x3(a: Uint8Array, w: number, h: number, pick: (p: number, q: number) => number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let m = a[y * w + x]!;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) m = pick(m, a[yy * w + xx]!);
      out[y * w + x] = m;
    }
  return out;
}

/** Divide by the background (paper → its own level everywhere, shadows gone). */
export async function flattenBackground(img: GrayImage, block = 16): Promise<GrayImage> {
  const bg = await estimateBackground(img, block);
  // Every (background, level) pair's quotient once, not a division a pixel.
  const quotient = new Uint8Array(65536);
  for (let b = 0; b < 256; b++) for (let v = 0; v < 256; v++) quotient[(b << 8) | v] = Math.min(255, Math.round((v * 255) / Math.max(24, b)));
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = quotient[(bg.data[i]! << 8) | img.data[i]!]!;
  return { data: out, width: img.width, height: img.height };
}
