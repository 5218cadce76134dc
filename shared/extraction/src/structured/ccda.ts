import { BadInputError, CodeSystem, type Code, type ExtractionResult, type Item, type Patient, type Source } from '@intake/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { reactionOf } from '../allergies.ts';
import { lexicons, type Lexicons } from '../lexicons.ts';
import { dedupe } from '../merge.ts';
import { formatPhone } from '../providers.ts';
import { sectionOf, type SectionKind } from '../sections.ts';
import {
  allergySubstance,
  conditionName,
  confidence,
  CREDENTIALS,
  formatValue,
  isoDate,
  isSurgery,
  medicationName,
  NOT_SURGERY,
  junk,
  OID_SYSTEM,
  readableFirst,
  screeningFor,
  sigFrom,
  structuredEvidence,
  uniqueItems,
} from './common.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML of any shape, read defensively
type N = Record<string, any>;

const ARRAYS = new Set([
  'component',
  'entry',
  'entryRelationship',
  'templateId',
  'id',
  'translation',
  'participant',
  'performer',
  'telecom',
  'given',
  'name',
  'addr',
  'streetAddressLine',
  'observation',
  'act',
  'substanceAdministration',
  'procedure',
  'organizer',
  'effectiveTime',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  isArray: (name) => ARRAYS.has(name),
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** C-CDA section templateIds (root, any version) → section kind; read before the LOINC code and the title. */
const SECTION_TEMPLATES: Record<string, SectionKind> = {
  '2.16.840.1.113883.10.20.22.2.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.1.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.11': 'medications', // discharge medications
  '2.16.840.1.113883.10.20.22.2.11.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.38': 'medications', // medications administered
  '2.16.840.1.113883.10.20.22.2.44': 'medications', // admission medications
  '2.16.840.1.113883.10.20.22.2.6': 'allergies',
  '2.16.840.1.113883.10.20.22.2.6.1': 'allergies',
  '2.16.840.1.113883.10.20.22.2.2': 'immunizations',
  '2.16.840.1.113883.10.20.22.2.2.1': 'immunizations',
  '2.16.840.1.113883.10.20.22.2.5': 'conditions',
  '2.16.840.1.113883.10.20.22.2.5.1': 'conditions',
  '2.16.840.1.113883.10.20.22.2.20': 'conditions', // past medical history
  '2.16.840.1.113883.10.20.22.2.35': 'conditions', // postoperative diagnosis
  '2.16.840.1.113883.10.20.22.2.24': 'conditions', // discharge diagnosis
  '2.16.840.1.113883.10.20.22.2.7': 'surgeries',
  '2.16.840.1.113883.10.20.22.2.7.1': 'surgeries',
  '2.16.840.1.113883.10.20.22.2.3': 'results',
  '2.16.840.1.113883.10.20.22.2.3.1': 'results',
  '2.16.840.1.113883.10.20.22.2.4': 'results', // vital signs
  '2.16.840.1.113883.10.20.22.2.4.1': 'results',
  '2.16.840.1.113883.10.20.22.2.15': 'family',
  '2.16.840.1.113883.10.20.22.2.17': 'social',
  '2.16.840.1.113883.10.20.22.2.34': 'other', // preoperative diagnosis: what was expected, not found
  '2.16.840.1.113883.10.20.22.2.10': 'other', // plan of treatment: planned, not done
  '2.16.840.1.113883.10.20.22.2.22': 'other', // encounters
  '2.16.840.1.113883.10.20.22.2.22.1': 'other',
};

/** LOINC section codes → section kind. */
const SECTION_CODES: Record<string, SectionKind> = {
  '10160-0': 'medications',
  '29549-3': 'medications',
  '10183-2': 'medications',
  '42346-7': 'medications',
  '48765-2': 'allergies',
  '11369-6': 'immunizations',
  '11450-4': 'conditions',
  '11348-0': 'conditions',
  '47519-4': 'surgeries',
  '47519-4x': 'surgeries',
  '30954-2': 'results',
  '10157-6': 'family',
  '29762-2': 'social',
  '8716-3': 'results',
  '26436-6': 'results',
  '11502-2': 'results',
  '10218-6': 'conditions',
  '11535-2': 'conditions',
  '10219-4': 'other',
  '18776-5': 'other',
  '46240-8': 'other',
};

/** CVX code-system ids: HL7's (2.16.840.1.113883.12.292) and the older one some vendors write (2.16.840.1.113883.6.59). */
const CVX_OIDS = new Set(['2.16.840.1.113883.12.292', '2.16.840.1.113883.6.59']);

/** Result templates (organizer, observation): a test, whatever its name, never a surgery. */
const RESULT_TEMPLATES = ['2.16.840.1.113883.10.20.22.4.1', '2.16.840.1.113883.10.20.22.4.2', '2.16.840.1.113883.10.20.22.4.27'];

/** Observations under a problem concern that are not the problem: status, health status, age, prognosis, priority. */
const PROBLEM_AUX_TEMPLATES = [
  '2.16.840.1.113883.10.20.22.4.6',
  '2.16.840.1.113883.10.20.22.4.5',
  '2.16.840.1.113883.10.20.22.4.31',
  '2.16.840.1.113883.10.20.22.4.113',
  '2.16.840.1.113883.10.20.22.4.143',
];
const PROBLEM_AUX_CODES = new Set(['33999-4', '11323-3', '445518008', '48766-0', '75326-9', '66455-7']);
/** Codes that name the kind of statement, not a problem ("Problem", "Diagnosis", "Disease", "Clinical finding"). */
const GENERIC_PROBLEM_CODES = new Set(['55607006', '282291009', '64572001', '404684003', '409586006', '248536006', '418799008']);
/** Status words a vendor writes where the problem's name belongs. */
const STATUS_WORDS =
  /^\s*(?:active|inactive|resolved|completed?|chronic|acute|current|historical|past|ongoing|remission|in remission|relapse|new|final|confirmed)\s*$/i;

/** Operative and procedure notes: the header's serviceEvent names the procedure performed. */
const PROCEDURE_NOTE_TEMPLATES = ['2.16.840.1.113883.10.20.22.1.7', '2.16.840.1.113883.10.20.22.1.6'];
const PROCEDURE_NOTE_CODES = new Set(['11504-8', '28570-0', '34137-0', '18745-0', '28577-5', '34122-2', '34874-8']);

const arr = <T = N>(v: unknown): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as T[]) : [v as T]);

