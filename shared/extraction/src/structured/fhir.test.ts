import { BadInputError, ExtractionResult, MediaType, type Item } from '@intake/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractStructured } from '../index.ts';
import { SOURCE } from '../test-helpers.ts';

const of = <K extends Item['kind']>(items: Item[], kind: K) =>
  items.filter((i): i is Extract<Item, { kind: K }> => i.kind === kind);
const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    {
      fullUrl: 'urn:uuid:p1',
      resource: {
        resourceType: 'Patient',
        id: 'p1',
        name: [{ use: 'official', given: ['Rosa'], family: 'Diaz' }],
        birthDate: '1966-09-30',
        identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'MRN-5521' }],
      },
    },
    {
      resource: {
        resourceType: 'MedicationRequest',
        status: 'active',
        authoredOn: '2021-02-03T10:00:00Z',
        medicationCodeableConcept: {
          coding: [
            { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076', display: 'lisinopril 10 MG Oral Tablet' },
          ],
        },
        dosageInstruction: [{ text: '1 tab PO daily' }],
      },
    },
    {
      resource: {
        resourceType: 'MedicationRequest',
        status: 'stopped',
        medicationCodeableConcept: { text: 'Glucophage 500 mg' },
      },
    },
    {
      resource: {
        resourceType: 'AllergyIntolerance',
        code: { text: 'Allergy to peanuts' },
        reaction: [{ manifestation: [{ text: 'Anaphylaxis' }], severity: 'severe' }],
      },
    },
    {
      resource: {
        resourceType: 'AllergyIntolerance',
        verificationStatus: { coding: [{ code: 'refuted' }] },
        code: { text: 'Penicillin' },
      },
    },
    {
      resource: {
        resourceType: 'Immunization',
        status: 'completed',
        occurrenceDateTime: '2019-10-01',
        lotNumber: 'X12',
        vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }] },
      },
    },
    {
      resource: {
        resourceType: 'Condition',
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
        onsetDateTime: '2015-06',
      },
    },
    {
      resource: {
        resourceType: 'Procedure',
        status: 'completed',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '73761001', display: 'Colonoscopy' }] },
        performedDateTime: '2018-04-09',
      },
    },
    { resource: { resourceType: 'Procedure', status: 'completed', code: { text: 'Appendectomy' }, performedDateTime: '1990' } },
    { resource: { resourceType: 'Procedure', status: 'completed', code: { text: 'Documentation of current medications' } } },
    {
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '2857-1' }] },
        effectiveDateTime: '2020-01-15',
        valueQuantity: { value: 1.2, unit: 'ng/mL' },
      },
    },
    {
      fullUrl: 'urn:uuid:dr1',
      resource: {
        resourceType: 'Practitioner',
        name: [{ given: ['Omar'], family: 'Haddad' }],
        telecom: [
          { system: 'phone', value: '4135551234' },
          { system: 'fax', value: '413-555-1235' },
        ],
      },
    },
    { fullUrl: 'urn:uuid:o1', resource: { resourceType: 'Organization', name: 'Pioneer Valley Clinic' } },
    {
      resource: {
        resourceType: 'PractitionerRole',
        practitioner: { reference: 'urn:uuid:dr1' },
        organization: { reference: 'urn:uuid:o1' },
        code: [{ text: 'Primary care' }],
      },
    },
  ],
};

