import type { TextSpan } from './evidence.ts';
import type { LayoutLine } from './layout.ts';

/**
 * Stage 3b — key–value fields of forms and demographic grids: a row of labels with the values
 * written under them ("PATIENT NAME | DATE OF BIRTH | MRN" over "Roe, Jane | 01/02/1960 | …",
 * "Last flu shot (month/year)" over "10/2019"). Each value is paired with the label whose column
 * it starts in, and the pair becomes one line "Label: value | Label: value" that the readers
 * after this stage (identity, sections, items) take like any labelled line. Values keep their
 * word boxes, so evidence points at the handwriting, not the label.
 */

/** A format hint in a label: "(month/year)", "(mm/dd/yyyy)", "(year)". */
const FORMAT_HINT = /\((?:month|mo|mm|dd|yyyy|yy|year|date|m\/y|mm\/yy(?:yy)?)[^)]{0,20}\)/i;

/** "DOB: | 01/21/1967" on one line (a label cell, then its value in the next cell) → one "DOB: 01/21/1967" cell. */
function sameLineFields(line: LayoutLine): LayoutLine {
  if (
    line.cells.length < 2 ||
    !line.cells.some((c, k) => k + 1 < line.cells.length && /^[A-Za-z][A-Za-z .'/#()-]{0,30}:$/.test(c.text.trim()))
  )
    return line;
  const cells: TextSpan[] = [];
  for (let k = 0; k < line.cells.length; k++) {
    const c = line.cells[k]!;
    const next = line.cells[k + 1];
    if (next && /^[A-Za-z][A-Za-z .'/#()-]{0,30}:$/.test(c.text.trim()) && !/:$/.test(next.text.trim())) {
      cells.push(withLabel(c.text, next));
      k++;
    } else cells.push(c);
  }
  return { ...line, cells, span: joinFields(line.page, cells) };
}

function labelLike(line: LayoutLine): boolean {
  const t = line.span.text;
  if (/\d/.test(t.replace(FORMAT_HINT, ''))) return false;
  if (/[.!?]\s*$/.test(t) || t.length > 120) return false;
  return line.cells.every((c) => c.text.split(/\s+/).length <= 7 && /[A-Za-z]{2}/.test(c.text) && !/:\s*\S/.test(c.text));
}

function withLabel(label: string, value: TextSpan): TextSpan {
  const prefix = `${label.replace(/[:\s]+$/, '')}: `;
  return {
    page: value.page,
    text: prefix + value.text,
    words: value.words.map((w) => ({ ...w, start: w.start + prefix.length, end: w.end + prefix.length })),
    x0: value.x0,
    confidence: value.confidence,
  };
}

function joinFields(page: number, cells: TextSpan[]): TextSpan {
  let text = '';
  const words: TextSpan['words'] = [];
  for (const c of cells) {
    if (text) text += ' | ';
    const off = text.length;
    for (const w of c.words) words.push({ ...w, start: w.start + off, end: w.end + off });
    text += c.text;
  }
  return { page, text, words, x0: cells[0]!.x0, confidence: cells.reduce((a, c) => a + c.confidence, 0) / cells.length };
}

/**
 * Pairs of a label line and the value line under it, replaced by one field line each; other
 * lines pass through. `isHeader` says whether a line is a table header (its rows are a table's).
 */
export function pairFields(
  input: LayoutLine[],
  isHeader: (l: LayoutLine) => boolean,
  isHeading: (t: string) => boolean,
): LayoutLine[] {
  const lines = input.map((l) => (isHeader(l) ? l : sameLineFields(l)));
  const out: LayoutLine[] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i]!;
    const b = lines[i + 1];
    // A table's rows are the table's, not label and value.
    if (isHeader(a)) inTable = true;
    else if (a.gapBefore || isHeading(a.span.text)) inTable = false;
    if (!inTable && b && fieldPair(a, b, isHeader, isHeading)) {
      const cells = pair(a, b);
      if (cells) {
        out.push({ ...a, cells, span: joinFields(a.page, cells), top: a.top, height: a.height, fields: true });
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

function fieldPair(
  a: LayoutLine,
  b: LayoutLine,
  isHeader: (l: LayoutLine) => boolean,
  isHeading: (t: string) => boolean,
): boolean {
  if (a.page !== b.page || a.span.words.length === 0 || b.span.words.length === 0) return false;
  if (b.top - a.top > 2.6 * Math.max(a.height, b.height)) return false;
  if (!labelLike(a) || isHeader(a) || isHeading(a.span.text)) return false;
  if (a.cells.length < 2 && !FORMAT_HINT.test(a.span.text)) return false;
  // The value line: not labels itself, and no wider than the label row's columns.
  // Two label rows one above the other are not a label and its value.
  if (
    labelLike(b) &&
    (a.cells.length < 2 || a.span.text !== a.span.text.toUpperCase() || b.span.text === b.span.text.toUpperCase())
  )
    return false;
  if (isHeading(b.span.text) || /[.!?]\s*$/.test(b.span.text) || b.span.text.split(/\s+/).length > 14) return false;
  return true;
}

function pair(a: LayoutLine, b: LayoutLine): TextSpan[] | undefined {
  const tol = 1.5 * a.height;
  const labels = a.cells;
  const values: TextSpan[][] = labels.map(() => []);
  for (const v of b.cells) {
    let at = -1;
    for (let k = 0; k < labels.length; k++) if (labels[k]!.x0 - tol <= v.x0) at = k;
    if (at < 0) return undefined;
    values[at]!.push(v);
  }
  const out: TextSpan[] = [];
  labels.forEach((l, k) => {
    const vs = values[k]!;
    if (!vs.length) return;
    out.push(withLabel(l.text, vs.length === 1 ? vs[0]! : joinFields(vs[0]!.page, vs)));
  });
  return out.length ? out : undefined;
}
