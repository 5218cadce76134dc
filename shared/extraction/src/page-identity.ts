import type { PageText, Patient } from '@intake/core';
import { layoutLines } from './layout.ts';
import { patientFrom } from './patient.ts';
import { sectionOf } from './sections.ts';

/** The patient one page names (each field as that page states it), read on its own. */
export interface PageIdentity extends Patient {
  page: number;
}

/** Pages that name one patient: a suggested document of a split. */
export interface IdentityGroup {
  pages: number[];
  patient: Patient;
}

export interface DocumentIdentity {
  /** Every page, with what it says about the patient (a page that names nobody has only its number). */
  pages: PageIdentity[];
  /** Pages by the patient they name; a page naming nobody goes with the page before it. */
  groups: IdentityGroup[];
  /** The pages name more than one patient. */
  mixed: boolean;
}

const strip = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z ]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1);
const idKey = (s: string | undefined) => (s ? s.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/^0+/, '') : undefined);

/** Each page's identity, read page by page with the extractor's own identity rules (`patientFrom`). */
export function pageIdentities(pages: PageText[]): PageIdentity[] {
  return pages.map((p) => {
    if (p.method === 'skipped-blank' || p.method === 'skipped-separator') return { page: p.page };
    const lines = layoutLines([p], { isHeading: (t) => sectionOf(t) !== undefined });
    const found = patientFrom(lines.flatMap((l) => [l.span, ...l.cells]));
    const out: PageIdentity = { page: p.page };
    if (found.name) out.name = found.name;
    if (found.birthDate) out.birthDate = found.birthDate;
    if (found.mrn) out.mrn = found.mrn;
    return out;
  });
}

type Verdict = 'same' | 'different' | 'unknown';

function names(a: string | undefined, b: string | undefined): Verdict {
  if (!a || !b) return 'unknown';
  const x = strip(a);
  const y = strip(b);
  if (!x.length || !y.length) return 'unknown';
  // The surname (last word) of either appears in the other: "Jane A Roe" = "Jane Roe" = "Roe, Jane".
  const share = x.some((w) => w.length > 2 && y.includes(w));
  return share && (x.includes(y.at(-1)!) || y.includes(x.at(-1)!)) ? 'same' : 'different';
}

function dates(a: string | undefined, b: string | undefined): Verdict {
  if (!a || !b) return 'unknown';
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) === b.slice(0, n) ? 'same' : 'different';
}

function ids(a: string | undefined, b: string | undefined): Verdict {
  const x = idKey(a);
  const y = idKey(b);
  if (!x || !y) return 'unknown';
  return x === y ? 'same' : 'different';
}

/**
 * Whether two statements of a patient are about different people. A different birth date or
 * MRN says so; a different name only when neither the birth date nor the MRN agrees (a name
 * read badly by OCR on one page is not a second patient).
 */
export function differentPatients(a: Patient, b: Patient): boolean {
  const n = names(a.name, b.name);
  const d = dates(a.birthDate, b.birthDate);
  const m = ids(a.mrn, b.mrn);
  if (d === 'different' || m === 'different') return !(n === 'same' && (d === 'same' || m === 'same'));
  if (n === 'different') return d !== 'same' && m !== 'same';
  return false;
}

/** Whether a page's identity says something that ties it to a patient (a field agrees). */
function agrees(a: Patient, b: Patient): boolean {
  return names(a.name, b.name) === 'same' || dates(a.birthDate, b.birthDate) === 'same' || ids(a.mrn, b.mrn) === 'same';
}

/** The pages of a document by the patient each names, and whether there is more than one. */
export function documentIdentity(pages: PageText[]): DocumentIdentity {
  return groupIdentities(pageIdentities(pages));
}

export function groupIdentities(identities: PageIdentity[]): DocumentIdentity {
  const groups: IdentityGroup[] = [];
  let current: IdentityGroup | undefined;
  const unplaced: number[] = [];
  for (const id of identities) {
    const named = Boolean(id.name || id.birthDate || id.mrn);
    if (!named) {
      if (current) current.pages.push(id.page);
      else unplaced.push(id.page);
      continue;
    }
    const { page: _page, ...patient } = id;
    let group = groups.find((g) => !differentPatients(g.patient, patient) && agrees(g.patient, patient));
    if (!group) group = groups.find((g) => !differentPatients(g.patient, patient));
    if (!group) {
      group = { pages: [], patient: {} };
      groups.push(group);
    }
    group.pages.push(id.page);
    for (const k of ['name', 'birthDate', 'mrn'] as const) if (!group.patient[k] && patient[k]) group.patient[k] = patient[k];
    current = group;
  }
  if (groups.length === 0) return { pages: identities, groups: [{ pages: unplaced, patient: {} }], mixed: false };
  groups[0]!.pages.unshift(...unplaced);
  for (const g of groups) g.pages.sort((a, b) => a - b);
  return { pages: identities, groups, mixed: groups.length > 1 };
}
