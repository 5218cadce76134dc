import { CodeSystem } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { lookupCode, searchVocabulary } from './ui-support.ts';

describe('code picker vocabulary search', () => {
  it('finds RxNorm clinical drugs by name words, clinical drugs first', () => {
    const hits = searchVocabulary('rxnorm', 'lisinopril 10');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /lisinopril/i.test(h.display) && / 10\b/i.test(h.display))).toBe(true);
    expect(hits[0]!.kind).toBe('SCD');
  });

  it('finds a concept by its code and gives its meaning', () => {
    const byCode = searchVocabulary('rxnorm', '314076');
    expect(byCode[0]).toMatchObject({ code: '314076', system: CodeSystem.rxnorm });
    expect(byCode[0]!.display).toMatch(/lisinopril 10 MG Oral Tablet/i);
    expect(lookupCode(CodeSystem.rxnorm, '314076')?.display).toBe(byCode[0]!.display);
    expect(lookupCode(CodeSystem.cvx, '158')?.display).toMatch(/influenza/i);
    expect(lookupCode(CodeSystem.icd10cm, 'I10')).toBeUndefined();
  });

  it('searches CVX and the LOINC screening codes', () => {
    expect(searchVocabulary('cvx', 'influenza').some((h) => h.code === '158')).toBe(true);
    expect(searchVocabulary('loinc', 'colonoscopy')[0]).toMatchObject({ code: '18746-8', system: CodeSystem.loinc });
    expect(searchVocabulary('loinc', '')).toEqual([]);
  });
});
