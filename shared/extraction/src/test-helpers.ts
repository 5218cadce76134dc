import { ExtractionResult, type Item, type PageText, type Source } from '@intake/core';
import { expect } from 'vitest';
import { extractFromPages } from './extract.ts';

export const SOURCE: Source = {
  file: 'test.pdf',
  sha256: 'a'.repeat(64),
  mediaType: 'application/pdf',
  pages: 1,
  channel: 'cli',
};

/** A page of plain text, as a text layer without layout gives it. */
export function textPage(text: string, page = 1): PageText {
  return { page, method: 'text-layer', text, lines: [], width: 0, height: 0, rotation: 0, confidence: 1 };
}

/**
 * A page with OCR-like layout: each row is a list of [text, x] cells; words get boxes 12 px per
 * character, 24 px high, rows 40 px apart, so tests can check evidence boxes and columns.
 */
export function layoutPage(rows: [string, number][][], opts: { page?: number; confidence?: number } = {}): PageText {
  const lines: PageText['lines'] = [];
  rows.forEach((cells, r) => {
    const y = 100 + r * 40;
    const words: PageText['lines'][number]['words'] = [];
    for (const [text, x0] of cells) {
      let x = x0;
      for (const w of text.split(/\s+/).filter(Boolean)) {
        words.push({ text: w, bbox: [x, y, x + w.length * 12, y + 24], confidence: opts.confidence ?? 0.95 });
        x += (w.length + 1) * 12;
      }
    }
    if (words.length)
      lines.push({
        text: words.map((w) => w.text).join(' '),
        bbox: [words[0]!.bbox[0], y, words[words.length - 1]!.bbox[2], y + 24],
        confidence: opts.confidence ?? 0.95,
        words,
      });
  });
  return {
    page: opts.page ?? 1,
    method: 'ocr',
    text: lines.map((l) => l.text).join('\n'),
    lines,
    width: 2000,
    height: 2600,
    rotation: 0,
    confidence: opts.confidence ?? 0.95,
  };
}

/** The items of one kind, typed as that kind. */
export const of = <K extends Item['kind']>(items: Item[], kind: K) =>
  items.filter((i): i is Extract<Item, { kind: K }> => i.kind === kind);

/** Extraction of one page of plain text, checked against the result contract. */
export const run = (text: string) => {
  const r = extractFromPages([textPage(text)], SOURCE);
  expect(ExtractionResult.safeParse(r).success).toBe(true);
  return r;
};
