import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { BadInputError, type Word } from '@intake/core';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import { classifyPageContent } from './blank.ts';
import { assembleLines, type Segment } from './layout.ts';
import { Slots } from './ocr-engine.ts';
import { encodePageImage, readRasterPage, type PageContext, type ReadPage } from './page.ts';
import { grayFromSharp, rotateGray, type GrayImage } from './raster.ts';
import { embeddedScan, fullPageScan } from './pdf-scan.ts';
import { OCR_TARGET_DPI, squarePixels, toOcrResolution } from './preprocess.ts';
import sharp from 'sharp';

const require = createRequire(import.meta.url);
const pdfjsDir = dirname(require.resolve('pdfjs-dist/package.json'));

/** Resolution of page images rendered for the review UI when the text comes from the text layer. */
export const TEXT_PAGE_DPI = 150;

export interface PdfLimits {
  maxPages: number;
  maxPixelsPerPage: number;
}

/** Image dimensions declared in the file's image dictionaries (never compressed: images are streams). */
export function declaredImageSizes(bytes: Uint8Array): { width: number; height: number }[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const sizes: { width: number; height: number }[] = [];
  const re = /\/Subtype\s*\/Image/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = Math.max(0, text.lastIndexOf('<<', m.index) - 200);
    const window = text.slice(start, m.index + 600);
    const w = /\/(?:Width|W)\s+(\d+)/.exec(window);
    const h = /\/(?:Height|H)\s+(\d+)/.exec(window);
    if (w && h) sizes.push({ width: Number(w[1]), height: Number(h[1]) });
  }
  return sizes;
}

function classifyOpenError(error: unknown, bytes: Uint8Array): BadInputError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException')
    return new BadInputError('encrypted', 'password-protected PDF: ask the member for an unprotected copy', { cause: error });
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF'))
    return new BadInputError('truncated', 'truncated PDF (the file ends early): ask the sender to send it again', { cause: error });
  return new BadInputError('corrupt', 'damaged PDF that cannot be opened: ask the sender for a new copy', { cause: error });
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

interface PageImages {
  /** Fraction of the page area covered by raster images (may exceed 1 with overlaps). */
  coverage: number;
  /** Resolution of the largest image, pixels per inch along its width. */
  dpi: number;
  /** Exactly one image, upright and unflipped, filling the page (±2%): a plain scan. */
  fullPageScan: boolean;
}

type OperatorList = Awaited<ReturnType<PDFPageProxy['getOperatorList']>>;

/** Where raster images are painted, from the operator list, tracking the CTM. */
function pageImages(page: PDFPageProxy, ops: OperatorList): PageImages {
  const OPS = pdfjs.OPS;
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let area = 0;
  let count = 0;
  let fills = false;
  let best = { area: 0, dpi: 0 };
  const [vx0, vy0, vx1, vy1] = page.view as [number, number, number, number];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args?.[0]) && (args[0] as number[]).length === 6) ctm = multiply(ctm, args[0] as Matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject) {
      const a = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
      area += a;
      count++;
      const tol = 0.02 * Math.max(vx1 - vx0, vy1 - vy0);
      fills =
        ctm[1] === 0 &&
        ctm[2] === 0 &&
        ctm[0] > 0 &&
        ctm[3] > 0 &&
        Math.abs(ctm[4] - vx0) < tol &&
        Math.abs(ctm[5] - vy0) < tol &&
        Math.abs(ctm[4] + ctm[0] - vx1) < tol &&
        Math.abs(ctm[5] + ctm[3] - vy1) < tol;
      let pxWidth = 0;
      if (fn === OPS.paintImageXObject) pxWidth = Number(args?.[1] ?? 0);
      else {
        const img = args?.[0] as { width?: number } | undefined;
        pxWidth = Number(img?.width ?? 0);
      }
      const widthPt = Math.hypot(ctm[0], ctm[1]);
      if (a > best.area && widthPt > 0) best = { area: a, dpi: (pxWidth * 72) / widthPt };
    }
  }
  const pageArea = Math.abs((vx1 - vx0) * (vy1 - vy0)) || 1;
  return { coverage: area / pageArea, dpi: best.dpi, fullPageScan: count === 1 && fills };
}

