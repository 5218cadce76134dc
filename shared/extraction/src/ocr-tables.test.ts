/**
 * OCR-read tables and prose: cells centred on two lines, specks in the date column, drug names read
 * only approximately. Hand-made pages (layoutPage: 12 px a character, rows 40 px apart).
 */
import { ExtractionResult } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { readBoxes } from './checkboxes.ts';
import { extractFromPages } from './index.ts';
import { layoutPage, of, SOURCE, textPage } from './test-helpers.ts';

describe('a registry table read by OCR', () => {
  const page = layoutPage([
    [['IMMUNIZATIONS', 100]],
    [
      ['DATE', 100],
      ['VACCINE', 400],
      ['CVX', 1300],
    ],
    [
      ['08/22/2013', 100],
      ['Td (adult), preservative free', 400],
      ['113', 1300],
    ],
    [['INFLUENZA', 100]],
    [['Influenza, seasonal, injectable,', 400]],
    [
      ['10/14/2019', 100],
      ['preservative free', 400],
      ['140', 1300],
    ],
    [
      ['ae', 100],
      ['Pneumococcal polysaccharide PPSV23', 400],
    ],
    [
      ['03/02/2020', 100],
      ['(Pneumovax 23)', 400],
      ['33', 1300],
    ],
  ]);
  const r = extractFromPages([page], SOURCE);

  it('reads a name written on two lines centred on its row as that row’s cell', () => {
    expect(ExtractionResult.safeParse(r).success).toBe(true);
    const imm = of(r.items, 'immunization');
    expect(imm.map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['113', '2013-08-22'],
      ['140', '2019-10-14'],
      ['33', '2020-03-02'],
    ]);
    expect(imm[1]!.display).toBe('Influenza, seasonal, injectable, preservative free');
  });
});

describe('a drug name read only approximately in prose', () => {
  it('is a medication when its clause says how it is taken, not otherwise', () => {
    const said = extractFromPages([textPage('Assessment\nShe reports taking metforrnin 500 mg twice daily.')], SOURCE);
    expect(of(said.items, 'medication').map((m) => m.name)).toEqual(['metformin']);
    const bare = extractFromPages([textPage('Assessment\nThe metforrnin question was discussed at length today.')], SOURCE);
    expect(of(bare.items, 'medication')).toEqual([]);
  });
});

describe('handwritten list lines', () => {
  it('reads a lower-case line under a line that did not wrap as an entry of its own', () => {
    const page = layoutPage([
      [['Allergies (what happens?)', 100]],
      [['cat dander - sneezing', 120]],
      [['peanuts - hives', 120]],
      [['Medications', 100]],
      [['metoprolol succinate ER 25 mg tablet, take one tablet by mouth every', 120]],
      [['morning with breakfast', 120]],
    ]);
    const r = extractFromPages([page], SOURCE);
    expect(of(r.items, 'allergy').map((a) => a.display)).toEqual(['cat dander - sneezing', 'peanuts - hives']);
    const meds = of(r.items, 'medication');
    expect(meds).toHaveLength(1);
    expect(meds[0]!.display).toMatch(/every morning with breakfast$/);
  });

  it('reads a ticked box behind a pen stroke ("_[X Yes") as ticked', () => {
    const page = readBoxes(
      layoutPage([
        [
          ['[] No allergies that I know of', 100],
          ['_[X Yes, list below:', 520],
        ],
      ]),
    );
    expect(page.lines[0]!.text).toBe('☐ No allergies that I know of ☒ Yes, list below:');
  });
});

describe('numbered form headings as OCR reads them', () => {
  it('knows a heading with trailing specks or a lost slash, and a year after a dash', () => {
    const r = extractFromPages(
      [
        textPage(`NEW PATIENT FORM
4. ALLERGIES — medicines, foods (what happens?)
latex - rash
5. SURGERIES OPERATIONS (what and what year)
tonsillectomy, - 1999
6. VACCINES AND SCREENING TESTS .      .
Last flu shot (month/year): 10/2020`),
      ],
      SOURCE,
    );
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date])).toEqual([['tonsillectomy', '1999']]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2020-10']);
    expect(of(r.items, 'allergy').map((a) => a.display)).toEqual(['latex - rash']);
  });
});

describe('OCR slips around items', () => {
  it("reads a name cell again without the table's rule that OCR glued to it", () => {
    const page = layoutPage([
      [['IMMUNIZATIONS', 100]],
      [
        ['Immunization', 100],
        ['Date', 900],
      ],
      [
        ['ltd (adult), preservative free', 100],
        ['08/10/2013', 900],
      ],
      [
        ['[influenza, seasonal, injectable, preservative free', 100],
        ['10/01/2020', 900],
      ],
    ]);
    const imm = of(extractFromPages([page], SOURCE).items, 'immunization');
    expect(imm.map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['113', '2013-08-10'],
      ['140', '2020-10-01'],
    ]);
  });

  it('reads "No Known Allergres" (a slip in the word) as no known allergies', () => {
    const r = extractFromPages([textPage('Allergies\nNo Known Allergres — reviewed 01/24/2021')], SOURCE);
    expect(of(r.items, 'allergy').map((a) => a.negated)).toEqual([true]);
  });
});

describe('a preventive-care flowsheet', () => {
  it('dates each cell by its year column, across the group headings inside the table', () => {
    const page = layoutPage([
      [['Lakeside Internal Medicine', 100]],
      [['PREVENTIVE CARE FLOWSHEET', 100]],
      [['Roe, Jane  DOB 01/02/1950', 100]],
      [
        ['Measure', 100],
        ['2022', 700],
        ['2023', 1000],
        ['2024', 1300],
      ],
      [['SCREENING (date · result)', 100]],
      [
        ['PSA (ng/mL)', 100],
        ['03/14 · 1.8', 660],
        ['03/20 · 2.1', 960],
      ],
      [['IMMUNIZATIONS (date given)', 100]],
      [
        ['Influenza', 100],
        ['10/04', 690],
        ['10/11', 990],
        ['DUE', 1300],
      ],
    ]);
    const r = extractFromPages([page], SOURCE);
    expect(of(r.items, 'screening').map((s) => [s.type, s.date, s.result])).toEqual([
      ['psa', '2022-03-14', '1.8'],
      ['psa', '2023-03-20', '2.1'],
    ]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2022-10-04', '2023-10-11']);
  });
});
