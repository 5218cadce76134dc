import type { Word } from '@intake/core';
import { lazy, readDataRows } from '@intake/vocab';
import { spanFromWords, type TextSpan } from './evidence.ts';
import type { LayoutLine } from './layout.ts';

/**
 * Stage 3 — tables and label rows from geometry. A header row (every cell a known column heading,
 * `shared/vocab/data/table-columns.tsv`) defines columns by the left edges of its cells; each
 * following line's words are put in the column they start in, and a line that leaves the first
 * column empty continues the row above (a name or sig wrapped inside its cell stays one cell).
 * Forms use the same shape on a small scale: a row of labels over a row of handwritten values.
 */

export type ColumnRole =
  | 'name'
  | 'date'
  | 'next'
  | 'sig'
  | 'frequency'
  | 'strength'
  | 'dose'
  | 'status'
  | 'reaction'
  | 'severity'
  | 'result'
  | 'provider'
  | 'relation'
  | 'specialty'
  | 'phone'
  | 'fax'
  | 'lot'
  | 'route'
  | 'site'
  | 'quantity'
  | 'refills'
  | 'code'
  | 'type'
  | 'comment'
  | 'ignore';

const columnHeadings = lazy(() => {
  const map = new Map<string, ColumnRole>();
  for (const [heading, role] of readDataRows('table-columns.tsv')) {
    if (heading && role) map.set(normHeading(heading), role.trim() as ColumnRole);
  }
  return map;
});

function normHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/\(s\)/g, 's')
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim();
}

/** Words of the column headings, for reading OCR-damaged headings ("CAST FILL" is "LAST FILL"). */
const headingWords = lazy(() => new Set([...columnHeadings().keys()].flatMap((k) => k.split(' ')).filter((w) => w.length >= 4)));

function withinOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  const rest = (x: string, y: string) =>
    x.slice(i + 1) === y.slice(i + 1) || x.slice(i + 1) === y.slice(i) || x.slice(i) === y.slice(i + 1);
  return rest(a, b);
}

/** A heading with each unknown word of four letters or more replaced by the heading word one edit away, if one is. */
function repairHeading(key: string): string | undefined {
  const words = headingWords();
  let changed = false;
  const out = key.split(' ').map((w) => {
    if (w.length < 4 || words.has(w)) return w;
    const near = [...words].filter((k) => withinOne(w, k));
    if (near.length !== 1) return w;
    changed = true;
    return near[0]!;
  });
  return changed ? out.join(' ') : undefined;
}