/** A check box drawn on a PDF page, in PDF user space (points, y up), and whether a mark is drawn in it. */
export interface DrawnBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  ticked: boolean;
}

/** Side of a drawn check box, points: form boxes are 6–18 pt squares (a text line is ~12 pt). */
const BOX_MIN = 5;
const BOX_MAX = 18;

const PAINT_STROKE = new Set<number>([pdfjs.OPS.stroke, pdfjs.OPS.closeStroke, pdfjs.OPS.fillStroke, pdfjs.OPS.eoFillStroke, pdfjs.OPS.closeFillStroke, pdfjs.OPS.closeEOFillStroke]);
const PAINT_FILL = new Set<number>([pdfjs.OPS.fill, pdfjs.OPS.eoFill, pdfjs.OPS.fillStroke, pdfjs.OPS.eoFillStroke, pdfjs.OPS.closeFillStroke, pdfjs.OPS.closeEOFillStroke]);

/** A colour from the operator list ("#rrggbb") → lightness 0–1; unknown colours count as dark. */
function lightness(color: unknown): number {
  const hex = typeof color === 'string' ? color : Array.isArray(color) && typeof color[0] === 'string' ? color[0] : undefined;
  const m = hex ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex) : null;
  if (!m) return 0;
  return (0.299 * parseInt(m[1]!, 16) + 0.587 * parseInt(m[2]!, 16) + 0.114 * parseInt(m[3]!, 16)) / 255;
}

interface Shape {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Four axis-aligned sides and nothing else. */
  rect: boolean;
  stroked: boolean;
  filled: boolean;
  /** Index of the path it came from (the outer and inner edge of one drawn border share it). */
  path: number;
}

/** Subpaths of one constructPath (pdf.js 5: [paint op, [Float32Array of DrawOPS], minMax]) in user space. */
function subpaths(data: ArrayLike<number>, ctm: Matrix): { x: number; y: number }[][] {
  const out: { x: number; y: number }[][] = [];
  let cur: { x: number; y: number }[] = [];
  const at = (x: number, y: number) => ({ x: ctm[0] * x + ctm[2] * y + ctm[4], y: ctm[1] * x + ctm[3] * y + ctm[5] });
  for (let i = 0; i < data.length; ) {
    const op = data[i]!;
    if (op === 0) {
      if (cur.length) out.push(cur);
      cur = [at(data[i + 1]!, data[i + 2]!)];
      i += 3;
    } else if (op === 1) {
      cur.push(at(data[i + 1]!, data[i + 2]!));
      i += 3;
    } else if (op === 2) {
      // A curve: its control points bound it; mark it as not a rectangle with a NaN-free extra point.
      cur.push(at(data[i + 1]!, data[i + 2]!), at(data[i + 3]!, data[i + 4]!), at(data[i + 5]!, data[i + 6]!));
      (cur as { curved?: boolean }).curved = true;
      i += 7;
    } else if (op === 3) {
      if (cur.length) cur.push(cur[0]!);
      i += 1;
    } else break;
  }
  if (cur.length) out.push(cur);
  return out;
}

function isRect(pts: { x: number; y: number }[], x0: number, y0: number, x1: number, y1: number): boolean {
  if ((pts as { curved?: boolean }).curved) return false;
  const tol = 0.15 * Math.max(x1 - x0, y1 - y0, 0.5);
  const onEdge = (p: { x: number; y: number }) =>
    (Math.abs(p.x - x0) < tol || Math.abs(p.x - x1) < tol) && (Math.abs(p.y - y0) < tol || Math.abs(p.y - y1) < tol);
  const corners = pts.filter(onEdge);
  return corners.length >= 4 && corners.length === pts.length;
}

/**
 * Check boxes drawn as vector paths (form generators and browsers draw the box, and often the
 * tick or cross, as lines, not as a glyph): small squares outlined (stroked, or a dark frame
 * filled between two squares), and marks inside them — any other stroke or dark fill whose
 * middle lies in the box and that spans a third of it (a tick, two crossing lines, a filled
 * square). Operators are read with the CTM (save/restore/transform, form XObjects).
 */
