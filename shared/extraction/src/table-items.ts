import type { Item, ProviderItem } from '@intake/core';
import { allergiesInList, reactionOf } from './allergies.ts';
import { conditionsInList, surgeriesInList } from './conditions.ts';
import { findDates } from './dates.ts';
import { joinSpans, slice, type TextSpan } from './evidence.ts';
import { immunizationsIn } from './immunizations.ts';
import type { Lexicons } from './lexicons.ts';
import { medicationsIn } from './medications.ts';
import { formatPhone, providerFromBlock } from './providers.ts';
import { resultOf, screeningsIn } from './screenings.ts';
import type { SectionKind } from './sections.ts';
import { parseSig } from './sig.ts';
import { cellOf, cellsOf, type Table, type TableRow, YEAR_COLUMN } from './tables.ts';
import { socialNegative } from './context.ts';

/**
 * Stage 5 (tables) — one item per row of a table, of the kind its section says. The item is
 * found in the row's name cell (its display and evidence are that cell, not the row); its date,
 * sig, status, reaction and result come from the cells of those columns.
 */
export function itemsFromTable(table: Table, kind: SectionKind | undefined, lex: Lexicons): Item[] {
  const out: Item[] = [];
  // A table of due dates and no dates given is a forecast: "Vaccine | Earliest date | Status".
  const roles = new Set(table.columns.map((c) => c.role));
  const datedOutsideNext = table.rows.some((r) =>
    r.cells.some((c, k) => c && table.columns[k]!.role !== 'next' && findDates(c.text, { yearOnly: true }).length > 0),
  );
  if ((kind === 'immunizations' || kind === 'screenings') && roles.has('next') && !roles.has('date') && !datedOutsideNext)
    return out;
  for (const row of table.rows) out.push(...itemsFromRow(table, row, kind, lex));
  return out;
}

/** A cell's dates; under a flowsheet's year column a month and day ("10/04") take the column's year. */
function datesInCell(cell: TextSpan, label: string) {
  const year = label.trim();
  const text = YEAR_COLUMN.test(year) ? cell.text.replace(/(^|\s)(\d{1,2}\/\d{1,2})(?![/\d])/, `$1$2/${year}`) : cell.text;
  return findDates(text, { yearOnly: true });
}

function dateIn(cell: TextSpan | undefined): string | undefined {
  return cell ? findDates(cell.text, { yearOnly: true })[0]?.iso : undefined;
}

/** The date column's date; OCR may glue its month to the cell before it ("…preservative freMay | 3, 2016"). */
function rowDate(name: TextSpan, cell: TextSpan | undefined): string | undefined {
  if (!cell) return undefined;
  const own = dateIn(cell) ?? slashless(cell.text);
  const joined = findDates(`${name.text.slice(-12)} ${cell.text}`, { yearOnly: true }).find((d) => d.end > 12)?.iso;
  return joined && (!own || joined.length > own.length) ? joined : own;
}

/** A date column's "06132016": OCR lost the slashes of 06/13/2016 (read only in a date column, only when valid). */
function slashless(text: string): string | undefined {
  const m = /^\W*(\d{2})(\d{2})((?:19|20)\d{2})\W*$/.exec(text);
  if (!m) return undefined;
  const [mm, dd, yyyy] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return undefined;
  const d = new Date(Date.UTC(yyyy, mm - 1, dd));
  return d.getUTCMonth() === mm - 1 ? `${m[3]}-${m[1]}-${m[2]}` : undefined;
}

/**
 * A table's vertical rule that OCR read into the cell's first word ("ltd (adult)" for "| Td
 * (adult)", "[influenza", ".| Hepatitis"): the cell read again without it, when it names nothing as read.
 */
