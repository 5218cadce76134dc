import type { Patient } from '@intake/core';
import { parseDate } from './dates.ts';
import type { TextSpan } from './evidence.ts';

const NAME_LABEL =
  /\b(?:patient(?:'s)?\s*name|patient|pt\.?\s*name|pt|name|member(?:\s*name)?|re|regarding|subject)(?:\s*\([^)]{0,20}\))?\s*[:#]\s*(.+)$/i;
const DOB = /\b(?:D[O0]B|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|birthdate|born)\s*[:#]?\s*([A-Za-z0-9 ,./-]{6,20})/i;
const MRN =
  /\b(?:MRN|M\.R\.N\.|MR\s*(?:#|no\.?|number)|medical\s+record\s*(?:number|no\.?|#)?|med\s*rec\s*(?:no\.?|#)|patient\s*id|chart\s*(?:number|no\.?|#)|(?:account|acct)\.?\s*(?:number|no\.?|#))\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,19})\b/i;

function cleanName(raw: string): string | undefined {
  let s = raw
    .split(
      /\s{2,}|\s\|\s|\b(?:DOB|D\.O\.B|date of birth|MRN|sex|gender|age|phone|dob|birth|medical record|med\.?\s*rec|mr\s*#|acct|id|account|registry)\b/i,
    )[0]!
    .replace(/\(.*$/, '')
    .replace(/[,;:\s]+$/, '')
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

/** The patient's name, date of birth and MRN as the document states them. */
export function patientFrom(spans: TextSpan[]): Patient {
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
        /\b(?:[Ss]ummary|[Rr]ecords?|[Pp]rofile|[Rr]eport|[Hh]istory|[Cc]hart|SUMMARY|RECORDS?|PROFILE|REPORT|HISTORY|CHART)\s+(?:for|of|FOR|OF)\s*:?\s+((?:[A-Z][a-z'’-]+|[A-Z]{2,}[A-Z'’-]*)(?:\s+[A-Z]\.?)?\s+[A-Z][a-zA-Z'’-]+)\b/.exec(
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
