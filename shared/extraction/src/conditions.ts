import { contextOf } from './context.ts';
import { CodeSystem, escapeRegExp, type ConditionItem, type SurgeryItem } from '@intake/core';
import { normalizeTerm, readDataRows, TermIndex } from '@intake/vocab';
import { findDates } from './dates.ts';
import { evidence, type TextSpan } from './evidence.ts';
import { findMentions } from './mentions.ts';
import { round } from './medications.ts';
import { sectionOf } from './sections.ts';
import { columnRole } from './tables.ts';

/**
 * Condition names, abbreviations and lay names → [preferred name, ICD-10-CM code when certain].
 * Hand-curated for common outpatient problems (no licensed SNOMED/ICD table is shipped).
 */
const CONDITIONS: Record<string, [string, string?]> = {
  htn: ['hypertension', 'I10'],
  hypertension: ['hypertension', 'I10'],
  'high blood pressure': ['hypertension', 'I10'],
  'essential hypertension': ['hypertension', 'I10'],
  hbp: ['hypertension', 'I10'],
  dm: ['diabetes mellitus'],
  diabetes: ['diabetes mellitus'],
  'diabetes mellitus': ['diabetes mellitus'],
  dm2: ['type 2 diabetes mellitus', 'E11.9'],
  t2dm: ['type 2 diabetes mellitus', 'E11.9'],
  'dm ii': ['type 2 diabetes mellitus', 'E11.9'],
  'dm type 2': ['type 2 diabetes mellitus', 'E11.9'],
  'type 2 diabetes': ['type 2 diabetes mellitus', 'E11.9'],
  'type 2 diabetes mellitus': ['type 2 diabetes mellitus', 'E11.9'],
  'diabetes mellitus type 2': ['type 2 diabetes mellitus', 'E11.9'],
  'diabetes type 2': ['type 2 diabetes mellitus', 'E11.9'],
  niddm: ['type 2 diabetes mellitus', 'E11.9'],
  'diabetes mellitus type ii': ['type 2 diabetes mellitus', 'E11.9'],
  'type ii diabetes': ['type 2 diabetes mellitus', 'E11.9'],
  'type ii diabetes mellitus': ['type 2 diabetes mellitus', 'E11.9'],
  'dm type ii': ['type 2 diabetes mellitus', 'E11.9'],
  'diabetes type ii': ['type 2 diabetes mellitus', 'E11.9'],
  'type 2 dm': ['type 2 diabetes mellitus', 'E11.9'],
  dm1: ['type 1 diabetes mellitus', 'E10.9'],
  t1dm: ['type 1 diabetes mellitus', 'E10.9'],
  'type 1 diabetes': ['type 1 diabetes mellitus', 'E10.9'],
  prediabetes: ['prediabetes', 'R73.03'],
  'pre-diabetes': ['prediabetes', 'R73.03'],
  hld: ['hyperlipidemia', 'E78.5'],
  hyperlipidemia: ['hyperlipidemia', 'E78.5'],
  dyslipidemia: ['hyperlipidemia', 'E78.5'],
  'high cholesterol': ['hypercholesterolemia', 'E78.00'],
  hypercholesterolemia: ['hypercholesterolemia', 'E78.00'],
  hypertriglyceridemia: ['hypertriglyceridemia', 'E78.1'],
  cad: ['coronary artery disease', 'I25.10'],
  'coronary artery disease': ['coronary artery disease', 'I25.10'],
  'coronary heart disease': ['coronary artery disease', 'I25.10'],
  chd: ['coronary artery disease', 'I25.10'],
  chf: ['heart failure', 'I50.9'],
  'congestive heart failure': ['heart failure', 'I50.9'],
  'heart failure': ['heart failure', 'I50.9'],
  'chronic congestive heart failure': ['heart failure', 'I50.9'],
  afib: ['atrial fibrillation', 'I48.91'],
  'a-fib': ['atrial fibrillation', 'I48.91'],
  'a fib': ['atrial fibrillation', 'I48.91'],
  'atrial fibrillation': ['atrial fibrillation', 'I48.91'],
  mi: ['myocardial infarction'],
  'myocardial infarction': ['myocardial infarction'],
  'heart attack': ['myocardial infarction'],
  'cardiac arrest': ['cardiac arrest'],
  stroke: ['stroke'],
  cva: ['stroke'],
  tia: ['transient ischemic attack'],
  copd: ['chronic obstructive pulmonary disease', 'J44.9'],
  'chronic obstructive pulmonary disease': ['chronic obstructive pulmonary disease', 'J44.9'],
  emphysema: ['emphysema'],
  asthma: ['asthma', 'J45.909'],
  'childhood asthma': ['childhood asthma'],
  gerd: ['gastroesophageal reflux disease', 'K21.9'],
  'acid reflux': ['gastroesophageal reflux disease', 'K21.9'],
  'gastroesophageal reflux disease': ['gastroesophageal reflux disease', 'K21.9'],
  reflux: ['gastroesophageal reflux disease', 'K21.9'],
  hypothyroidism: ['hypothyroidism', 'E03.9'],
  hyperthyroidism: ['hyperthyroidism'],
  depression: ['depression'],
  mdd: ['major depressive disorder'],
  'major depressive disorder': ['major depressive disorder'],
  anxiety: ['anxiety disorder', 'F41.9'],
  'anxiety disorder': ['anxiety disorder', 'F41.9'],
  gad: ['generalized anxiety disorder', 'F41.1'],
  'generalized anxiety disorder': ['generalized anxiety disorder', 'F41.1'],
  ptsd: ['post-traumatic stress disorder'],
  'bipolar disorder': ['bipolar disorder'],
  adhd: ['attention deficit hyperactivity disorder'],
  insomnia: ['insomnia'],
  obesity: ['obesity', 'E66.9'],
  'morbid obesity': ['morbid obesity'],
  'body mass index 30+ - obesity': ['obesity', 'E66.9'],
  ckd: ['chronic kidney disease', 'N18.9'],
  'chronic kidney disease': ['chronic kidney disease', 'N18.9'],
  oa: ['osteoarthritis', 'M19.90'],
  osteoarthritis: ['osteoarthritis', 'M19.90'],
  'degenerative joint disease': ['osteoarthritis', 'M19.90'],
  djd: ['osteoarthritis', 'M19.90'],
  'osteoarthritis of knee': ['osteoarthritis of knee'],
  'osteoarthritis of hip': ['osteoarthritis of hip'],
  ra: ['rheumatoid arthritis'],
  'rheumatoid arthritis': ['rheumatoid arthritis'],
  osteoporosis: ['osteoporosis', 'M81.0'],
  osteopenia: ['osteopenia'],
  gout: ['gout', 'M10.9'],
  migraine: ['migraine', 'G43.909'],
  migraines: ['migraine', 'G43.909'],
  'chronic intractable migraine without aura': ['chronic intractable migraine without aura'],
  epilepsy: ['epilepsy', 'G40.909'],
  'seizure disorder': ['seizure disorder', 'G40.909'],
  seizures: ['seizure disorder', 'G40.909'],
  osa: ['obstructive sleep apnea', 'G47.33'],
  'obstructive sleep apnea': ['obstructive sleep apnea', 'G47.33'],
  'sleep apnea': ['sleep apnea'],
  bph: ['benign prostatic hyperplasia', 'N40.0'],
  'benign prostatic hyperplasia': ['benign prostatic hyperplasia', 'N40.0'],
  anemia: ['anemia', 'D64.9'],
  'iron deficiency anemia': ['iron deficiency anemia'],
  'allergic rhinitis': ['allergic rhinitis', 'J30.9'],
  'seasonal allergies': ['allergic rhinitis', 'J30.9'],
  'perennial allergic rhinitis': ['perennial allergic rhinitis'],
  'perennial allergic rhinitis with seasonal variation': ['perennial allergic rhinitis with seasonal variation'],
  "alzheimer's disease": ["alzheimer's disease", 'G30.9'],
  'alzheimers disease': ["alzheimer's disease", 'G30.9'],
  dementia: ['dementia'],
  "parkinson's disease": ["parkinson's disease"],
  'multiple sclerosis': ['multiple sclerosis'],
  neuropathy: ['neuropathy'],
  'chronic pain': ['chronic pain'],
  'low back pain': ['low back pain'],
  'chronic low back pain': ['chronic low back pain'],
  'metabolic syndrome': ['metabolic syndrome'],
  'metabolic syndrome x': ['metabolic syndrome'],
  'chronic sinusitis': ['chronic sinusitis'],
  sinusitis: ['sinusitis'],
  'viral sinusitis': ['viral sinusitis'],
  'acute bronchitis': ['acute bronchitis'],
  'otitis media': ['otitis media'],
  'acute viral pharyngitis': ['acute viral pharyngitis'],
  'strep throat': ['streptococcal sore throat'],
  'streptococcal sore throat': ['streptococcal sore throat'],
  'contact dermatitis': ['contact dermatitis'],
  eczema: ['eczema'],
  psoriasis: ['psoriasis'],
  'hepatitis c': ['hepatitis C'],
  hiv: ['HIV infection'],
  'polyp of colon': ['polyp of colon'],
  'colon polyps': ['polyp of colon'],
  'colon cancer': ['malignant neoplasm of colon'],
  'breast cancer': ['malignant neoplasm of breast'],
  'prostate cancer': ['malignant neoplasm of prostate'],
  'neoplasm of prostate': ['neoplasm of prostate'],
  'carcinoma in situ of prostate': ['carcinoma in situ of prostate'],
  'lung cancer': ['malignant neoplasm of lung'],
  'primary malignant neoplasm of colon': ['primary malignant neoplasm of colon'],
  hypothyroid: ['hypothyroidism', 'E03.9'],
  'fatty liver': ['fatty liver'],
  nafld: ['nonalcoholic fatty liver disease'],
  ibs: ['irritable bowel syndrome'],
  'irritable bowel syndrome': ['irritable bowel syndrome'],
  'crohn disease': ["crohn's disease"],
  "crohn's disease": ["crohn's disease"],
  'ulcerative colitis': ['ulcerative colitis'],
  diverticulosis: ['diverticulosis'],
  glaucoma: ['glaucoma'],
  cataract: ['cataract'],
  'macular degeneration': ['macular degeneration'],
  pvd: ['peripheral vascular disease'],
  pad: ['peripheral artery disease'],
  dvt: ['deep vein thrombosis'],
  'pulmonary embolism': ['pulmonary embolism'],
  'smokes tobacco daily': ['smokes tobacco daily'],
  'tobacco use': ['tobacco use'],
  smoker: ['tobacco use'],
  'alcohol use disorder': ['alcohol use disorder'],
};

