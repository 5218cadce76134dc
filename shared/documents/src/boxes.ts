import type { Line, Word } from '@intake/core';
import { assembleLines } from './layout.ts';
import type { GrayImage } from './raster.ts';

/**
 * Check boxes on a page image (scan, fax, photo). OCR reads a printed box as junk ("[]", "O",
 * "(1", "LJ") or not at all, and a tick inside it not at all. Here the pixels answer: left of
 * each word that starts a cell (and under its first letters, where a box is glued to its
 * option) a small square outline is looked for — two dark columns and two dark rows about as far
 * apart as the text is high, each covering most of the side, not longer lines (a table cell),
 * meeting in square corners (a letter's round bowl, O or D, has none) — and the share of dark pixels inside it, the border left out, says whether it is ticked.
 * Found boxes become words "☒"/"☐" in front of their option; OCR words inside a box (its junk
 * reading of the box) go. Only on a page with at least two boxes of about one size (a form), so
 * a letter "O" or a framed digit elsewhere is left alone.
 */

export const TICKED = '☒';
export const EMPTY = '☐';

/** Share of the inside of a box that is dark above which it is ticked (a thin tick covers ~10 %). */
const TICK_SHARE = 0.07;

export interface FoundBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  ticked: boolean;
  /** Dark share inside the border. */
  fill: number;
}

interface Window {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Dark/light threshold of a window: halfway between its dark and light ends; undefined when flat. */
function threshold(img: GrayImage, w: Window): number | undefined {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = w.y0; y < w.y1; y++) {
    const row = y * img.width;
    for (let x = w.x0; x < w.x1; x++) {
      hist[img.data[row + x]!]!++;
      n++;
    }
  }
  if (n === 0) return undefined;
  const at = (q: number): number => {
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v]!;
      if (acc >= q * n) return v;
    }
    return 255;
  };
  const lo = at(0.02);
  const hi = at(0.9);
  if (hi - lo < 50) return undefined;
  return (lo + hi) / 2;
}

/**
 * The box in a window, if one is there: sides are runs of dark pixels between `min` and `max`
 * long; a box is two vertical sides and two horizontal ones meeting at its corners.
 */