export function findDrawnBoxes(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>): DrawnBox[] {
  const OPS = pdfjs.OPS;
  const stack: { ctm: Matrix; fill: number; stroke: number }[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let fill = 0;
  let stroke = 0;
  const shapes: Shape[] = [];
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i]!;
    const args = argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push({ ctm, fill, stroke });
    else if (fn === OPS.restore) ({ ctm, fill, stroke } = stack.pop() ?? { ctm, fill, stroke });
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push({ ctm, fill, stroke });
      if (Array.isArray(args?.[0]) && (args[0] as number[]).length === 6) ctm = multiply(ctm, args[0] as Matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ({ ctm, fill, stroke } = stack.pop() ?? { ctm, fill, stroke });
    else if (fn === OPS.setFillRGBColor) fill = lightness(args);
    else if (fn === OPS.setStrokeRGBColor) stroke = lightness(args);
    else if (fn === OPS.setFillGray) fill = Number(args?.[0] ?? 0);
    else if (fn === OPS.setStrokeGray) stroke = Number(args?.[0] ?? 0);
    else if (fn === OPS.constructPath && args) {
      const paint = Number(args[0]);
      const data = (args[1] as unknown[] | undefined)?.[0] as ArrayLike<number> | undefined;
      if (!data || typeof data.length !== 'number') continue;
      const stroked = PAINT_STROKE.has(paint) && stroke < 0.75;
      const filled = PAINT_FILL.has(paint) && fill < 0.75;
      if (!stroked && !filled) continue;
      for (const pts of subpaths(data, ctm)) {
        if (pts.length < 2) continue;
        const xs = pts.map((p) => p.x);
        const ys = pts.map((p) => p.y);
        const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
        // Only what could be a box or a mark in one: page furniture and rules are larger or thinner.
        if (x1 - x0 > BOX_MAX * 1.6 || y1 - y0 > BOX_MAX * 1.6) continue;
        shapes.push({ x0, y0, x1, y1, rect: isRect(pts, x0, y0, x1, y1), stroked, filled, path: i });
      }
    }
  }
  const square = (s: Shape) => {
    const w = s.x1 - s.x0;
    const h = s.y1 - s.y0;
    return w >= BOX_MIN && h >= BOX_MIN && w <= BOX_MAX && h <= BOX_MAX && Math.abs(w - h) <= 0.2 * Math.max(w, h);
  };
  const boxes: (DrawnBox & { shape: Shape })[] = [];
  const frames = new Set<Shape>();
  for (const s of shapes) {
    if (!s.rect || !square(s)) continue;
    if (s.stroked) boxes.push({ x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1, ticked: false, shape: s });
    else {
      // A frame filled between an outer and an inner square (how browsers draw a CSS border).
      const inner = shapes.find((t) => t !== s && t.path === s.path && t.rect && t.x0 > s.x0 && t.x1 < s.x1 && t.y0 > s.y0 && t.y1 < s.y1);
      if (inner && inner.x1 - inner.x0 > 0.6 * (s.x1 - s.x0)) {
        boxes.push({ x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1, ticked: false, shape: s });
        frames.add(inner);
      }
    }
  }
  // One box drawn twice (a fill and an outline) is one box.
  const unique = boxes.filter((b, i) => !boxes.slice(0, i).some((o) => Math.abs(o.x0 - b.x0) < 1.5 && Math.abs(o.y0 - b.y0) < 1.5 && Math.abs(o.x1 - b.x1) < 1.5));
  for (const b of unique) {
    const side = Math.max(b.x1 - b.x0, b.y1 - b.y0);
    const pad = 0.25 * side;
    b.ticked = shapes.some((s) => {
      if (s === b.shape || frames.has(s) || unique.some((o) => o.shape === s)) return false;
      if (s.rect && s.stroked && !s.filled && square(s)) return false; // another box
      const cx = (s.x0 + s.x1) / 2;
      const cy = (s.y0 + s.y1) / 2;
      if (cx < b.x0 || cx > b.x1 || cy < b.y0 || cy > b.y1) return false;
      if (s.x0 < b.x0 - pad || s.x1 > b.x1 + pad || s.y0 < b.y0 - pad || s.y1 > b.y1 + pad) return false;
      return Math.max(s.x1 - s.x0, s.y1 - s.y0) >= side / 3;
    });
  }
  return unique.map(({ x0, y0, x1, y1, ticked }) => ({ x0, y0, x1, y1, ticked }));
}

