import { describe, expect, it } from 'vitest';
import { resolve, score, table } from './score.ts';

describe('C-CDA per-kind recall and precision (score.ts, truth in fixtures/truth.json)', () => {
  it('hand-made vendor-style fixtures: every kind at or above 0.97', () => {
    const s = score((f) => f.startsWith('fixtures/'));
    console.log(`C-CDA hand-made fixtures\n${table(s)}`);
    expect(s.files).toBe(3);
    for (const [kind, v] of Object.entries(s.byKind)) {
      expect.soft(v.tp / (v.tp + v.fn), `${kind} recall`).toBeGreaterThanOrEqual(0.97);
      expect.soft(v.tp / (v.tp + v.fp), `${kind} precision`).toBeGreaterThanOrEqual(0.97);
    }
    expect(s.patient.right).toBe(s.patient.total);
  });
  it(
    'HL7 and vendor examples in ../shared/data/ccda (or the copies in test-fixtures where it is absent): every kind at or above 0.97',
    () => {
      expect(resolve('ccda/hl7-Documents-CCD1.xml')).toBeDefined();
      const s = score((f) => f.startsWith('ccda/'));
      expect(s.files).toBeGreaterThanOrEqual(5);
      console.log(`C-CDA ../shared/data/ccda\n${table(s)}`);
      for (const [kind, v] of Object.entries(s.byKind)) {
        expect.soft(v.tp / (v.tp + v.fn), `${kind} recall`).toBeGreaterThanOrEqual(0.97);
        expect.soft(v.tp / (v.tp + v.fp), `${kind} precision`).toBeGreaterThanOrEqual(0.97);
      }
    },
  );
});