let conditionIndex: TermIndex<[string, string?]> | undefined;
export function conditionLexicon(): TermIndex<[string, string?]> {
  if (!conditionIndex) {
    conditionIndex = new TermIndex<[string, string?]>(8, (v) => v[0]);
    for (const [k, v] of Object.entries(CONDITIONS)) conditionIndex.add(k, v);
  }
  return conditionIndex;
}

/** Words that mark a surgery or procedure name. */
/** Words that name a procedure: data, shared/vocab/data/procedure-words.tsv (suffixes and whole words). */
export const SURGERY_RE = (() => {
  const rows = readDataRows('procedure-words.tsv');
  const esc = (t: string) => escapeRegExp(t.trim().toLowerCase());
  const suffixes = rows.filter(([k]) => k === 'suffix').map(([, t]) => esc(t!));
  const words = rows
    .filter(([k]) => k === 'word')
    .map(([, t]) => esc(t!))
    .sort((a, b) => b.length - a.length);
  return new RegExp(`\\b(\\w+(?:${suffixes.join('|')})|${words.join('|')})\\b`, 'i');
})();

export { contextOf, type Context } from './context.ts';

const STATUS_RE =
  /\b(active|resolved|inactive|in remission|remission|chronic|controlled|uncontrolled|stable|improving|worsening|history of|hx of|h\/o|past)\b/i;
