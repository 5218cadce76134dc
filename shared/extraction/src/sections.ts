import { normalizeTerm, readDataRows, TermIndex } from '@intake/vocab';

export type SectionKind =
  | 'medications'
  | 'allergies'
  | 'immunizations'
  | 'screenings'
  | 'conditions'
  | 'surgeries'
  | 'providers'
  | 'family'
  | 'social'
  | 'patient'
  | 'results'
  | 'narrative'
  | 'other';

let index: TermIndex<SectionKind> | undefined;
function headings(): TermIndex<SectionKind> {
  if (!index) {
    index = new TermIndex<SectionKind>(7);
    // Section titles are data: shared/vocab/data/sections.tsv.
    for (const [title, kind] of readDataRows('sections.tsv')) {
      if (title && kind) index.add(title.trim(), kind.trim() as SectionKind);
    }
  }
  return index;
}

function headingKey(text: string): string {
  return normalizeTerm(
    text
      .replace(/&/g, ' and ')
      .replace(/[/()\\[\]{}#_=|]/g, ' ')
      .replace(/[.:\-–—]+\s*$/, ''),
  );
}

const sectionCache = new Map<string, SectionKind | null>();

/** The section a heading names, allowing OCR slips; undefined when the text is not a heading we know. */
export function sectionOf(text: string): SectionKind | undefined {
  if (text.length > 80) return undefined;
  const cached = sectionCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const kind = computeSectionOf(text);
  if (sectionCache.size > 50_000) sectionCache.clear();
  sectionCache.set(text, kind ?? null);
  return kind;
}

function computeSectionOf(text: string): SectionKind | undefined {
  // "3. Medications", "IV) Allergies", "A. Problem List"
  const t = text.trim().replace(/^(?:\d{1,2}|[ivx]{1,4}|[a-h])[.)]\s+/i, '');
  if (!t || t.length > 60) return undefined;
  // "Allergies reviewed 3/1/2024" is a heading; "ALLERGIES: Reviewed. Amoxicillin (rash)" has content after it.
  const qualifier = /\b(as of|updated|reviewed|last updated|on date of|on \d|dated?)\b.*$/i.exec(t);
  if (qualifier && /[.:;]\s+[A-Za-z]/.test(qualifier[0])) return undefined;
  const key = headingKey(
    t
      .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
      .replace(/\b(as of|updated|reviewed|last updated|on date of|on \d|dated?)\b.*$/i, '')
      // "Allergies on file", "Problems on record": where the list is kept, not its title.
      .replace(/\s+on (?:file|record)\s*$/i, '')
      .replace(/\s[-–—]\s*\d[\d/.-]*\s*$/, ''),
  )
    .replace(/\b(section|continued|cont d|cont)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!key || key.split(' ').length > 6) return undefined;
  const hit = headings().lookup(key, key.length >= 7);
  if (hit) {
    // Very short headings only count when written as headings (caps or a colon), not as words in a sentence.
    if (key.length <= 3 && !/^[A-Z/&.\s]+:?$/.test(t) && !t.endsWith(':')) return undefined;
    return hit.value;
  }
  return undefined;
}

/**
 * A line that looks like a heading we do not know ("OFFICE USE ONLY:", "INDICATIONS", "PERTINENT
 * HISTORY (FROM PRE-OPERATIVE H&P, 08/07/2025)", "ESTIMATED BLOOD LOSS | SPECIMENS | COMPLICATIONS"),
 * which ends the current section. The caller checks that it names no item.
 */
export function looksLikeUnknownHeading(text: string, inTable = false): boolean {
  // Inside a table a caps line is a group row ("INFLUENZA", "TD/TDAP" in a registry's dose table).
  if (inTable) return looksLikeLabelLine(text.trim());
  // A row of caps labels (the header of a table of unknown kind) is a heading too.
  const cells = text
    .split(/\s\|\s|\s{3,}/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (cells.length > 1 && cells.length <= 6) return cells.every((c) => capsLabel(c) && c.replace(/[^A-Z]/g, '').length >= 4);
  // What a heading says in parentheses ("(from the H&P, 08/07/2025)") is not its title.
  const t = text.trim().replace(/\s*\([^()]*\)\s*$/, '');
  if (/\d/.test(t)) return false;
  if (looksLikeLabelLine(t)) return true;
  return capsLabel(t) && t.length <= 50 && t.replace(/[^A-Z]/g, '').length >= 5;
}

/** A short line ending in a colon, or two to five words in capitals ("OFFICE USE ONLY"). */
function looksLikeLabelLine(t: string): boolean {
  if (t.length < 4 || t.length > 50) return false;
  if (/\d/.test(t)) return false;
  const words = t.split(/\s+/);
  if (words.length > 5) return false;
  if (/:$/.test(t)) return true;
  return words.length >= 2 && t === t.toUpperCase() && /[A-Z]{3}/.test(t);
}

/** All capitals, at least three in a row, no digits: "FINDINGS", "ESTIMATED BLOOD LOSS". */
function capsLabel(t: string): boolean {
  return t === t.toUpperCase() && /[A-Z]{3}/.test(t) && !/\d/.test(t) && t.split(/\s+/).length <= 5 && !/[.!?,;]\s*\S/.test(t);
}

/**
 * "Allergies: penicillin (hives)" → the section and the text after the label. Only labels that
 * name a section; "Dose: 10 mg" is not split.
 */
export function inlineHeading(text: string): { kind: SectionKind; rest: string; restOffset: number } | undefined {
  const m =
    /^\s*([A-Za-z][A-Za-z /&()'-]{1,45}?)\s*[:\-–—]\s+(\S.*)$/.exec(text) ??
    /^\s*([A-Za-z][A-Za-z /&()'-]{1,45}?):(\S.*)$/.exec(text);
  if (!m) return questionHeading(text);
  const kind = sectionOf(m[1]!);
  if (!kind) return undefined;
  const rest = m[2]!;
  return { kind, rest, restOffset: text.length - rest.length };
}

const QUESTION_TOPICS: [RegExp, SectionKind][] = [
  [/\ballerg/i, 'allergies'],
  [/\b(family|relatives?|parents?|mother|father|siblings?)\b/i, 'family'],
  [/\b(smoke|smoking|tobacco|alcohol|drink|recreational|street drugs|exercise|vape)\b/i, 'social'],
  [/\b(vaccin\w*|immuniz\w*|shots?)\b/i, 'immunizations'],
  [/\b(surger(y|ies)|operations?|operated|procedures?)\b/i, 'surgeries'],
  [/\b(medications?|medicines?|meds|prescriptions?|pills|drugs|supplements)\b/i, 'medications'],
  [/\b(screenings?|mammograms?|colonoscop\w*|pap)\b/i, 'screenings'],
  [
    /\b(medical (conditions?|problems?|history)|diagnosed|illness(es)?|health (problems?|conditions?)|conditions?)\b/i,
    'conditions',
  ],
];

/**
 * A questionnaire line "Are you allergic to any medications? Yes — sulfa (rash)": the question
 * names the section of its answer; a question on another topic ("Do you smoke? No") ends the
 * section above it.
 */
function questionHeading(text: string): { kind: SectionKind; rest: string; restOffset: number } | undefined {
  const m =
    /^\s*((?:are|do|does|did|have|has|had|is|was|were|what|which|list|please list|any|how|when|who|name)\b[^?]{2,90})\?\s*(\S.*)?$/i.exec(
      text,
    );
  if (!m) return undefined;
  const q = m[1]!;
  const kind = QUESTION_TOPICS.find(([re]) => re.test(q))?.[1] ?? 'other';
  const rest = m[2] ?? '';
  return { kind, rest, restOffset: text.length - rest.length };
}
