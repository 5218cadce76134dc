/** How big the text on a page is, from its connected components of ink. */
import { type GrayImage, otsu } from './raster.ts';

/**
 * Median height in pixels of the glyph-sized ink components (8-connected, darker than Otsu's
 * threshold): about the x-height in mixed-case text, the cap height in capitals. Rules,
 * boxes, specks and merged blobs are left out by their shape. Undefined with fewer than 30
 * glyphs (a page with almost no text gives no trustworthy figure).
 */
export function medianGlyphHeight(img: GrayImage): number | undefined {
  const { width: w, height: h, data } = img;
  const threshold = Math.min(otsu(data), 200);
  const n = w * h;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const heights: number[] = [];
  for (let start = 0; start < n; start++) {
    if (seen[start] || data[start]! >= threshold) continue;
    let sp = 0;
    let area = 0;
    let x0 = w;
    let x1 = 0;
    let y0 = h;
    let y1 = 0;
    stack[sp++] = start;
    seen[start] = 1;
    while (sp) {
      const p = stack[--sp]!;
      area++;
      const x = p % w;
      const y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const q = yy * w + xx;
          if (!seen[q] && data[q]! < threshold) {
            seen[q] = 1;
            stack[sp++] = q;
          }
        }
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    // A glyph: not a speck, not a rule or a box, not a run of touching letters.
    if (bh < 4 || bh > h / 20 || bw > bh * 2.5 || bw * 6 < bh || area < 0.15 * bw * bh) continue;
    heights.push(bh);
  }
  if (heights.length < 30) return undefined;
  heights.sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)];
}