describe('FHIR R4 reader', () => {
  const r = extractStructured(new TextEncoder().encode(JSON.stringify(bundle)), MediaType.fhir, {
    ...SOURCE,
    mediaType: MediaType.fhir,
  });
  it('is a valid extraction result with the patient', () => {
    expect(ExtractionResult.safeParse(r).success).toBe(true);
    expect(r.patient).toEqual({ name: 'Rosa Diaz', birthDate: '1966-09-30', mrn: 'MRN-5521' });
  });
  it('reads every kind from resources', () => {
    expect(of(r.items, 'medication').map((m) => [m.name, m.status, m.frequency])).toEqual([
      ['lisinopril', 'active', 'daily'],
      ['metformin', 'discontinued', undefined],
    ]);
    expect(of(r.items, 'medication')[0]!.date).toBe('2021-02-03');
    expect(of(r.items, 'allergy')).toMatchObject([{ substance: 'peanut', reaction: 'anaphylaxis', severity: 'severe' }]);
    expect(of(r.items, 'immunization')).toMatchObject([{ date: '2019-10-01', lot: 'X12', codes: [{ code: '140' }] }]);
    expect(of(r.items, 'condition')).toMatchObject([
      { name: 'hypertension', onset: '2015-06', status: 'active', codes: [{ code: 'I10' }] },
    ]);
    expect(of(r.items, 'screening').map((s) => [s.type, s.date, s.result])).toEqual([
      ['colonoscopy', '2018-04-09', undefined],
      ['psa', '2020-01-15', '1.2 ng/mL'],
    ]);
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date])).toEqual([['appendectomy', '1990']]);
    expect(of(r.items, 'provider')).toMatchObject([
      {
        name: 'Dr. Omar Haddad',
        organization: 'Pioneer Valley Clinic',
        phone: '(413) 555-1234',
        fax: '(413) 555-1235',
        role: 'primary care',
      },
    ]);
  });
  it('reads a single resource with a contained medication', () => {
    const stmt = {
      resourceType: 'MedicationStatement',
      status: 'active',
      contained: [{ resourceType: 'Medication', id: 'm1', code: { text: 'Synthroid 50 mcg tablet' } }],
      medicationReference: { reference: '#m1' },
      dosage: [{ text: 'once daily before breakfast' }],
    };
    const r = extractStructured(new TextEncoder().encode(JSON.stringify(stmt)), MediaType.fhir, SOURCE);
    expect(r.items).toMatchObject([
      { kind: 'medication', name: 'levothyroxine', strength: '50 mcg', frequency: 'daily', status: 'active' },
    ]);
  });
  it('throws BadInputError on unparseable input', () => {
    expect(() => extractStructured(new TextEncoder().encode('{"resourceType": "Bund'), MediaType.fhir, SOURCE)).toThrow(
      BadInputError,
    );
    expect(() => extractStructured(new TextEncoder().encode('[1,2]'), MediaType.fhir, SOURCE)).toThrow(BadInputError);
  });
});

describe('FHIR reader: placeholders, data-absent-reason, entered-in-error, junk text (hand-made vendor-style bundle)', () => {
  const bytes = new Uint8Array(readFileSync(fileURLToPath(new URL('./fixtures/fhir-vendor-quirks.json', import.meta.url))));
  const r = extractStructured(bytes, MediaType.fhir, { ...SOURCE, mediaType: MediaType.fhir });
  it('is a valid result', () => expect(ExtractionResult.safeParse(r).success).toBe(true));
  it('takes a coding display over junk text, keeps distinct drugs apart, skips entered-in-error and data-absent entries', () => {
    expect(
      of(r.items, 'medication')
        .map((m) => [m.name, m.date])
        .sort(),
    ).toEqual([
      ['lisinopril', '2019-03'],
      ['metformin', '2019-04-12'],
    ]);
  });
  it('gives no allergy for a data-absent code (not a severe one), none for entered-in-error', () => {
    expect(of(r.items, 'allergy').map((a) => a.display)).toEqual(['Sulfa drugs']);
  });
  it('reads no "Unknown", status word or refuted condition; the readable name over an abbreviation', () => {
    expect(of(r.items, 'condition')).toMatchObject([{ display: 'Essential hypertension', onset: '2015' }]);
    expect(of(r.items, 'surgery')).toMatchObject([{ name: 'laparoscopic cholecystectomy', date: '2017-03-05' }]);
  });
  it('reads CVX under an urn:oid system id, and no data-absent vaccine', () => {
    expect(of(r.items, 'immunization')).toMatchObject([{ date: '2017-11', codes: [{ code: '33' }] }]);
  });
  it('strips credentials, keeps two physicians of one surname apart, emits no placeholder NPI or name', () => {
    const p = of(r.items, 'provider');
    expect(p.map((x) => x.name).sort()).toEqual(['Dr. Alice Seven', 'Dr. Henry Seven']);
    expect(p.find((x) => x.name === 'Dr. Henry Seven')?.codes).toEqual([]);
  });
});
