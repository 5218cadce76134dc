import type { PageText, Word } from '@intake/core';
import { spanFromText, spanFromWords, type TextSpan } from './evidence.ts';

/** One physical line, already split into cells where the layout shows wide gaps (tables, two columns). */
export interface LayoutLine {
  page: number;
  /** The whole line (cells joined by " | " when there are several). */
  span: TextSpan;
  cells: TextSpan[];
  /** Line height in pixels (or 1 for plain text), for paragraph breaks. */
  height: number;
  top: number;
  /** Page width in the same unit as x0 (pixels, or characters for plain text). */
  pageWidth: number;
  /** True when this line is the start of a new paragraph (vertical gap or blank line before it). */
  gapBefore: boolean;
  /** Which column of a two-column region the line belongs to (0 = full width or left). */
  column: 0 | 1;
  /** Made by the fields stage: cells are "Label: value" pairs of a form. */
  fields?: boolean;
}

/**
 * Column starts on a page: x positions where words in several lines start after a wider-than-
 * word gap (table columns, the right half of a two-column form). Prose does not line up so.
 */
function columnStarts(lines: { words: Word[]; height: number }[], width: number): number[] {
  const cands: number[] = [];
  for (const l of lines) {
    for (let i = 1; i < l.words.length; i++) {
      const w = l.words[i]!;
      const gap = w.bbox[0] - l.words[i - 1]!.bbox[2];
      if (gap >= 0.75 * l.height && w.bbox[0] > 0.2 * width && w.bbox[0] < 0.85 * width) cands.push(w.bbox[0]);
    }
  }
  cands.sort((a, b) => a - b);
  const tol = Math.max(6, width * 0.006);
  const starts: number[] = [];
  let i = 0;
  while (i < cands.length) {
    let j = i;
    while (j + 1 < cands.length && cands[j + 1]! - cands[i]! <= 2 * tol) j++;
    if (j - i + 1 >= Math.max(4, 0.12 * lines.length)) starts.push(cands[i]! - tol);
    i = j + 1;
  }
  return starts;
}

function splitWords(words: Word[], height: number, starts: number[] = []): Word[][] {
  const cells: Word[][] = [];
  let cur: Word[] = [];
  for (const w of words) {
    const prev = cur[cur.length - 1];
    const gap = prev ? w.bbox[0] - prev.bbox[2] : 0;
    const atColumn = prev && gap >= 0.6 * height && starts.some((x) => prev.bbox[2] < x + 2 && w.bbox[0] >= x);
    if (prev && (gap > Math.max(2.2 * height, 24) || atColumn)) {
      cells.push(cur);
      cur = [];
    }
    cur.push(w);
  }
  if (cur.length) cells.push(cur);
  return cells;
}

function joinCells(page: number, cells: TextSpan[]): TextSpan {
  if (cells.length === 1) return cells[0]!;
  let text = '';
  const words: TextSpan['words'] = [];
  for (const c of cells) {
    if (text) text += ' | ';
    const off = text.length;
    for (const w of c.words) words.push({ ...w, start: w.start + off, end: w.end + off });
    text += c.text;
  }
  const confidence = cells.reduce((a, c) => a + c.confidence, 0) / cells.length;
  return { page, text, words, x0: cells[0]!.x0, confidence };
}

function pageLines(p: PageText): LayoutLine[] {
  const out: LayoutLine[] = [];
  const withBoxes = p.lines.filter((l) => l.words.length > 0);
  if (withBoxes.length > 0) {
    const width = p.width || Math.max(...withBoxes.map((l) => l.bbox[2]));
    let prevBottom = -1;
    let prevHeight = 0;
    const prepared = withBoxes.map((l) => {
      const words = [...l.words].sort((a, b) => a.bbox[0] - b.bbox[0]);
      const heights = words.map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
      return { l, words, height: Math.max(1, heights[Math.floor(heights.length / 2)] ?? l.bbox[3] - l.bbox[1]) };
    });
    const starts = columnStarts(prepared, width);
    for (const { l, words, height } of prepared) {
      // Cells of specks and stray punctuation (fax noise) carry nothing.
      const cells = splitWords(words, height, starts)
        .map((ws) => spanFromWords(p.page, ws))
        .filter((c) => /[A-Za-z0-9]/.test(c.text));
      if (cells.length === 0) continue;
      const gap = prevBottom >= 0 && l.bbox[1] - prevBottom > 0.9 * Math.max(height, prevHeight);
      out.push({
        page: p.page,
        span: joinCells(p.page, cells),
        cells,
        height,
        top: l.bbox[1],
        pageWidth: width,
        gapBefore: gap || prevBottom < 0,
        column: 0,
      });
      prevBottom = l.bbox[3];
      prevHeight = height;
    }
    return out;
  }
  const raw = p.text.split(/\r?\n/);
  const width = Math.max(80, ...raw.map((r) => r.length));
  let blank = true;
  raw.forEach((r, i) => {
    if (!r.trim()) {
      blank = true;
      return;
    }
    const cells: TextSpan[] = [];
    const line = r.replace(/\t/g, '    ');
    const re = /\S+(?: {1,2}\S+)*/g;
    for (let m = re.exec(line); m; m = re.exec(line)) cells.push(spanFromText(p.page, m[0], m.index));
    out.push({
      page: p.page,
      span: joinCells(p.page, cells),
      cells,
      height: 1,
      top: i,
      pageWidth: width,
      gapBefore: blank,
      column: 0,
    });
    blank = false;
  });
  return out;
}

