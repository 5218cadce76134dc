import { CodeSystem, type Code, type Evidence, type Item } from '@intake/core';
import { substancesIn } from '../allergies.ts';
import { conditionLexicon, SURGERY_RE } from '../conditions.ts';
import { spanFromText } from '../evidence.ts';
import type { Lexicons } from '../lexicons.ts';
import { drugMentions, round } from '../medications.ts';
import { findMentions } from '../mentions.ts';
import { parseSig, type Sig } from '../sig.ts';
import type { ScreeningCode } from '@intake/vocab';

export const OID_SYSTEM: Record<string, string> = {
  '2.16.840.1.113883.6.88': CodeSystem.rxnorm,
  '2.16.840.1.113883.12.292': CodeSystem.cvx,
  '2.16.840.1.113883.6.1': CodeSystem.loinc,
  '2.16.840.1.113883.6.96': CodeSystem.snomed,
  '2.16.840.1.113883.6.90': CodeSystem.icd10cm,
  '2.16.840.1.113883.4.6': CodeSystem.npi,
};

/**
 * HL7 v3 TS ("20190314120000-0500") or FHIR dateTime → ISO date at the precision given. A time
 * zone, negative or positive, shifts no day (the date is the one written). A zero year, month or
 * day ("000000", "20120300") is a placeholder: the date stops at the last real part.
 */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  // HL7 TS: YYYY[MM[DD[HH[MM[SS[.S…]]]]]][±ZZZZ]
  const m =
    /^(\d{4})(\d{2})?(\d{2})?(?:\d{2,6}(?:\.\d+)?)?(?:[+-]\d{4})?$/.exec(v) ?? /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(v);
  if (!m) return undefined;
  const [y, mo, d] = [m[1]!, m[2], m[3]];
  if (/^0+$/.test(y)) return undefined;
  if (!mo || mo === '00' || Number(mo) > 12) return y;
  if (!d || d === '00' || Number(d) > 31) return `${y}-${mo}`;
  return `${y}-${mo}-${d}`;
}

export const structuredEvidence = (text: string): Evidence => ({ page: 1, text: text.slice(0, 200) });

/** The ingredient a medication's coded name or text stands for (RxNorm lexicon), else its text. */
export function medicationName(lex: Lexicons, display: string, rxcui?: string): { name: string; rxcui?: string } {
  const coded = rxcui ? lex.rx.ingredientsOf.get(rxcui) : undefined;
  if (coded) {
    const one = coded.includes(' / ') ? undefined : lex.rx.ingredientRxcui.get(coded);
    return { name: coded, ...(one ? { rxcui: one } : {}) };
  }
  const ms = drugMentions(display, lex, { fuzzy: false });
  if (ms.length) {
    const names = [...new Set(ms.flatMap((m) => m.value.ingredient.split(' / ')))].sort();
    const one = ms.length === 1 ? ms[0]!.value.ingredientRxcui : undefined;
    return { name: names.join(' / '), ...(one ? { rxcui: one } : {}) };
  }
  return {
    name:
      display
        .toLowerCase()
        .replace(/\s+\d.*$/, '')
        .trim() || display.toLowerCase(),
  };
}

/** A result value as a person would write it: "1.2 ng/mL", "T-score -2.6". */
export function formatValue(value: unknown, unit: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  const v = Number.isFinite(n) ? String(Math.round(n * 100) / 100) : String(value);
  const u = typeof unit === 'string' ? unit.replace(/^\{(.*)\}$/, '$1') : '';
  if (/t-?score|z-?score/i.test(u)) return `${u} ${v}`;
  return u && u !== '1' ? `${v} ${u}` : v;
}

export function sigFrom(text: string | undefined): Sig {
  return text ? parseSig(text) : {};
}

/** Canonical allergy substance for a coded or written allergen ("Allergy to peanuts" → peanut). */
export function allergySubstance(lex: Lexicons, display: string): { substance: string; rxcui?: string } {
  const cleaned = display
    .replace(/\s*\((?:substance|finding|disorder)\)/gi, '')
    .replace(/^allergy to\s+|\s+allergy$/i, '')
    .trim();
  const subs = substancesIn(cleaned, lex, false);
  if (subs.length === 1) return { substance: subs[0]!.name, ...(subs[0]!.rxcui ? { rxcui: subs[0]!.rxcui } : {}) };
  return { substance: cleaned.toLowerCase() };
}

export function conditionName(display: string): { name: string; codes: Code[] } {
  const cleaned = display.replace(/\s*\((?:disorder|finding|situation|diagnosis)\)/gi, '').trim();
  const lex = conditionLexicon().get(cleaned);
  return { name: lex ? lex[0] : cleaned.toLowerCase(), codes: lex?.[1] ? [{ system: CodeSystem.icd10cm, code: lex[1] }] : [] };
}

/** Screening row for a coded test (LOINC) or a procedure name, if it is one. */
export function screeningFor(lex: Lexicons, code: string | undefined, display: string): ScreeningCode | undefined {
  if (code) {
    const row = lex.loinc.byCode.get(code);
    if (row && row.type !== 'other') return row;
    if (code === '73761001' || code === '310634005' || code === '446745002') return lex.loinc.preferred.get('colonoscopy');
    if (code === '312681000') return lex.loinc.preferred.get('bone-density');
    if (code === '1015401000000102') return lex.loinc.preferred.get('fecal-occult-blood');
    if (code === '71651007' || code === '24623002') return lex.loinc.preferred.get('mammogram');
  }
  const m = findMentions(display, lex.loinc.names, { maxWords: 5, minLength: 3 })[0];
  return m?.value;
}

