import { describe, expect, it } from 'vitest';
import { ExtractionResult, ITEM_KINDS, Item, PartialDate } from './extraction-result.ts';

const source = { file: 'fax.tiff', sha256: 'a'.repeat(64), mediaType: 'image/tiff', pages: 3, channel: 'fax' as const };

describe('extraction result schema (OUTPUT.md)', () => {
  it('accepts the example from the contract', () => {
    const result = ExtractionResult.parse({
      source,
      patient: { name: 'Alice Newman', birthDate: '1970-05-01', mrn: '12345678' },
      items: [
        {
          kind: 'medication',
          name: 'lisinopril',
          display: 'Lisinopril 10 mg tablet',
          codes: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' }],
          strength: '10 mg',
          dose: '1 tablet',
          route: 'oral',
          frequency: 'daily',
          date: '2019-03-01',
          status: 'active',
          negated: false,
          confidence: 0.93,
          evidence: { page: 1, text: 'Lisinopril 10 mg tab PO daily', bbox: [102, 880, 1410, 918] },
        },
      ],
    });
    expect(result.items[0]?.kind).toBe('medication');
  });

  it('has the seven kinds with their own fields', () => {
    expect(ITEM_KINDS).toEqual(['medication', 'allergy', 'immunization', 'screening', 'condition', 'surgery', 'provider']);
    const nkda = Item.parse({ kind: 'allergy', display: 'NKDA', substance: 'none known', negated: true, confidence: 0.95 });
    expect(nkda).toMatchObject({ negated: true, codes: [] });
    expect(() => Item.parse({ kind: 'screening', display: 'x', type: 'x-ray', confidence: 1 })).toThrow();
    expect(Item.parse({ kind: 'screening', display: 'Mammogram', type: 'mammogram', result: 'BI-RADS 1', date: '2022-05', confidence: 0.8 })).toMatchObject({ type: 'mammogram' });
    expect(Item.parse({ kind: 'provider', display: 'Dr. A', name: 'A', phone: '555-0100', fax: '555-0101', confidence: 0.7 })).toMatchObject({ kind: 'provider' });
  });

  it('takes partial ISO dates and refuses other formats', () => {
    for (const ok of ['2019', '2019-03', '2019-03-01']) expect(PartialDate.safeParse(ok).success).toBe(true);
    for (const bad of ['03/01/2019', '2019-3-1', 'March 2019', '']) expect(PartialDate.safeParse(bad).success).toBe(false);
  });

  it('refuses confidence outside 0–1 and pages from 0', () => {
    expect(() => Item.parse({ kind: 'surgery', display: 'x', name: 'x', confidence: 1.2 })).toThrow();
    expect(() => Item.parse({ kind: 'surgery', display: 'x', name: 'x', confidence: 0.5, evidence: { page: 0, text: 'x' } })).toThrow();
  });
});