/**
 * Drawn boxes as words: "☒" for a box with a mark drawn in it, "☐" for an empty one, at the
 * box's place in the page's pixels, so the box reads as a glyph in front of its option. The box
 * joins the run of its option (the nearest word to its right on its row) with that word's
 * height, so it lands on the option's line whatever else sits on the row. A box with text in it
 * (a glyph mark "X", or a box drawn round a letter) is left to that text.
 */
export function boxWords(boxes: DrawnBox[], text: Segment[], toPixels: (x: number, y: number) => [number, number]): Segment[] {
  const words = text.flatMap((s) => s.words);
  const extra: Segment[] = [];
  const into = new Map<Word, Word[]>();
  for (const b of boxes) {
    const [ax, ay] = toPixels(b.x0, b.y0);
    const [bx, by] = toPixels(b.x1, b.y1);
    const bbox: Word['bbox'] = [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)].map((v) => Math.round(v * 10) / 10) as Word['bbox'];
    const holds = words.some((w) => {
      const cx = (w.bbox[0] + w.bbox[2]) / 2;
      const cy = (w.bbox[1] + w.bbox[3]) / 2;
      return cx > bbox[0] && cx < bbox[2] && cy > bbox[1] && cy < bbox[3];
    });
    if (holds) continue;
    const side = bbox[2] - bbox[0];
    const cy = (bbox[1] + bbox[3]) / 2;
    let option: Word | undefined;
    for (const w of words) {
      if (w.bbox[1] > cy || w.bbox[3] < cy) continue;
      const gap = w.bbox[0] - bbox[2];
      if (gap < -0.2 * side || gap > 2.5 * side) continue;
      if (!option || w.bbox[0] < option.bbox[0]) option = w;
    }
    const word: Word = { text: b.ticked ? '☒' : '☐', bbox, confidence: 1 };
    if (!option) {
      extra.push({ words: [word] });
      continue;
    }
    word.bbox = [bbox[0], option.bbox[1], Math.min(bbox[2], option.bbox[0] - 0.5), option.bbox[3]];
    into.set(option, [...(into.get(option) ?? []), word]);
  }
  const joined = text.map((s) => (s.words.some((w) => into.has(w)) ? { words: s.words.flatMap((w) => [...(into.get(w) ?? []), w]) } : s));
  return [...joined, ...extra];
}

/**
 * Cap on the pixels of a page we render or resize ourselves (a 14-inch legal page at 300 dpi
 * is 10.7 million). Rendering costs ~9 bytes a pixel at once (RGBA canvas, its copy, gray),
 * so this keeps one page under ~150 MB whatever the page box says.
 */
export const MAX_RENDER_PIXELS = 16_000_000;

/** The scale that renders a page box at `dpi`, shrunk so the render stays within the caps. */
function renderScale(page: PDFPageProxy, dpi: number, maxPixels: number): number {
  let scale = dpi / 72;
  const base = page.getViewport({ scale: 1 });
  // A huge MediaBox is not a bomb (we choose the render size): shrink to fit the cap.
  const cap = Math.min(maxPixels, MAX_RENDER_PIXELS);
  const pixels = base.width * base.height * scale * scale;
  if (pixels > cap) scale *= Math.sqrt(cap / pixels) * 0.99;
  return scale;
}

/** The size in pixels of a page rendered at `dpi` (within the caps), and the scale that gives it. */
function renderSize(page: PDFPageProxy, dpi: number, maxPixels: number): { width: number; height: number; scale: number } {
  const scale = renderScale(page, dpi, maxPixels);
  const viewport = page.getViewport({ scale });
  return { width: Math.max(1, Math.floor(viewport.width)), height: Math.max(1, Math.floor(viewport.height)), scale };
}