const ICD_RE = /\(?\b([A-TV-Z]\d{2}(?:\.\d{1,4}[A-Z]?)?)\b\)?/;
const MODIFIER =
  /^(?:(?:on|off|s\/p|status post|with|w\/|without|due to|secondary to|followed by|managed by|sees|per)\b.*|controlled|uncontrolled|well controlled|poorly controlled|stable|unstable|mild|moderate|severe|chronic|acute|resolved|active|unspecified|improving|worsening|in remission|on medication|on meds|diet controlled|not on meds|treated|untreated|intermittent|persistent|with complications|without complications|\d{4})$/i;

function cleanName(text: string): string {
  return text
    .replace(/(?<=[a-z])\.(?=[\s\d])|(?<=[a-z])\.(?=[a-z]{2})/gi, ' ')
    .replace(
      /\b(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\s*$/i,
      ' ',
    )
    .replace(/^\s*(?:[-•*·▪►]|\d{1,2}[.)])\s*/, '')
    .replace(ICD_RE, ' ')
    .replace(/\(\s*(?:snomed(?:\s*ct)?\s*:?\s*)?\d{5,}\s*\)/gi, ' ')
    .replace(/\((?:disorder|finding|situation|procedure|diagnosis)\)/gi, ' ')
    .replace(/\b(?:dx|diagnosed|onset|since|resolved|status|date|noted|started|in|on|from|effective)\b\s*:?\s*$/i, ' ')
    .replace(/\b(?:history of|hx of|h\/o|s\/p|status post)\s+/i, ' ')
    .replace(/[\s:,;|()–—-]+$/, '')
    .replace(/^[\s:,;|()–—-]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\(([^()]+)$/, '($1)'); // "Cholecystectomy (lap)": the strip above took its ")"
}

const QUALIFIER_START =
  /^\s*(?:essential|primary|secondary|stage\s*[0-9iv]+[ab]?|type\s*[0-9iv]+|class\s*[0-9iv]+|grade\s*[0-9iv]+|major|recurrent|single episode|mild|moderate|severe|unspecified|left|right|bilateral|nos|with|without|in (?:partial |full )?remission|paroxysmal|persistent|permanent|intermittent|uncomplicated|not intractable|intractable)\b/i;

/** Splits "HTN, DM2; HLD" into list parts, keeping modifiers with their condition ("DM2, controlled"). */
export function listParts(text: string): { text: string; start: number }[] {
  const parts: { text: string; start: number }[] = [];
  // Commas separate items only in a list of short names ("HTN, DM2, HLD"), not inside a name
  // ("Localized, primary osteoarthritis of the hand").
  // `series`: how many comma parts the chunk's list has ("A, B, C" is an enumeration, not a name and its description).
  const chunks: { text: string; start: number; series: number }[] = [];
  for (let c = /[^;|]+/g, m = c.exec(text); m; m = c.exec(text)) {
    const commaParts = m[0].split(',');
    const shortNames = commaParts.every((p) => p.trim().split(/\s+/).length <= 4);
    // Longer names too, when each one after a comma is a name of its own, not a qualifier of the one before.
    const ownNames =
      commaParts.length > 1 &&
      commaParts.every((p) => p.trim().split(/\s+/).length <= 8) &&
      commaParts.slice(1).every((p) => !QUALIFIER_START.test(p) && !MODIFIER.test(p.trim()) && /^\s*[A-Za-z]{3,}/.test(p));
    if (commaParts.length > 1 && (shortNames || ownNames)) {
      let off = m.index;
      for (const p of commaParts) {
        chunks.push({ text: p, start: off, series: commaParts.length });
        off += p.length + 1;
      }
    } else chunks.push({ text: m[0], start: m.index, series: 1 });
  }
  for (const chunk of chunks) {
    const m = { 0: chunk.text, index: chunk.start };
    const t = m[0];
    const prev = parts[parts.length - 1];
    const single =
      chunk.series <= 2 &&
      t.trim().split(/\s+/).length === 1 &&
      !/^[A-Z0-9]{2,}$/.test(t.trim()) &&
      !conditionLexicon().get(t.trim());
    // "Hypertension, essential", "Chronic kidney disease, stage 3a": a qualifier of the name before it.
    const qualifier =
      QUALIFIER_START.test(t) &&
      findMentions(t, conditionLexicon(), { maxWords: 5, minLength: 2 })[0]?.start !== t.length - t.trimStart().length;
    // "Type 2 diabetes mellitus, non-insulin requiring", "Sleep apnea, uses CPAP nightly": after a comma, a
    // lower-case phrase that names no condition describes the one before it — unless it is one of a
    // series of three or more ("chronic sinusitis, rupture of appendix, appendicitis"), which enumerates.
    const describes =
      chunk.series <= 2 &&
      /^\s*[a-z]/.test(t) &&
      !/^\s*(?:h\/o|hx|s\/p|history of|status post|no|denies|possible|probable|r\/o)\b/i.test(t) &&
      text[m.index - 1] === ',' &&
      findMentions(t, conditionLexicon(), { maxWords: 5, minLength: 3 }).length === 0 &&
      !SURGERY_RE.test(t);
    if (
      prev &&
      (MODIFIER.test(t.trim()) ||
        single ||
        qualifier ||
        describes ||
        /^\s*(?:[-–—:]\s*)?(?:(?:dx|diagnosed|onset|since|resolved|status)\b.*|\d{1,2}\/\d{2,4}|\d{4}(?:-\d{2}){0,2}|[A-Za-z]{3,9}\.? \d{4})\s*$/i.test(
          t,
        ) ||
        /\((?:[^)]*)$/.test(prev.text))
    ) {
      prev.text = text.slice(prev.start, m.index + t.length);
    } else parts.push({ text: t, start: m.index });
  }
  return parts;
}

function conditionFromPart(
  span: TextSpan,
  part: { text: string; start: number },
  base: number,
): ConditionItem | SurgeryItem | undefined {
  const raw = part.text;
  const ctx = contextOf(raw.replace(/\b(resolved)\b/i, ''));
  if (ctx === 'family' || ctx === 'hypothetical') return undefined;
  // "Father: DM2" in a history list is family history.
  if (
    /^\s*(?:[-•*·]\s*)?(?:mother|father|mom|dad|sister|brother|sibling|parents?|grand(?:mother|father|parent)s?|aunt|uncle|son|daughter|maternal|paternal)\b/i.test(
      raw,
    )
  )
    return undefined;
  const leadNeg =
    /^\s*(?:[-•*·]\s*)?(no|denies|denied|negative for|no history of|no hx of|no h\/o|never had|never diagnosed with)\b\s*/i.exec(
      raw,
    );
  const body = leadNeg ? raw.slice(leadNeg[0].length) : raw;
  const dates = findDates(body, { yearOnly: true });
  let name = body;
  for (const d of [...dates].reverse()) name = name.slice(0, d.start) + ' ' + name.slice(d.end);
  name = cleanName(
    name.replace(/\((?:\s*)\)/g, ' ').replace(STATUS_RE, (m: string, _g: string, off: number, str: string) =>
      /history of|hx of|h\/o|past/i.test(m) ||
      // "Chronic kidney disease", "chronic low back pain": part of the name.
      (/^chronic$/i.test(m) &&
        /^\s+[a-z]{3,}/i.test(str.slice(off + m.length)) &&
        !/^\s+(?:and|or|with)\b/i.test(str.slice(off + m.length)))
        ? m
        : ' ',
    ),
  );
  name = cleanName(name);
  // "DM2 (A1c 6.8)": what the parenthesis adds is a comment on the name before it.
  const core = name.replace(/\s*\([^()]*\)\s*$/, '') || name;
  if (
    !name ||
    (core.length < 3 && !(core === core.toUpperCase() && conditionLexicon().get(normalizeTerm(core)))) || // "MI"
    (!/[a-z]{3}/i.test(core) && !conditionLexicon().get(normalizeTerm(core))) || // "DM2", "T2DM""
    name.split(/\s+/).length > 10
  )
    return undefined;
  if (
    /^(none|unknown|n\/a|problem|diagnosis|condition|onset|status|date|comments?|icd-?10|code|description|name|no known problems|noncontributory|negative|(?:known |significant |chronic |past )?(?:medical )?(?:problems?|conditions?|illness(?:es)?|history|issues|diagnoses))$/i.test(
      name,
    )
  )
    return undefined;
  const start = part.start + (raw.length - raw.trimStart().length);
  const end = part.start + raw.trimEnd().length;
  // "s/p MI 2018": a past condition, not a procedure.
  const pastCondition = !SURGERY_RE.test(name) && !!conditionLexicon().get(normalizeTerm(name));
  const isSurgery =
    (/^\s*(s\/p|status post)\b/i.test(raw) && !pastCondition) ||
    (SURGERY_RE.test(name) && !/\b(history of|hx of)\b/i.test(raw)
      ? /ectomy|otomy|plasty|repair|replacement|bypass|surgery|section|ligation|insertion|removal|excision/i.test(name) &&
        !conditionLexicon().get(name)
      : false);
  // "History of appendectomy" in a list of conditions is the problem list's own entry (a coded
  // situation, a condition), not an operation: it goes on as a condition below.
  if (isSurgery) {
    const sname = cleanName(name.replace(/^history of\s+/i, ''));
    const s: SurgeryItem = {
      kind: 'surgery',
      name: sname.toLowerCase(),
      display: raw.trim(),
      codes: [],
      negated: !!leadNeg,
      confidence: round(base * 0.9 * (0.6 + 0.4 * span.confidence)),
      evidence: evidence(span, start, end),
    };
    if (dates[0]) s.date = dates[0].iso;
    return s;
  }
  let lex = conditionLexicon().lookup(name, true);
  if (!lex) {
    // "HTN - on lisinopril", "Asthma since childhood": a known condition first, then a comment.
    const lead = findMentions(name, conditionLexicon(), { maxWords: 7, minLength: 2 })[0];
    if (
      lead &&
      lead.start === 0 &&
      /^\s*(?:[-–—:(,;]|on\b|since\b|dx\b|diagnosed\b|controlled|uncontrolled|stable|well\b|with\b|w\/|managed|treated|followed)/i.test(
        name.slice(lead.end),
      )
    ) {
      lex = { value: lead.value, term: lead.term, score: lead.score };
      name = name.slice(0, lead.end);
    }
  }
  if (!lex && !plausibleName(name, raw)) return undefined;
  const icd = ICD_RE.exec(raw)?.[1];
  const status = /\b(resolved|inactive|in remission|remission|history of|hx of|h\/o|past)\b/i.exec(raw)?.[1]?.toLowerCase();
  const item: ConditionItem = {
    kind: 'condition',
    name: lex && lex.score >= 0.9 ? lex.value[0] : normalizeTerm(name).replace(/\s+/g, ' ') || name.toLowerCase(),
    display: raw.trim(),
    codes: icd
      ? [{ system: CodeSystem.icd10cm, code: icd }]
      : lex?.value[1]
        ? [{ system: CodeSystem.icd10cm, code: lex.value[1], display: lex.value[0] }]
        : [],
    negated: !!leadNeg,
    confidence: round(base * (lex ? lex.score : 0.75) * (0.6 + 0.4 * span.confidence)),
    evidence: evidence(span, start, end),
  };
  // Keep the written name when the lexicon would only generalise it.
  if (lex && lex.score >= 0.9 && normalizeTerm(name) !== lex.term && normalizeTerm(name).length > lex.term.length + 3)
    item.name = normalizeTerm(name);
  const onset = dates.find((d) => !/resolved|ended|until/i.test(body.slice(Math.max(0, d.start - 12), d.start)));
  if (onset) item.onset = onset.iso;
  if (status)
    item.status =
      status === 'remission'
        ? 'in remission'
        : status === 'hx of' || status === 'h/o' || status === 'history of' || status === 'past'
          ? 'resolved'
          : status;
  else if (/\bactive|chronic|current\b/i.test(raw)) item.status = 'active';
  return item;
}

/**
 * A problem the condition vocabulary does not know is still a problem when it reads like one —
 * not a column heading or section title ("LAST FILL", "PRESCRIBER", "CHRONIC DIAGNOSES"), not one
 * capitalised word of a heading, not a piece of a sentence ("admitted to the medical service"),
 * not OCR debris ("_ORUG / STRENGTH: - | ary | os").
 */
function plausibleName(name: string, raw: string): boolean {
  if (/\b(?:ICD|[A-TV-Z]\d{2}\.\d)/.test(raw)) return true;
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length === 0) return false;
  if (columnRole(name) !== undefined || sectionOf(name) !== undefined) return false;
  if (words.length === 1 && name === name.toUpperCase() && name.length > 5) return false;
  if (/^[a-z]/.test(name) && /\b(?:the|to|was|were|is|are|been|has|had|will|would)\b/.test(name)) return false;
  const wordLike = words.filter((w) => /^[A-Za-z][a-z'’-]+[,.;:]?$|^[A-Z]{2,}[,.;:]?$|^\(?[A-Za-z][a-z]+\)?$/.test(w)).length;
  return wordLike / words.length >= 0.6;
}

/** Lines that are contact details or names, not problems or procedures (a missed heading above them). */
export function isContactLine(text: string): boolean {
  return (
    /\(?\b\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}\b/.test(text) ||
    /\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b/.test(text) ||
    /^\s*\d{1,6}\s+\w+(?:\s+\w+){0,3}\s+(?:street|st|avenue|ave|road|rd|drive|dr|lane|ln|way|place|pl|blvd|boulevard|court|ct)\b/i.test(
      text,
    ) ||
    /\bDr\.?\s+[A-Z]|\bM\.?D\.?\b|\b(?:phone|fax|tel)\b/i.test(text)
  );
}

/** Conditions (and "s/p" surgeries) on one line of a problem list / PMH section. */
export function conditionsInList(span: TextSpan, base = 0.88): (ConditionItem | SurgeryItem)[] {
  const out: (ConditionItem | SurgeryItem)[] = [];
  if (isContactLine(span.text)) return out;
  for (const part of listParts(span.text)) {
    // "prostate cancer s/p radical prostatectomy 2012": the condition, and the surgery after "s/p".
    const sp = /\s(?:s\/p|status post)\s+/i.exec(part.text);
    if (sp && sp.index > 2) {
      const item = conditionFromPart(span, { text: part.text.slice(0, sp.index), start: part.start }, base);
      if (item) out.push(item);
      const s = surgeriesInList(span, base, {
        text: part.text.slice(sp.index + sp[0].length),
        start: part.start + sp.index + sp[0].length,
      });
      out.push(...s);
      continue;
    }
    const item = conditionFromPart(span, part, base);
    if (item) out.push(item);
  }
  return out;
}

/** Surgeries on one line of a surgical history section. */
export function surgeriesInList(span: TextSpan, base = 0.88, only?: { text: string; start: number }): SurgeryItem[] {
  const out: SurgeryItem[] = [];
  if (!only && isContactLine(span.text)) {
    // "Hysterectomy - 2004 (Dr. Smith, Mercy Hospital)": the procedure before who did it.
    const cut = /[(,;-]?\s*(?:by\s+)?(?:\bDr\.?\s+[A-Z]|\b(?:at|@)\s+[A-Z]|\(?\b\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}\b)/.exec(
      span.text,
    );
    let prefix = cut ? span.text.slice(0, cut.index) : '';
    // "Arthroscopy of right knee (2014, Dr. Okafor, …)": the parenthesis the clinician opens keeps its date.
    if (/\([^()]*$/.test(prefix)) prefix += ')';
    if (!prefix.trim() || !SURGERY_RE.test(prefix) || isContactLine(prefix)) return out;
    only = { text: prefix, start: 0 };
  }
  for (const part of only ? [only] : listParts(span.text)) {
    const raw = part.text;
    if (contextOf(raw) === 'family') continue;
    const dates = findDates(raw, { yearOnly: true });
    let name = raw;
    for (const d of [...dates].reverse()) name = name.slice(0, d.start) + ' ' + name.slice(d.end);
    name = cleanName(name.replace(/\((?:\s*)\)/g, ' ').replace(/\b(?:at age \d+|age \d+|performed|done|by dr\.? \w+)\b/gi, ' '));
    name = cleanName(name).replace(/(?<=[a-z)])\.$/i, '');
    if (
      !name ||
      name.length < 3 ||
      !/[a-z]{3}/i.test(name) ||
      /^(none|no surgeries|no prior surgeries|procedure|surgery|date|n\/a|no past surgical history|denies|noncontributory)$/i.test(
        name,
      ) ||
      // Imaging and diagnostic tests under "Procedures" are not surgeries.
      (/^(?:(?:chest|abdominal|pelvic|head|cardiac|renal|transthoracic|transesophageal)\s+)?(?:x-?rays?|xr|cxr|ct(?: scan)?|mri|ultrasound|us|echo(?:cardiogram)?|tte|tee|ekg|ecg|eeg|emg|stress test|pfts?|labs?|blood work|doppler)\b/i.test(
        name,
      ) &&
        !SURGERY_RE.test(name))
    )
      continue;
    const start = part.start + (raw.length - raw.trimStart().length);
    const end = part.start + raw.trimEnd().length;
    const s: SurgeryItem = {
      kind: 'surgery',
      name: name.toLowerCase(),
      display: withoutDates(raw, dates),
      codes: [],
      negated: false,
      confidence: round(base * (0.6 + 0.4 * span.confidence)),
      evidence: evidence(span, start, end),
    };
    if (dates[0]) s.date = dates[0].iso;
    out.push(s);
  }
  return out;
}

/** Conditions and surgeries mentioned in prose, with negation, family and hypothetical context. */
export function conditionsInProse(span: TextSpan, skip: [number, number][]): (ConditionItem | SurgeryItem)[] {
  const text = span.text;
  const out: (ConditionItem | SurgeryItem)[] = [];
  for (const m of findMentions(text, conditionLexicon(), { maxWords: 7, fuzzy: true, minFuzzyLength: 8, minLength: 3 })) {
    if (skip.some(([a, b]) => m.start < b && m.end > a)) continue;
    const phrase = text.slice(m.start, m.end);
    if (phrase.length <= 3 && phrase !== phrase.toUpperCase()) continue;
    const ctx = contextOf(text.slice(0, m.start));
    if (ctx === 'family' || ctx === 'hypothetical') continue;
    const sentenceEnd = text.slice(m.end).search(/[.;]\s|$/);
    const tail = text.slice(m.end, m.end + Math.max(0, sentenceEnd));
    const date = findDates(tail.split(/,|\band\b/)[0] ?? '', { yearOnly: true })[0];
    const item: ConditionItem = {
      kind: 'condition',
      name: m.value[0],
      display: phrase,
      codes: m.value[1] ? [{ system: CodeSystem.icd10cm, code: m.value[1], display: m.value[0] }] : [],
      negated: ctx === 'negated',
      confidence: round(0.75 * m.score * (0.6 + 0.4 * span.confidence)),
      evidence: evidence(span, m.start, m.end),
    };
    if (date && /^\W*(?:in|since|dx|diagnosed|from|\()/i.test(tail)) item.onset = date.iso;
    out.push(item);
  }
  const surg =
    /\b(?:s\/p\s*|status post\s+|underwent\s+(?:an? |a |the )?|had (?:an? |her |his )?|history of (?:an? )?|prior )((?:[A-Za-z-]+ ){0,3}?(?:\w+ectomy|\w+otomy|\w+plasty|repair|replacement|bypass(?: grafting)?|c-section|cesarean section|surgery|tubal ligation))\b([^.;]{0,30})/gi;
  for (let m = surg.exec(text); m; m = surg.exec(text)) {
    if (contextOf(text.slice(0, m.index)) !== 'affirmed') continue;
    const date = findDates(m[2] ?? '', { yearOnly: true })[0];
    const s: SurgeryItem = {
      kind: 'surgery',
      name: m[1]!.toLowerCase().replace(/^(an?|her|his|the) /, ''),
      display: m[0].trim(),
      codes: [],
      negated: false,
      confidence: round(0.7 * (0.6 + 0.4 * span.confidence)),
      evidence: evidence(span, m.index, m.index + m[0].length),
    };
    if (date) s.date = date.iso;
    out.push(s);
  }
  return out;
}

/**
 * An item's display is its own mention: the dates bound to it (kept in `date`, and in the
 * evidence box) are cut out, with the punctuation they leave ("Tonsillectomy Jun 20, 1995",
 * "Appendectomy - 2005", "Knee arthroscopy (2014, Dr. Okafor)"). Left whole when too little remains.
 */
export function withoutDates(raw: string, dates: { start: number; end: number }[]): string {
  let shown = raw;
  for (const d of [...dates].sort((a, b) => b.start - a.start)) shown = shown.slice(0, d.start) + ' ' + shown.slice(d.end);
  shown = shown
    .replace(/\(\s*[,;]\s*/g, '(')
    .replace(/\s*[,;]\s*\)/g, ')')
    .replace(/\(\s*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/(?:\s*(?:[,;:–—-]|\b(?:on|in)\b))+\s*$/i, '')
    .replace(/^[\s,;:–—-]+/, '')
    .trim();
  return /[a-z]{3}/i.test(shown) ? shown : raw.trim();
}
