import { describe, expect, it } from 'vitest';
import { findClinicalDrug, loadCvx, loadLoincScreenings, loadRxNorm, normalizeTerm, ocrFold, TermIndex } from './index.ts';

describe('RxNorm lexicon', () => {
  const rx = loadRxNorm();
  it('maps ingredients, brands and abbreviations to ingredients with RXCUIs', () => {
    expect(rx.names.lookup('lisinopril')?.value).toMatchObject({ ingredient: 'lisinopril', ingredientRxcui: '29046' });
    expect(rx.names.lookup('Zestril')?.value.ingredient).toBe('lisinopril');
    expect(rx.names.lookup('HCTZ')?.value).toMatchObject({ ingredient: 'hydrochlorothiazide', ingredientRxcui: '5487' });
    expect(rx.names.lookup('APAP')?.value).toMatchObject({ ingredient: 'acetaminophen', ingredientRxcui: '161' });
    expect(rx.names.lookup('Tylenol')?.value.ingredient).toBe('acetaminophen');
    expect(rx.names.lookup('cyanocobalamin')?.value.ingredient).toBe('vitamin B12');
  });
  it('fills the "A" ingredient RXCUI gap for common drugs', () => {
    expect(rx.ingredientRxcui.get('amlodipine')).toBe('17767');
    expect(rx.ingredientRxcui.get('amoxicillin')).toBe('723');
    expect(rx.ingredientRxcui.get('albuterol')).toBe('435');
    expect(rx.names.lookup('Norvasc')?.value.ingredientRxcui).toBe('17767');
  });
  it('tolerates OCR slips but refuses to guess', () => {
    expect(rx.names.lookup('Lisinoprll')?.value.ingredient).toBe('lisinopril');
    expect(rx.names.lookup('rnetformin')?.value.ingredient).toBe('metformin');
    expect(rx.names.lookup('Simvastatln')?.value.ingredient).toBe('simvastatin');
    expect(rx.names.lookup('Lisinoprll', false)).toBeUndefined();
    expect(rx.names.lookup('xylophone')).toBeUndefined();
  });
  it('finds the clinical drug for an ingredient and strength', () => {
    expect(findClinicalDrug(rx, 'lisinopril', '10 mg')).toEqual({ rxcui: '314076', name: 'lisinopril 10 MG Oral Tablet' });
    expect(findClinicalDrug(rx, 'lisinopril', undefined)).toBeUndefined();
  });
});

describe('CVX table', () => {
  const cvx = loadCvx();
  it.each([
    ['Tdap', '115'],
    ['PCV20', '216'],
    ['Prevnar 20', '216'],
    ['Shingrix', '187'],
    ['flu shot', '88'],
    ['Td (adult) preservative free', '113'],
    ['Pneumovax 23', '33'],
    ['MMR', '03'],
  ])('%s → CVX %s', (name, code) => {
    expect(cvx.names.lookup(name)?.value.cvx).toBe(code);
  });
  it('knows vaccine groups', () => {
    expect(cvx.byCode.get('140')?.groups).toContain('FLU');
  });
});

describe('LOINC screenings', () => {
  const l = loadLoincScreenings();
  it('types screening names', () => {
    expect(l.names.lookup('colonoscopy')?.value).toMatchObject({ type: 'colonoscopy', loinc: '18746-8' });
    expect(l.names.lookup('Pap smear')?.value.type).toBe('cervical-cytology');
    expect(l.names.lookup('DEXA')?.value.type).toBe('bone-density');
    expect(l.names.lookup('Cologuard')?.value.type).toBe('fecal-dna');
    expect(l.byCode.get('2857-1')?.type).toBe('psa');
  });
});

describe('term index', () => {
  it('normalises and folds OCR confusions', () => {
    expect(normalizeTerm('  Lipitor® 20mg ')).toBe('lipitor 20mg');
    expect(ocrFold('rnetforrnin')).toBe(ocrFold('metformin'));
    expect(ocrFold('1isinopri1')).toBe(ocrFold('lisinopril'));
  });
  it('refuses an ambiguous one-edit match', () => {
    const idx = new TermIndex<string>(6);
    idx.add('abcdefgh', 'one');
    idx.add('abcdefgk', 'two');
    expect(idx.lookup('abcdefgx')).toBeUndefined();
    expect(idx.lookup('abcdefgh')?.value).toBe('one');
  });
});