async function renderPage(page: PDFPageProxy, dpi: number, maxPixels: number): Promise<{ image: GrayImage; scale: number }> {
  const { width, height, scale } = renderSize(page, dpi, maxPixels);
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport, background: '#ffffff' }).promise;
  const rgba = context.getImageData(0, 0, width, height).data;
  const image = await grayFromSharp(sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } }));
  return { image, scale };
}

/** A scan's own pixels as the page image at `dpi` (instead of pdf.js rendering it). */
async function scanAsPageImage(file: Buffer, page: PDFPageProxy, dpi: number, maxPixels: number): Promise<{ image: GrayImage; scale: number }> {
  const { width, height, scale } = renderSize(page, dpi, maxPixels);
  // sharp rotates before it resizes: the target is the rotated page's size.
  const image = await grayFromSharp(sharp(file, { limitInputPixels: maxPixels }).rotate(page.rotate).resize(width, height, { fit: 'fill' }));
  return { image, scale };
}

interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** Text-layer runs → words with boxes in the rendered image's pixels. */
function textSegments(items: PdfTextItem[], page: PDFPageProxy, scale: number): Segment[] {
  const viewport = page.getViewport({ scale });
  const segments: Segment[] = [];
  for (const item of items) {
    if (!item.str || !item.str.trim()) continue;
    const [a, b, , , e, f] = item.transform as [number, number, number, number, number, number];
    const fontHeight = item.height || Math.hypot(a, b) || 10;
    const len = item.str.length;
    const dir: [number, number] = Math.hypot(a, b) > 0 ? [a / Math.hypot(a, b), b / Math.hypot(a, b)] : [1, 0];
    const words: Word[] = [];
    for (const m of item.str.matchAll(/\S+/g)) {
      const from = (m.index / len) * item.width;
      const to = ((m.index + m[0].length) / len) * item.width;
      // Corners of the word's box along the baseline direction, then to viewport pixels.
      const pts = [
        [e + dir[0] * from, f + dir[1] * from - fontHeight * 0.22],
        [e + dir[0] * to, f + dir[1] * to - fontHeight * 0.22],
        [e + dir[0] * from - dir[1] * fontHeight, f + dir[1] * from + dir[0] * fontHeight * 0.95],
        [e + dir[0] * to - dir[1] * fontHeight, f + dir[1] * to + dir[0] * fontHeight * 0.95],
      ].map(([x, y]) => viewport.convertToViewportPoint(x!, y!));
      const xs = pts.map((p) => p[0]!);
      const ys = pts.map((p) => p[1]!);
      words.push({
        text: m[0],
        bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map((v) => Math.round(v * 10) / 10) as Word['bbox'],
        confidence: 1,
      });
    }
    if (words.length) segments.push({ words });
  }
  return segments;
}

/** Characters a real text layer is made of; broken font encodings produce other things. */
function textQuality(text: string): { chars: number; good: number } {
  const chars = text.replace(/\s+/g, '');
  const good = chars.match(/[\p{L}\p{N}\p{P}\p{S}]/gu)?.filter((c) => c !== '\ufffd' && !/[\uE000-\uF8FF]/.test(c)).length ?? 0;
  return { chars: chars.length, good };
}