function withoutRule<T>(cell: TextSpan, read: (cell: TextSpan) => T[]): T[] {
  const m = /^\s*(?:[|[\]!.,:;'‘’_]+\s*|[lI|](?=[A-Za-z]))/.exec(cell.text);
  if (!m || m[0].length === 0 || m[0].length >= cell.text.length) return [];
  return read(slice(cell, m[0].length, cell.text.length));
}

function nameCell(table: Table, row: TableRow): TextSpan | undefined {
  const named = cellOf(table, row, 'name');
  if (named) return named;
  // No name column: the first cell that is not a date, code or quantity.
  return table.columns
    .map((c, k) => ({ c, cell: row.cells[k] }))
    .find(({ c, cell }) => cell && !['date', 'next', 'code', 'quantity', 'refills', 'lot'].includes(c.role))?.cell;
}

const STATUS_WORDS: [RegExp, string][] = [
  [/\bcompleted\b/i, 'completed'],
  [/\b(discontinued|stopped|stop|d\/c|inactive|expired|no longer)\b/i, 'discontinued'],
  [/\b(on hold|held|hold|suspended)\b/i, 'on-hold'],
  [/\b(active|taking|current|continue|continued|ongoing|start|started|new|change|changed)\b/i, 'active'],
];

function statusOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return STATUS_WORDS.find(([re]) => re.test(text))?.[1];
}

function itemsFromRow(table: Table, row: TableRow, kind: SectionKind | undefined, lex: Lexicons): Item[] {
  const name = nameCell(table, row);
  if (!name) return [];
  // A flowsheet's dates are in its year columns, each completed by its year (below).
  const flowsheet = table.columns.some((c) => YEAR_COLUMN.test(c.label.trim()));
  const date = flowsheet ? undefined : rowDate(name, cellOf(table, row, 'date'));
  switch (kind) {
    case 'medications': {
      const strength = cellsOf(table, row, 'strength', 'dose');
      const found = medicationsIn(strength.length ? joinSpans([name, ...strength]) : name, lex, {
        base: 0.92,
        fuzzy: true,
        list: true,
      });
      const sigCell = cellOf(table, row, 'sig', 'frequency');
      const sig = sigCell ? parseSig(sigCell.text) : undefined;
      const status = statusOf(cellOf(table, row, 'status')?.text);
      for (const m of found) {
        if (sig) {
          for (const k of ['dose', 'route', 'frequency'] as const) if (sig[k] && !m[k]) m[k] = sig[k];
          if (sig.strength && !m.strength) m.strength = sig.strength;
        }
        if (status && !m.status) m.status = status;
        if (date && !m.date) m.date = date;
      }
      return [...found, ...prescribers(table, row)];
    }
    case 'immunizations': {
      const v =
        immunizationsIn(name, lex, { base: 0.92, prose: false })[0] ??
        withoutRule(name, (cell) => immunizationsIn(cell, lex, { base: 0.92, prose: false }))[0];
      if (!v) return [];
      // Every dose the row dates: a date column, or a grid of doses across ("Dose 1 | Dose 2 | Dose 3").
      const doseCells = row.cells.filter(
        (c, k): c is TextSpan =>
          !!c &&
          c !== name &&
          !['next', 'lot', 'code', 'name', 'route', 'site'].includes(table.columns[k]!.role) &&
          !/\b(due|next|expir\w*|vis|recommend\w*|forecast|earliest)\b/i.test(table.columns[k]!.label),
      );
      const dates = [
        ...new Set(doseCells.flatMap((c) => datesInCell(c, table.columns[row.cells.indexOf(c)]!.label).map((d) => d.iso))),
      ];
      if (date && !dates.includes(date)) dates.unshift(date);
      if (dates.length <= 1) {
        if (dates[0]) v.date = dates[0];
        return [v];
      }
      return dates.map((d) => ({ ...v, date: d }));
    }
    case 'allergies': {
      const found = allergiesInList(name, lex);
      const reaction = cellOf(table, row, 'reaction');
      const severity = cellOf(table, row, 'severity');
      for (const a of found) {
        if (a.negated) continue;
        if (reaction && !a.reaction) a.reaction = reactionOf(`reaction: ${reaction.text}`).reaction ?? reaction.text.trim();
        if (severity && !a.severity) a.severity = severity.text.trim().toLowerCase();
      }
      return found;
    }
    case 'conditions': {
      const status = cellOf(table, row, 'status')?.text;
      const found = conditionsInList(name);
      for (const c of found) {
        if (c.kind === 'surgery') {
          if (date && !c.date) c.date = date;
          continue;
        }
        if (date && !c.onset) c.onset = date;
        if (status && /\b(resolved|inactive|historical)\b/i.test(status)) c.status = 'resolved';
      }
      return found;
    }
    case 'surgeries': {
      const found = surgeriesInList(name);
      for (const s of found) if (date && !s.date) s.date = date;
      return found;
    }
    case 'screenings': {
      const result = cellOf(table, row, 'result');
      const found = screeningsIn(name, lex, { base: 0.9, prose: false });
      // A flowsheet: one test per year cell that dates one ("03/20 · 2.1" under 2023), its result after the date.
      const byYear = table.columns.flatMap((c, k) => {
        const cell = row.cells[k];
        if (!cell || !YEAR_COLUMN.test(c.label.trim())) return [];
        const d = datesInCell(cell, c.label)[0];
        return d ? [{ date: d.iso, rest: cell.text.replace(/^\s*\d{1,2}\/\d{1,2}\s*[·•:,-]?\s*/, '').trim() }] : [];
      });
      if (byYear.length)
        return found.flatMap((s) =>
          byYear.map(({ date: d, rest }) => ({
            ...s,
            date: d,
            ...(rest ? { result: resultOf(rest) ?? rest } : {}),
          })),
        );
      for (const s of found) {
        if (date) s.date = date;
        const r = result ? (resultOf(result.text) ?? result.text.trim()) : undefined;
        if (r && !s.result) s.result = r;
      }
      return found;
    }
    case 'providers': {
      const p = providerRow(table, row, name);
      return p ? [p] : [];
    }
    case 'social': {
      const status = cellOf(table, row, 'status', 'comment', 'result') ?? row.cells.find((c) => c && c !== name);
      const neg = socialNegative(name, status);
      return neg ? [neg] : [];
    }
    case 'family':
    case 'patient':
    case 'results':
    case 'narrative':
    case 'other':
    case undefined:
      return [];
  }
}

function providerRow(table: Table, row: TableRow, name: TextSpan): ProviderItem | undefined {
  const block: TextSpan[] = [name];
  const phone = cellOf(table, row, 'phone');
  const fax = cellOf(table, row, 'fax');
  const role = cellOf(table, row, 'relation', 'specialty');
  const p = providerFromBlock(block, 0.88);
  if (!p) return undefined;
  if (phone) p.phone = formatPhone(phone.text) ?? phone.text.trim();
  if (fax) p.fax = formatPhone(fax.text) ?? fax.text.trim();
  if (role && !p.role) p.role = role.text.trim().toLowerCase();
  return p;
}

/** "Authorizing provider", "Prescriber" cells name clinicians in a role for this patient. */
function prescribers(table: Table, row: TableRow): ProviderItem[] {
  const cell = cellOf(table, row, 'provider');
  if (!cell) return [];
  const p = providerFromBlock([cell], 0.8);
  if (!p) return [];
  const phone = cellOf(table, row, 'phone');
  if (phone) p.phone = formatPhone(phone.text) ?? phone.text.trim();
  p.role ??= 'prescriber';
  return [p];
}
