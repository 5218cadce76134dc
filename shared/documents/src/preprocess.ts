import { type GrayImage, otsu, resizeGray, rotateGray, sharpFromGray, grayFromSharp, thumbnail } from './raster.ts';

/** Resolution at which tesseract's LSTM reads ordinary 8–12 pt print best; more only costs time. */
export const OCR_TARGET_DPI = 300;

/**
 * Fax pixels are not square (204×98 "normal", 204×196 "fine"): stretch the short axis so
 * letters have their true shape before OCR.
 */
export async function squarePixels(img: GrayImage, xDpi: number, yDpi: number): Promise<{ image: GrayImage; dpi: number }> {
  if (!xDpi || !yDpi || Math.abs(xDpi - yDpi) / Math.max(xDpi, yDpi) < 0.05) return { image: img, dpi: xDpi || yDpi || 0 };
  const dpi = Math.max(xDpi, yDpi);
  return { image: await resizeGray(img, (img.width * dpi) / xDpi, (img.height * dpi) / yDpi), dpi };
}

/** True when (nearly) every pixel is pure black or white: a fax or a 1-bit scan. */
export function isBilevel(img: GrayImage): boolean {
  const { data } = img;
  // Every 7th pixel is plenty to tell a 1-bit page from a gray one.
  let other = 0;
  let seen = 0;
  for (let i = 0; i < data.length; i += 7, seen++) if (data[i] !== 0 && data[i] !== 255) other++;
  return seen > 0 && other / seen < 0.001;
}

/**
 * Fax speckle: remove dark specks (8-connected components of ink) of at most `maxArea`
 * pixels. A fax line's noise is single pixels and pairs; the smallest real marks (a period, an
 * i-dot in 8 pt type) are ~0.1 mm² — several pixels even at 204×98. tesseract reads specks
 * as punctuation and glues words to them ("January.2020", "Flu:shot"). Unlike a median filter
 * it leaves strokes, corners and thin lines alone. Ink = darker than `threshold`.
 */
export function despeckle(img: GrayImage, maxArea = 2, threshold = 128): GrayImage {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const out = new Uint8Array(data);
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const small = new Int32Array(maxArea);
  for (let start = 0; start < n; start++) {
    if (seen[start] || data[start]! >= threshold) continue;
    let sp = 0;
    let area = 0;
    stack[sp++] = start;
    seen[start] = 1;
    while (sp) {
      const p = stack[--sp]!;
      if (area < maxArea) small[area] = p;
      area++;
      const x = p % w;
      for (let row = p - x - w; row <= p - x + w; row += w) {
        if (row < 0 || row >= n) continue;
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const q = row + xx;
          if (!seen[q] && data[q]! < threshold) {
            seen[q] = 1;
            stack[sp++] = q;
          }
        }
      }
    }
    if (area <= maxArea) for (let k = 0; k < area; k++) out[small[k]!] = 255;
  }
  return { data: out, width: w, height: h };
}

/** Speck size (pixels) removed from a bilevel page at this resolution: ~0.035 mm², at least 1 pixel. */
export function speckArea(xDpi: number, yDpi: number): number {
  const pixelMm2 = (25.4 / (xDpi || 204)) * (25.4 / (yDpi || xDpi || 196));
  return Math.max(1, Math.floor(0.035 / pixelMm2));
}

/** Scale to the OCR resolution: down when finer than needed, never up by more than 1.5× (it adds time, not letters). */
export async function toOcrResolution(img: GrayImage, dpi: number, target = OCR_TARGET_DPI): Promise<{ image: GrayImage; dpi: number }> {
  if (!dpi) return { image: img, dpi };
  if (dpi > target * 1.1) {
    const f = target / dpi;
    return { image: await resizeGray(img, img.width * f, img.height * f), dpi: target };
  }
  return { image: img, dpi };
}

/**
 * Small-angle skew (±6°) by projection profiles: the angle at which rows of ink line up
 * gives the sharpest horizontal profile. Returns degrees clockwise to rotate by.
 */
