import { type GrayImage, percentile, thumbnail } from './raster.ts';

export type PageContent = 'blank' | 'separator' | 'content';

/**
 * Decide, cheaply and before any OCR, whether a page has anything to read. Works on an
 * area-averaged thumbnail, so fax speckle and scanner dust fade below the ink threshold
 * while strokes of text survive. Margins are ignored (scanner edges, punch holes).
 *
 * - blank: almost no ink.
 * - separator: a fax/scan separator sheet: mostly black, or a patch-code/barcode sheet
 *   (a few full-height bars and nothing else).
 */
export async function classifyPageContent(img: GrayImage): Promise<PageContent> {
  const t = await thumbnail(img, 800);
  const { width: w, height: h, data } = t;
  const mx = Math.floor(w * 0.04);
  const my = Math.floor(h * 0.04);
  const paper = Math.max(percentile(data, 0.9), 96);
  const inkBelow = paper - 80;
  let ink = 0;
  let area = 0;
  const colInk = new Uint32Array(w);
  for (let y = my; y < h - my; y++) {
    const row = y * w;
    for (let x = mx; x < w - mx; x++) {
      area++;
      if (data[row + x]! < inkBelow) {
        ink++;
        colInk[x]!++;
      }
    }
  }
  // A mostly dark page: paper percentile itself is dark.
  if (percentile(data, 0.5) < 80) return 'separator';
  const fraction = ink / Math.max(1, area);
  if (fraction < 0.0008) return 'blank';
  // Barcode / patch-code sheet: every inked column is inked top to bottom.
  const rows = h - 2 * my;
  let inkedCols = 0;
  let fullCols = 0;
  let bars = 0;
  let inBar = false;
  for (let x = mx; x < w - mx; x++) {
    const c = colInk[x]! / rows;
    if (c > 0.02) inkedCols++;
    const full = c > 0.6;
    if (full) fullCols++;
    if (full && !inBar) bars++;
    inBar = full;
  }
  if (bars >= 3 && fullCols / Math.max(1, inkedCols) > 0.85) return 'separator';
  return 'content';
}
