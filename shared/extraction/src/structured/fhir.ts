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
  medicationName,
  screeningFor,
  sigFrom,
  structuredEvidence,
  uniqueItems,
} from './common.ts';
import { formatPhone } from '../providers.ts';
import { dedupe } from '../merge.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped FHIR JSON, read defensively
type R = Record<string, any>;

const NKA_CODES = new Set(['716186003', '409137002', '428607008', '429625007']);

function codings(cc: R | undefined): R[] {
  return Array.isArray(cc?.coding) ? cc!.coding : [];
}
function textOf(cc: R | undefined): string {
  return String(cc?.text ?? codings(cc).find((c) => c.display)?.display ?? '').trim();
}
function codeIn(cc: R | undefined, system: string): string | undefined {
  return codings(cc).find((c) => c.system === system)?.code;
}
function humanName(n: R | undefined): string | undefined {
  if (!n) return undefined;
  if (n.text) return String(n.text);
  const s = [...(n.given ?? []), n.family].filter(Boolean).join(' ').replace(/\d+/g, '').trim();
  return s || undefined;
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
        if (ver === 'refuted' || ver === 'entered-in-error') break;
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
        if (ver === 'refuted' || ver === 'entered-in-error') break;
        const display = textOf(r.code);
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
        } else if (r.resourceType === 'Procedure' && display && isSurgery(display)) {
          const item: Item = {
            kind: 'surgery',
            name: display.replace(/\s*\(procedure\)/i, '').toLowerCase(),
            display,
            codes: [] as Code[],
            negated: false,
            confidence: confidence(0.9),
            evidence: structuredEvidence(display),
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
  return { source, patient, items: dedupe(uniqueItems(items)) };
}
