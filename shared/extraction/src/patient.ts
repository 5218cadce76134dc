import type { Patient } from '@intake/core';
import { lazy, readDataRows } from '@intake/vocab';
import { parseDate } from './dates.ts';
import { withinEdits } from './edits.ts';
import type { TextSpan } from './evidence.ts';

const NAME_LABEL =
  /\b(?:patient(?:'s)?\s*name|patient|pt\.?\s*name|pt|name|member(?:\s*name)?|re|regarding|subject)(?:\s*\([^)]{0,20}\))?\s*[:#]\s*(.+)$/i;
const DOB = /\b(?:D[O0]B|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|birthdate|born)\s*[:#]?[\s_.:;—–-]*([A-Za-z0-9 ,./-]{6,20})/i;
const MRN =
  /\b(?:MRN|M\.R\.N\.|MR\s*(?:#|no\.?|number)|medical\s+record\s*(?:number|no\.?|#)?|med\s*rec\s*(?:no\.?|#)|patient\s*id|chart\s*(?:number|no\.?|#)|(?:account|acct)\.?\s*(?:number|no\.?|#))\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,19})\b/i;

function cleanName(raw: string): string | undefined {
  let s = raw
    // OCR debris before the name ("(CHRISTIAN BALISTRER!.") is not a parenthesis to drop.
    .replace(/^[^A-Za-z]+/, '')
    .split(
      /\s{2,}|\s\|\s|\b(?:DOB|D\.O\.B|date of birth|MRN|sex|gender|age|phone|dob|birth|medical record|med\.?\s*rec|mr\s*#|acct|id|account|registry)\b/i,
    )[0]!
    .replace(/\(.*$/, '')
    .replace(/[,;:\s]+$/, '')
    .trim();
  // OCR debris after the name ("GAYLA FERRY.", "Gutmann, Desmond =") and "!" read for a final I.
  s = s
    .replace(/(?<=[A-Z])!(?=[\s.,]|$)/g, 'I')
    .replace(/(?<=[a-z])!(?=[\s.,]|$)/g, 'i')
    .replace(/[^A-Za-z'’]+$/, '')
    .trim();
  if (!s || /\d/.test(s) || s.split(/\s+/).length > 5 || s.length < 4) return undefined;
  if (/^(new patient|records|medical records|request|release|transfer|referral|patient)/i.test(s)) return undefined;
  // "SMITH, JANE A" → "Jane A Smith"
  const comma = /^([A-Za-z'’-]+),\s*([A-Za-z'’. -]+)$/.exec(s);
  if (comma) s = `${comma[2]} ${comma[1]}`;
  s = s
    .replace(/[:;.,'‘’](?=\s)|^[^A-Za-z]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (s === s.toUpperCase()) s = s.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase());
  return s.replace(/\s+/g, ' ');
}

type Field = 'name' | 'birthDate' | 'mrn';
const identityLabels = lazy(() => {
  const labels = new Map<string, Field>();
  for (const [label, field] of readDataRows('identity-labels.tsv')) {
    if (label && field) labels.set(label.trim(), field.trim() as Field);
  }
  return labels;
});

const labelKey = (s: string) =>
  s
    .toLowerCase()
    .replace(/rn/g, 'm')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The identity field a label names, allowing one OCR slip in a label of five letters or more. */
export function identityLabel(label: string): Field | undefined {
  const key = labelKey(label);
  if (!key || key.length > 30) return undefined;
  const labels = identityLabels();
  const exact = labels.get(key) ?? labels.get(key.replace(/rn/g, 'm'));
  if (exact) return exact;
  if (key.replace(/\s/g, '').length < 5) return undefined;
  let hit: Field | undefined;
  for (const [l, f] of labels) {
    if (l.length < 5 || !withinEdits(key, l, l.length >= 9 ? 2 : 1)) continue;
    if (hit && hit !== f) return undefined;
    hit = f;
  }
  return hit;
}

/**
 * "Narne: GAYLA FERRY", "PATIFNT: EICHMANN, JUDSON", "BirthDate: -—-06/03/1937": labelled cells
 * whose label OCR damaged, read through the label vocabulary (`identity-labels.tsv`).
 */
/** A birth date as OCR leaves it: junk before it, or a lost slash ("0621/1993" → 06/21/1993). */
function birthDateIn(value: string): string | undefined {
  const v = value.replace(/^[\s_.:;,—–-]+/, '');
  const d = parseDate(v, { yearOnly: false });
  if (d && d.length === 10) return d;
  // Letters OCR reads for digits inside a numeric date, and a space it put into one
  // ("o6/24/1 996" → 06/24/1996).
  const numeric = /^[\dOoIl|]{1,2}[/.-][\dOoIl|]{1,2}[/.-][\dOoIl| ]{4,5}/.exec(v)?.[0];
  if (numeric) {
    const folded = numeric.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1').replace(/ /g, '');
    const f = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/.test(folded) ? parseDate(folded, { yearOnly: false }) : undefined;
    if (f && f.length === 10) return f;
  }
  const m = /^(\d{2})(\d{2})[/.-](\d{4})\b|^(\d{2})[/.-](\d{2})(\d{4})\b/.exec(v);
  if (m) return parseDate(m[1] ? `${m[1]}/${m[2]}/${m[3]}` : `${m[4]}/${m[5]}/${m[6]}`, { yearOnly: false });
  return d;
}

/** "008" or "D0B" for DOB: a three-letter label one OCR slip from "dob", before a full date. */
function dobLike(label: string): boolean {
  const k = label
    .toLowerCase()
    .replace(/0/g, 'o')
    .replace(/8/g, 'b')
    .replace(/[^a-z]/g, '');
  return k.length === 3 && withinEdits(k, 'dob', 1) && /[db]/.test(k);
}

/** A DOB-like label before a full birth date. */
const dobBefore = (label: string, value: string): boolean => dobLike(label) && birthDateIn(value)?.length === 10;

function fromLabelledCells(spans: TextSpan[], patient: Patient): void {
  for (const s of spans) {
    const cells = s.text.split(/\s\|\s|\s{3,}/).map((c) => c.trim());
    for (const [k, cell] of cells.entries()) {
      let m = /^\W{0,3}([A-Za-z0-9][A-Za-z0-9 .'’/#-]{0,30}?)\s*[:;#]\s*(.+)$/.exec(cell) as (string | undefined)[] | null;
      // "Name | KERMIT TRANTOW", "008:      01/04/1984": a label cell, then its value in the next cell.
      if (!m && k + 1 < cells.length) {
        const label = /^\W{0,3}([A-Za-z0-9][A-Za-z0-9 .'’/#-]{0,30}?)\s*[:;#]?$/.exec(cell)?.[1];
        const next = cells[k + 1]!;
        if (label && !identityLabel(next) && (identityLabel(label) || dobBefore(label, next))) m = [cell, label, next];
      }
      // "QOB Jan 27, 1986": a DOB-like label with no colon, straight before a full date.
      if (!m) {
        const bare = /^\W{0,3}([A-Za-z0-9]{3})\s+(.+)$/.exec(cell);
        if (bare && dobBefore(bare[1]!, bare[2]!)) m = bare;
      }
      if (!m) continue;
      const value = m[2]!;
      const field = identityLabel(m[1]!) ?? (dobBefore(m[1]!, value) ? 'birthDate' : undefined);
      if (field === 'birthDate' && !patient.birthDate) {
        const d = birthDateIn(value);
        if (d) patient.birthDate = d;
      } else if (field === 'mrn' && !patient.mrn) {
        const v = /^[\s#:]*([A-Z0-9][A-Z0-9-]{3,19})\b/i.exec(value)?.[1];
        if (v && /\d/.test(v) && !/^\d{1,2}[/-]\d{1,2}[/-]\d{2,4}$/.test(v)) patient.mrn = v;
      } else if (field === 'name' && !patient.name && !/^(?:re|regarding|subject)$/.test(labelKey(m[1]!))) {
        const n = cleanName(value);
        if (n && !/\b(dr|md|clinic|medical|health|hospital|center)\b/i.test(n)) patient.name = n;
      }
    }
    if (patient.name && patient.birthDate && patient.mrn) return;
  }
}

/** The patient's name, date of birth and MRN as the document states them. */
export function patientFrom(spans: TextSpan[]): Patient {
  const patient = patientFromExact(spans);
  if (!patient.name || !patient.birthDate || !patient.mrn) fromLabelledCells(spans, patient);
  return patient;
}

function patientFromExact(spans: TextSpan[]): Patient {
  const patient: Patient = {};
  for (const s of spans) {
    const text = s.text;
    if (!patient.birthDate) {
      const m = DOB.exec(text);
      const d = m ? parseDate(m[1]!, { yearOnly: false }) : undefined;
      if (d) patient.birthDate = d;
    }
    if (!patient.mrn) {
      const m = MRN.exec(text);
      if (m && /\d/.test(m[1]!)) patient.mrn = m[1]!;
    }
    if (!patient.name) {
      for (const cell of text.split(/\s\|\s/)) {
        const m = NAME_LABEL.exec(cell);
        if (!m) continue;
        if (
          /^(?:re|regarding|subject)$/i.test(cell.slice(0, cell.indexOf(m[1]!)).replace(/[:#\s]/g, '')) &&
          /\b(records?|request|referral)\b/i.test(m[1]!) &&
          !/[:,]/.test(m[1]!)
        )
          continue;
        const n = cleanName(m[1]!.replace(/^(?:(?:patient|pt)\s*(?:name)?\s*:\s*)/i, ''));
        if (n && !/\b(dr|md|clinic|medical|health)\b/i.test(n)) {
          patient.name = n;
          break;
        }
      }
    }
    if (patient.name && patient.birthDate && patient.mrn) break;
  }
  if (!patient.name) {
    // A document title that names its subject: "Health Summary for Kerry Cormier", "Immunization Record for JANE ROE".
    for (const s of spans) {
      const m =
        /\b(?:[Ss]ummary|[Ss]u(?:rr|mr|rm)mary|[Ss]umrnary|[Rr]ecords?|[Pp]rofile|[Rr]eport|[Hh]istory|[Cc]hart|SUMMARY|RECORDS?|PROFILE|REPORT|HISTORY|CHART)[\s.]+(?:for|of|FOR|OF)\s*:?\s+((?:[A-Z][a-z'’-]+|[A-Z]{2,}[A-Z'’-]*)(?:\s+[A-Z]\.?)?\s+[A-Z][a-zA-Z'’-]+)\b/.exec(
          s.text,
        );
      const n = m ? cleanName(m[1]!) : undefined;
      if (n && !/\b(Dr|MD)\b/.test(m![1]!)) {
        patient.name = n;
        break;
      }
    }
  }
  if (!patient.name) {
    // Prose: "our mutual patient, Mary Johnson (DOB 3/3/1955)", "Re: Mary Johnson".
    for (const s of spans) {
      const m =
        /\b(?:patient|pt\.?|re:?|regarding)\s*,?\s+(?:(?:Mr|Mrs|Ms|Miss)\.?\s+)?([A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-zA-Z'’-]+)\b/.exec(
          s.text,
        ) ??
        /\b(?:Mr|Mrs|Ms|Miss)\.?\s+([A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-zA-Z'’-]+)\s*[(,]\s*(?:DOB|D\.O\.B|born|date of birth)/i.exec(
          s.text,
        ) ??
        /\b([A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-zA-Z'’-]+)\s*[(,]\s*(?:DOB|D\.O\.B\.?|born)\b/.exec(s.text) ??
        // "Maria Gonzalez   DOB: 03/15/1962" at the start of a line (a header without a name label).
        /^\s*([A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-zA-Z'’-]+)(?:\s{2,}|\s*\|\s*)(?:DOB|D\.O\.B\.?|date of birth)\b/i.exec(
          s.text,
        ) ??
        /\b([A-Z][A-Z'’-]+,\s*[A-Z][A-Z'’-]+(?:\s+[A-Z]\.?)?)[\s|(,]*(?:DOB|D\.O\.B\.?)\b/.exec(s.text);
      if (m && !/\b(Dr|MD)\b/.test(m[1]!)) {
        patient.name = cleanName(m[1]!) ?? m[1]!;
        break;
      }
    }
  }
  return patient;
}
