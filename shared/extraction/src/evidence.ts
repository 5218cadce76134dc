import type { BBox, Evidence, Word } from '@intake/core';

/** A run of text on one page with the OCR words it came from, addressable by character offset. */
export interface TextSpan {
  page: number;
  text: string;
  /** Character range of each word in `text`, with its box (empty for text without layout). */
  words: { start: number; end: number; bbox: BBox; confidence: number }[];
  /** Left edge in page pixels (or characters for plain text), for column logic. */
  x0: number;
  /** Mean OCR confidence of the words, 1 for a text layer. */
  confidence: number;
}

export function spanFromWords(page: number, words: Word[]): TextSpan {
  let text = '';
  const out: TextSpan['words'] = [];
  for (const w of words) {
    const t = w.text.trim();
    if (!t) continue;
    if (text) text += ' ';
    out.push({ start: text.length, end: text.length + t.length, bbox: w.bbox, confidence: w.confidence });
    text += t;
  }
  const confidence = out.length ? out.reduce((s, w) => s + w.confidence, 0) / out.length : 1;
  return { page, text, words: out, x0: out[0]?.bbox[0] ?? 0, confidence };
}

export function spanFromText(page: number, text: string, x0 = 0): TextSpan {
  return { page, text, words: [], x0, confidence: 1 };
}

/** Concatenates spans of the same page (for prose that runs over several lines). */
export function joinSpans(spans: TextSpan[], sep = ' '): TextSpan {
  const first = spans[0]!;
  let text = '';
  const words: TextSpan['words'] = [];
  for (const s of spans) {
    if (text) text += sep;
    const off = text.length;
    for (const w of s.words) words.push({ ...w, start: w.start + off, end: w.end + off });
    text += s.text;
  }
  const confidence = spans.reduce((a, s) => a + s.confidence, 0) / spans.length;
  return { page: first.page, text, words, x0: first.x0, confidence };
}

/** Sub-span [start, end) of a span, keeping word offsets. */
export function slice(span: TextSpan, start: number, end: number): TextSpan {
  const words = span.words
    .filter((w) => w.end > start && w.start < end)
    .map((w) => ({ ...w, start: Math.max(0, w.start - start), end: Math.min(end, w.end) - start }));
  return {
    page: span.page,
    text: span.text.slice(start, end),
    words,
    x0: words[0]?.bbox[0] ?? span.x0,
    confidence: span.confidence,
  };
}

export function unionBox(boxes: BBox[]): BBox | undefined {
  if (boxes.length === 0) return undefined;
  let [x0, y0, x1, y1] = boxes[0]!;
  for (const b of boxes) {
    x0 = Math.min(x0, b[0]);
    y0 = Math.min(y0, b[1]);
    x1 = Math.max(x1, b[2]);
    y1 = Math.max(y1, b[3]);
  }
  return [x0, y0, x1, y1];
}

/** Evidence for characters [start, end) of a span (whole span by default): text and union box. */
export function evidence(span: TextSpan, start = 0, end = span.text.length): Evidence {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(span.text[s]!)) s++;
  while (e > s && /\s/.test(span.text[e - 1]!)) e--;
  const box = unionBox(span.words.filter((w) => w.end > s && w.start < e).map((w) => w.bbox));
  return { page: span.page, text: span.text.slice(s, e), ...(box ? { bbox: box } : {}) };
}
