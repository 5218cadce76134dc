import { describe, expect, it } from 'vitest';
import type { Word } from '@intake/core';
import { assembleLines } from './layout.ts';

const w = (text: string, x0: number, y0: number, charW = 10, h = 20, confidence = 0.9): Word => ({
  text,
  bbox: [x0, y0, x0 + text.length * charW, y0 + h],
  confidence,
});

describe('assembleLines', () => {
  it('merges cells of one table row into one line, columns separated by runs of spaces', () => {
    const out = assembleLines([
      { words: [w('Medication', 100, 100)] },
      { words: [w('Dose', 400, 102)] },
      { words: [w('Metformin', 100, 140), w('tablet', 200, 140)] },
      { words: [w('500', 400, 141), w('mg', 440, 141)] },
    ]);
    expect(out.lines).toHaveLength(2);
    expect(out.text.split('\n')[0]).toMatch(/^Medication {3,}Dose$/);
    expect(out.text.split('\n')[1]).toMatch(/^Metformin tablet {3,}500 mg$/);
    expect(out.lines[1]!.words.map((x) => x.text)).toEqual(['Metformin', 'tablet', '500', 'mg']);
    expect(out.lines[1]!.bbox).toEqual([100, 140, 460, 161]);
    expect(out.confidence).toBeCloseTo(0.9);
  });

  it('orders lines top to bottom whatever order the reader produced them in', () => {
    const out = assembleLines([{ words: [w('second', 10, 200)] }, { words: [w('first', 10, 100)] }, { words: [w('third', 10, 300)] }]);
    expect(out.text).toBe('first\nsecond\nthird');
  });

  it('keeps lines apart that overlap horizontally even when close vertically', () => {
    const out = assembleLines([{ words: [w('upper', 10, 100)] }, { words: [w('lower', 20, 112)] }]);
    expect(out.lines).toHaveLength(2);
  });

  it('returns nothing for no words', () => {
    expect(assembleLines([{ words: [] }])).toEqual({ text: '', lines: [], confidence: 0 });
  });
});
