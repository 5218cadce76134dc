import type { ExtractionResult, Item, PageText, Source } from '@intake/core';
import { allergiesInList, allergiesInProse, nkdaItem, NKDA_RE, REACTION_TEST, reactionOf, substancesIn } from './allergies.ts';
import { conditionLexicon, conditionsInList, conditionsInProse, contextOf, SURGERY_RE, surgeriesInList } from './conditions.ts';
import { findDates } from './dates.ts';
import { joinSpans, slice, spanFromText, type TextSpan } from './evidence.ts';
import { immunizationsIn, vaccineMentions } from './immunizations.ts';
import { layoutLines, type LayoutLine } from './layout.ts';
import { lexicons, type Lexicons } from './lexicons.ts';
import { drugMentions, medicationsIn } from './medications.ts';
import { findMentions } from './mentions.ts';
import { dedupe } from './merge.ts';
import { patientFrom } from './patient.ts';
import { contactDetails, PERSON_RE, providerFromBlock, providersInProse, providersInSection } from './providers.ts';
import { resultOf, screeningsIn } from './screenings.ts';
import { inlineHeading, looksLikeUnknownHeading, sectionOf, type SectionKind } from './sections.ts';
import { parseSig } from './sig.ts';
import { isSectionNegative, socialNegative } from './context.ts';
import { attachMarks, MARK, readBoxes } from './checkboxes.ts';
import { pairFields } from './fields.ts';
import { furniture } from './furniture.ts';
import { itemsFromTable } from './table-items.ts';
import { columnRole, headerColumns, readTable, YEAR_COLUMN, type Column } from './tables.ts';
import { repairWords } from './words.ts';
import { labelledClauses } from './clauses.ts';
import type { Run } from './run.ts';

const CHECKLIST = /\b(check|tick|mark|circle|select)\b.{0,30}\b(all|any|one|each|that apply|if|those)\b/i;

const HEADER_WORDS = new Set(
  (
    'medication medications drug drugs name dose dosage strength route frequency freq sig directions instructions status start ' +
    'date dates end stop prescriber prescribed qty quantity refills allergen allergens substance reaction reactions severity type vaccine ' +
    'vaccines immunization immunizations given lot number site manufacturer mfr problem problems diagnosis diagnoses condition onset icd-10 icd10 icd ' +
    'code codes notes note comments comment procedure procedures surgery surgeries test tests screening screenings result results last done ' +
    'next due provider providers role specialty phone fax address organization practice description administered by of # no. and ' +
    'resolved active performed location facility interpretation value category recorded updated dispense disp refill ' +
    'refills sig instructions reason indication prescribed ordered last first amount unit units form given administered exp expiration vis'
  ).split(' '),
);

