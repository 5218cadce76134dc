import { describe, expect, it } from 'vitest';
import { parseSig } from './sig.ts';

describe('sig parser', () => {
  it.each([
    ['10 mg tab PO daily', { strength: '10 mg', dose: undefined, route: 'oral', frequency: 'daily' }],
    ['1 tab PO BID', { dose: '1 tablet', route: 'oral', frequency: 'twice daily' }],
    ['2 tabs q6h prn pain', { dose: '2 tablets', frequency: 'every 6 hours as needed' }],
    ['take one tablet by mouth every other day', { dose: '1 tablet', route: 'oral', frequency: 'every other day' }],
    ['inject 10 units subcut qhs', { dose: '10 units', route: 'subcutaneous', frequency: 'at bedtime' }],
    ['0.4 mg SL q5min prn chest pain', { strength: '0.4 mg', route: 'sublingual', frequency: 'as needed' }],
    ['1 drop OU TID', { dose: '1 drop', route: 'ophthalmic', frequency: 'three times daily' }],
    ['70 mg weekly', { strength: '70 mg', frequency: 'weekly' }],
    ['2 puffs inhaled q4-6h PRN', { dose: '2 puffs', route: 'inhalation', frequency: 'every 4-6 hours as needed' }],
  ])('%s', (text, expected) => {
    expect(parseSig(text)).toMatchObject(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)));
  });
  it('reads status words', () => {
    expect(parseSig('discontinued 2020').status).toBe('discontinued');
    expect(parseSig('d/c’d').status).toBeUndefined();
    expect(parseSig('on hold').status).toBe('on-hold');
  });
});
