import type { BBox, Line, Word } from '@intake/core';

/**
 * A run of words the reader (OCR or a PDF text layer) already knows belong together on
 * one line, in left-to-right order. Segments that sit on the same visual row (table cells,
 * a label and its value far to the right) are merged into one output line.
 */
export interface Segment {
  words: Word[];
}

export interface AssembledText {
  text: string;
  lines: Line[];
  confidence: number;
}

function union(boxes: BBox[]): BBox {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    x0 = Math.min(x0, b[0]);
    y0 = Math.min(y0, b[1]);
    x1 = Math.max(x1, b[2]);
    y1 = Math.max(y1, b[3]);
  }
  return [x0, y0, x1, y1];
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Row {
  segments: { bbox: BBox; words: Word[] }[];
  y0: number;
  y1: number;
}

/**
 * Lines in reading order (top to bottom, left to right), one per visual row. Words more
 * than ~2 character widths apart are joined by a run of spaces proportional to the gap,
 * so table columns stay visibly separated; otherwise by a single space.
 */
export function assembleLines(segments: Segment[]): AssembledText {
  const segs = segments
    .map((s) => ({ words: s.words.filter((w) => w.text.trim() !== ''), bbox: [0, 0, 0, 0] as BBox }))
    .filter((s) => s.words.length > 0)
    .map((s) => ({ ...s, bbox: union(s.words.map((w) => w.bbox)) }));
  segs.sort((a, b) => a.bbox[1] + a.bbox[3] - (b.bbox[1] + b.bbox[3]));

  const rows: Row[] = [];
  for (const seg of segs) {
    const h = seg.bbox[3] - seg.bbox[1];
    const centre = (seg.bbox[1] + seg.bbox[3]) / 2;
    // Rows are appended in order of their centres, so only the last few can match.
    let target: Row | undefined;
    for (let i = rows.length - 1; i >= Math.max(0, rows.length - 4); i--) {
      const row = rows[i]!;
      const rowH = row.y1 - row.y0;
      const overlap = Math.min(row.y1, seg.bbox[3]) - Math.max(row.y0, seg.bbox[1]);
      const rowCentre = (row.y0 + row.y1) / 2;
      const clashes = row.segments.some((s) => Math.min(s.bbox[2], seg.bbox[2]) - Math.max(s.bbox[0], seg.bbox[0]) > 0);
      if (!clashes && overlap > 0.5 * Math.min(h, rowH) && Math.abs(centre - rowCentre) < 0.5 * Math.max(h, rowH)) {
        target = row;
        break;
      }
    }
    if (target) {
      target.segments.push(seg);
      target.y0 = Math.min(target.y0, seg.bbox[1]);
      target.y1 = Math.max(target.y1, seg.bbox[3]);
    } else {
      rows.push({ segments: [seg], y0: seg.bbox[1], y1: seg.bbox[3] });
    }
  }
  rows.sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));

  const lines: Line[] = rows.map((row) => {
    row.segments.sort((a, b) => a.bbox[0] - b.bbox[0]);
    const words = row.segments.flatMap((s) => s.words);
    const charW = median(words.map((w) => (w.bbox[2] - w.bbox[0]) / Math.max(1, w.text.length))) || 1;
    let text = '';
    words.forEach((w, i) => {
      if (i > 0) {
        const gap = w.bbox[0] - words[i - 1]!.bbox[2];
        const n = gap > 2 * charW ? Math.min(12, Math.max(3, Math.round(gap / charW))) : 1;
        text += ' '.repeat(n);
      }
      text += w.text;
    });
    return { text, bbox: union(words.map((w) => w.bbox)), confidence: mean(words.map((w) => w.confidence)), words };
  });
  const allWords = lines.flatMap((l) => l.words);
  return { text: lines.map((l) => l.text).join('\n'), lines, confidence: allWords.length ? mean(allWords.map((w) => w.confidence)) : 0 };
}
