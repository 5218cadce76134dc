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
  formatValue,
  isoDate,
  isSurgery,
  medicationName,
  OID_SYSTEM,
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
};

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
      const id = (node as N)['@ID'];
      if (typeof id === 'string') out.set(id, textOf(node));
      for (const [k, v] of Object.entries(node as N)) if (!k.startsWith('@')) idMap(v, out);
    }
  }
  return out;
}

/** A coded value's best human text: displayName, originalText (resolving #references), a translation. */
function codeText(code: N | undefined, refs: Map<string, string>): string {
  if (!code) return '';
  if (code['@displayName']) return String(code['@displayName']);
  const ot = code.originalText;
  if (ot !== undefined) {
    const ref = typeof ot === 'object' ? ot?.reference?.['@value'] : undefined;
    if (typeof ref === 'string' && refs.has(ref.replace(/^#/, ''))) return refs.get(ref.replace(/^#/, ''))!;
    const t = textOf(ot);
    if (t) return t;
  }
  for (const tr of arr(code.translation)) if (tr['@displayName']) return String(tr['@displayName']);
  return '';
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

function personName(n: N | undefined): string | undefined {
  const name = arr<N>(n?.name)[0];
  if (!name) return undefined;
  if (typeof name === 'string') return (name as string).trim() || undefined;
  const parts = [...arr(name.given).map(textOf), textOf(name.family)].filter((p) => p && p !== 'null');
  return parts.join(' ').trim() || textOf(name) || undefined;
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

function medication(sa: N, refs: Map<string, string>, lex: Lexicons): Item | undefined {
  const mat = sa.consumable?.manufacturedProduct?.manufacturedMaterial as N | undefined;
  const code = mat?.code as N | undefined;
  const display = codeText(code, refs) || textOf(mat?.name);
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
  if (t.low) item.date = t.low;
  return item;
}

function allergies(act: N, refs: Map<string, string>, lex: Lexicons): Item[] {
  const out: Item[] = [];
  const obs = [
    ...arr<N>(act.entryRelationship).flatMap((er) => arr<N>(er.observation)),
    ...(act['@classCode'] === 'OBS' ? [act] : []),
  ];
  for (const o of obs) {
    const entity = arr<N>(o.participant)[0]?.participantRole?.playingEntity as N | undefined;
    const subst = codeText(entity?.code, refs) || textOf(entity?.name);
    const valueCode = String(o.value?.['@code'] ?? '');
    const negated = o['@negationInd'] === 'true';
    if (negated || ['716186003', '409137002', '428607008', '429625007'].includes(valueCode)) {
      if (!subst || negated) {
        const display = codeText(o.value, refs) || 'No known allergies';
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

function immunization(sa: N, refs: Map<string, string>, lex: Lexicons): Item | undefined {
  const mat = sa.consumable?.manufacturedProduct?.manufacturedMaterial as N | undefined;
  const code = mat?.code as N | undefined;
  const display = codeText(code, refs);
  const cvx = [code, ...arr<N>(code?.translation)].find((c) => c?.['@codeSystem'] === '2.16.840.1.113883.12.292')?.['@code'];
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

function problems(act: N, refs: Map<string, string>): Item[] {
  const out: Item[] = [];
  const obs = [
    ...arr<N>(act.entryRelationship).flatMap((er) => arr<N>(er.observation)),
    ...(act['@classCode'] === 'OBS' ? [act] : []),
  ];
  for (const o of obs) {
    if (!o.value) continue;
    const display = codeText(o.value, refs);
    if (!display) continue;
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
    if (t.low) item.onset = t.low;
    const status = arr<N>(o.entryRelationship)
      .flatMap((er) => arr<N>(er.observation))
      .map((so) => codeText(so.value, refs))
      .find((s) => /active|resolved|inactive/i.test(s));
    if (status) item.status = status.toLowerCase();
    else if (t.high) item.status = 'resolved';
    else item.status = String(act.statusCode?.['@code'] ?? '') === 'completed' ? 'resolved' : 'active';
    out.push(item);
  }
  return out;
}

function procedureOrResult(n: N, refs: Map<string, string>, lex: Lexicons, inResults: boolean): Item | undefined {
  const display = codeText(n.code, refs);
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
  if (!inResults && display && isSurgery(display)) {
    const item: Item = {
      kind: 'surgery',
      name: display.replace(/\s*\(procedure\)/i, '').toLowerCase(),
      display,
      codes: coded,
      negated: n['@negationInd'] === 'true',
      confidence: confidence(0.9),
      evidence: structuredEvidence(display),
    };
    if (date) item.date = date;
    return item;
  }
  return undefined;
}

/** HL7 C-CDA (ClinicalDocument) → extraction result, from its sections and entries. */
export function extractCcda(text: string, source: Source): ExtractionResult {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new BadInputError('corrupt', 'C-CDA document is not well-formed XML');
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
  for (const s of sections) {
    const kind = SECTION_CODES[String(s.code?.['@code'] ?? '')] ?? sectionOf(textOf(s.title));
    if (!kind || kind === 'family' || kind === 'social') continue;
    const refs = idMap(s.text);
    for (const entry of arr<N>(s.entry)) {
      for (const { kind: el, node } of statements(entry)) {
        switch (kind) {
          case 'medications':
            if (el === 'substanceAdministration') {
              const m = medication(node, refs, lex);
              if (m) items.push(m);
            }
            break;
          case 'allergies':
            items.push(...allergies(node, refs, lex));
            break;
          case 'immunizations':
            // moodCode INT is a planned dose, not one given.
            if (el === 'substanceAdministration' && node['@moodCode'] !== 'INT') {
              const i = immunization(node, refs, lex);
              if (i) items.push(i);
            }
            break;
          case 'conditions':
            items.push(...problems(node, refs));
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
  // Clinicians named in the header: the care team (documentationOf/serviceEvent/performer).
  for (const dof of arr<N>(cd.documentationOf)) {
    for (const perf of arr<N>(dof.serviceEvent?.performer)) {
      const ae = perf.assignedEntity as N | undefined;
      const name = personName(ae?.assignedPerson);
      if (!name) continue;
      const prefix = textOf(arr<N>(ae?.assignedPerson?.name)[0]?.prefix);
      const item: Item = {
        kind: 'provider',
        name: /^dr/i.test(prefix) ? `Dr. ${name}` : name,
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
      const fn = perf.functionCode?.['@displayName'];
      if (fn) item.role = String(fn).toLowerCase();
      items.push(item);
    }
  }
  return { source, patient, items: dedupe(uniqueItems(items)) };
}
