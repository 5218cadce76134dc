import type { Item, ReviewRevision } from '@intake/core';
import { keptItems } from './workflow.ts';

export const CSV_COLUMNS = [
  'document_id',
  'member_id',
  'item_id',
  'decision',
  'kind',
  'display',
  'name',
  'code_system',
  'code',
  'date',
  'status',
  'details',
  'negated',
  'page',
  'approved_by',
  'approved_at',
] as const;

/**
 * One CSV field. A cell a spreadsheet could run as a formula (starting with = + - @, a
 * tab or CR, also after leading spaces) is prefixed with `'`; a cell with a quote, comma,
 * semicolon (the separator of semicolon-locale Excel), tab, CR/LF or `'` is quoted, so no
 * locale splits it into a fresh cell that starts with a formula.
 */
export function csvField(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[ ]*[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\t\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function itemFacts(item: Item): { name: string; date?: string; status?: string; details: string } {
  switch (item.kind) {
    case 'medication':
      return {
        name: item.name,
        date: item.date,
        status: item.status,
        details: [item.strength, item.dose, item.route, item.frequency].filter(Boolean).join(' '),
      };
    case 'allergy':
      return { name: item.substance, details: [item.reaction, item.severity].filter(Boolean).join('; ') };
    case 'immunization':
      return { name: item.vaccine, date: item.date, details: item.lot ? `lot ${item.lot}` : '' };
    case 'screening':
      return { name: item.type, date: item.date, details: item.result ?? '' };
    case 'condition':
      return { name: item.name, date: item.onset, status: item.status, details: '' };
    case 'surgery':
      return { name: item.name, date: item.date, details: '' };
    case 'provider':
      return {
        name: item.name,
        details: [item.role, item.organization, item.phone && `phone ${item.phone}`, item.fax && `fax ${item.fax}`, item.address]
          .filter(Boolean)
          .join('; '),
      };
  }
}

/** The approved record as CSV: one row per kept item (accepted, edited or added). */
export function buildCsv(docId: string, revision: ReviewRevision): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const r of keptItems(revision.items)) {
    const f = itemFacts(r.item);
    const code = r.item.codes[0];
    rows.push(
      [
        docId,
        revision.memberId ?? '',
        r.id,
        r.decision,
        r.item.kind,
        r.item.display,
        f.name,
        code?.system ?? '',
        code?.code ?? '',
        f.date ?? '',
        f.status ?? '',
        f.details,
        r.item.negated ? 'true' : 'false',
        r.item.evidence?.page ?? '',
        revision.by,
        revision.at,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}