function isTableHeader(text: string): boolean {
  const words = text
    .toLowerCase()
    .replace(/[|:/()#.]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  return words.length >= 2 && words.every((w) => HEADER_WORDS.has(w));
}

const TABLE_KIND: Record<string, SectionKind> = {
  medication: 'medications',
  medications: 'medications',
  drug: 'medications',
  allergen: 'allergies',
  allergens: 'allergies',
  substance: 'allergies',
  vaccine: 'immunizations',
  vaccines: 'immunizations',
  immunization: 'immunizations',
  problem: 'conditions',
  diagnosis: 'conditions',
  condition: 'conditions',
  procedure: 'surgeries',
  surgery: 'surgeries',
  screening: 'screenings',
  provider: 'providers',
  physician: 'providers',
};

/** The section a header row of a table names without a heading above it ("Medication | Dose | Frequency"). */
function tableHeaderKind(text: string): SectionKind | undefined {
  if (!isTableHeader(text)) return undefined;
  for (const w of text.toLowerCase().split(/[\s|:/()#.]+/)) {
    const k = TABLE_KIND[w];
    if (k) return k;
  }
  return undefined;
}

/** The section a table's header names by its item column ("Medication | Sig | …" → medications). */
function columnsKind(cols: Column[]): SectionKind | undefined {
  const name = cols.find((c) => c.role === 'name' || c.role === 'provider');
  if (!name) return undefined;
  for (const w of name.label.toLowerCase().split(/[\s|:/()#.]+/)) {
    const k = TABLE_KIND[w];
    if (k) return k;
  }
  return headingKind(name.label);
}

/** "2. MEDICAL CONDITIONS — check all that apply", "ALLERGIES (what happens?)": a capitalised head with its instructions after it. */
const CAPS_HEAD =
  /^\s*(?:\d{1,2}[.,)]\s*|[A-H][.)]\s+)?([A-Z][A-Z&/,' -]{3,50}?)\s*(?:[—–-]\s*(?=[a-z(])|\((?=[a-z])|[\s.,:;'‘’"|_~-]*$)/;

/**
 * Words that may start a heading line and are not an icon read by OCR ("No Allergies" is not the
 * heading "Allergies"; "IV Medications" is its own heading).
 */
const HEAD_WORDS =
  /^(?:no|not|non|of|on|in|to|at|by|my|me|we|us|or|an|as|is|it|if|do|go|up|so|mr|ms|dr|st|iv|po|im|sq|ot|pt|er|ed|ob|gi|gu|ent|all|any|new|old|own|per|pre|re|the|and|for|her|his|our|you|see)$/i;

/**
 * A heading behind an icon or bullet that OCR read as a short token ("¥ Health Issues", "Fx
 * Medications", "A Allergies", "f CHRONIC DIAGNOSES", "‘3. MEDICATIONS"): the line without up to
 * two such tokens, when what follows starts with a capital.
 */
function withoutLeadJunk(text: string): string | undefined {
  let t = text.replace(/^[^A-Za-z0-9]+(?=\d{1,2}[.)]\s|[A-Z])/, '');
  let changed = t !== text;
  for (let i = 0; i < 2; i++) {
    const m = /^(\S{1,3})\s+(?=\S)/.exec(t);
    if (!m || HEAD_WORDS.test(m[1]!.replace(/[.:]$/, '')) || /^\d{1,2}[.)]$/.test(m[1]!)) break;
    t = t.slice(m[0].length);
    changed = true;
    if (/^[A-Z]/.test(t)) break;
  }
  return changed && /^(?:\d{1,2}[.)]\s*)?[A-Z][A-Za-z]/.test(t) ? t : undefined;
}

function headingKind(text: string): SectionKind | undefined {
  const kind = headingKindOf(text);
  if (kind) return kind;
  const rest = withoutLeadJunk(text.trim());
  // Only a heading the vocabulary knows outright, of a real length, behind the junk.
  return rest && rest.replace(/[^A-Za-z]/g, '').length >= 5 ? headingKindOf(rest) : undefined;
}

function headingKindOf(text: string): SectionKind | undefined {
  const t = text.replace(/\s*\|\s*$/, '');
  const direct = sectionOf(t);
  if (direct) return direct;
  // "Drug Allergies / Intolerances": alternatives that each name the same section.
  if (/\/|&/.test(t) && t.length <= 60) {
    const kinds = t
      .split(/\s*[/&]\s*/)
      .filter((p) => p.trim())
      .map((p) => sectionOf(p));
    if (kinds.length > 1 && kinds[0] && kinds.every((k) => k === kinds[0])) return kinds[0];
  }
  const caps = CAPS_HEAD.exec(t);
  if (!caps || caps[1]!.replace(/[^A-Z]/g, '').length < 4) return undefined;
  const head = caps[1]!.trim();
  if (caps[0].length < t.length) {
    const k = sectionOf(head);
    if (k) return k;
  }
  // "SURGERIES / OPERATIONS", "VACCINES AND SCREENING TESTS": the first part that names a section.
  // A slash OCR lost leaves a wide gap ("SURGERIES   OPERATIONS").
  for (const part of head.split(/\s*(?:\/|&|,|\bAND\b)\s*|\s{2,}/)) {
    const k = part.length >= 4 ? sectionOf(part) : undefined;
    if (k) return k;
  }
  // A numbered form section ("5. SURGERIES OPERATIONS", its slash lost): the first word that names
  // a section. Only when numbered: a letterhead's caps words ("SUMMIT ALLERGY ASSOCIATES") are not.
  if (/^\s*\d{1,2}[.,)]/.test(t))
    for (const word of head.split(/\s+/)) {
      const k = word.length >= 5 ? sectionOf(word) : undefined;
      if (k) return k;
    }
  return undefined;
}

/**
 * "HOSPITALIZATIONS: Pneumonia 2019" after an inline "Food allergy: shellfish": a label that names
 * no section and no drug, vaccine, condition or allergen ends the inline section above it.
 */
function unknownLabel(text: string, lex: Lexicons): boolean {
  const m = /^\s*([A-Za-z][A-Za-z /&'-]{3,40}?)\s*:\s+\S/.exec(text);
  if (!m) return false;
  const label = m[1]!;
  return (
    !sectionOf(label) &&
    !/allerg|intoleran|sensitiv|reaction|severity/i.test(label) &&
    !REACTION_TEST.test(label) &&
    substancesIn(label, lex, false).length === 0 &&
    drugMentions(label, lex, { fuzzy: false }).length === 0 &&
    vaccineMentions(label, lex, false).length === 0 &&
    findMentions(label, conditionLexicon(), { maxWords: 5 }).length === 0
  );
}

function flowsheetColumns(line: LayoutLine): boolean {
  return (headerColumns(line) ?? []).filter((c) => YEAR_COLUMN.test(c.label.trim())).length >= 2;
}

/** Groups lines into runs under the section heading that governs them. */
function sectionRuns(lines: LayoutLine[], lex: Lexicons): Run[] {
  const runs: Run[] = [];
  let current: Run = { kind: undefined, lines: [] };
  runs.push(current);
  let lastColumn = 0;
  // The section set by the last heading line; an inline "Label: text" governs only its own short list.
  let blockKind: SectionKind | undefined;
  let inline = false;
  let prevHeader: LayoutLine | undefined;
  // The last table header seen: a flowsheet's columns go on under its group headings.
  let lastHeader: LayoutLine | undefined;
  let prevText: string | undefined;
  for (const line of lines) {
    const text = line.span.text.trim();
    if (!text) continue;
    // A sentence wrapped onto this line ("…, Flu shot" / "in September 2018 and …") goes on with it.
    const wrapped =
      !!prevText &&
      !/[.;:!?]\s*$/.test(prevText) &&
      (/^[a-z(\d]/.test(text) || /,\s*$/.test(prevText) || OPEN_END.test(prevText));
    prevText = text;
    if (inline && !wrapped && (line.gapBefore || text.length > 70 || unknownLabel(text, lex))) {
      inline = false;
      current = { kind: blockKind, lines: [] };
      runs.push(current);
    }
    if (line.column !== lastColumn && line.column === 1) {
      // The right column of a form starts fresh; it normally opens with its own heading.
      current = { kind: undefined, lines: [] };
      runs.push(current);
    }
    lastColumn = line.column;
    const firstCell = line.cells[0]!;
    const header = headerColumns(line);
    // A header cell wrapped to a second line ("Authorizing" / "Provider") is not a heading.
    const wrappedHeader =
      !header &&
      prevHeader !== undefined &&
      prevHeader.page === line.page &&
      !line.gapBefore &&
      line.cells.every((c) => columnRole(c.text) !== undefined) &&
      // A flowsheet's header (a column per year) does not wrap; a line under it is a group heading.
      !flowsheetColumns(prevHeader);
    prevHeader = header ? line : wrappedHeader ? prevHeader : undefined;
    if (header) lastHeader = line;
    if (wrappedHeader) {
      current.lines.push({ line, span: line.span });
      continue;
    }
    if (header) {
      // A table's header row: it names the section only where no heading above does
      // ("Relation | Problem" under Family History stays family history).
      const hk = columnsKind(header);
      // An inline label ("ALLERGIES: …") governs only its own short list.
      const governed = !inline && current.kind && (current.named || !['other', 'narrative', 'patient'].includes(current.kind));
      if (hk && !governed) {
        current = { kind: hk, lines: [] };
        runs.push(current);
        blockKind = hk;
        inline = false;
      }
      current.lines.push({ line, span: line.span });
      current.table = true;
      continue;
    }
    const named = headingKind(text) ?? (line.cells.length > 1 ? headingKind(firstCell.text) : undefined);
    const kind = named ?? tableHeaderKind(text);
    // A group heading inside a flowsheet ("SCREENING (date · result)" under "Measure | 2022 | 2023"):
    // the new section's rows still stand under the table's year columns.
    const flowsheetHeader =
      kind && line.cells.length === 1 && lastHeader && lastHeader.page === line.page && flowsheetColumns(lastHeader)
        ? lastHeader
        : undefined;
    if (kind) {
      current = {
        kind,
        lines: [],
        heading: text,
        named: !!named,
        checklist: CHECKLIST.test(text),
        past:
          kind === 'conditions'
            ? /\b(resolved|inactive|historical)\b/i.test(text)
            : /\b(discontinued|past|inactive|previous|prior|stopped|stop|historical)\b/i.test(text),
      };
      runs.push(current);
      blockKind = kind;
      inline = false;
      if (flowsheetHeader) {
        current.lines.push({ line: flowsheetHeader, span: flowsheetHeader.span });
        current.table = true;
      }
      // A table's header row names the section and stays with the table it heads.
      if (!named) {
        current.lines.push({ line, span: line.span });
        continue;
      }
      if (line.cells.length > 1 && headingKind(firstCell.text) && !headingKind(text)) {
        const rest = slice(line.span, firstCell.text.length + 3, line.span.text.length);
        if (rest.text.trim()) current.lines.push({ line, span: rest });
      }
      continue;
    }
    const ih = inlineHeading(text);
    if (ih) {
      current = { kind: ih.kind, lines: [], heading: text.slice(0, ih.restOffset), inline: true };
      runs.push(current);
      current.lines.push({ line, span: slice(line.span, ih.restOffset, line.span.text.length) });
      inline = true;
      continue;
    }
    if (
      looksLikeUnknownHeading(text, current.table) &&
      !isTableHeader(text) &&
      !NKDA_RE.test(text) &&
      drugMentions(text, lex, { fuzzy: false }).length === 0 &&
      vaccineMentions(text, lex, false).length === 0 &&
      substancesIn(text, lex, false).length === 0 &&
      !SURGERY_RE.test(text) &&
      screeningsIn(line.span, lex, { base: 0.5, prose: false }).length === 0 &&
      findMentions(text, conditionLexicon(), { maxWords: 5 }).length === 0
    ) {
      current = { kind: 'other', lines: [] };
      runs.push(current);
      blockKind = 'other';
      inline = false;
      continue;
    }
    current.lines.push({ line, span: line.span });
  }
  return runs.filter((r) => r.lines.length > 0);
}

/** Consecutive lines of a prose run joined into paragraphs (per page), for sentence-level reading. */
function paragraphs(run: Run): TextSpan[] {
  const out: TextSpan[] = [];
  let cur: TextSpan[] = [];
  let page = -1;
  for (const { line, span } of run.lines) {
    if (cur.length && (line.gapBefore || line.page !== page || line.cells.length > 1)) {
      out.push(joinSpans(cur));
      cur = [];
    }
    cur.push(span);
    page = line.page;
  }
  if (cur.length) out.push(joinSpans(cur));
  return out;
}

/** A line that stops on a preposition or conjunction goes on on the next line ("…, Influenza in" / "July 2015 and …"). */
const OPEN_END = /\b(?:in|on|of|at|since|from|to|with|and|or|for)\s*$/i;

const MONTH_END =
  /\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?\s*(\d{1,2},?)?\s*$/i;

/**
 * Wrapped list entries: a line that starts in lower case ("tablet by mouth daily"), or a year
 * alone after a line ending in a month, continues the line above.
 */
/** A line that is a date, alone or after a label of one word or two ("Given", "Completed on", "Noted"). */
function isDateLine(text: string): boolean {
  const d = findDates(text, { yearOnly: true })[0];
  if (!d) return false;
  return /^\W*(?:[A-Za-z]+\.?:?\s+){0,2}$/.test(text.slice(0, d.start)) && text.slice(d.end).trim().length <= 2;
}

function joinContinuations(lines: Run['lines'], wrapTest: boolean): { span: TextSpan; line: LayoutLine }[] {
  const out: { span: TextSpan; page: number; line: LayoutLine; right: number }[] = [];
  // How far the run's lines reach on each page: a line that wrapped ran (nearly) that far.
  const reach = new Map<number, { left: number; right: number }>();
  for (const { line, span } of lines) {
    if (!span.words.length) continue;
    const r = reach.get(line.page) ?? { left: Infinity, right: -Infinity };
    r.left = Math.min(r.left, span.words[0]!.bbox[0]);
    r.right = Math.max(r.right, span.words[span.words.length - 1]!.bbox[2]);
    reach.set(line.page, r);
  }
  let lastText = '';
  for (const { line, span } of lines) {
    const prev = out[out.length - 1];
    // A date line, alone or labelled ("Given Jul 24, 2020", "Noted Dec 18, 2000"), ends its entry:
    // a lower-case line under it starts the next one.
    const afterDateLine = isDateLine(lastText);
    lastText = span.text;
    // A line above that did not wrap: its line had room for this line's first word, so a lower-case
    // line under it is an entry of its own (a handwritten "cat dander ~ sneezing" / "wheat - hives").
    const r = reach.get(line.page);
    const first = span.words[0]?.bbox;
    const prevShort =
      wrapTest &&
      !!prev &&
      !!r &&
      !!first &&
      prev.right >= 0 &&
      prev.right + (first[2] - first[0]) + (first[3] - first[1]) < r.right - 0.1 * (r.right - r.left);
    // Stray OCR marks may precede a wrapped line; a bullet or number starts a new entry.
    const t = span.text.replace(/^[\s'‘’"`.,_]+/, '');
    const dateOnly = findDates(t, { yearOnly: true })[0];
    const cont =
      prev &&
      prev.page === line.page &&
      !line.gapBefore &&
      line.cells.length === 1 &&
      !isSectionNegative(prev.span.text) &&
      ((/^[a-z(]/.test(t) &&
        !prevShort &&
        !afterDateLine &&
        !/^(no|none|denies|s\/p|h\/o|hx)\b/.test(t) &&
        // Tall-man drug names ("metFORMIN", "amLODIPine") start an entry; so does a drug with its
        // strength after a finished sentence ("…with meals." / "atorvastatin 40 MG tablet").
        !/^[a-z]{1,5}[A-Z]{3,}/.test(t) &&
        !(/[a-z]{4,}\.\s*$/.test(prev.span.text) && /^[a-z-]+\s+\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|units?|%)\b/i.test(t))) ||
        (MONTH_END.test(prev.span.text) && /^\d{4}\b/.test(t)) ||
        /[/,+&-]\s*$/.test(prev.span.text) ||
        // A line that stops on a preposition or conjunction ("…, Influenza in" / "July 2015 and …").
        OPEN_END.test(prev.span.text) ||
        // An entry whose parenthesis is still open ("knee (2014, Dr. Okafor, Harborview" / "Regional Hospital)").
        (/\([^()]*$/.test(prev.span.text) && /\)/.test(t)) ||
        (dateOnly !== undefined && dateOnly.start <= 1 && t.slice(dateOnly.end).trim().length <= 2));
    const right = span.words.length ? span.words[span.words.length - 1]!.bbox[2] : -1;
    if (cont) {
      prev!.span = joinSpans([prev!.span, span]);
      prev!.right = right;
    } else out.push({ span, page: line.page, line, right });
  }
  return out;
}

/**
 * "Last flu shot: Oct 2023" under a problem or surgery heading: a vaccine, when the line says it
 * is one ("Hepatitis B" alone stays a problem).
 */
function vaccineLine(span: TextSpan, lex: Lexicons): Item[] | undefined {
  if (!/\b(vaccines?|vaccinat\w*|immuniz\w*|shots?|booster)\b/i.test(span.text)) return undefined;
  const found = immunizationsIn(span, lex, { base: 0.8, prose: true });
  return found.length ? found : undefined;
}

/** Descriptor words of a full vaccine name ("Influenza, seasonal, injectable, preservative free"). */
const VACCINE_DESCRIPTOR =
  /\b(?:preservative|injectable|intranasal|seasonal|conjugate|recombinant|toxoids?|adjuvanted|quadrivalent|trivalent|polysaccharide|live|inactivated|adult|pediatric|pf)\b/i;
const STRENGTH = /\b\d+(?:\.\d+)?\s*(?:mg|mcg|µg|g|ml|mL|units?|iu|meq|%)(?![a-z])/i;

/**
 * Cells of a problem or surgery line that name an item of another kind outright — a vaccine by
 * its full name or with the dose given ("Td (adult), preservative free", "Influenza … Given Jul 7,
 * 2017"), a drug with its strength ("Amoxicillin 500 mg capsule") — which a missed heading or two
 * columns read as one put under the wrong section. Returns those items and the line without them.
 */
function otherKindCells(span: TextSpan, lex: Lexicons): { items: Item[]; rest: TextSpan } {
  const items: Item[] = [];
  let text = span.text;
  const cells = [...span.text.matchAll(/[^|]+/g)];
  for (const c of cells) {
    const cell = slice(span, c.index, c.index + c[0].length);
    const t = cell.text;
    const lead = t.length - t.trimStart().length;
    if (findMentions(t, conditionLexicon(), { maxWords: 6 }).some((m) => m.start <= lead + 2)) continue;
    const vm = vaccineMentions(t, lex, false)[0];
    let found: Item[] = [];
    if (vm && vm.start <= lead + 3 && (VACCINE_DESCRIPTOR.test(t) || /\b(?:given|administered|dose\s*#?\s*\d|lot)\b/i.test(t)))
      found = immunizationsIn(cell, lex, { base: 0.8, prose: false });
    else {
      const dm = drugMentions(t, lex, { fuzzy: false })[0];
      if (dm && dm.start <= lead + 3 && STRENGTH.test(t.slice(dm.end)))
        found = medicationsIn(cell, lex, { base: 0.8, fuzzy: false, list: true });
    }
    if (!found.length) continue;
    items.push(...found);
    text = text.slice(0, c.index) + ' '.repeat(c[0].length) + text.slice(c.index + c[0].length);
  }
  return { items, rest: items.length ? { ...span, text } : span };
}

/**
 * "Given Aug 11, 2014" under an undated vaccine dose read in another section: that dose's date
 * (and nothing else on the line is an item).
 */
function datesTheDoseAbove(span: TextSpan, prev: Item[]): boolean {
  const dose = prev.find((i) => i.kind === 'immunization' && !i.date);
  if (!dose || dose.kind !== 'immunization') return false;
  const m = /^\s*(?:given|administered|date given|dose given)\b[\s:]*/i.exec(span.text);
  if (!m) return false;
  const d = findDates(span.text, { yearOnly: true })[0];
  if (!d) return false;
  dose.date = d.iso;
  return true;
}

/**
 * A line under a screening or health-maintenance heading. "Pap smear 2020 NILM, HPV negative": one
 * date on the line dates each test on it. "Pap smear 2024 normal; Tdap 2019; COVID-19 vaccine given
 * 10/14/2025": each ';'-part is an entry of its own — a screening, or else the vaccines it names.
 */
function healthMaintenanceLine(span: TextSpan, lex: Lexicons): Item[] {
  const entry = (s: TextSpan, sc = screeningsIn(s, lex, { base: 0.9, prose: false })): Item[] => {
    const dates = findDates(s.text, { yearOnly: true });
    if (dates.length === 1) for (const x of sc) x.date ??= dates[0]!.iso;
    return sc.length ? sc : immunizationsIn(s, lex, { base: 0.85, prose: false });
  };
  const parts = [...span.text.matchAll(/[^;]+/g)].map((m) => slice(span, m.index, m.index + m[0].length));
  const whole = screeningsIn(span, lex, { base: 0.9, prose: false });
  return parts.length < 2 || whole.length === 0 ? entry(span, whole) : parts.flatMap((part) => entry(part));
}

/** A sig line of its own under the drug ("Take 1 tablet by mouth 2 (two) times daily with meals."). */
const SIG_START = /^\s*(?:take|use|inhale|apply|inject|instill|place|dissolve|chew|give|insert|spray)\b/i;

/** "SULFA (RASH) · CODEINE (NAUSEA) · SHELLFISH": a middle dot or bullet between entries separates them like ";". */
function inlineSeparators(span: TextSpan): TextSpan {
  if (!/\s[·•]\s/.test(span.text)) return span;
  return { ...span, text: span.text.replace(/(?<=\s)[·•](?=\s)/g, ';') };
}

/** A line that says a test is still to do: "Not yet done", "Not done", "DUE", "Overdue", "Due soon" (OCR: "Nest yet done", "Noy yet dane"). */
const TO_DO_LINE = /^\W*(?:n[a-z]{1,3}\s+y[a-z]{1,2}t?\s+d[a-z]ne|not\s+done|(?:over)?due(?:\s+soon)?|never\s+done)\W*$/i;

function listSection(run: Run, lex: Lexicons, items: Item[]): void {
  let prevLineItems: Item[] = [];
  // Sentences inside a list section (a missed heading above them) are read as prose.
  const prose: Run = { kind: 'narrative', lines: [] };
  // In a drug or allergy list a detail line of its own (a sig, a reaction) fills the entry above
  // anyway, so only there does a lower-case line under a line that did not wrap start an entry.
  const joined = joinContinuations(run.lines, run.kind === 'medications' || run.kind === 'allergies');
  const spans = joined.map((j) => j.span);
  for (const [index, raw] of spans.entries()) {
    // A wrapped entry's first line (its layout: cells, gaps).
    const line = joined[index]!.line;
    // A checklist line: only the ticked options ("☒ Asthma | Diabetes" → "Asthma").
    if (run.checklist && line && line.cells.length > 1 && !raw.text.includes(MARK)) continue;
    const span = inlineSeparators(raw.text.includes(MARK) ? tickedOnly(raw) : raw);
    // A clinician's name line in a problem or surgery list: the care-team block whose heading was lost.
    if ((run.kind === 'conditions' || run.kind === 'surgeries') && PERSON_RE.exec(span.text)?.index === 0) {
      items.push(...providersInSection(spans.slice(index), 0.75));
      break;
    }
    // The end of a sentence whose start went to prose ("…Skin was closed with" / "4-0 Monocryl and …").
    const lastProse = prose.lines[prose.lines.length - 1];
    if (
      lastProse &&
      lastProse.line === joined[index - 1]?.line &&
      /[a-z,]\s*$/.test(lastProse.span.text) &&
      /[.!?]\s*$/.test(span.text) &&
      !line.gapBefore
    ) {
      prose.lines.push({ line, span });
      continue;
    }
    if (
      line &&
      span.text.split(/\s+/).length >= 9 &&
      !(run.kind === 'medications' && SIG_START.test(span.text)) &&
      /[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}/.test(span.text) &&
      // A full stop between sentences, not after a title ("Dr. Okafor").
      /[.!?]\s*$|(?<!\b(?:Dr|Mr|Mrs|Ms|St|Jr|Sr))\.\s+[A-Z]/.test(span.text)
    ) {
      prose.lines.push({ line, span });
      prevLineItems = [];
      continue;
    }
    const text = span.text;
    if (isTableHeader(text)) continue;
    if (run.kind !== 'allergies' && isSectionNegative(text)) {
      prevLineItems = [];
      continue;
    }
    let found: Item[] = [];
    switch (run.kind) {
      case 'medications': {
        const nk = /\b(no (?:current |known )?medications|none|no meds|not on any medications)\b/i.exec(text);
        if (nk && text.length < 40) break;
        found = medicationsIn(span, lex, { base: 0.92, fuzzy: true, list: true });
        // "Commonly known as: GLUCOPHAGE", "(brand: Lipitor)": the drug above named again, not a new entry.
        const prevMed = prevLineItems.length === 1 ? prevLineItems[0] : undefined;
        if (
          prevMed?.kind === 'medication' &&
          found.length > 0 &&
          found.every((f) => f.kind === 'medication' && f.name === prevMed.name && !f.strength)
        )
          continue;
        if (found.length === 0 && prevLineItems.length === 1) {
          // A sig on its own line under the drug ("  1 tab PO BID").
          const prev = prevLineItems[0]!;
          if (prev.kind === 'medication') {
            const sig = parseSig(text);
            for (const k of ['dose', 'route', 'frequency', 'status'] as const) if (sig[k] && !prev[k]) prev[k] = sig[k];
            if (sig.strength && !prev.strength) prev.strength = sig.strength;
          }
        }
        break;
      }
      case 'allergies': {
        found = allergiesInList(span, lex);
        const prev = prevLineItems[0];
        if (
          prev?.kind === 'allergy' &&
          !prev.negated &&
          (found.length === 0 || /^\s*(reaction|severity|comments?)\b/i.test(text))
        ) {
          const r = reactionOf(text);
          if (r.reaction && !prev.reaction) prev.reaction = r.reaction;
          if (r.severity && !prev.severity) prev.severity = r.severity;
          if (found.length && /^\s*(reaction|severity)\b/i.test(text)) found = [];
        }
        break;
      }
      case 'immunizations': {
        found = immunizationsIn(span, lex, { base: 0.92, prose: false });
        // "Last colonoscopy: 2020, normal" under a short immunization list.
        if (found.length === 0) found = screeningsIn(span, lex, { base: 0.75, prose: true });
        const prev = prevLineItems[0];
        if (found.length === 0 && prev?.kind === 'immunization' && vaccineMentions(text, lex, false).length === 0) {
          const dates = findDates(text, { yearOnly: true });
          // The date line of an undated dose is that dose's date; further dates are more doses.
          if (!prev.date && dates.length) {
            prev.date = dates.shift()!.iso;
            if (!dates.length) continue;
          }
          found = dates.map((d) => ({
            ...prev,
            date: d.iso,
            display: text.trim(),
            evidence: { ...prev.evidence!, text: text.trim() },
          }));
          if (found.length) {
            items.push(...found);
            continue; // keep prevLineItems pointing at the vaccine line
          }
        }
        break;
      }
      case 'screenings':
        found = healthMaintenanceLine(span, lex);
        break;
      case 'conditions': {
        const sc = screeningsIn(span, lex, { base: 0.8, prose: true });
        if (sc.length) {
          found = sc;
          break;
        }
        const other = otherKindCells(span, lex);
        if (!other.items.length && datesTheDoseAbove(other.rest, prevLineItems)) continue;
        found = [...other.items, ...(vaccineLine(other.rest, lex) || conditionsInList(other.rest))];
        break;
      }
      case 'surgeries': {
        const sc = screeningsIn(span, lex, { base: 0.85, prose: false });
        if (sc.length) {
          found = sc;
          break;
        }
        const other = otherKindCells(span, lex);
        if (!other.items.length && datesTheDoseAbove(other.rest, prevLineItems)) continue;
        found = [...other.items, ...(vaccineLine(other.rest, lex) || surgeriesInList(other.rest))];
        break;
      }
      case 'providers':
      case 'family':
      case 'social':
      case 'patient':
      case 'results':
      case 'narrative':
      case 'other':
      case undefined:
        break;
    }
    // A detail line under an undated item ("Colonoscopy" / "Completed May 2, 2016 — normal", a procedure / "Feb 13, 2019").
    const prevOne = prevLineItems.length === 1 ? prevLineItems[0]! : undefined;
    if (
      found.length === 0 &&
      prevOne &&
      line &&
      !line.gapBefore &&
      (prevOne.kind === 'screening' || prevOne.kind === 'surgery') &&
      !prevOne.date
    ) {
      const dates = findDates(text, { yearOnly: true });
      if (dates.length === 1 && !/\b(due|overdue|next|recommended|not yet)\b/i.test(text)) {
        prevOne.date = dates[0]!.iso;
        if (prevOne.kind === 'screening' && !prevOne.result) {
          const r = resultOf(text.slice(dates[0]!.end));
          if (r) prevOne.result = r;
        }
        prevLineItems = [];
        continue;
      }
    }
    // A status line under an undated screening that says it is still to do ("Not yet done",
    // "DUE", "Overdue", read through fax noise as "Nest yet done"): a reminder, not care received.
    if (found.length === 0 && prevOne?.kind === 'screening' && !prevOne.date && line && !line.gapBefore && TO_DO_LINE.test(text)) {
      const at = items.lastIndexOf(prevOne);
      if (at >= 0) items.splice(at, 1);
      prevLineItems = [];
      continue;
    }
    // A screening or vaccine written under another heading ("Last mammo 6/2022 normal").
    if (
      found.length === 0 &&
      run.kind !== 'screenings' &&
      run.kind !== 'immunizations' &&
      !(run.kind === 'allergies' && prevLineItems.length)
    ) {
      found = [
        ...screeningsIn(span, lex, { base: 0.75, prose: true }),
        ...immunizationsIn(span, lex, { base: 0.75, prose: true }),
      ];
    }
    // "PCP: Dr. Laura Bell, 555-…" or "Follow up with Dr. Kim (cardiology)" inside a list.
    if (found.length === 0 && /\bDr\b|\bpcp\b/i.test(span.text)) found = providersInProse(span);
    if (run.past)
      for (const f of found) {
        if (f.kind === 'medication' && !f.status) f.status = 'discontinued';
        if (f.kind === 'condition' && !f.status) f.status = 'resolved';
      }
    items.push(...found);
    prevLineItems = found;
  }
  if (prose.lines.length) proseSection(prose, lex, items);
}

function proseSection(run: Run, lex: Lexicons, items: Item[]): void {
  for (const para of paragraphs(run)) {
    const { items: allergies, ranges } = allergiesInProse(para, lex);
    items.push(...allergies);
    const meds = medicationsIn(para, lex, { base: 0.8, fuzzy: true, list: false }).filter((m) => {
      const start = para.text.indexOf(m.evidence!.text);
      if (ranges.some(([a, b]) => start >= a && start < b)) return false;
      const ctx = contextOf(para.text.slice(0, Math.max(0, start)));
      if (ctx === 'family' || ctx === 'hypothetical') return false;
      const lead = para.text.slice(Math.max(0, start - 40), start);
      if (
        /\b(stopped|discontinued|no longer tak\w+|came off|off of|previously (?:tried|took|on)|used to take|failed)\s+(?:\w+\s+){0,2}$/i.test(
          lead,
        )
      )
        m.status = 'discontinued';
      else if (/\b(held|holding|on hold)\s+(?:\w+\s+){0,1}$/i.test(lead)) m.status = 'on-hold';
      return true;
    });
    items.push(...meds);
    items.push(...immunizationsIn(para, lex, { base: 0.8, prose: true }));
    const screenings = screeningsIn(para, lex, { base: 0.8, prose: true });
    items.push(...screenings);
    const skip: [number, number][] = [...ranges];
    for (const s of screenings) {
      const at = para.text.indexOf(s.evidence!.text);
      if (at >= 0) skip.push([at, at + s.evidence!.text.length]);
    }
    for (const m of meds) {
      const s = para.text.indexOf(m.evidence!.text);
      if (s >= 0) skip.push([s, s + m.evidence!.text.length]);
    }
    items.push(...conditionsInProse(para, skip));
    items.push(...providersInProse(para));
  }
  // Signature blocks and letterheads: a line naming a clinician, then organisation, address, phone.
  const lines = run.lines;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.span.text;
    const m = PERSON_RE.exec(t);
    if (
      !m ||
      t.length > 90 ||
      (m.index > 25 && !/^(?:from|to|pcp|provider|physician|referring|attending|signed|electronically signed by)\b/i.test(t))
    )
      continue;
    // "cc: Dr. Anselm Whitcroft, Birchline Family Practice — fax …": a clinician sent a copy treats the patient.
    const cc = /^\s*cc\s*:\s*/i.exec(t);
    if (cc) {
      for (let at = cc[0].length; at < t.length;) {
        const end = t.indexOf(';', at) < 0 ? t.length : t.indexOf(';', at);
        const p = PERSON_RE.test(t.slice(at, end)) ? providerFromBlock([slice(lines[i]!.span, at, end)], 0.75) : undefined;
        if (p) items.push(p);
        at = end + 1;
      }
      continue;
    }
    if (/^\s*(dear|to|attn|attention)\b/i.test(t)) continue;
    // A sentence that names a clinician ("Follow up with Dr. Kim in 1 week. PCP: …") is prose, not a signature.
    if (/[a-z)]\.\s+\S/.test(t.slice(m.index + m[0].length))) continue;
    const block = [lines[i]!.span];
    for (let j = i + 1; j < lines.length && j <= i + 4; j++) {
      const n = lines[j]!;
      if (n.line.gapBefore && j > i + 1) break;
      if (PERSON_RE.test(n.span.text) || n.span.text.length > 90) break;
      block.push(n.span);
    }
    const p = providerFromBlock(block, 0.75);
    if (p) items.push(p);
  }
}

/**
 * A clinician signing a note on the practice's letterhead works there: fill a signing provider's
 * missing organisation, phone and fax from the letterhead (the first lines of the first page).
 */
function fillFromLetterhead(items: Item[], lines: LayoutLine[]): void {
  const providers = items.filter((i) => i.kind === 'provider');
  if (providers.length !== 1) return;
  const p = providers[0]!;
  if (p.kind !== 'provider' || (p.organization && p.phone)) return;
  const head = lines.filter((l) => l.page === lines[0]?.page).slice(0, 4);
  if (!head.length) return;
  const lh = contactDetails(head.map((l) => l.span));
  const orgLine = head.find(
    (l) =>
      /\b(clinic|medical|medicine|health|hospital|center|associates|practice|group|physicians|pediatrics|partners)\b/i.test(
        l.cells[0]!.text,
      ) && !PERSON_RE.test(l.cells[0]!.text),
  );
  const org = orgLine?.cells[0]!.text.replace(/\s*(tel|phone|ph|fax)\b.*$/i, '').trim();
  if (!p.organization && org && org.length < 70) p.organization = org;
  if (!p.phone && lh.phone) p.phone = lh.phone;
  if (!p.fax && lh.fax) p.fax = lh.fax;
  if (!p.address && lh.address) p.address = lh.address;
}

/** The ticked options of a line, each kept in place (blanks over the rest), the marks removed. */
function tickedOnly(span: TextSpan): TextSpan {
  // An option runs from its mark to the next mark or cell boundary; text before a mark in the
  // same cell is another (unticked) option.
  const parts = span.text.split(/(\s\|\s)/);
  const text = parts
    .map((p) => {
      if (p === ' | ') return '   ';
      const at = p.indexOf(MARK);
      if (at < 0) return ' '.repeat(p.length);
      return ' '.repeat(at + 1) + p.slice(at + 1).replace(new RegExp(`${MARK}.*$`), (m) => ' '.repeat(m.length));
    })
    .join('');
  return { ...span, text };
}

/** "Current doctor: Dr. Roe | Doctor's phone: 555-… | Clinic: Oak Health": a clinician named in a form's fields. */
function providerFields(line: LayoutLine): Item[] {
  const at = line.cells.findIndex((c) => /^[^:]*\b(doctor|physician|provider|pcp|clinician|practitioner)\b[^:]*:/i.test(c.text));
  if (at < 0) return [];
  const cell = line.cells[at]!;
  const colon = cell.text.indexOf(':');
  const value = slice(cell, colon + 1, cell.text.length);
  const trimmed = slice(value, value.text.length - value.text.trimStart().length, value.text.length);
  const others = line.cells
    .filter((_, k) => k !== at)
    .map((c) => {
      const m = /^([^:]*):\s*(.*)$/.exec(c.text);
      if (!m) return c;
      const label = m[1]!.toLowerCase();
      const v = m[2]!;
      const prefix = /phone|tel/.test(label) ? 'Phone: ' : /fax/.test(label) ? 'Fax: ' : '';
      return { ...c, text: `${prefix}${v}` };
    });
  const p = providerFromBlock([trimmed, ...others], 0.8);
  if (!p) return [];
  const org = line.cells.find((c) => /^(clinic|practice|office|organization|hospital|facility|group)\b[^:]*:/i.test(c.text));
  if (org && !p.organization) p.organization = org.text.slice(org.text.indexOf(':') + 1).trim();
  return [p];
}

/** Item kinds a table's rows can hold, by section; other sections' tables are left to the line readers. */
const TABLE_SECTIONS = new Set<SectionKind | undefined>([
  'medications',
  'allergies',
  'immunizations',
  'screenings',
  'conditions',
  'surgeries',
  'providers',
  'social',
  'family',
  // A table under a named section that holds no items (a forecast, reminders): read, and nothing taken.
  'other',
]);

/**
 * Tables inside a run: each is read row by row (stage 3) into items (stage 5); the lines left
 * over stay in the run for the list and prose readers.
 */
function takeTables(run: Run, lex: Lexicons): Item[] {
  if (!TABLE_SECTIONS.has(run.kind)) return [];
  const lines = run.lines.map((l) => l.line);
  const rest: Run['lines'] = [];
  const items: Item[] = [];
  for (let i = 0; i < run.lines.length;) {
    const entry = run.lines[i]!;
    const t = entry.span.text === entry.line.span.text ? readTable(lines, i) : undefined;
    if (t && t.table.rows.length > 0) {
      items.push(...itemsFromTable(t.table, run.kind, lex));
      i = t.end;
      continue;
    }
    rest.push(entry);
    i++;
  }
  run.lines = rest;
  return items;
}

/** Social history lines: a denied habit is a pertinent negative ("Tobacco: Never", "Denies tobacco use."). */
function socialSection(run: Run): Item[] {
  const out: Item[] = [];
  // A ticked answer to the question that opened the run ("Do you smoke? [ ] Yes [X] No").
  const ticked = run.lines.filter(({ span }) => span.text.includes(MARK));
  if (ticked.length && run.heading) {
    const answer = tickedOnly(ticked[0]!.span);
    const neg = socialNegative(spanFromText(answer.page, run.heading), { ...answer, text: answer.text.trim() });
    return neg ? [neg] : [];
  }
  for (const { span } of run.lines) {
    const m = /^\s*([^:|]{3,40}?)\s*[:|]\s*(\S.*)$/.exec(span.text);
    const neg = m
      ? socialNegative(slice(span, 0, m[1]!.length), slice(span, span.text.length - m[2]!.length, span.text.length))
      : socialNegative(span, undefined);
    if (neg) out.push(neg);
  }
  return out;
}

/** An unticked form option ("[ ] mammogram", "☐ asthma"): up to the next box, a wide gap or a separator. */
const UNCHECKED = /(?:\[\s{0,2}\]|☐|□|\(\s{1,2}\))\s*[^[\]☐□☑☒■;|]*?(?=\s{2,}|\[|☐|□|☑|☒|■|\(\s{0,2}[xX✓✔]?\s{0,2}\)|[;|]|$)/g;

function maskUnchecked(span: TextSpan): TextSpan {
  if (!/\[\s{0,2}\]|☐|□|\(\s{1,2}\)/.test(span.text)) return span;
  return { ...span, text: span.text.replace(UNCHECKED, (m) => ' '.repeat(m.length)) };
}

/** The heading of the operation a report is about ("PROCEDURE PERFORMED", "Operation:"), not a history of past ones. */
const THIS_OPERATION =
  /^(?!.*\b(?:history|past|prior|previous|hx)\b)\s*(?:(?:procedures?|operations?)\s+(?:performed|done)|(?:name of )?(?:procedures?|operations?)|surgery performed)\b\s*:?/i;

/** "Date of surgery | 14-Aug-2025", "Procedure date: 05/21/2024": the date of the operation a report describes. */
function dateOfOperation(lines: LayoutLine[]): string | undefined {
  for (const l of lines) {
    const m = /\b(?:date of (?:surgery|operation|procedure)|(?:surgery|operation|procedure) date)\b\s*[:#|]?\s*/i.exec(
      l.span.text,
    );
    if (!m) continue;
    const d = findDates(l.span.text.slice(m.index + m[0].length, m.index + m[0].length + 30))[0];
    if (d && d.start <= 3 && d.iso.length === 10) return d.iso;
  }
  return undefined;
}

/**
 * A block no heading names (a card whose heading OCR lost, the right column of a portal page)
 * takes the kind its lines show when they show one: two or more vaccine lines, and at most half
 * as many other lines beside their date lines, are an immunization list.
 */
function kindFromContent(run: Run, lex: Lexicons): Run {
  if (run.kind !== undefined || run.lines.length < 2) return run;
  let vaccines = 0;
  let other = 0;
  for (const { span } of run.lines) {
    const t = span.text;
    const dates = findDates(t, { yearOnly: true });
    const rest = dates.reduce((acc, d) => acc.slice(0, d.start) + ' '.repeat(d.end - d.start) + acc.slice(d.end), t);
    if (dates.length && !/[a-z]{3,}/i.test(rest.replace(/\b(?:given|siven|on|date|administered|dose)\b/gi, ''))) continue;
    if (vaccineMentions(t, lex, false).length > 0) vaccines++;
    else other++;
  }
  return vaccines >= 2 && other * 2 <= vaccines ? { ...run, kind: 'immunizations' } : run;
}

/** Items from page text and layout: see OUTPUT.md. Pure and synchronous. */
export function extractFromPages(input: PageText[], source: Source): ExtractionResult {
  const lex = lexicons();
  const pages = input.map((p) => repairWords(readBoxes(attachMarks(p))));
  const heights = new Map(pages.map((p) => [p.page, p.height]));
  const allLines = layoutLines(pages, {
    // A second column opens with a section of items ("ALLERGIES"), not a label such as "PLAN: Medicaid".
    isHeading: (t) => {
      const k = sectionOf(t) ?? inlineHeading(t)?.kind;
      return k !== undefined && !['narrative', 'patient', 'other', 'results'].includes(k);
    },
    isTableHeader: (l) => headerColumns(l) !== undefined,
  }).map((l) =>
    /\[\s{0,2}\]|☐|□|\(\s{1,2}\)/.test(l.span.text)
      ? { ...l, span: maskUnchecked(l.span), cells: l.cells.map(maskUnchecked) }
      : l,
  );
  const furn = furniture(allLines, (page) => heights.get(page) ?? 0);
  const lines = pairFields(
    allLines.filter((l) => !furn.has(l)),
    (l) => headerColumns(l) !== undefined,
    (t) => !!sectionOf(t),
  );
  const runs = sectionRuns(lines, lex)
    .flatMap(labelledClauses)
    .map((r) => kindFromContent(r, lex));
  if (process.env.INTAKE_DEBUG_RUNS)
    for (const r of runs) console.error(`RUN ${r.kind}: ${r.lines.map((l) => l.span.text).join(' // ')}`);
  const items: Item[] = [];
  const operationDate = dateOfOperation(lines);
  for (const run of runs) {
    const first = items.length;
    items.push(...takeTables(run, lex));
    if (run.lines.length === 0) continue;
    switch (run.kind) {
      case 'medications':
      case 'allergies':
      case 'immunizations':
      case 'screenings':
      case 'conditions':
      case 'surgeries':
        listSection(run, lex, items);
        break;
      case 'providers':
        items.push(...providersInSection(run.lines.map((l) => l.span)));
        break;
      case 'social':
        items.push(...socialSection(run));
        break;
      case 'family':
      case 'results':
        break;
      case 'patient':
      case 'narrative':
      case 'other':
      case undefined:
        proseSection(run, lex, items);
        break;
    }
    // An operative report's "Procedure performed": the operation of the report's date of surgery.
    if (operationDate && run.kind === 'surgeries' && THIS_OPERATION.test(run.heading ?? ''))
      for (const it of items.slice(first)) if (it.kind === 'surgery' && !it.date) it.date = operationDate;
  }
  items.push(...lines.filter((l) => l.fields).flatMap(providerFields));
  // NKDA written anywhere (a header box, a fax cover) still counts once.
  if (!items.some((i) => i.kind === 'allergy')) {
    for (const l of lines) {
      // On a form, only a ticked "No known allergies" counts.
      const span = l.span.text.includes(MARK) ? tickedOnly(l.span) : l.span;
      const m = NKDA_RE.exec(span.text);
      if (m) {
        items.push(nkdaItem(span, m.index, m.index + m[0].length, 0.85));
        break;
      }
    }
  }
  // Identity from labelled fields first (a demographics grid), then every line, furniture included.
  const fieldCells = lines.filter((l) => !allLines.includes(l)).flatMap((l) => l.cells);
  const patient = patientFrom([...fieldCells, ...allLines.flatMap((l) => [l.span, ...l.cells])]);
  fillFromLetterhead(items, lines);
  return { source, patient, items: dedupe(items) };
}