export async function readPdf(bytes: Uint8Array, limits: PdfLimits, ctx: PageContext): Promise<ReadPage[]> {
  for (const size of declaredImageSizes(bytes)) {
    if (size.width * size.height > limits.maxPixelsPerPage)
      throw new BadInputError('too-many-pixels', `PDF holds an image of ${size.width}×${size.height} pixels, over the limit of ${limits.maxPixelsPerPage}: ask for a smaller scan`);
  }
  let doc: PDFDocumentProxy;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes), // pdfjs transfers (detaches) the buffer it is given
      standardFontDataUrl: join(pdfjsDir, 'standard_fonts') + '/',
      cMapUrl: join(pdfjsDir, 'cmaps') + '/',
      cMapPacked: true,
      wasmUrl: join(pdfjsDir, 'wasm') + '/',
      maxImageSize: limits.maxPixelsPerPage,
      isEvalSupported: false,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw classifyOpenError(error, bytes);
  }
  try {
    if (doc.numPages > limits.maxPages)
      throw new BadInputError('too-many-pages', `PDF has ${doc.numPages} pages, over the limit of ${limits.maxPages}: ask the sender to split it`);
    if (doc.numPages === 0) throw new BadInputError('no-content', 'PDF has no pages: ask the sender for the document again');
    // Pages are parsed and rendered one at a time here (pdf.js is single-threaded in Node);
    // OCR runs in the engine's pool, up to its size plus one page being prepared.
    const inflight = new Slots(ctx.engine.size + 1);
    const results: Promise<ReadPage>[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const started = performance.now();
      let page: PDFPageProxy;
      try {
        page = await doc.getPage(n);
      } catch (error) {
        throw new BadInputError('corrupt', `PDF page ${n} is damaged and cannot be read: ask the sender for a new copy`, { cause: error });
      }
      const damagedPage = (error: unknown): BadInputError =>
        new BadInputError('corrupt', `PDF page ${n} is damaged and cannot be read: ask the sender for a new copy`, { cause: error });
      const content = await page.getTextContent().catch((error: unknown) => {
        throw damagedPage(error);
      });
      const items = content.items.filter((i) => 'str' in i) as PdfTextItem[];
      const quality = textQuality(items.map((i) => i.str).join(''));
      // A plain scan is recognised from the file's bytes; otherwise ask pdf.js (which decodes images).
      const scanFile = fullPageScan(bytes, page.ref as { num: number; gen: number }, page.view);
      const ops = scanFile
        ? undefined
        : await page.getOperatorList().catch((error: unknown) => {
            throw damagedPage(error);
          });
      const images: PageImages = ops ? pageImages(page, ops) : { coverage: 1, dpi: 0, fullPageScan: true };
      const realText = quality.chars >= 10 && quality.good / quality.chars >= 0.8;
      // A scan with a fax-server header or a stamp is still a scan.
      const scanned = images.coverage >= 0.5 && quality.chars < 300;
      if (realText && !scanned) {
        // A searchable scan (text layer over the image): the page image is the scan itself, scaled.
        // Without page images (intake extract) nothing is rendered: the text needs only the page's size.
        const size = renderSize(page, TEXT_PAGE_DPI, limits.maxPixelsPerPage);
        const image = !ctx.renderImages
          ? undefined
          : scanFile
            ? await scanAsPageImage(scanFile.file, page, TEXT_PAGE_DPI, limits.maxPixelsPerPage)
            : await renderPage(page, TEXT_PAGE_DPI, limits.maxPixelsPerPage);
        const segments = textSegments(items, page, size.scale);
        const viewport = page.getViewport({ scale: size.scale });
        const boxes = ops ? findDrawnBoxes(ops.fnArray, ops.argsArray) : [];
        const toPixels = (x: number, y: number) => viewport.convertToViewportPoint(x, y) as [number, number];
        const assembled = assembleLines(boxes.length ? boxWords(boxes, segments, toPixels) : segments);
        const out: ReadPage = {
          page: n,
          method: 'text-layer',
          text: assembled.text,
          lines: assembled.lines,
          width: size.width,
          height: size.height,
          rotation: 0,
          confidence: assembled.lines.length ? 1 : 0,
        };
        if (image) out.image = await encodePageImage(image.image);
        out.ms = performance.now() - started;
        page.cleanup();
        results.push(Promise.resolve(out));
        continue;
      }
      if (quality.chars === 0 && images.coverage === 0) {
        // Nothing drawn as text or image: blank, or text drawn as paths (then OCR).
        const { image } = await renderPage(page, TEXT_PAGE_DPI, limits.maxPixelsPerPage);
        if ((await classifyPageContent(image)) !== 'content') {
          page.cleanup();
          results.push(readRasterPage(ctx, n, image, TEXT_PAGE_DPI, { started }));
          continue;
        }
      }
      await inflight.acquire();
      let pending: Promise<ReadPage>;
      const scan = scanFile ?? (images.fullPageScan ? embeddedScan(bytes, page.ref as { num: number; gen: number }) : undefined);
      if (scan) {
        const [vx0, vy0, vx1, vy1] = page.view as [number, number, number, number];
        const rotate = page.rotate;
        // Text drawn over the scan (an e-fax header, a stamp) is exact: keep it, in the image's pixels.
        const xDpi = (scan.width * 72) / (vx1 - vx0);
        const yDpi = (scan.height * 72) / (vy1 - vy0);
        const squareDpi = Math.abs(xDpi - yDpi) / Math.max(xDpi, yDpi) < 0.05 ? xDpi : Math.max(xDpi, yDpi);
        const finalDpi = squareDpi > OCR_TARGET_DPI * 1.1 ? OCR_TARGET_DPI : squareDpi;
        const overlay = rotate === 0 && items.length ? textSegments(items, page, finalDpi / 72) : undefined;
        page.cleanup();
        pending = (async () => {
          if (scan.width * scan.height > limits.maxPixelsPerPage)
            throw new BadInputError('too-many-pixels', `PDF page ${n} is a ${scan.width}×${scan.height} pixel image, over the limit of ${limits.maxPixelsPerPage}: ask for a smaller scan`);
          let xRes = (scan.width * 72) / (vx1 - vx0);
          let yRes = (scan.height * 72) / (vy1 - vy0);
          // Bounded decode: a scan finer than the OCR resolution on both axes is shrunk to it while
          // it is decoded (libvips shrink-on-load), never held at full size beside its copies.
          let decode = sharp(scan.file, { limitInputPixels: limits.maxPixelsPerPage });
          if (xRes > OCR_TARGET_DPI * 1.1 && yRes > OCR_TARGET_DPI * 1.1) {
            const width = Math.max(1, Math.round((scan.width * OCR_TARGET_DPI) / xRes));
            const height = Math.max(1, Math.round((scan.height * OCR_TARGET_DPI) / yRes));
            decode = decode.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
            xRes = yRes = OCR_TARGET_DPI;
          }
          let image = await grayFromSharp(decode);
          // Fax PDFs keep the fax's non-square pixels and stretch them onto the page.
          const square = await squarePixels(image, xRes, yRes);
          const sized = await toOcrResolution(square.image, square.dpi);
          image = rotate ? await rotateGray(sized.image, rotate) : sized.image;
          return readRasterPage(ctx, n, image, sized.dpi, { started, overlay, orientationFirst: /^II/.test(scan.file.toString('latin1', 0, 2)) });
        })();
      } else {
        const dpi = images.dpi > 0 ? Math.min(300, Math.max(200, Math.round(images.dpi))) : 300;
        const { image, scale } = await renderPage(page, dpi, limits.maxPixelsPerPage);
        page.cleanup();
        pending = readRasterPage(ctx, n, image, scale * 72, { started });
      }
      pending = pending.finally(() => inflight.release());
      pending.catch(() => undefined); // observed below via Promise.all
      results.push(pending);
    }
    return await Promise.all(results);
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

/** Every page rendered at `dpi` as PNG, for benches and tools (not used by readDocument). */
export async function renderPdfPages(bytes: Uint8Array, dpi: number): Promise<Buffer[]> {
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: join(pdfjsDir, 'standard_fonts') + '/',
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const out: Buffer[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const { image } = await renderPage(await doc.getPage(n), dpi, Number.MAX_SAFE_INTEGER);
      out.push(await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } }).png().toBuffer());
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

/**
 * Load pdf.js and its fonts once (~3 CPU-seconds the first time in a process), so the first
 * document a worker reads does not pay for it. Optional; safe to call more than once.
 */
export async function warmUpPdf(): Promise<void> {
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(Buffer.from(MINIMAL_PDF, 'latin1')),
    standardFontDataUrl: join(pdfjsDir, 'standard_fonts') + '/',
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const page = await doc.getPage(1);
    await page.getTextContent();
    await renderPage(page, 36, 1e6);
  } finally {
    await doc.destroy();
  }
}

const MINIMAL_PDF = (() => {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    '<< /Length 33 >>\nstream\nBT /F1 12 Tf 10 10 Td (x) Tj ET\nendstream',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${out}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
})();
