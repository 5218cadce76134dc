import { BadInputError, CodeSystem, type Code, type ExtractionResult, type Item, type Patient, type Source } from '@intake/core';
import { reactionOf } from '../allergies.ts';
import { lexicons } from '../lexicons.ts';
import { findClinicalDrug } from '@intake/vocab';
import {
  allergySubstance,
  conditionName,
  confidence,
  formatValue,
  isoDate,
  isSurgery,
  junk,
  medicationName,
  NOT_SURGERY,
  OID_SYSTEM,
  readableFirst,
  screeningFor,
  withoutCredentials,
  sigFrom,
  structuredEvidence,
  uniqueItems,
} from './common.ts';
import { formatPhone } from '../providers.ts';
import { dedupe } from '../merge.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped FHIR JSON, read defensively
type R = Record<string, any>;

const STATUS_WORD = /^\s*(?:active|inactive|resolved|recurrence|relapse|remission|confirmed|provisional|unconfirmed)\s*$/i;

/** The first of a procedure's texts that names an operation, unless one of them names a test or service. */
function surgicalName(cc: R | undefined): string | undefined {
  const texts = textsOf(cc);
  return texts.some((t) => NOT_SURGERY.test(t)) ? undefined : texts.find(isSurgery);
}

const NKA_CODES = new Set(['716186003', '409137002', '428607008', '429625007']);

const DATA_ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
/** A code system written as its OID ("urn:oid:2.16.840.1.113883.6.59") is the system that OID names. */
const systemOf = (c: R): string => {
  const s = String(c?.system ?? '');
  return s.startsWith('urn:oid:')
    ? (OID_SYSTEM[s.slice(8)] ?? (s.slice(8) === '2.16.840.1.113883.6.59' ? CodeSystem.cvx : s))
    : s;
};

