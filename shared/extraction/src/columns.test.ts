/**
 * Two columns found by their gutter: cards side by side on an OCR-read page (a portal summary
 * faxed), where the right column's heading is lost, against a two-column table whose rows pair up.
 * Hand-made pages (layoutPage: 12 px a character, rows 40 px apart, page 2000 px wide).
 */
import { ExtractionResult } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { extractFromPages } from './index.ts';
import { layoutPage, of, SOURCE } from './test-helpers.ts';

describe('cards in two columns with no heading on the right', () => {
  const page = layoutPage([
    [['Health Summary for Test Patient', 100]],
    [
      ['Health Issues', 100],
      ['Td (adult), preservative free', 1000],
    ],
    [
      ['Chronic sinusitis (ACTIVE)', 100],
      ['Given Jul 7, 2017', 1000],
    ],
    [['Noted Mar 3, 2008', 100]],
    [
      ['Allergies', 100],
      ['Influenza, seasonal, injectable, preservative free', 1000],
    ],
    [
      ['No Known Allergies', 100],
      ['Given Jul 24, 2020', 1000],
    ],
    [['Reviewed', 100]],
    [['Hepatitis B vaccine, adult', 1000]],
    [['Given May 2, 2019', 1000]],
    [['Past Procedures', 100]],
    [['Inguinal hernia repair', 100]],
    [['Feb 13, 2019', 100]],
  ]);
  const r = ExtractionResult.parse(extractFromPages([page], SOURCE));

  it('reads each column on its own: the allergy card holds no vaccine', () => {
    const allergies = of(r.items, 'allergy');
    expect(allergies).toHaveLength(1);
    expect(allergies[0]).toMatchObject({ negated: true });
  });

  it('reads the headingless right column as the immunization list its lines show, each with its date', () => {
    expect(of(r.items, 'immunization').map((i) => [i.display, i.date])).toEqual([
      ['Td (adult), preservative free', '2017-07-07'],
      ['Influenza, seasonal, injectable, preservative free', '2020-07-24'],
      ['Hepatitis B vaccine, adult', '2019-05-02'],
    ]);
    expect(of(r.items, 'condition').map((c) => c.display)).toEqual(['Chronic sinusitis (ACTIVE)']);
    expect(of(r.items, 'surgery').map((s) => [s.display, s.date])).toEqual([['Inguinal hernia repair', '2019-02-13']]);
  });
});

describe('a two-column table is read row by row, not as two columns', () => {
  const page = layoutPage([
    [['Immunizations', 100]],
    [
      ['Vaccine', 100],
      ['Date given', 1000],
    ],
    [
      ['Td (adult), preservative free', 100],
      ['07/07/2017', 1000],
    ],
    [
      ['Influenza, seasonal, injectable', 100],
      ['10/01/2019', 1000],
    ],
    [
      ['Hepatitis B vaccine, adult', 100],
      ['05/02/2019', 1000],
    ],
    [
      ['Zoster vaccine recombinant', 100],
      ['06/11/2021', 1000],
    ],
  ]);
  const r = ExtractionResult.parse(extractFromPages([page], SOURCE));

  it('keeps each vaccine with the date on its row', () => {
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2017-07-07', '2019-10-01', '2019-05-02', '2021-06-11']);
  });
});

describe('preventive-care cards: reminders are not care received', () => {
  const page = layoutPage([
    [['Preventive Care', 100]],
    [['Colonoscopy (COMPLETED)', 100]],
    [['Completed May 2, 2016 — normal', 100]],
    [['Eye exam (diabetes) DUE', 100]],
    [['Not yet done', 100]],
    [['Bone density', 100]],
    [['Nest yet done', 100]],
    [['Mammogram pue soon', 100]],
  ]);
  const r = ExtractionResult.parse(extractFromPages([page], SOURCE));

  it('keeps the completed test with its date and result, and drops the ones marked to do', () => {
    expect(of(r.items, 'screening').map((s) => [s.type, s.date, s.result])).toEqual([['colonoscopy', '2016-05-02', 'normal']]);
  });
});

describe('a footer where the content ends, above the bottom band', () => {
  const page = layoutPage([
    [['Care Team', 100]],
    [['Dr. Alma Testwell (PCP)', 100]],
    [['Example Medical Center', 100]],
    [['(555) 010-4000', 100]],
    [['This summary was exported from HealthTrack Online. Items marked DUE are reminders.', 100]],
    [['https.//portal.examiple.org/health-summary?print=1', 100]],
  ]);
  const r = ExtractionResult.parse(extractFromPages([page], SOURCE));

  it('is furniture: the last provider block does not take it', () => {
    const providers = of(r.items, 'provider');
    expect(providers).toHaveLength(1);
    expect(JSON.stringify(providers[0])).not.toMatch(/exported|portal/);
  });
});

describe('a vaccine named in full through OCR slips', () => {
  const page = layoutPage([
    [['Immunizations', 100]],
    [['Influenza, sedsonal, injectable. preservative free v', 100]],
    [['Given Jul 24, 2020', 100]],
    [['influenza vaccine', 100]],
    [['Given Oct 1, 2019', 100]],
  ]);
  const r = ExtractionResult.parse(extractFromPages([page], SOURCE));

  it('takes the formulation the whole name gives, and leaves a bare name unspecified', () => {
    expect(of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['140', '2020-07-24'],
      ['88', '2019-10-01'],
    ]);
  });
});