export interface LayoutOptions {
  /** Says whether a cell's text is a section heading; used to recognise two-column forms. */
  isHeading: (text: string) => boolean;
  /** Says whether a line is a table's header row: its cells are column headings, not a second column's heading. */
  isTableHeader?: (line: LayoutLine) => boolean;
}

/**
 * Lines of every page in reading order. A two-column region (a fax intake form with a heading in
 * the right column) is read column by column: its left cells first, then its right cells, so that
 * each column's section heading governs the lines below it in that column only.
 */
export function layoutLines(pages: PageText[], opts: LayoutOptions): LayoutLine[] {
  const out: LayoutLine[] = [];
  for (const p of pages) {
    if (p.method === 'skipped-blank' || p.method === 'skipped-separator') continue;
    const lines = pageLines(p);
    let left: LayoutLine[] = [];
    let right: LayoutLine[] = [];
    let twoCol = false;
    const flush = () => {
      out.push(...left, ...right);
      left = [];
      right = [];
    };
    const gutter = gutterRuns(lines, opts);
    lines.forEach((line, index) => {
      // A run of lines on both sides of one empty vertical band: two columns side by side.
      const g = gutter.get(index);
      if (g !== undefined) {
        if (!twoCol) flush();
        twoCol = true;
        const leftCells = line.cells.filter((c) => c.x0 < g);
        const rightCells = line.cells.filter((c) => c.x0 >= g);
        if (leftCells.length) left.push(sub(line, leftCells, 0));
        if (rightCells.length) right.push(sub(line, rightCells, 1));
        if (!gutter.has(index + 1)) {
          twoCol = false;
          flush();
        }
        return;
      }
      const mid = line.pageWidth * 0.4;
      const rightCells = line.cells.filter((c) => c.x0 >= mid);
      const leftCells = line.cells.filter((c) => c.x0 < mid);
      // A second column opens with its heading alone on the right half ("ALLERGIES" beside "MEDICATIONS");
      // a row of labels ("ADDRESS | HOME PHONE | PCP | DATE") is a grid, not two columns.
      const headingRight =
        rightCells.length > 0 &&
        (rightCells.length === 1 || rightCells.every((c) => opts.isHeading(c.text)) === false) &&
        rightCells.length <= 2 &&
        (opts.isHeading(rightCells[0]!.text) || opts.isHeading(rightCells.map((c) => c.text).join(' '))) &&
        (rightCells.length === 1 || opts.isHeading(rightCells.map((c) => c.text).join(' ')));
      const lastCell = line.cells[line.cells.length - 1]!;
      const lastWord = line.span.words[line.span.words.length - 1];
      const rightEdge = lastWord ? lastWord.bbox[2] : lastCell.x0 + lastCell.text.length;
      if (twoCol) {
        if (rightCells.length === 0 && rightEdge > line.pageWidth * 0.55) {
          twoCol = false;
          flush();
        }
      } else if (leftCells.length > 0 && rightCells.length > 0 && headingRight && !opts.isTableHeader?.(line)) {
        twoCol = true;
      }
      if (!twoCol) {
        out.push(line);
        return;
      }
      if (leftCells.length) left.push(sub(line, leftCells, 0));
      if (rightCells.length) right.push(sub(line, rightCells, 1));
    });
    flush();
  }
  return out;
}

const rightEdge = (c: TextSpan) => (c.words.length ? c.words[c.words.length - 1]!.bbox[2] : c.x0 + c.text.length);

/**
 * Two columns found by their gutter: a run of lines where every cell lies left or right of one
 * x (no cell crosses it), several lines have a cell on each side starting at that x, and each
 * side has lines of its own (cards of different heights beside each other). A table's columns
 * also leave a gutter, but its rows pair up: nearly every line has both sides, its wrapped cells
 * aside, so it is not read as two columns. Returns the gutter x of each line in such a run.
 */
function gutterRuns(lines: LayoutLine[], opts: LayoutOptions): Map<number, number> {
  const out = new Map<number, number>();
  if (lines.length < 5 || lines[0]!.height === 1) return out;
  const width = lines[0]!.pageWidth;
  const tol = 0.02 * width;
  const crosses = (l: LayoutLine, x: number) => l.cells.some((c) => c.x0 < x - tol && rightEdge(c) > x + tol);
  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    const right = first.cells.find((c) => c.x0 >= 0.35 * width && c.x0 <= 0.7 * width);
    const hasLeft = right && first.cells.some((c) => c.x0 < right.x0 && rightEdge(c) < right.x0 - tol);
    if (!right || !hasLeft || opts.isTableHeader?.(first)) {
      i++;
      continue;
    }
    const x = right.x0;
    let j = i;
    let both = 0;
    let leftOnly = 0;
    let rightOnly = 0;
    while (j < lines.length) {
      const l = lines[j]!;
      if (crosses(l, x) || (j > i && opts.isTableHeader?.(l))) break;
      const hasL = l.cells.some((c) => c.x0 < x - tol);
      const rightCell = l.cells.find((c) => c.x0 >= x - tol);
      // A right-hand line that starts well inside the right column is not this column's text.
      if (rightCell && Math.abs(rightCell.x0 - x) > 6 * tol && !hasL) break;
      if (hasL && rightCell) both++;
      else if (hasL) leftOnly++;
      else rightOnly++;
      j++;
    }
    const n = j - i;
    if (n >= 5 && both >= 2 && leftOnly >= 2 && rightOnly >= 2 && both <= 0.7 * n) {
      for (let k = i; k < j; k++) out.set(k, x - tol);
      i = j;
    } else i++;
  }
  return out;
}

function sub(line: LayoutLine, cells: TextSpan[], column: 0 | 1): LayoutLine {
  return { ...line, cells, span: joinCells(line.page, cells), column };
}
