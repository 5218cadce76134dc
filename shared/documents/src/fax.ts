/**
 * Fax pages (1-bit, often 204×98 or 204×196 dpi): noise that survives the speck filter.
 *
 * A fax line turns light gray rules, shading and dotted row separators into scattered short
 * dashes and dots of a few pixels: bigger than line noise, so despeckle() alone keeps them, and
 * tesseract reads them as punctuation (". , - ' ~") between words and rows. What tells them
 * from real marks is where they are: a period, a comma or an i-dot touches a letter's
 * neighbourhood; a fragment of a dotted rule sits in the white space between rows.
 *
 * Memory: a few bytes a pixel (a mark byte, two for the dilation, the output) and a flood-fill
 * stack that grows with the largest ink component.
 */
import { speckArea } from './preprocess.ts';
import type { GrayImage } from './raster.ts';

/** A growable stack of pixel indices for flood fills. */
class PixelStack {
  private buf = new Int32Array(1 << 14);
  size = 0;
  push(p: number): void {
    if (this.size === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.size++] = p;
  }
  pop(): number {
    return this.buf[--this.size]!;
  }
}

/**
 * Flood-fill the 8-connected component at `start` over pixels whose `mark` is `from`, setting
 * them to `to`; calls `visit` with each pixel. Returns the component's area.
 */
function flood(mark: Uint8Array, w: number, start: number, from: number, to: number, stack: PixelStack, visit: (p: number, k: number) => void): number {
  const n = mark.length;
  let area = 0;
  mark[start] = to;
  stack.push(start);
  while (stack.size) {
    const p = stack.pop();
    visit(p, area++);
    const x = p % w;
    for (let row = p - x - w; row <= p - x + w; row += w) {
      if (row < 0 || row >= n) continue;
      for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
        const q = row + xx;
        if (mark[q] === from) {
          mark[q] = to;
          stack.push(q);
        }
      }
    }
  }
  return area;
}

/** Dilate the pixels where `mask[i] === value` by a (2rx+1)×(2ry+1) box: two passes of running sums. */
function dilateBox(mask: Uint8Array, value: number, w: number, h: number, rx: number, ry: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let count = 0;
    for (let x = 0; x < Math.min(w, rx); x++) count += mask[row + x] === value ? 1 : 0;
    for (let x = 0; x < w; x++) {
      if (x + rx < w && mask[row + x + rx] === value) count++;
      if (x - rx - 1 >= 0 && mask[row + x - rx - 1] === value) count--;
      tmp[row + x] = count > 0 ? 1 : 0;
    }
  }
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let count = 0;
    for (let y = 0; y < Math.min(h, ry); y++) count += tmp[y * w + x]!;
    for (let y = 0; y < h; y++) {
      if (y + ry < h) count += tmp[(y + ry) * w + x]!;
      if (y - ry - 1 >= 0) count -= tmp[(y - ry - 1) * w + x]!;
      out[y * w + x] = count > 0 ? 1 : 0;
    }
  }
  return out;
}

/**
 * Remove ink components of at most `speck` pixels anywhere (fax line noise, as despeckle()
 * does), and components of at most `maxArea` pixels that have no larger component within `rx`
 * pixels across / `ry` down: stray dots and dash fragments in the white space. Marks next to
 * letters (punctuation, i-dots, accents) stay, as do the larger components themselves.
 */
export function removeIsolatedMarks(img: GrayImage, maxArea: number, rx: number, ry: number, speck = 0, threshold = 128): GrayImage {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const out = new Uint8Array(data);
  // mark: 0 paper, 1 ink not yet seen, 2 ink of a large component, 3 ink of a small one, 4 small and looked at.
  const mark = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (data[i]! < threshold) mark[i] = 1;
  const stack = new PixelStack();
  const pixels = new Int32Array(maxArea + 1);
  const collect = (p: number, k: number): void => {
    if (k <= maxArea) pixels[k] = p;
  };
  for (let start = 0; start < n; start++) {
    if (mark[start] !== 1) continue;
    const area = flood(mark, w, start, 1, 2, stack, collect);
    if (area > maxArea) continue;
    for (let k = 0; k < area; k++) {
      const p = pixels[k]!;
      if (area <= speck) {
        out[p] = 255;
        mark[p] = 0;
      } else mark[p] = 3;
    }
  }
  const near = dilateBox(mark, 2, w, h, rx, ry);
  for (let start = 0; start < n; start++) {
    if (mark[start] !== 3) continue;
    let keep = false;
    const area = flood(mark, w, start, 3, 4, stack, (p, k) => {
      pixels[k] = p;
      if (near[p]) keep = true;
    });
    if (!keep) for (let k = 0; k < area; k++) out[pixels[k]!] = 255;
  }
  return { data: out, width: w, height: h };
}

/**
 * The clean-up for a 1-bit fax page at its own resolution (before its pixels are squared):
 * specks out (as despeckle()), then marks of up to ~0.25 mm² with no larger ink within 1.5 mm
 * across or 0.6 mm up and down. A period in 8 pt type is ~0.1 mm² and sits within 0.3 mm of
 * its letter; the dashes of a dotted row rule lie 1 mm or more below the row's text. A hyphen
 * standing alone between spaced words in 10 pt type or larger is ~1.6 mm from the letters
 * either side and goes too (a wider reach, 2.5 mm, kept it: mixed on the records-v2 faxes,
 * worse on test/dev-records; see the README).
 */
export function cleanFaxPage(img: GrayImage, xDpi: number, yDpi: number): GrayImage {
  const x = xDpi || 204;
  const y = yDpi || x;
  const pixelMm2 = (25.4 / x) * (25.4 / y);
  const maxArea = Math.max(3, Math.floor(0.25 / pixelMm2));
  const rx = Math.max(2, Math.round((1.5 * x) / 25.4));
  const ry = Math.max(1, Math.round((0.6 * y) / 25.4));
  return removeIsolatedMarks(img, maxArea, rx, ry, speckArea(x, y));
}
