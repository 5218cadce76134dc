import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BadInputError, ExtractionResult, MediaType, type Item } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { extractStructured } from '../index.ts';
import { SOURCE } from '../test-helpers.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url))));
const read = (name: string) => {
  const r = extractStructured(fixture(name), MediaType.ccda, { ...SOURCE, mediaType: MediaType.ccda });
  expect(ExtractionResult.safeParse(r).success).toBe(true);
  return r;
};
const of = <K extends Item['kind']>(items: Item[], kind: K) =>
  items.filter((i): i is Extract<Item, { kind: K }> => i.kind === kind);

describe('C-CDA reader (HL7 examples)', () => {
  it('reads "no known allergies" as one negated allergy', () => {
    expect(read('hl7-Allergy-No-Known-Allergies.xml').items).toMatchObject([
      { kind: 'allergy', substance: 'none known', negated: true },
    ]);
  });
  it('reads a coded drug allergy with its reaction', () => {
    const [a] = of(read('hl7-Allergy-specific-drug-Codeine.xml').items, 'allergy');
    expect(a).toMatchObject({ substance: 'codeine', reaction: 'nausea', negated: false });
    expect(a!.codes[0]).toMatchObject({ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2670' });
  });
  it('reads immunizations with CVX, date, and refusals as negated', () => {
    const [flu] = of(read('hl7-Immunization-Influenza-Vaccination.xml').items, 'immunization');
    expect(flu).toMatchObject({ date: '2010-08-15', negated: false, codes: [{ code: '88' }] });
    const [refused] = of(read('hl7-Immunization-not-given-patient-refused.xml').items, 'immunization');
    expect(refused?.negated).toBe(true);
  });
  it('reads a medication with its sig, and "no medications" as nothing', () => {
    const [m] = of(read('hl7-Medication-oral-QID-with-PRN.xml').items, 'medication');
    expect(m).toMatchObject({ name: 'ibuprofen', route: 'oral' });
    expect(m!.frequency).toMatch(/as needed/);
    expect(read('hl7-Medication-No-Medications.xml').items).toEqual([]);
  });
  it('reads a full CCD: patient, every section, care team', () => {
    const r = read('hl7-Documents-CCD1.xml');
    expect(r.patient).toMatchObject({ name: 'Eve Betterhalf', birthDate: '1975-05-01' });
    expect(
      of(r.items, 'allergy')
        .map((a) => a.substance)
        .sort(),
    ).toEqual(['codeine', 'penicillin']);
    expect(
      of(r.items, 'medication')
        .map((m) => m.name)
        .sort(),
    ).toEqual(['albuterol', 'atenolol']);
    expect(of(r.items, 'immunization').length).toBeGreaterThanOrEqual(4);
    expect(of(r.items, 'screening')).toMatchObject([{ type: 'colonoscopy', date: '2012-05-12' }]);
    expect(of(r.items, 'surgery').map((s) => s.name)).toContain('colonic polypectomy');
    expect(of(r.items, 'condition').map((c) => c.name)).toContain('pneumonia');
    expect(of(r.items, 'provider')[0]).toMatchObject({ phone: '(555) 555-1004' });
  });
  it('reads a vendor document (Cerner, CC BY 4.0)', () => {
    const r = read('jmandel-cerner-Transition_of_Care_Referral_Summary.xml');
    expect(r.patient).toMatchObject({ name: 'Steve Williamson', birthDate: '1947-04-07' });
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(
      expect.arrayContaining(['atorvastatin', 'aspirin', 'insulin glargine']),
    );
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(
      expect.arrayContaining(['type 2 diabetes mellitus', 'hypercholesterolemia']),
    );
  });
  it('throws BadInputError on unparseable input', () => {
    const bad = new TextEncoder().encode('<ClinicalDocument><component>');
    expect(() => extractStructured(bad, MediaType.ccda, SOURCE)).toThrow(BadInputError);
    expect(() => extractStructured(new TextEncoder().encode('<html><body/></html>'), MediaType.ccda, SOURCE)).toThrow(
      /ClinicalDocument/,
    );
  });
});
