import { describe, expect, it } from 'vitest';
import { spanFromText } from './evidence.ts';
import { identityLabel, patientFrom } from './patient.ts';

// Synthetic names and numbers only.
const spans = (...lines: string[]) => lines.map((l) => spanFromText(1, l));

describe('patient identity', () => {
  it('reads labels one or two OCR slips from a known identity label', () => {
    expect(identityLabel('Narne')).toBe('name');
    expect(identityLabel('PATIFNT')).toBe('name');
    expect(identityLabel('Date of Brith')).toBe('birthDate');
    expect(identityLabel('Medical Recrod Number')).toBe('mrn');
    // Short labels must match whole; a word that is not a label is nothing.
    expect(identityLabel('Nam')).toBeUndefined();
    expect(identityLabel('Guarantor')).toBeUndefined();
  });

  it('takes damaged labels and the value in the next cell', () => {
    expect(patientFrom(spans('Narne: GAYLA FERRY.', 'PATIFNT ID: 4471-220'))).toMatchObject({ name: 'Gayla Ferry' });
    expect(patientFrom(spans('Name | KERMIT TRANTOW | Sex | M'))).toMatchObject({ name: 'Kermit Trantow' });
  });

  it('reads a birth date behind OCR junk, with a lost slash, or under a DOB-like label', () => {
    expect(patientFrom(spans('BirthDate: -—-06/03/1937')).birthDate).toBe('1937-06-03');
    expect(patientFrom(spans('Birth Date: 0621/1993')).birthDate).toBe('1993-06-21');
    expect(patientFrom(spans('008: 04/15/1950')).birthDate).toBe('1950-04-15');
    // …and with the value in the next cell of a spaced-out header line.
    expect(patientFrom(spans('PATIENT:      DOE, JANE            008:           01/04/1984            SEX:    F'))).toMatchObject({
      name: 'Jane Doe',
      birthDate: '1984-01-04',
    });
    expect(patientFrom(spans('Lot:       04/15/1950')).birthDate).toBeUndefined();
    // A DOB-like label with no colon, and digits OCR read as letters or split with a space.
    expect(patientFrom(spans('MyHealth Connect            QOB Jan 27, 1986')).birthDate).toBe('1986-01-27');
    expect(patientFrom(spans('Name:            (JANE ROSS!.         Birth Date:     o6/24/1 996     Gender:     F'))).toMatchObject({
      name: 'Jane Rossi',
      birthDate: '1996-06-24',
    });
    expect(patientFrom(spans('Lot 04/15/1950')).birthDate).toBeUndefined();
    // Not every three-letter label is a DOB.
    expect(patientFrom(spans('Lot: 04/15/1950')).birthDate).toBeUndefined();
  });

  it('cleans trailing OCR debris and a "!" read for a final I', () => {
    expect(patientFrom(spans('Patient Name: LEVI MARTIN! =')).name).toBe('Levi Martini');
    expect(patientFrom(spans('Health Surrmary for Dana Whitfield')).name).toBe('Dana Whitfield');
  });

  it('does not take a provider or clinic as the patient', () => {
    expect(patientFrom(spans('Narne: Dr Alan Medical Clinic')).name).toBeUndefined();
  });
});
