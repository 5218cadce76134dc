import { normalizeTerm, TermIndex } from '@intake/vocab';

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

/** Heading spellings seen in records (normalised: lower case, punctuation → space). */
const HEADINGS: Record<SectionKind, string[]> = {
  medications: [
    'medications',
    'medication',
    'current medications',
    'current medication',
    'medication list',
    'med list',
    'meds',
    'current meds',
    'active medications',
    'active meds',
    'home medications',
    'home meds',
    'outpatient medications',
    'prescriptions',
    'current prescriptions',
    'rx',
    'drug list',
    'medications and supplements',
    'medication history',
    'current outpatient prescriptions',
    'current outpatient medications',
    'medication reconciliation',
    'discharge medications',
    'list of medications',
    'medications current',
    'current medication list',
    'active medication list',
    'meds rx',
    'medications taken',
    'current drugs',
    'medicines',
    'current medicines',
    'medication summary',
    'medications prescribed',
    'prescribed medications',
    'medications administered',
    'medications rx',
    'current medications dose frequency',
    'discontinued medications',
    'past medications',
    'inactive medications',
    'previous medications',
    'prior medications',
    'stopped medications',
    'medications discontinued',
    'historical medications',
    'supplements',
    'otc medications',
    'over the counter medications',
    'vitamins and supplements',
    'herbal supplements',
    'otc',
    'non prescription medications',
    'your medication list',
    'your medications',
    'take these medications',
    'start taking these medications',
    'continue taking these medications',
    'start taking',
    'continue taking',
    'new medications',
    'changed medications',
    'medications to continue',
    'medications to start',
    'new prescriptions',
    'stop taking these medications',
    'stop taking',
    'medications to stop',
    'stop these medications',
    'medications stopped',
    'discontinued meds',
    'medication profile',
    'patient medication profile',
  ],
  allergies: [
    'allergies',
    'allergy',
    'allergies adverse reactions',
    'allergies and adverse reactions',
    'drug allergies',
    'allergy list',
    'allergies intolerances',
    'allergies and intolerances',
    'adverse reactions',
    'allergies sensitivities',
    'medication allergies',
    'known allergies',
    'allergies alerts',
    'allergy intolerance',
    'allergies reactions',
    'allergy history',
    'allergies adverse drug reactions',
    'drug intolerances',
    'allergies and sensitivities',
    'allergic',
    'allergic to',
    'intolerances',
    'sensitivities',
    'drug sensitivities',
    'allergies reviewed',
    'allergy review',
    'allergen',
    'allergens',
    'food allergy',
    'food allergies',
    'environmental allergies',
    'other allergies',
    'medication allergy',
    'allergen reaction',
    'allergen reaction severity',
  ],
  immunizations: [
    'immunizations',
    'immunization',
    'immunization history',
    'immunization record',
    'vaccinations',
    'vaccination',
    'vaccines',
    'vaccine history',
    'vaccination history',
    'vaccination record',
    'immunizations vaccines',
    'shots',
    'immunization records',
    'vaccines given',
    'immunizations administered',
    'vaccine record',
    'imms',
    'immunisations',
  ],
  screenings: [
    'health maintenance',
    'preventive care',
    'preventative care',
    'preventive screenings',
    'screenings',
    'screening',
    'cancer screening',
    'cancer screenings',
    'screening history',
    'preventive health',
    'health screenings',
    'preventive services',
    'screening tests',
    'preventive medicine',
    'health maintenance screenings',
    'screening studies',
    'preventive care screenings',
    'routine screenings',
    'preventive screening history',
    'hcm',
    'health care maintenance',
  ],
  conditions: [
    'problem list',
    'problems',
    'active problems',
    'active problem list',
    'pmh',
    'past medical history',
    'medical history',
    'diagnoses',
    'active diagnoses',
    'chronic conditions',
    'conditions',
    'medical problems',
    'past history',
    'current problems',
    'chronic problems',
    'pmhx',
    'past medical hx',
    'medical hx',
    'diagnosis',
    'problem',
    'ongoing problems',
    'active conditions',
    'health problems',
    'medical conditions',
    'history',
    'past medical history pmh',
    'problem list diagnoses',
    'resolved problems',
    'past medical and surgical history',
    'pmh psh',
    'discharge diagnoses',
    'discharge diagnosis',
    'admission diagnoses',
    'admitting diagnosis',
    'final diagnoses',
    'principal diagnosis',
    'primary diagnosis',
    'secondary diagnoses',
    'encounter diagnoses',
    'visit diagnoses',
    'diagnoses this visit',
  ],
  surgeries: [
    'psh',
    'past surgical history',
    'surgical history',
    'surgeries',
    'procedures',
    'past procedures',
    'operations',
    'surgical procedures',
    'procedure history',
    'prior surgeries',
    'previous surgeries',
    'surgical hx',
    'pshx',
    'past surgical hx',
    'operative history',
    'surgeries procedures',
    'procedures surgeries',
    'past surgeries',
    'surgical and procedure history',
  ],
  providers: [
    'primary care',
    'primary care physician',
    'primary doctor',
    'pcp name',
    'referring',
    'referred by',
    'attending physician',
    'care team',
    'previous providers',
    'providers',
    'primary care provider',
    'pcp',
    'referring provider',
    'treating physicians',
    'care providers',
    'physicians',
    'specialists',
    'previous physician',
    'previous physicians',
    'provider information',
    'healthcare providers',
    'health care providers',
    'your care team',
    'care team members',
    'primary care physician',
    'doctors',
    'treating providers',
    'physician information',
    'provider',
    'referring physician',
    'other providers',
    'provider contacts',
    'prior providers',
    'care team providers',
  ],
  family: ['family', 'family history', 'fh', 'fhx', 'family medical history', 'family hx', 'family health history'],
  social: [
    'social',
    'smoking',
    'smoking status',
    'alcohol use',
    'tobacco and alcohol',
    'social history',
    'sh',
    'shx',
    'social hx',
    'lifestyle',
    'habits',
    'tobacco use',
    'substance use',
  ],
  patient: [
    'patient information',
    'demographics',
    'patient demographics',
    'patient',
    'member information',
    'patient details',
    'patient info',
  ],
  results: [
    'vitals',
    'vital signs',
    'labs',
    'lab results',
    'laboratory results',
    'results',
    'recent labs',
    'laboratory',
    'diagnostic results',
    'lab',
    'test results',
    'pertinent results',
    'encounters',
    'visits',
    'encounter history',
    'insurance',
    'payers',
    'goals',
    'care plan',
    'plan of care',
    'instructions',
    'functional status',
    'mental status',
    'advance directives',
    'review of systems',
    'ros',
    'physical exam',
    'physical examination',
    'exam',
    'objective',
  ],
  narrative: [
    'assessment',
    'plan',
    'assessment and plan',
    'a p',
    'assessment plan',
    'impression and plan',
    'impression plan',
    'plan of care and assessment',
    'diagnosis and plan',
    'progress note',
    'office visit',
    'visit note',
    'consult note',
    'consultation',
    'history and physical',
    'h p',
    'discharge summary',
    'referral letter',
    'letter of referral',
    'hpi',
    'history of present illness',
    'chief complaint',
    'cc',
    'reason for visit',
    'reason for referral',
    'subjective',
    'impression',
    'summary',
    'notes',
    'comments',
    'letter',
    'clinical summary',
    'interval history',
    'discussion',
    'hospital course',
    'reason for transfer',
  ],
  other: ['signature', 'signed', 'attestation', 'page', 'continued', 'confidential', 'confidentiality notice'],
};

let index: TermIndex<SectionKind> | undefined;
function headings(): TermIndex<SectionKind> {
  if (!index) {
    index = new TermIndex<SectionKind>(7);
    for (const [kind, names] of Object.entries(HEADINGS) as [SectionKind, string[]][]) for (const n of names) index.add(n, kind);
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

/** A line that looks like a heading we do not know ("OFFICE USE ONLY:"), which ends the current section. */
export function looksLikeUnknownHeading(text: string): boolean {
  const t = text.trim();
  if (t.length < 4 || t.length > 50) return false;
  if (/\d/.test(t)) return false;
  const words = t.split(/\s+/);
  if (words.length > 5) return false;
  if (/:$/.test(t)) return true;
  return words.length >= 2 && t === t.toUpperCase() && /[A-Z]{3}/.test(t);
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