function codings(cc: R | undefined): R[] {
  return Array.isArray(cc?.coding) ? cc!.coding.filter((c: R) => c && systemOf(c) !== DATA_ABSENT) : [];
}
/** All text a CodeableConcept gives, best first (see readableFirst): its text, then each coding's display. */
function textsOf(cc: R | undefined): string[] {
  return readableFirst([cc?.text, ...codings(cc).map((c) => c.display)]);
}
function textOf(cc: R | undefined): string {
  return textsOf(cc)[0] ?? '';
}
function codeIn(cc: R | undefined, system: string): string | undefined {
  return codings(cc).find((c) => systemOf(c) === system)?.code;
}
/** "No information": a concept with only a data-absent-reason (coding or extension). */
const absent = (cc: R | undefined): boolean => !!cc && !textOf(cc) && !codings(cc).some((c) => c.code);
function humanName(n: R | undefined): string | undefined {
  if (!n) return undefined;
  const raw = n.text ? String(n.text) : [...(n.given ?? []), n.family].filter(Boolean).join(' ').replace(/\d+/g, '');
  const s = withoutCredentials(raw).name;
  return s && !junk(s) ? s : undefined;
}
function addressText(a: R | undefined): string | undefined {
  if (!a) return undefined;
  if (a.text) return String(a.text);
  const s = [...(a.line ?? []), a.city, [a.state, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return s || undefined;
}

/** FHIR R4 Bundle (or a single resource) → extraction result. */
export function extractFhir(json: unknown, source: Source): ExtractionResult {
  if (!json || typeof json !== 'object' || typeof (json as R).resourceType !== 'string') {
    throw new BadInputError('corrupt', 'FHIR document has no resourceType');
  }
  const root = json as R;
  const resources: R[] = root.resourceType === 'Bundle' ? (root.entry ?? []).map((e: R) => e?.resource).filter(Boolean) : [root];
  const byRef = new Map<string, R>();
  for (const e of root.resourceType === 'Bundle' ? (root.entry ?? []) : []) {
    if (e?.fullUrl && e.resource) byRef.set(e.fullUrl, e.resource);
  }
  for (const r of resources) if (r.id) byRef.set(`${r.resourceType}/${r.id}`, r);
  // Contained resources ("#med1") are referenced from their container.
  for (const r of resources) for (const c of r.contained ?? []) if (c?.id) byRef.set(`#${c.id}`, c);
  const lex = lexicons();
  const items: Item[] = [];
  const patient: Patient = {};
  const roles = resources.filter((r) => r.resourceType === 'PractitionerRole');
  // Without PractitionerRole (Synthea), a clinician's organisation is the service provider of their encounters.
  const orgOfPractitioner = new Map<R, R>();
  for (const e of resources) {
    if (e.resourceType !== 'Encounter' || !e.serviceProvider?.reference) continue;
    const org = byRef.get(e.serviceProvider.reference);
    if (!org) continue;
    for (const p of e.participant ?? []) {
      const pr = p.individual?.reference ? byRef.get(p.individual.reference) : undefined;
      if (pr && !orgOfPractitioner.has(pr)) orgOfPractitioner.set(pr, org);
    }
  }

  for (const r of resources) {
    switch (r.resourceType) {
      case 'Patient': {
        const n = (r.name ?? []).find((x: R) => x.use === 'official') ?? r.name?.[0];
        const name = humanName(n);
        if (name && !patient.name) patient.name = name;
        const bd = isoDate(r.birthDate);
        if (bd && !patient.birthDate) patient.birthDate = bd;
        const mr = (r.identifier ?? []).find((i: R) => codings(i.type).some((c) => c.code === 'MR'));
        if (mr?.value && !patient.mrn) patient.mrn = String(mr.value);
        break;
      }
      case 'MedicationRequest':
      case 'MedicationStatement': {
        let cc = r.medicationCodeableConcept as R | undefined;
        if (!cc && r.medicationReference?.reference) cc = byRef.get(r.medicationReference.reference)?.code;
        if (r.status === 'entered-in-error' || absent(cc)) break;
        const display = textOf(cc);
        if (!display) break;
        const { name, rxcui } = medicationName(lex, display, codeIn(cc, CodeSystem.rxnorm));
        const code = codeIn(cc, CodeSystem.rxnorm) ?? rxcui;
        const dosage = (r.dosageInstruction ?? r.dosage ?? [])[0] as R | undefined;
        const sig = sigFrom([display, dosage?.text, dosage?.route?.text ?? textOf(dosage?.route)].filter(Boolean).join(' '));
        const status = String(r.status ?? '');
        const item: Item = {
          kind: 'medication',
          name,
          display,
          codes: code ? [{ system: CodeSystem.rxnorm, code }] : [],
          negated: r.doNotPerform === true || status === 'not-taken',
          confidence: confidence(0.97),
          evidence: structuredEvidence(display),
          status: status === 'stopped' || status === 'cancelled' ? 'discontinued' : status || 'active',
        };
        if (!code && sig.strength) {
          const scd = findClinicalDrug(lex.rx, name, sig.strength);
          if (scd) item.codes = [{ system: CodeSystem.rxnorm, code: scd.rxcui, display: scd.name }];
        }
        for (const k of ['strength', 'dose', 'route', 'frequency'] as const) if (sig[k]) item[k] = sig[k];
        const date = isoDate(r.authoredOn ?? r.effectiveDateTime ?? r.effectivePeriod?.start);
        if (date) item.date = date;
        items.push(item);
        break;
      }
      case 'AllergyIntolerance': {
        const ver = codings(r.verificationStatus)[0]?.code;
        if (ver === 'refuted' || ver === 'entered-in-error' || absent(r.code)) break;
        const display = textOf(r.code);
        const snomed = codeIn(r.code, CodeSystem.snomed);
        if ((snomed && NKA_CODES.has(snomed)) || /^no known/i.test(display)) {
          items.push({
            kind: 'allergy',
            substance: 'none known',
            display: display || 'No known allergies',
            codes: [],
            negated: true,
            confidence: confidence(0.97),
            evidence: structuredEvidence(display || 'No known allergies'),
          });
          break;
        }
        if (!display) break;
        const { substance, rxcui } = allergySubstance(lex, display);
        const rx = codeIn(r.code, CodeSystem.rxnorm) ?? rxcui;
        const reactionText = (r.reaction ?? []).flatMap((x: R) => (x.manifestation ?? []).map((m: R) => textOf(m))).join(', ');
        const item: Item = {
          kind: 'allergy',
          substance,
          display,
          codes: rx ? [{ system: CodeSystem.rxnorm, code: rx }] : [],
          negated: false,
          confidence: confidence(0.97),
          evidence: structuredEvidence(display),
        };
        if (reactionText) item.reaction = reactionOf(reactionText).reaction ?? reactionText.toLowerCase();
        const sev =
          (r.reaction ?? []).map((x: R) => x.severity).find(Boolean) ?? (r.criticality === 'high' ? 'severe' : undefined);
        if (sev) item.severity = String(sev);
        items.push(item);
        break;
      }
      case 'Immunization': {
        if (absent(r.vaccineCode)) break;
        const display = textOf(r.vaccineCode);
        const cvx = codeIn(r.vaccineCode, CodeSystem.cvx);
        const v = cvx ? lex.cvx.byCode.get(cvx) : lex.cvx.names.lookup(display)?.value;
        const item: Item = {
          kind: 'immunization',
          vaccine: v?.shortName ?? display,
          display: display || v?.shortName || '',
          codes: v ? [{ system: CodeSystem.cvx, code: v.cvx, display: v.shortName }] : [],
          negated: r.status === 'not-done',
          confidence: confidence(0.97),
          evidence: structuredEvidence(display),
        };
        const date = isoDate(r.occurrenceDateTime ?? r.date);
        if (date) item.date = date;
        if (r.lotNumber) item.lot = String(r.lotNumber);
        if (r.status !== 'entered-in-error') items.push(item);
        break;
      }
      case 'Condition': {
        const ver = codings(r.verificationStatus)[0]?.code;
        if (ver === 'refuted' || ver === 'entered-in-error' || absent(r.code)) break;
        // A status word written as the condition's name ("Active") names no condition.
        const display = textsOf(r.code).find((t) => !STATUS_WORD.test(t)) ?? '';
        if (!display) break;
        const { name, codes } = conditionName(display);
        const icd = codeIn(r.code, CodeSystem.icd10cm);
        const clinical = codings(r.clinicalStatus)[0]?.code;
        const item: Item = {
          kind: 'condition',
          name,
          display,
          codes: icd ? [{ system: CodeSystem.icd10cm, code: icd }] : codes,
          negated: false,
          confidence: confidence(0.97),
          evidence: structuredEvidence(display),
        };
        const onset = isoDate(r.onsetDateTime ?? r.onsetPeriod?.start ?? r.onsetString);
        if (onset) item.onset = onset;
        if (r.abatementDateTime || r.abatementPeriod || r.abatementString) item.status = 'resolved';
        else if (clinical) item.status = clinical;
        items.push(item);
        break;
      }
      case 'Procedure':
      case 'Observation':
      case 'DiagnosticReport': {
        if (r.status === 'entered-in-error' || r.status === 'not-done' || r.status === 'cancelled') break;
        const display = textOf(r.code);
        const loinc = codeIn(r.code, CodeSystem.loinc);
        const snomed = codeIn(r.code, CodeSystem.snomed);
        const row = screeningFor(lex, loinc ?? snomed, display);
        const date = isoDate(
          r.performedDateTime ?? r.performedPeriod?.start ?? r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued,
        );
        if (row) {
          const item: Item = {
            kind: 'screening',
            type: row.type,
            display: display || row.display,
            codes: row.loinc ? [{ system: CodeSystem.loinc, code: row.loinc, display: row.display }] : [],
            negated: false,
            confidence: confidence(0.95),
            evidence: structuredEvidence(display || row.display),
          };
          if (date) item.date = date;
          const q = r.valueQuantity as R | undefined;
          const result =
            r.valueString ??
            (q ? formatValue(q.value, q.unit ?? q.code) : undefined) ??
            (textOf(r.valueCodeableConcept) || textOf(r.outcome) || r.conclusion || undefined);
          if (result) item.result = String(result);
          items.push(item);
        } else if (r.resourceType === 'Procedure' && surgicalName(r.code)) {
          const surgical = surgicalName(r.code)!;
          const item: Item = {
            kind: 'surgery',
            name: surgical.replace(/\s*\(procedure\)/i, '').toLowerCase(),
            display: surgical,
            codes: [] as Code[],
            negated: false,
            confidence: confidence(0.9),
            evidence: structuredEvidence(surgical),
          };
          if (date) item.date = date;
          items.push(item);
        }
        break;
      }
      case 'Practitioner': {
        const name = humanName(r.name?.[0]);
        if (!name) break;
        const role = roles.find((x) => [x.practitioner?.reference].some((ref) => ref && byRef.get(ref) === r));
        const org = role?.organization?.reference ? byRef.get(role.organization.reference) : orgOfPractitioner.get(r);
        const telecom: R[] = [...(r.telecom ?? []), ...(role?.telecom ?? []), ...(org?.telecom ?? [])];
        const phone = telecom.find((t) => t.system === 'phone')?.value;
        const fax = telecom.find((t) => t.system === 'fax')?.value;
        const item: Item = {
          kind: 'provider',
          name: /^dr\b/i.test(name) ? name : `Dr. ${name}`,
          display: name,
          codes: [],
          negated: false,
          confidence: confidence(0.95),
          evidence: structuredEvidence(name),
        };
        const npi = (r.identifier ?? []).find((i: R) => i.system === CodeSystem.npi)?.value;
        if (npi && /^\d{10}$/.test(String(npi))) item.codes = [{ system: CodeSystem.npi, code: String(npi) }];
        if (org?.name) item.organization = String(org.name);
        if (phone) item.phone = formatPhone(String(phone)) ?? String(phone);
        if (fax) item.fax = formatPhone(String(fax)) ?? String(fax);
        const addr = addressText(r.address?.[0] ?? org?.address?.[0]);
        if (addr) item.address = addr;
        const roleText = textOf(role?.code?.[0]) || textOf(role?.specialty?.[0]);
        if (roleText) item.role = roleText.toLowerCase();
        items.push(item);
        break;
      }
      default:
        break;
    }
  }
  // Providers are told apart by their whole name (two physicians may share a family name).
  const unique = uniqueItems(items);
  const seen = new Set<string>();
  const providers = unique.filter((i) => {
    if (i.kind !== 'provider') return false;
    const k = i.name.toLowerCase().replace(/^dr\.?\s+/, '');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { source, patient, items: [...dedupe(unique.filter((i) => i.kind !== 'provider')), ...providers] };
}