export async function estimateSkew(img: GrayImage): Promise<number> {
  const t = await thumbnail(img, 1200);
  const threshold = otsu(t.data);
  const xs: number[] = [];
  const ys: number[] = [];
  const step = 1;
  for (let y = 0; y < t.height; y += step)
    for (let x = 0; x < t.width; x += step) {
      if (t.data[y * t.width + x]! < threshold) {
        xs.push(x);
        ys.push(y);
      }
    }
  if (xs.length < 200 || xs.length > t.data.length * 0.5) return 0;
  // Subsample for speed: 40k points are plenty for a profile.
  const every = Math.max(1, Math.floor(xs.length / 40_000));
  const diag = Math.ceil(Math.hypot(t.width, t.height));
  const score = (deg: number): number => {
    const a = (deg * Math.PI) / 180;
    const sin = Math.sin(a);
    const cos = Math.cos(a);
    const bins = new Float64Array(diag * 2 + 2);
    for (let i = 0; i < xs.length; i += every) bins[Math.round(ys[i]! * cos - xs[i]! * sin) + diag]!++;
    let s = 0;
    for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!;
    return s;
  };
  let best = 0;
  let bestScore = score(0);
  for (let d = -6; d <= 6; d += 0.5) {
    const s = score(d);
    if (s > bestScore * 1.0001) {
      best = d;
      bestScore = s;
    }
  }
  for (let d = best - 0.4; d <= best + 0.4; d += 0.1) {
    const s = score(d);
    if (s > bestScore) {
      best = d;
      bestScore = s;
    }
  }
  // The profile is sharpest when rotated by +best; sharp rotates clockwise, image y points down.
  return Math.abs(best) < 0.3 ? 0 : -Math.round(best * 10) / 10;
}

export async function deskew(img: GrayImage): Promise<{ image: GrayImage; angle: number }> {
  const angle = await estimateSkew(img);
  return angle === 0 ? { image: img, angle } : { image: await rotateGray(img, angle), angle };
}

/**
 * Uneven lighting (phone photos: shadows, vignetting): divide by an estimate of the paper's
 * brightness, taken from a heavily smoothed, ink-free (max-filtered) thumbnail.
 */
export async function normaliseLighting(img: GrayImage): Promise<GrayImage> {
  const small = await thumbnail(img, 256);
  const { width: w, height: h } = small;
  // Max filter (radius 3) removes text strokes from the background estimate.
  const bg = new Uint8Array(small.data.length);
  const r = 3;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let m = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy));
        for (let dx = -r; dx <= r; dx++) {
          const v = small.data[yy * w + Math.min(w - 1, Math.max(0, x + dx))]!;
          if (v > m) m = v;
        }
      }
      bg[y * w + x] = m;
    }
  const background = await grayFromSharp(
    sharpFromGray({ data: bg, width: w, height: h }).blur(4).resize(img.width, img.height, { fit: 'fill', kernel: 'cubic' }),
  );
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const b = Math.max(24, background.data[i]!);
    out[i] = Math.min(255, Math.round((img.data[i]! * 255) / b));
  }
  return { data: out, width: img.width, height: img.height };
}

/**
 * Crop a photo to the sheet of paper: the largest bright region on a darker background.
 * Leaves the image alone when no clear sheet stands out (already cropped, or white desk).
 */
export async function cropToPaper(img: GrayImage): Promise<GrayImage> {
  const t = await thumbnail(img, 400);
  const { width: w, height: h, data } = t;
  const threshold = otsu(data);
  const bright = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) bright[i] = data[i]! > threshold ? 1 : 0;
  // Largest 4-connected bright component.
  const label = new Int32Array(w * h).fill(-1);
  let bestBox: [number, number, number, number] | undefined;
  let bestArea = 0;
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!bright[start] || label[start] !== -1) continue;
    let area = 0;
    let [x0, y0, x1, y1] = [w, h, 0, 0];
    stack.push(start);
    label[start] = start;
    while (stack.length) {
      const p = stack.pop()!;
      area++;
      const x = p % w;
      const y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && bright[q] && label[q] === -1) {
          label[q] = start;
          stack.push(q);
        }
      }
    }
    if (area > bestArea) {
      bestArea = area;
      bestBox = [x0, y0, x1, y1];
    }
  }
  if (!bestBox) return img;
  const boxArea = (bestBox[2] - bestBox[0] + 1) * (bestBox[3] - bestBox[1] + 1);
  const frac = boxArea / (w * h);
  // Only a clear sheet: big enough to be the page, small enough that there is a background.
  if (frac < 0.2 || frac > 0.92 || bestArea / boxArea < 0.6) return img;
  const s = 1 / t.scale;
  const left = Math.max(0, Math.floor(bestBox[0] * s));
  const top = Math.max(0, Math.floor(bestBox[1] * s));
  const width = Math.min(img.width - left, Math.ceil((bestBox[2] + 1) * s) - left);
  const height = Math.min(img.height - top, Math.ceil((bestBox[3] + 1) * s) - top);
  return grayFromSharp(sharpFromGray(img).extract({ left, top, width, height }));
}