/** All text inside a node (mixed content), whitespace-collapsed. */
function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  if (typeof node === 'object') {
    return Object.entries(node as N)
      .filter(([k]) => !k.startsWith('@'))
      .map(([, v]) => textOf(v))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  }
  return '';
}

/** Every element with an ID attribute in a section's narrative, for originalText references. */
function idMap(node: unknown, out = new Map<string, string>()): Map<string, string> {
  if (node && typeof node === 'object') {
    if (Array.isArray(node)) for (const n of node) idMap(n, out);
    else {
      const id = (node as N)['@ID'] ?? (node as N)['@id'];
      if (typeof id === 'string') out.set(id, textOf(node));
      for (const [k, v] of Object.entries(node as N)) if (!k.startsWith('@')) idMap(v, out);
    }
  }
  return out;
}

type Refs = Map<string, string>;

/** The narrative text a `<reference value="#id"/>` (or a node holding one) points to. */
function refText(node: unknown, refs: Refs): string {
  const ref = node && typeof node === 'object' ? (node as N).reference?.['@value'] : undefined;
  return typeof ref === 'string' ? (refs.get(ref.replace(/^#/, '').trim()) ?? '') : '';
}

/**
 * Every text an entry gives for a coded value, best first: displayName, originalText (its
 * `#reference` resolved against the narrative), each translation's displayName, then the
 * entry's own text. Placeholders ("Unknown", "????", a null flavor's words) are dropped and an
 * abbreviation yields to a readable name of the same thing.
 */
function codeTexts(code: N | undefined, refs: Refs, ...texts: unknown[]): string[] {
  const out: unknown[] = [];
  if (code && typeof code === 'object') {
    out.push(code['@displayName']);
    if (code.originalText !== undefined) out.push(refText(code.originalText, refs), textOf(code.originalText));
    for (const tr of arr<N>(code.translation)) out.push(tr['@displayName']);
  }
  for (const t of texts) out.push(refText(t, refs), textOf(t));
  return readableFirst(out);
}

/** A coded value's best human text (see codeTexts). */
function codeText(code: N | undefined, refs: Refs, ...texts: unknown[]): string {
  return codeTexts(code, refs, ...texts)[0] ?? '';
}

function codesOf(code: N | undefined): Code[] {
  const out: Code[] = [];
  for (const c of [code, ...arr(code?.translation)]) {
    const system = OID_SYSTEM[String(c?.['@codeSystem'] ?? '')];
    if (system && c?.['@code'])
      out.push({ system, code: String(c['@code']), ...(c['@displayName'] ? { display: String(c['@displayName']) } : {}) });
  }
  return out;
}

function timeOf(et: unknown): { low?: string; high?: string; value?: string } {
  const out: { low?: string; high?: string; value?: string } = {};
  for (const t of arr<N>(et)) {
    const v = isoDate(t['@value']);
    if (v && !out.value) out.value = v;
    if (t['@nullFlavor'] && !t.low && !t.high) continue;
    const low = isoDate(t.low?.['@value']);
    if (low && !out.low) out.low = low;
    if (t.high) {
      const h = isoDate(t.high['@value']);
      out.high = h ?? 'unknown';
    }
  }
  return out;
}

function hasTemplate(n: N, root: string): boolean {
  return arr(n.templateId).some((t) => t['@root'] === root);
}

/** A person's name from its parts, without the credentials written into them; `doctor` when one is an MD or DO. */
function nameParts(n: N | undefined): { name?: string; doctor: boolean } {
  const name = arr<N>(n?.name)[0];
  if (!name) return { doctor: false };
  const raw = typeof name === 'string' ? [name as string] : [...arr(name.given).map(textOf), textOf(name.family)];
  const joined = raw.filter((p) => p && p !== 'null').join(' ');
  const doctor =
    /(?:^|[\s,])(?:m\.?d|d\.?o)\b\.?/i.test(joined) ||
    /^(?:m\.?d|d\.?o)\.?$/i.test(textOf(typeof name === 'object' ? name.suffix : ''));
  const clean = joined
    .replace(CREDENTIALS, '')
    .replace(/[\s,]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const text = clean || (typeof name === 'object' ? textOf(name).replace(CREDENTIALS, '').trim() : '');
  return { ...(text && !junk(text) ? { name: text } : {}), doctor };
}

function personName(n: N | undefined): string | undefined {
  return nameParts(n).name;
}

function addrText(a: N | undefined): string | undefined {
  if (!a) return undefined;
  const parts = [
    ...arr(a.streetAddressLine).map(textOf),
    textOf(a.city),
    [textOf(a.state), textOf(a.postalCode)].filter(Boolean).join(' '),
  ].filter(Boolean);
  return parts.join(', ') || undefined;
}

/** Walks every clinical statement under an entry (act → entryRelationship → observation …). */
function statements(entry: N): { kind: string; node: N }[] {
  const out: { kind: string; node: N }[] = [];
  for (const k of ['act', 'observation', 'substanceAdministration', 'procedure', 'organizer', 'encounter', 'supply'])
    for (const n of arr<N>(entry[k])) out.push({ kind: k, node: n });
  return out;
}

/** substanceAdministrations inside an act or organizer (entryRelationship, component), not inside another one. */
function nestedAdministrations(n: N, depth = 0): N[] {
  if (depth > 4) return [];
  const out: N[] = [];
  for (const c of [...arr<N>(n.entryRelationship), ...arr<N>(n.component)]) {
    out.push(...arr<N>(c.substanceAdministration));
    for (const k of ['act', 'organizer']) for (const inner of arr<N>(c[k])) out.push(...nestedAdministrations(inner, depth + 1));
  }
  return out;
}

function medication(sa: N, refs: Refs, lex: Lexicons): Item | undefined {
  const mat = sa.consumable?.manufacturedProduct?.manufacturedMaterial as N | undefined;
  const code = mat?.code as N | undefined;
  const display = codeText(code, refs, mat?.name, sa.text);
  // "No medications": a negated entry naming no particular product.
  if (!display || (sa['@negationInd'] === 'true' && /^(drug or medicament|medication|none)$/i.test(display))) return undefined;
  const { name, rxcui } = medicationName(
    lex,
    display,
    [code, ...arr<N>(code?.translation)].find((c) => c?.['@codeSystem'] === '2.16.840.1.113883.6.88')?.['@code'],
  );
  const coded = codesOf(code).filter((c) => c.system === CodeSystem.rxnorm);
  const textRef = typeof sa.text === 'object' ? String(sa.text?.reference?.['@value'] ?? '').replace(/^#/, '') : '';
  const sigText = [
    textOf(sa.text),
    refs.get(textRef) ?? '',
    ...arr<N>(sa.entryRelationship).flatMap((er) => arr<N>(er.act).map((a) => textOf(a.text))),
  ]
    .filter(Boolean)
    .join(' ');
  const sig = sigFrom(`${display} ${sigText} ${sa.routeCode?.['@displayName'] ?? ''}`);
  const t = timeOf(sa.effectiveTime);
  const status = String(sa.statusCode?.['@code'] ?? '');
  const item: Item = {
    kind: 'medication',
    name,
    display,
    codes: coded.length ? coded : rxcui ? [{ system: CodeSystem.rxnorm, code: rxcui }] : [],
    negated: sa['@negationInd'] === 'true',
    confidence: confidence(0.97),
    evidence: structuredEvidence(display),
  };
  const dq = sa.doseQuantity as N | undefined;
  if (dq?.['@value']) item.dose = `${dq['@value']}${dq['@unit'] && dq['@unit'] !== '1' ? ` ${dq['@unit']}` : ''}`;
  for (const k of ['strength', 'dose', 'route', 'frequency'] as const) if (sig[k] && !item[k]) item[k] = sig[k];
  if (sa.routeCode?.['@displayName'] && !item.route) item.route = String(sa.routeCode['@displayName']).toLowerCase();
  // PIVL_TS: every N hours
  const pivl = arr<N>(sa.effectiveTime).find((e) => String(e['@type'] ?? '').includes('PIVL') && e.period);
  if (pivl && !item.frequency) {
    const v = pivl.period['@value'];
    const u = pivl.period['@unit'];
    if (v) item.frequency = u === 'h' ? `every ${v} hours` : u === 'd' && v === '1' ? 'daily' : `every ${v} ${u}`;
    if (pivl['@institutionSpecified'] === 'true' && u === 'h' && v === '6') item.frequency = 'four times daily';
  }
  // A precondition ("PRN") or the words in the sig make it as-needed.
  if ((sa.precondition || /\bprn\b|as needed/i.test(sigText)) && item.frequency && !/as needed/.test(item.frequency))
    item.frequency += ' as needed';
  if (status) item.status = status === 'completed' || status === 'aborted' ? 'discontinued' : status;
  // The start: an interval's low, else a single time a vendor wrote in its place.
  const start = t.low ?? t.value;
  if (start) item.date = start;
  return item;
}

function allergies(act: N, refs: Refs, lex: Lexicons): Item[] {
  const out: Item[] = [];
  const obs = [
    ...arr<N>(act.entryRelationship).flatMap((er) => arr<N>(er.observation)),
    ...(act['@classCode'] === 'OBS' ? [act] : []),
  ];
  for (const o of obs) {
    const entity = arr<N>(o.participant)[0]?.participantRole?.playingEntity as N | undefined;
    const subst = codeText(entity?.code, refs, entity?.name);
    const valueCode = String(o.value?.['@code'] ?? '');
    const negated = o['@negationInd'] === 'true';
    // "No known allergies" in the substance's place: the negated item, whatever severity the form left.
    const noneKnown = /^\s*(?:no known|nka|nkda|no allerg)/i.test(subst);
    if (noneKnown || negated || ['716186003', '409137002', '428607008', '429625007'].includes(valueCode)) {
      if (!subst || negated || noneKnown) {
        const display = (noneKnown ? subst : codeText(o.value, refs)) || 'No known allergies';
        out.push({
          kind: 'allergy',
          substance: 'none known',
          display,
          codes: [],
          negated: true,
          confidence: confidence(0.97),
          evidence: structuredEvidence(display),
        });
        continue;
      }
    }
    if (!subst) continue;
    const { substance, rxcui } = allergySubstance(lex, subst);
    const coded = codesOf(entity?.code).filter((c) => c.system === CodeSystem.rxnorm);
    const item: Item = {
      kind: 'allergy',
      substance,
      display: subst,
      codes: coded.length ? coded : rxcui ? [{ system: CodeSystem.rxnorm, code: rxcui }] : [],
      negated: false,
      confidence: confidence(0.97),
      evidence: structuredEvidence(subst),
    };
    const reactions: string[] = [];
    let severity: string | undefined;
    for (const er of arr<N>(o.entryRelationship)) {
      for (const ro of arr<N>(er.observation)) {
        const v = codeText(ro.value, refs);
        if (!v) continue;
        if (hasTemplate(ro, '2.16.840.1.113883.10.20.22.4.9')) reactions.push(v);
        else if (hasTemplate(ro, '2.16.840.1.113883.10.20.22.4.8')) severity = v.toLowerCase();
        else if (er['@typeCode'] === 'MFST') reactions.push(v);
        // reaction observations carry their own severity
        for (const er2 of arr<N>(ro.entryRelationship))
          for (const so of arr<N>(er2.observation))
            if (hasTemplate(so, '2.16.840.1.113883.10.20.22.4.8')) severity ??= codeText(so.value, refs).toLowerCase();
      }
    }
    if (reactions.length) item.reaction = reactionOf(reactions.join(', ')).reaction ?? reactions.join(', ').toLowerCase();
    if (severity) item.severity = severity;
    out.push(item);
  }
  return out;
}

function immunization(sa: N, refs: Refs, lex: Lexicons): Item | undefined {
  const mat = sa.consumable?.manufacturedProduct?.manufacturedMaterial as N | undefined;
  const code = mat?.code as N | undefined;
  const display = codeText(code, refs, mat?.name, sa.text);
  const cvx = [code, ...arr<N>(code?.translation)].find((c) => CVX_OIDS.has(String(c?.['@codeSystem'] ?? '')))?.['@code'];
  const v = cvx ? lex.cvx.byCode.get(String(cvx)) : display ? lex.cvx.names.lookup(display)?.value : undefined;
  if (!v && !display) return undefined;
  const item: Item = {
    kind: 'immunization',
    vaccine: v?.shortName ?? display,
    display: display || v!.shortName,
    codes: v ? [{ system: CodeSystem.cvx, code: v.cvx, display: v.shortName }] : [],
    negated: sa['@negationInd'] === 'true',
    confidence: confidence(0.97),
    evidence: structuredEvidence(display || v!.shortName),
  };
  const t = timeOf(sa.effectiveTime);
  const date = t.value ?? t.low;
  if (date) item.date = date;
  const lot = textOf(mat?.lotNumberText);
  if (lot) item.lot = lot;
  return item;
}

const isProblemAux = (o: N) =>
  PROBLEM_AUX_TEMPLATES.some((t) => hasTemplate(o, t)) || PROBLEM_AUX_CODES.has(String(o.code?.['@code'] ?? ''));
const statusOf = (obs: N[], refs: Refs) =>
  obs
    .filter(isProblemAux)
    .map((so) => codeText(so.value, refs))
    .find((s) => /active|resolved|inactive/i.test(s));

function problems(act: N, refs: Refs): Item[] {
  const out: Item[] = [];
  const direct = arr<N>(act.entryRelationship).flatMap((er) => arr<N>(er.observation));
  const obs = [...direct, ...(act['@classCode'] === 'OBS' ? [act] : [])].filter((o) => !isProblemAux(o) && !o['@nullFlavor']);
  for (const o of obs) {
    if (!o.value) continue;
    // The problem's name: its value's text, else the entry's text (a reference into the narrative).
    const display = codeTexts(o.value, refs, o.text).find((t) => !STATUS_WORDS.test(t)) ?? '';
    if (!display) continue;
    const valueCode = String(o.value?.['@code'] ?? '');
    // "Problem" / "Diagnosis" as the value (often with negationInd): no particular problem.
    if (
      GENERIC_PROBLEM_CODES.has(valueCode) &&
      (o['@negationInd'] === 'true' || /^(problem|diagnosis|disease|clinical finding|finding|condition)$/i.test(display))
    )
      continue;
    const { name, codes } = conditionName(display);
    const coded = codesOf(o.value);
    const icd = coded.filter((c) => c.system === CodeSystem.icd10cm);
    const t = timeOf(o.effectiveTime);
    const item: Item = {
      kind: 'condition',
      name,
      display,
      codes: icd.length ? icd : codes.length ? codes : coded,
      negated: o['@negationInd'] === 'true',
      confidence: confidence(0.97),
      evidence: structuredEvidence(display),
    };
    const onset = t.low ?? t.value;
    if (onset) item.onset = onset;
    // The status observation sits under the problem, or (some vendors) beside it under the concern.
    const status =
      statusOf(
        arr<N>(o.entryRelationship).flatMap((er) => arr<N>(er.observation)),
        refs,
      ) ?? statusOf(direct, refs);
    if (status) item.status = status.toLowerCase();
    else if (t.high) item.status = 'resolved';
    else item.status = String(act.statusCode?.['@code'] ?? '') === 'completed' ? 'resolved' : 'active';
    out.push(item);
  }
  return out;
}

function procedureOrResult(n: N, refs: Refs, lex: Lexicons, inResults: boolean): Item | undefined {
  if (n['@nullFlavor']) return undefined;
  const texts = codeTexts(n.code, refs, n.text);
  const display = texts[0] ?? '';
  const coded = codesOf(n.code);
  const code = coded.find((c) => c.system === CodeSystem.loinc || c.system === CodeSystem.snomed)?.code;
  if (n['@moodCode'] && !['EVN', 'GOL'].includes(String(n['@moodCode']))) return undefined;
  const row = screeningFor(lex, code, display);
  const t = timeOf(n.effectiveTime);
  const date = t.value ?? t.low;
  if (row) {
    const item: Item = {
      kind: 'screening',
      type: row.type,
      display: display || row.display,
      codes: row.loinc ? [{ system: CodeSystem.loinc, code: row.loinc, display: row.display }] : [],
      negated: n['@negationInd'] === 'true',
      confidence: confidence(0.95),
      evidence: structuredEvidence(display || row.display),
    };
    if (date) item.date = date;
    const values = [n.value, ...arr<N>(n.entryRelationship).flatMap((er) => arr<N>(er.observation).map((o) => o.value))].filter(
      Boolean,
    );
    for (const v of values) {
      const text = v['@value'] ? formatValue(v['@value'], v['@unit']) : codeText(v, refs) || textOf(v);
      if (text) {
        item.result = text;
        break;
      }
    }
    return item;
  }
  // A result (by section or template) is never a surgery, whatever its name ("urine microscopy").
  const isResult = inResults || RESULT_TEMPLATES.some((r) => hasTemplate(n, r));
  // The surgery's name: the first of the entry's texts that names an operation (an abbreviation
  // such as "LAP CHOLE" yields to "Laparoscopic cholecystectomy"), unless one calls it a test or service.
  const surgical = isResult || texts.some((x) => NOT_SURGERY.test(x)) ? undefined : texts.find(isSurgery);
  if (surgical) {
    const item: Item = {
      kind: 'surgery',
      name: surgical.replace(/\s*\(procedure\)/i, '').toLowerCase(),
      display: surgical,
      codes: coded,
      negated: n['@negationInd'] === 'true',
      confidence: confidence(0.9),
      evidence: structuredEvidence(surgical),
    };
    if (date) item.date = date;
    return item;
  }
  return undefined;
}

/** HL7 C-CDA (ClinicalDocument) → extraction result, from its sections and entries. */
export function extractCcda(text: string, source: Source): ExtractionResult {
  let valid = XMLValidator.validate(text);
  if (valid !== true) {
    // Vendor exports often carry a bare '&' ("Tylenol & Codeine") or '<' ("< 5 mg/dL") in text or an
    // attribute, or write one attribute twice: escape the first two and let the last one win.
    text = text.replace(/&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;').replace(/<(?=[\s\d=<])/g, '&lt;');
    valid = XMLValidator.validate(text);
    const repeatedAttribute = valid !== true && valid.err.code === 'InvalidAttr' && /repeated/i.test(valid.err.msg);
    if (valid !== true && !repeatedAttribute) throw new BadInputError('corrupt', 'C-CDA document is not well-formed XML');
  }
  let doc: N;
  try {
    doc = parser.parse(text) as N;
  } catch (cause) {
    throw new BadInputError('corrupt', 'C-CDA document could not be parsed', { cause });
  }
  // A bare <section> (a C-CDA fragment, as in the HL7 examples) reads as a one-section document.
  const fragment = doc.section
    ? [{ section: doc.section }]
    : arr<N>(doc.component).some((c) => c.section)
      ? arr<N>(doc.component)
      : undefined;
  const cd = (doc.ClinicalDocument ?? (fragment ? { component: { structuredBody: { component: fragment } } } : undefined)) as
    N | undefined;
  if (!cd) throw new BadInputError('corrupt', 'XML document is not a C-CDA ClinicalDocument');
  const lex = lexicons();
  const patient: Patient = {};
  const role = arr<N>(cd.recordTarget)[0]?.patientRole as N | undefined;
  if (role) {
    const p = role.patient as N | undefined;
    const name = personName(p);
    if (name) patient.name = name;
    const bd = isoDate(p?.birthTime?.['@value']);
    if (bd) patient.birthDate = bd;
    const id = arr<N>(role.id).find((i) => i['@extension'] && i['@root'] !== '2.16.840.1.113883.4.1');
    if (id) patient.mrn = String(id['@extension']);
  }
  const items: Item[] = [];
  const sections: N[] = [];
  const collect = (comps: unknown) => {
    for (const c of arr<N>(comps)) {
      const s = c.section as N | undefined;
      if (!s) continue;
      sections.push(s);
      collect(s.component);
    }
  };
  for (const c of arr<N>(cd.component)) collect(c.structuredBody?.component);
  // Narrative ids: the section's own first, then the whole document's (a reference may point elsewhere).
  const docRefs = idMap(sections.map((s) => s.text));
  for (const s of sections) {
    // "No information" for a whole section (C-CDA R2.1 section nullFlavor="NI").
    if (s['@nullFlavor']) continue;
    const kind =
      arr<N>(s.templateId)
        .map((t) => SECTION_TEMPLATES[String(t['@root'] ?? '')])
        .find(Boolean) ??
      SECTION_CODES[String(s.code?.['@code'] ?? '')] ??
      sectionOf(textOf(s.title));
    if (!kind || kind === 'family' || kind === 'social') continue;
    const refs = new Map([...docRefs, ...idMap(s.text)]);
    for (const entry of arr<N>(s.entry)) {
      for (const { kind: el, node } of statements(entry)) {
        switch (kind) {
          case 'medications':
            // A medication activity at the top, or nested in a discharge-medication act or an organizer.
            for (const sa of el === 'substanceAdministration' ? [node] : nestedAdministrations(node)) {
              if (sa['@nullFlavor']) continue;
              const m = medication(sa, refs, lex);
              if (m) items.push(m);
            }
            break;
          case 'allergies':
            if (!node['@nullFlavor']) items.push(...allergies(node, refs, lex));
            break;
          case 'immunizations':
            // moodCode INT is a planned dose, not one given.
            if (el === 'substanceAdministration' && node['@moodCode'] !== 'INT' && !node['@nullFlavor']) {
              const i = immunization(node, refs, lex);
              if (i) items.push(i);
            }
            break;
          case 'conditions':
            if (!node['@nullFlavor']) items.push(...problems(node, refs));
            break;
          case 'surgeries':
          case 'results':
          case 'screenings': {
            const nodes = el === 'organizer' ? arr<N>(node.component).flatMap((c) => arr<N>(c.observation)) : [node];
            for (const n of nodes) {
              const it = procedureOrResult(n, refs, lex, kind === 'results');
              if (it) items.push(it);
            }
            break;
          }
          case 'providers':
          case 'patient':
          case 'narrative':
          case 'other':
            break;
        }
      }
    }
  }
  // An operative or procedure note names the procedure performed in its header's serviceEvent.
  const procedureNote =
    PROCEDURE_NOTE_TEMPLATES.some((t) => hasTemplate(cd, t)) || PROCEDURE_NOTE_CODES.has(String(cd.code?.['@code'] ?? ''));
  for (const dof of arr<N>(cd.documentationOf)) {
    const ev = dof.serviceEvent as N | undefined;
    if (!ev?.code || (!procedureNote && ev['@classCode'] !== 'PROC')) continue;
    const it = procedureOrResult({ ...ev, '@moodCode': 'EVN' }, docRefs, lex, false);
    if (it) items.push(it);
  }
  // Clinicians named in the header: the care team (documentationOf/serviceEvent/performer).
  for (const dof of arr<N>(cd.documentationOf)) {
    for (const perf of arr<N>(dof.serviceEvent?.performer)) {
      const ae = perf.assignedEntity as N | undefined;
      const { name, doctor } = nameParts(ae?.assignedPerson);
      if (!name) continue;
      const prefix = textOf(arr<N>(ae?.assignedPerson?.name)[0]?.prefix);
      const item: Item = {
        kind: 'provider',
        name: /^dr/i.test(prefix) || doctor ? `Dr. ${name}` : name,
        display: name,
        codes: [],
        negated: false,
        confidence: confidence(0.95),
        evidence: structuredEvidence(name),
      };
      for (const t of arr<N>(ae?.telecom)) {
        const v = String(t['@value'] ?? '');
        if (v.startsWith('fax:')) item.fax = formatPhone(v) ?? v.slice(4);
        else if (v.startsWith('tel:') && !item.phone) item.phone = formatPhone(v) ?? v.slice(4);
      }
      const addr = addrText(arr<N>(ae?.addr)[0]);
      if (addr) item.address = addr;
      const org = textOf(arr<N>(ae?.representedOrganization?.name)[0]);
      if (org) item.organization = org;
      const npi = arr<N>(ae?.id).find((i) => i['@root'] === '2.16.840.1.113883.4.6' && i['@extension']);
      if (npi) item.codes = [{ system: CodeSystem.npi, code: String(npi['@extension']) }];
      const fn = textOf(perf.functionCode?.originalText) || perf.functionCode?.['@displayName'];
      if (fn) item.role = String(fn).toLowerCase();
      items.push(item);
    }
  }
  // Providers are told apart by their whole name (two physicians may share a family name);
  // the other kinds merge as on a page.
  const unique = uniqueItems(items);
  const seenProvider = new Set<string>();
  const providers = unique.filter((i) => {
    if (i.kind !== 'provider') return false;
    const k = i.name.toLowerCase().replace(/^dr\.?\s+/, '');
    if (seenProvider.has(k)) return false;
    seenProvider.add(k);
    return true;
  });
  return { source, patient, items: [...dedupe(unique.filter((i) => i.kind !== 'provider')), ...providers] };
}