/** The role of a column heading, or undefined when the text is not one. */
export function columnRole(text: string): ColumnRole | undefined {
  const key = normHeading(text);
  if (!key || key.length > 40) return undefined;
  const map = columnHeadings();
  // "Dose 1", "Dose #2", "Shot 3": a numbered heading has its heading's role.
  const unnumbered = key.replace(/\s*#?\s*\d{1,2}$/, '');
  const hit = map.get(key) ?? map.get(unnumbered) ?? map.get(repairHeading(key) ?? '');
  if (hit) return hit;
  // "Route / Site", "Mfr / Lot", "Dose / Series": every part a heading; the first part decides.
  const parts = key.split(' ');
  if (parts.length > 4) return undefined;
  let role: ColumnRole | undefined;
  for (let i = 0; i < parts.length;) {
    let j = parts.length;
    while (j > i && !map.has(parts.slice(i, j).join(' '))) j--;
    if (j === i) return undefined;
    role ??= map.get(parts.slice(i, j).join(' '));
    i = j;
  }
  return role;
}

export interface Column {
  x0: number;
  label: string;
  role: ColumnRole;
}

export interface TableRow {
  lines: LayoutLine[];
  /** One span per column, undefined where the row leaves the column empty. */
  cells: (TextSpan | undefined)[];
  /** Labelled lines under the row ("SIG: take 1 tablet daily"), by the role their label names. */
  labelled: Map<ColumnRole, TextSpan>;
}

export interface Table {
  columns: Column[];
  rows: TableRow[];
}

const headerCache = new WeakMap<LayoutLine, Column[] | null>();

/** Columns named by a header line, or undefined when the line is not a header. */
export function headerColumns(line: LayoutLine): Column[] | undefined {
  const cached = headerCache.get(line);
  if (cached !== undefined) return cached ?? undefined;
  const cols = computeHeaderColumns(line);
  headerCache.set(line, cols ?? null);
  return cols;
}

/** A flowsheet's column heading: a year ("2023"), whose cells give month and day ("03/20 · 2.1"). */
export const YEAR_COLUMN = /^(?:19|20)\d{2}$/;

function computeHeaderColumns(line: LayoutLine): Column[] | undefined {
  if (line.cells.length < 2 || line.span.words.length === 0) return undefined;
  // A flowsheet: "Measure | 2022 | 2023 | 2024 | 2025" — the item column, then a column per year.
  const [first, ...rest] = line.cells;
  if (rest.length >= 2 && rest.every((c) => YEAR_COLUMN.test(c.text.trim())) && !/\d/.test(first!.text))
    return [
      { x0: first!.x0, label: first!.text, role: 'name' },
      // Year headings sit over the middle of their columns: a column starts halfway from the year before.
      ...rest.map((c, k): Column => {
        const mid = (x: TextSpan) => (x.words[0]!.bbox[0] + x.words[x.words.length - 1]!.bbox[2]) / 2;
        const step = k > 0 ? mid(c) - mid(rest[k - 1]!) : rest.length > 1 ? mid(rest[1]!) - mid(c) : 0;
        return { x0: c.words.length ? mid(c) - step / 2 : c.x0, label: c.text.trim(), role: 'date' };
      }),
    ];
  if (/\d{2}/.test(line.span.text)) return undefined;
  const cols: Column[] = [];
  let unknown = 0;
  for (const c of line.cells) {
    // Narrow columns whose headings sit close together ("Dispense Refill Start Date Authorizing").
    const parts = splitHeadings(c);
    const role = parts ? undefined : columnRole(c.text);
    if (parts) cols.push(...parts);
    else if (role) cols.push({ x0: c.x0, label: c.text, role });
    else {
      // An unreadable heading still bounds its column.
      unknown += 1;
      cols.push({ x0: c.x0, label: c.text, role: 'ignore' });
    }
  }
  // OCR damages a heading or two of a wide header; the rest, with the item column, still name the table.
  const allowed = line.cells.length >= 5 && cols.some((c) => c.role === 'name') ? 2 : line.cells.length >= 4 ? 1 : 0;
  if (unknown > allowed || cols.length - unknown < 2) return undefined;
  return cols;
}

/** A cell of several headings → one column per heading, each starting at its first word; undefined if any word is not part of one. */
function splitHeadings(cell: TextSpan): Column[] | undefined {
  const words = cell.words.map((w) => ({ text: cell.text.slice(w.start, w.end), x0: w.bbox[0] }));
  if (words.length < 2 || words.length > 12) return undefined;
  const out: Column[] = [];
  for (let i = 0; i < words.length;) {
    let j = Math.min(words.length, i + 4);
    let role: ColumnRole | undefined;
    for (; j > i; j--) {
      role = columnHeadings().get(
        normHeading(
          words
            .slice(i, j)
            .map((w) => w.text)
            .join(' '),
        ),
      );
      if (role) break;
    }
    if (!role || j === i) return undefined;
    out.push({
      x0: words[i]!.x0,
      label: words
        .slice(i, j)
        .map((w) => w.text)
        .join(' '),
      role,
    });
    i = j;
  }
  return out.length > 1 ? out : undefined;
}

/** A line of column headings continuing the header above ("Provider" under "Authorizing"). */
function headerContinuation(line: LayoutLine, cols: Column[], height: number): Column[] | undefined {
  if (line.span.words.length === 0 || /\d/.test(line.span.text)) return undefined;
  if (!line.cells.every((c) => columnRole(c.text) !== undefined || /^[A-Za-z/#&()]{1,12}$/.test(c.text))) return undefined;
  const out = cols.map((c) => ({ ...c }));
  for (const cell of line.cells) {
    const at = columnAt(out, cell.x0, height);
    const near = out[at]!;
    if (Math.abs(near.x0 - cell.x0) <= 2 * height) {
      near.label = `${near.label} ${cell.text}`;
      near.role = columnRole(near.label) ?? columnRole(cell.text) ?? near.role;
    } else {
      const role = columnRole(cell.text);
      if (!role) return undefined;
      out.push({ x0: cell.x0, label: cell.text, role });
      out.sort((a, b) => a.x0 - b.x0);
    }
  }
  return out;
}

function columnAt(cols: Column[], x: number, height: number): number {
  let at = 0;
  for (let i = 0; i < cols.length; i++) if (cols[i]!.x0 - 0.6 * height <= x) at = i;
  return at;
}

interface PlacedWord extends Word {
  column: number;
}

function placeWords(line: LayoutLine, cols: Column[]): PlacedWord[] {
  // A photo's page is turned a little: a row that starts in the first column says how far its
  // columns have moved from the header's.
  const left = Math.min(...line.span.words.map((w) => w.bbox[0]));
  const drift = left - cols[0]!.x0;
  const shift = Math.abs(drift) <= 1.2 * line.height ? drift : 0;
  return line.span.words.map((w) => ({
    text: line.span.text.slice(w.start, w.end),
    bbox: w.bbox,
    confidence: w.confidence,
    column: columnAt(cols, w.bbox[0] - shift, line.height),
  }));
}

/** A sentence under a table ends it ("No screenings documented." is read by the caller). */
function isProse(line: LayoutLine): boolean {
  const t = line.span.text;
  return line.cells.length === 1 && t.split(/\s+/).length >= 7 && /[.!?]\s*$/.test(t) && /[a-z]{3,} [a-z]{3,} [a-z]{3,}/.test(t);
}

/**
 * Reads the table whose header is lines[start]; returns it and the index of the first line after
 * it. Lines up to a new header, a prose sentence or the end of the run are its rows.
 */
export function readTable(lines: LayoutLine[], start: number): { table: Table; end: number } | undefined {
  const header = lines[start]!;
  let cols = headerColumns(header);
  if (!cols) return undefined;
  let i = start + 1;
  // Header cells that wrap to a second line.
  while (i < lines.length && lines[i]!.page === header.page && !lines[i]!.gapBefore) {
    const more = headerContinuation(lines[i]!, cols, header.height);
    if (!more) break;
    cols = more;
    i++;
  }
  const rows: TableRow[] = [];
  let prevBottom = -1;
  // The upper half of a cell centred on the row below it, held for that row.
  let pending: (TextSpan | undefined)[] | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (headerColumns(line) || isProse(line) || line.span.words.length === 0) break;
    // OCR specks read as a letter or two in a date column ("ae") are not a cell.
    const placed = placeWords(line, cols).filter(
      (w) => !(w.column === 0 && cols[0]!.role === 'date' && w.text.length <= 2 && !/\d/.test(w.text)),
    );
    if (placed.length === 0) continue;
    const firstCol = Math.min(...placed.map((w) => w.column));
    const prev = rows[rows.length - 1];
    const tight = prevBottom >= 0 && line.top - prevBottom < 0.9 * line.height && line.page === prev?.lines[0]!.page;
    // Wrapped cells: a line tight under the row whose every cell starts in lower case ("solution" under a drug name).
    const starts = [...new Set(placed.map((w) => w.column))].map((c) => placed.find((w) => w.column === c)!.text);
    const wrapped = tight && starts.every((t) => /^[a-z(]/.test(t)) && !/\d{1,2}\/\d{1,2}\/\d{2,4}/.test(line.span.text);
    const cont = prev !== undefined && ((firstCol > 0 && (tight || !line.gapBefore)) || wrapped);
    const cellWords: Word[][] = cont ? [] : cols.map(() => []);
    const label = /^\s*([A-Za-z][A-Za-z ]{0,20}?)\s*:\s*(\S.*)$/.exec(line.span.text);
    // "SIG: …" under a row (not a row of its own: its label names a column other than the first).
    const labelRole = label ? columnRole(label[1]!) : undefined;
    const firstRole = cols[0]!.role;
    if (prev && labelRole && labelRole !== firstRole && labelRole !== 'name' && (tight || !line.gapBefore)) {
      // "SIG: TAKE 1 TABLET BY MOUTH DAILY" under the row: the value of the column its label names.
      const start = line.span.text.length - label![2]!.length;
      const ws = placed.filter((_, k) => line.span.words[k]!.start >= start);
      prev.labelled.set(labelRole, spanFromWords(line.page, ws));
      prev.lines.push(line);
      prevBottom = line.top + line.height;
      continue;
    }
    if (cont && firstCol > 0 && !pending && opensLowerHalf(placed, lines[i + 1], line, cols)) {
      // A cell written on two lines centred on its row ("Influenza, seasonal, injectable," above
      // "10/14/2019  preservative free  140"): the line above the row is the cell's start.
      const extra = cols.map(() => [] as Word[]);
      for (const w of placed) extra[w.column]!.push(w);
      pending = extra.map((ws) => (ws.length ? spanFromWords(line.page, ws) : undefined));
      prevBottom = line.top + line.height;
      continue;
    }
    if (cont) {
      // Append to the row above, column by column.
      const extra = cols.map(() => [] as Word[]);
      for (const w of placed) extra[w.column]!.push(w);
      prev.lines.push(line);
      prev.cells = prev.cells.map((c, k) => {
        const ws = extra[k]!;
        if (!ws.length) return c;
        const add = spanFromWords(line.page, ws);
        return c ? joinCell(c, add) : add;
      });
    } else {
      for (const w of placed) cellWords[w.column]!.push(w);
      const held = pending;
      pending = undefined;
      rows.push({
        lines: held ? [lines[i - 1]!, line] : [line],
        cells: cellWords.map((ws, k) => {
          const cell = ws.length ? spanFromWords(line.page, ws) : undefined;
          const top = held?.[k];
          return top && cell ? joinCell(top, cell) : (top ?? cell);
        }),
        labelled: new Map(),
      });
    }
    prevBottom = line.top + line.height;
  }
  return { table: { columns: cols, rows }, end: i };
}

/**
 * A line that leaves the first column empty opens the cell of the row below it, not continues the
 * row above, when it sits tight over a new row whose cells in the same columns go on in lower case
 * or with a parenthesis ("preservative free", "(Pneumovax 23)") — the lower half of those cells.
 */
function opensLowerHalf(placed: PlacedWord[], next: LayoutLine | undefined, line: LayoutLine, cols: Column[]): boolean {
  if (!next || next.page !== line.page || next.gapBefore || next.span.words.length === 0) return false;
  if (next.top - (line.top + line.height) >= 0.9 * line.height) return false;
  const below = placeWords(next, cols);
  if (Math.min(...below.map((w) => w.column)) !== 0) return false;
  const goesOn = (t: string | undefined) => t !== undefined && /^[a-z(]/.test(t);
  // The name column decides when the line holds part of a name; other columns may wrap either way.
  const name = cols.findIndex((c) => c.role === 'name');
  if (name > 0 && placed.some((w) => w.column === name)) return goesOn(below.find((w) => w.column === name)?.text);
  const under = [...new Set(placed.map((w) => w.column))].map((c) => below.find((w) => w.column === c)?.text);
  return under.some(goesOn) && under.every((t) => t === undefined || goesOn(t));
}

function joinCell(a: TextSpan, b: TextSpan): TextSpan {
  const off = a.text.length + 1;
  return {
    page: a.page,
    text: `${a.text} ${b.text}`,
    words: [...a.words, ...b.words.map((w) => ({ ...w, start: w.start + off, end: w.end + off }))],
    x0: a.x0,
    confidence: (a.confidence + b.confidence) / 2,
  };
}

/** The first cell of a row with the given role. */
export function cellOf(table: Table, row: TableRow, ...roles: ColumnRole[]): TextSpan | undefined {
  for (const role of roles) {
    const k = table.columns.findIndex((c) => c.role === role);
    if (k >= 0 && row.cells[k]) return row.cells[k];
    const l = row.labelled.get(role);
    if (l) return l;
  }
  return undefined;
}

/** Every cell of a row with one of the roles, in column order. */
export function cellsOf(table: Table, row: TableRow, ...roles: ColumnRole[]): TextSpan[] {
  return table.columns.flatMap((c, k) => (roles.includes(c.role) && row.cells[k] ? [row.cells[k]] : []));
}
