import type { Item } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { codeConcern, DATE_FIELDS, KIND_FIELDS, rebuildDisplay } from './model.ts';

const med = (over: Partial<Record<string, unknown>> = {}): Item =>
  ({
    kind: 'medication',
    name: 'lisinopril',
    display: 'Lisinopril 10 mg tablet',
    strength: '10 mg',
    codes: [],
    negated: false,
    confidence: 0.9,
    ...over,
  }) as Item;

describe('UI model from shared/core', () => {
  it('takes each kind’s fields and date fields from the item schemas', () => {
    expect(KIND_FIELDS.medication).toEqual(['name', 'strength', 'dose', 'route', 'frequency', 'date', 'status']);
    expect(KIND_FIELDS.allergy[0]).toBe('substance');
    expect([...DATE_FIELDS].sort()).toEqual(['date', 'onset']);
  });

  it('rebuilds the display from edited fields', () => {
    expect(rebuildDisplay(med(), { name: 'lisinopril', strength: '20 mg' })).toBe('Lisinopril 20 mg tablet');
    expect(rebuildDisplay(med(), { name: 'enalapril', strength: '10 mg' })).toBe('Enalapril 10 mg tablet');
    expect(
      rebuildDisplay(med({ display: 'Metformin tablet', name: 'metformin', strength: undefined }), {
        name: 'metformin',
        strength: '500 mg',
      }),
    ).toBe('Metformin 500 mg tablet');
    expect(rebuildDisplay(med({ display: 'ACE inhibitor' }), { name: 'ramipril', strength: '5 mg' })).toBe('Ramipril 5 mg');
    const allergy = {
      kind: 'allergy',
      substance: 'penicillin',
      reaction: 'hives',
      display: 'Penicillin — hives',
      codes: [],
      negated: false,
      confidence: 1,
    } as Item;
    expect(rebuildDisplay(allergy, { substance: 'penicillin', reaction: 'rash' })).toBe('Penicillin — rash');
  });

  it('flags a code that names another drug or another dose form', () => {
    const spray = med({ name: 'fentanyl', display: 'Fentanyl nasal spray', strength: undefined });
    expect(codeConcern(spray, 'fentanyl 0.025 MG/HR Transdermal System')).toMatch(/says spray, the code is a patch/);
    expect(codeConcern(med(), 'metformin hydrochloride 500 MG Oral Tablet')).toMatch(/the code means/);
    expect(codeConcern(med(), 'lisinopril 10 MG Oral Tablet')).toBeUndefined();
    expect(codeConcern(med(), undefined)).toBeUndefined();
  });
});