function boxIn(img: GrayImage, w: Window, min: number, max: number): FoundBox | undefined {
  const t = threshold(img, w);
  if (t === undefined) return undefined;
  const W = w.x1 - w.x0;
  const H = w.y1 - w.y0;
  const dark = new Uint8Array(W * H);
  let total = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = img.data[(w.y0 + y) * img.width + w.x0 + x]! < t ? 1 : 0;
      dark[y * W + x] = d;
      total += d;
    }
  // A box sits on paper: a window mostly dark is a banner or a photo's shadow.
  if (total > 0.5 * W * H) return undefined;
  // Longest vertical run in each column, with where it starts.
  const vRun = new Int32Array(W);
  const vAt = new Int32Array(W);
  for (let x = 0; x < W; x++) {
    let run = 0;
    for (let y = 0; y <= H; y++) {
      if (y < H && dark[y * W + x]) run++;
      else {
        if (run > vRun[x]!) {
          vRun[x] = run;
          vAt[x] = y - run;
        }
        run = 0;
      }
    }
  }
  const cols: number[] = [];
  for (let x = 0; x < W; x++) if (vRun[x]! >= min && vRun[x]! <= max) cols.push(x);
  let best: FoundBox | undefined;
  for (const l of cols) {
    for (const r of cols) {
      const side = r - l;
      if (side < min || side > max) continue;
      // The two sides overlap vertically, about the box's height.
      const top = Math.max(vAt[l]!, vAt[r]!);
      const bottom = Math.min(vAt[l]! + vRun[l]!, vAt[r]! + vRun[r]!) - 1;
      const h = bottom - top;
      if (h < 0.75 * side || h > 1.3 * side) continue;
      // Top and bottom edges: dark across most of the width, within a pixel or two of the sides' ends.
      const edge = (y0: number): boolean => {
        for (let dy = -2; dy <= 2; dy++) {
          const y = y0 + dy;
          if (y < 0 || y >= H) continue;
          let n = 0;
          for (let x = l; x <= r; x++)
            if (dark[y * W + x] || (y > 0 && dark[(y - 1) * W + x]) || (y + 1 < H && dark[(y + 1) * W + x])) n++;
          if (n >= 0.8 * (side + 1)) return true;
        }
        return false;
      };
      if (!edge(top) || !edge(bottom)) continue;
      // Square corners: at each corner the border runs along both sides right into it. A letter's
      // bowl (O, D, Q, a 0) passes the side and edge tests on a coarse image, but its corners
      // are round: its outline leaves the corner empty.
      const c = Math.max(2, Math.round(side * 0.15));
      const darkNear = (x: number, y: number): boolean => {
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx >= 0 && xx < W && yy >= 0 && yy < H && dark[yy * W + xx]) return true;
          }
        return false;
      };
      const corner = (cx: number, cy: number, sx: number, sy: number): boolean => {
        let along = 0;
        for (let k = 0; k <= c; k++) along += (darkNear(cx + sx * k, cy) ? 1 : 0) + (darkNear(cx, cy + sy * k) ? 1 : 0);
        return along >= 2 * (c + 1) - 1;
      };
      if (!corner(l, top, 1, 1) || !corner(r, top, -1, 1) || !corner(l, bottom, 1, -1) || !corner(r, bottom, -1, -1)) continue;
      // Inside, the border left out.
      const b = Math.max(2, Math.round(side * 0.18));
      let inDark = 0;
      let inAll = 0;
      for (let y = top + b; y <= bottom - b; y++)
        for (let x = l + b; x <= r - b; x++) {
          inAll++;
          inDark += dark[y * W + x]!;
        }
      if (inAll === 0) continue;
      const fill = inDark / inAll;
      // Outside, a ring a few pixels off the border: mostly light (a box on paper, not a square in
      // a dark banner or in a word's strokes). A hand-drawn X crossing it darkens only a little.
      const m = Math.max(3, Math.round(side * 0.2));
      let outDark = 0;
      let outAll = 0;
      for (let y = top - m; y <= bottom + m; y++)
        for (let x = l - m; x <= r + m; x++) {
          if (y >= top - 1 && y <= bottom + 1 && x >= l - 1 && x <= r + 1) continue;
          if (y < 0 || y >= H || x < 0 || x >= W) continue;
          outAll++;
          outDark += dark[y * W + x]!;
        }
      if (outAll > 0 && outDark / outAll > 0.6) continue;
      const box: FoundBox = { x0: w.x0 + l, y0: w.y0 + top, x1: w.x0 + r, y1: w.y0 + bottom, ticked: fill > TICK_SHARE, fill };
      // The largest square wins (a double border's inner line is not the box).
      if (!best || side > best.x1 - best.x0) best = box;
    }
  }
  return best;
}

/**
 * OCR's reading of a box: no letter first ("[]", "(1"), one box-like letter ("O", "D", "U"),
 * "LJ", or a bracket with one more character. "MD", "OF" or "to" written on the page are words,
 * and a square found inside them is one of their letters.
 */
function boxReading(text: string): boolean {
  return /^[^\p{L}]/u.test(text) || /^(?:[IlJLoO0DUCcQ]|LJ|[[\](){}|].?|.[\](){}|])$/u.test(text);
}

/** A word that begins a cell: the line's first, after a gap wider than a space, or after a word of no letters (OCR's "[]"). */
function cellStarts(line: Line): Word[] {
  return line.words.filter((w, i) => {
    if (i === 0) return true;
    const prev = line.words[i - 1]!;
    return w.bbox[0] - prev.bbox[2] > 0.5 * (w.bbox[3] - w.bbox[1]) || !/\p{L}/u.test(prev.text) || prev.text.length <= 2;
  });
}