/** Words that make a procedure's name a test, an exam or a service rather than an operation. */
export const NOT_SURGERY =
  /\b(examination|exam|screening|documentation|reconciliation|assessment|x-ray|ultrasound|echocardiograph\w*|electrocardiogra\w*|test|culture|smear|counseling|education|referral|review|microscop\w*|panel|vaccine|vaccination|immunization|therapy)\b/i;

/** Operations a coded procedure names that the page vocabulary's words and suffixes miss. */
const MORE_OPERATIONS = /\b(?:extraction|open reduction|internal fixation|orif|curettage|d&c)\b/i;

export function isSurgery(display: string): boolean {
  return (SURGERY_RE.test(display) || MORE_OPERATIONS.test(display)) && !NOT_SURGERY.test(display);
}

export function confidence(n: number): number {
  return round(n);
}

/** "No information", "Unknown", "????": a placeholder an EHR writes where it has nothing, never an item's name. */
export const PLACEHOLDER =
  /^\s*(?:unknown|unk|\?+|n\/?a|none|nil|null|no information|no info|not applicable|not available|not recorded|not known|no data|no known \w+|no \w+ (?:recorded|documented|on file)|-+|\.+)\s*$/i;

/** A name an EHR writes where it has none ("Unknown", "????", "No information", ""). */
export const junk = (t: string) => !t.trim() || PLACEHOLDER.test(t) || !/[a-z]/i.test(t);
const wordsOf = (t: string) => new Set(t.toLowerCase().match(/[a-z]{4,}/g) ?? []);
/**
 * A code table's short name, not what a person reads: all capitals, short and of short words ("LAP
 * CHOLE", "HTN", "TKA RT"), or all capitals beside a mixed-case text of the same thing ("LAP
 * CHOLECYSTECTOMY" beside "Laparoscopic cholecystectomy"). A capitalised name beside some other
 * text (an originalText that points at the wrong cell) keeps its place.
 */
export function abbreviated(t: string, all: string[]): boolean {
  if (/[a-z]/.test(t)) return false;
  if (t.replace(/[^A-Z]/g, '').length <= 12 && !/[A-Z]{6,}/.test(t)) return true;
  const w = wordsOf(t);
  return all.some((o) => o !== t && /[a-z]/.test(o) && [...wordsOf(o)].some((x) => w.has(x)));
}

/** Degrees and credentials a vendor writes into a name part ("Seven, M.D.", "Jones MD"). */
export const CREDENTIALS =
  /(?:,\s*|\s+)(?:m\.?d\.?|d\.?o\.?|n\.?p\.?|p\.?a\.?(?:-c)?|r\.?n\.?|aprn|fnp(?:-c)?|dnp|ph\.?d\.?|facp|faafp|mph|dds|dmd|od|dpm|crna|lpn|pharmd)\b\.?/gi;

/** Texts best first, placeholders dropped, an all-capitals abbreviation after a readable text of the same thing. */
export function readableFirst(texts: unknown[]): string[] {
  const out: string[] = [];
  for (const t of texts) {
    const v = typeof t === 'string' ? t.replace(/\s+/g, ' ').trim() : '';
    if (v && !junk(v) && !out.includes(v)) out.push(v);
  }
  const short = out.filter((t) => abbreviated(t, out));
  return [...out.filter((t) => !short.includes(t)), ...short];
}

/** A clinician's name without the credentials written into its parts; `doctor` when one says MD or DO. */
export function withoutCredentials(name: string): { name: string; doctor: boolean } {
  const doctor = /(?:^|[\s,])(?:m\.?d|d\.?o)\b\.?/i.test(name);
  return {
    name: name
      .replace(CREDENTIALS, '')
      .replace(/[\s,]+$/, '')
      .replace(/\s+/g, ' ')
      .trim(),
    doctor,
  };
}

function isPlaceholder(item: Item): boolean {
  if (item.negated) return false;
  const x = item as Item & { name?: string; substance?: string; vaccine?: string };
  const name = x.name ?? x.substance ?? x.vaccine;
  return (name !== undefined && PLACEHOLDER.test(name)) || PLACEHOLDER.test(item.display);
}

/** Drops exact duplicates (the same entry listed twice in a document) and placeholder entries. */
export function uniqueItems(items: Item[]): Item[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    // "No known allergies" written as an allergy entry is the one negated item OUTPUT.md asks for.
    if (i.kind === 'allergy' && !i.negated && /^\s*(?:no known|nka|nkda)\b/i.test(i.substance || i.display)) {
      i.negated = true;
      i.substance = 'none known';
      i.codes = [];
    }
    if (isPlaceholder(i)) return false;
    // A placeholder identifier ("UNK") is no code.
    i.codes = i.codes.filter((c) => !PLACEHOLDER.test(c.code) && (c.system !== CodeSystem.npi || /^\d{10}$/.test(c.code)));
    const { evidence: _e, confidence: _c, ...rest } = i;
    const k = JSON.stringify(rest);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function textSpan(text: string) {
  return spanFromText(1, text);
}
