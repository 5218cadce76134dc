import { describe, expect, it } from 'vitest';
import { suggestDocumentType, scoreDocumentType, documentTypeLabels, DOCUMENT_TYPES } from './document-type.ts';
import { extractFromPages } from './extract.ts';
import { differentPatients, documentIdentity, groupIdentities } from './page-identity.ts';
import { SOURCE, textPage } from './test-helpers.ts';

// Synthetic names and numbers only.
const alice = (page: number) =>
  textPage(`Riverside Family Clinic\nPatient: Alice Newman   DOB: 05/01/1970   MRN: 12345678\nMEDICATIONS\nLisinopril 10 mg daily`, page);
const continuation = (page: number) => textPage(`ALLERGIES\nPenicillin - hives\nPage ${page}`, page);
const bob = (page: number) =>
  textPage(`Riverside Family Clinic\nPatient Name: Bob Okafor   Date of birth: 11/23/1962\nIMMUNIZATIONS\nTdap 2019-04-02`, page);

describe('page identity', () => {
  it('reads each page on its own and flags a fax whose appended pages name another patient', () => {
    const identity = documentIdentity([alice(1), continuation(2), bob(3), continuation(4)]);
    expect(identity.pages[0]).toEqual({ page: 1, name: 'Alice Newman', birthDate: '1970-05-01', mrn: '12345678' });
    expect(identity.pages[1]).toEqual({ page: 2 });
    expect(identity.pages[2]).toMatchObject({ page: 3, name: 'Bob Okafor', birthDate: '1962-11-23' });
    expect(identity.mixed).toBe(true);
    // A page naming nobody goes with the page before it.
    expect(identity.groups.map((g) => g.pages)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(identity.groups[1]!.patient.name).toBe('Bob Okafor');
  });

  it('does not flag one patient stated differently on different pages', () => {
    const again = textPage('Name: NEWMAN, ALICE\nDOB 1970-05-01', 2);
    const identity = documentIdentity([alice(1), again, continuation(3)]);
    expect(identity.mixed).toBe(false);
    expect(identity.groups).toEqual([{ pages: [1, 2, 3], patient: { name: 'Alice Newman', birthDate: '1970-05-01', mrn: '12345678' } }]);
  });

  it('a misread name with the same birth date is the same patient; a different birth date is not', () => {
    expect(differentPatients({ name: 'Alice Newman', birthDate: '1970-05-01' }, { name: 'Alica Nevman', birthDate: '1970-05-01' })).toBe(false);
    expect(differentPatients({ name: 'Alice Newman', birthDate: '1970-05-01' }, { name: 'Alice Newman', birthDate: '1971-02-03' })).toBe(true);
    expect(differentPatients({ name: 'Alice Newman', mrn: '0012345678' }, { name: 'Alice Newman', mrn: '12345678' })).toBe(false);
    expect(differentPatients({ name: 'Alice Newman' }, { name: 'Bob Okafor' })).toBe(true);
    expect(differentPatients({ name: 'Alice Newman' }, { birthDate: '1962-11-23' })).toBe(false);
  });

  it('groups pages by patient, not by run: A, B, A is two patients', () => {
    const identity = groupIdentities([
      { page: 1, name: 'Alice Newman', birthDate: '1970-05-01' },
      { page: 2, name: 'Bob Okafor' },
      { page: 3, birthDate: '1970-05-01' },
    ]);
    expect(identity.groups.map((g) => g.pages)).toEqual([[1, 3], [2]]);
  });

  it('a document that names nobody is one group, not flagged', () => {
    expect(documentIdentity([continuation(1), continuation(2)])).toMatchObject({ mixed: false, groups: [{ pages: [1, 2] }] });
  });
});

describe('document type', () => {
  const type = (texts: string[], mediaType = 'application/pdf') => {
    const pages = texts.map((t, i) => textPage(t, i + 1));
    const result = extractFromPages(pages, { ...SOURCE, mediaType, pages: pages.length });
    return suggestDocumentType(result, pages);
  };

  it('is suggested from titles, section headings and the kinds of items', () => {
    expect(type(['IMMUNIZATION RECORD\nPatient: Jane Roe\nTdap 2019-04-02\nMMR 1990-01-01\nInfluenza 2023-10-01'])).toBe(
      'immunization-record',
    );
    expect(type(['Discharge Summary\nAdmission date: 2024-01-02\nDischarge date: 2024-01-05\nHospital course: uneventful'])).toBe(
      'discharge-summary',
    );
    expect(type(['Dear Dr. Smith,\nThank you for seeing our mutual patient Jane Roe.\nReason for referral: knee pain\nSincerely,'])).toBe(
      'referral-letter',
    );
    expect(type(['Medication List\nLisinopril 10 mg daily\nMetformin 500 mg twice daily'])).toBe('medication-list');
    expect(type(['LABORATORY REPORT\nSpecimen: blood\nHemoglobin A1c 6.1 % reference range 4.0-5.6'])).toBe('lab-report');
    expect(type(['PROBLEM LIST\nHypertension\nType 2 diabetes mellitus'])).toBe('problem-list');
  });

  it('a C-CDA or FHIR file is a structured summary; a page that says nothing is other', () => {
    expect(scoreDocumentType({ items: [], source: { ...SOURCE, mediaType: 'application/fhir+json' } }, []).type).toBe(
      'structured-summary',
    );
    expect(type(['Fax cover sheet\nPages: 3'])).toBe('other');
  });

  it('every type has a label from the data file', () => {
    const labels = documentTypeLabels();
    expect(labels.map((l) => l.id)).toEqual([...DOCUMENT_TYPES]);
    expect(labels.find((l) => l.id === 'lab-report')!.label).toBe('Lab or screening report');
  });
});