/** Boxes in front of words on a page image, in the image's pixels. */
export function findBoxes(img: GrayImage, lines: Line[]): { box: FoundBox; option: Word }[] {
  const found: { box: FoundBox; option: Word }[] = [];
  const heights = lines
    .flatMap((l) => l.words.filter((w) => /\p{L}{3,}/u.test(w.text)).map((w) => w.bbox[3] - w.bbox[1]))
    .sort((a, b) => a - b);
  if (heights.length === 0) return [];
  const textH = heights[Math.floor(heights.length / 2)]!;
  for (const line of lines) {
    const starts = cellStarts(line);
    for (const word of starts) {
      if (!/\p{L}/u.test(word.text)) continue;
      const h = Math.max(textH, word.bbox[3] - word.bbox[1]);
      const cy = (word.bbox[1] + word.bbox[3]) / 2;
      const win: Window = {
        x0: Math.max(0, Math.round(word.bbox[0] - 2.6 * h)),
        x1: Math.min(img.width, Math.round(word.bbox[0] + 1.2 * h)),
        y0: Math.max(0, Math.round(cy - 1.1 * h)),
        y1: Math.min(img.height, Math.round(cy + 1.1 * h)),
      };
      if (win.x1 - win.x0 < h || win.y1 - win.y0 < h) continue;
      const box = boxIn(img, win, Math.max(6, Math.round(0.6 * h)), Math.round(1.5 * h));
      if (!box) continue;
      // The box sits beside the word's middle, not above or below it.
      const bcy = (box.y0 + box.y1) / 2;
      if (Math.abs(bcy - cy) > 0.45 * h) continue;
      // Its right side is before the word's letters, or under OCR's reading of the box itself
      // ("[]", "O", "L]", "[)Cancer"): inside a word of letters it is a letter ("D", "o").
      const junk = boxReading(word.text);
      if (box.x1 > word.bbox[0] + (junk ? 1.2 * h : 0.15 * h)) continue;
      // Not over another word of the line (a square in "Doctor's", the O of "OF"), but for OCR's
      // reading of the box.
      const over = line.words.some(
        (o) =>
          o !== word &&
          /\p{L}/u.test(o.text) &&
          !boxReading(o.text) &&
          Math.min(o.bbox[2], box.x1) - Math.max(o.bbox[0], box.x0) > 0.3 * (box.x1 - box.x0),
      );
      if (over) continue;
      found.push({ box, option: word });
    }
  }
  if (found.length < 2) return [];
  // A form's boxes are of one size: drop what is far from the page's usual box.
  const sides = found.map((f) => f.box.x1 - f.box.x0).sort((a, b) => a - b);
  const usual = sides[Math.floor(sides.length / 2)]!;
  const kept = found.filter((f) => Math.abs(f.box.x1 - f.box.x0 - usual) <= 0.3 * usual);
  // One box found from two words (its junk reading and the option): once.
  const unique = kept.filter(
    (f, i) => !kept.slice(0, i).some((g) => Math.abs(g.box.x0 - f.box.x0) < 3 && Math.abs(g.box.y0 - f.box.y0) < 3),
  );
  return unique.length >= 2 ? unique : [];
}

/**
 * OCR lines with the page's boxes as words: "☒"/"☐" in front of each option, and the OCR
 * words that were the box (their middle inside it) removed. Unchanged when the page has no form.
 */
export function withBoxWords(img: GrayImage, lines: Line[]): { text: string; lines: Line[]; confidence: number } | undefined {
  const found = findBoxes(img, lines);
  if (found.length === 0) return undefined;
  const inside = (w: Word, b: FoundBox): boolean => {
    const cx = (w.bbox[0] + w.bbox[2]) / 2;
    const cy = (w.bbox[1] + w.bbox[3]) / 2;
    return cx >= b.x0 - 2 && cx <= b.x1 + 2 && cy >= b.y0 - 2 && cy <= b.y1 + 2;
  };
  const emitted = new Set<FoundBox>();
  const glyph = (b: FoundBox, w: Word): Word => {
    emitted.add(b);
    return {
      text: b.ticked ? TICKED : EMPTY,
      bbox: [b.x0, w.bbox[1], Math.max(b.x0, Math.min(b.x1, w.bbox[0] - 1)), w.bbox[3]],
      confidence: 0.9,
    };
  };
  const segments = lines.map((l) => {
    const words: Word[] = [];
    for (const w of l.words) {
      const under = found.find((f) => inside(w, f.box));
      if (under) {
        // OCR's reading of the box itself ("O", "[]", "LJ"): the box word in its place.
        if (!emitted.has(under.box))
          words.push({ ...glyph(under.box, w), bbox: [under.box.x0, w.bbox[1], under.box.x1, w.bbox[3]] });
        continue;
      }
      const f = found.find((g) => g.option === w);
      if (f && !emitted.has(f.box)) {
        words.push(glyph(f.box, w));
        // A box OCR glued to its option ("[)Cancer"): the option without the box's reading.
        const glued = /^[[({|][\])}|1lIJ]?(?=\p{L})/u.exec(w.text);
        words.push(glued && f.box.x1 > w.bbox[0] ? { ...w, text: w.text.slice(glued[0].length) } : w);
        continue;
      }
      words.push(w);
    }
    return { words };
  });
  return assembleLines(segments);
}
