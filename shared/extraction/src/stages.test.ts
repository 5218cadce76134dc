import type { Item, PageText, Word } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { attachMarks, MARK, readBoxes } from './checkboxes.ts';
import { findDates } from './dates.ts';
import { contextOf, isSectionNegative, socialNegative } from './context.ts';
import { spanFromText } from './evidence.ts';
import { extractFromPages } from './extract.ts';
import { pairFields } from './fields.ts';
import { furniture } from './furniture.ts';
import { layoutLines } from './layout.ts';
import { columnRole, headerColumns, readTable } from './tables.ts';
import { layoutPage, of, SOURCE } from './test-helpers.ts';
import { repairWords } from './words.ts';

/** A text-layer line from words given as [text, x0, x1]. */
function textLine(y: number, words: [string, number, number][], h = 20): PageText['lines'][number] {
  const ws: Word[] = words.map(([text, x0, x1]) => ({ text, bbox: [x0, y, x1, y + h], confidence: 1 }));
  return {
    text: ws.map((w) => w.text).join(' '),
    bbox: [ws[0]!.bbox[0], y, ws[ws.length - 1]!.bbox[2], y + h],
    confidence: 1,
    words: ws,
  };
}

function textLayer(lines: PageText['lines'], height = 1650): PageText {
  return {
    page: 1,
    method: 'text-layer',
    text: lines.map((l) => l.text).join('\n'),
    lines,
    width: 1275,
    height,
    rotation: 0,
    confidence: 1,
  };
}

const lines = (p: PageText[]) => layoutLines(p, { isHeading: () => false });

describe('stage 1: word repair on a text layer', () => {
  it('joins ligature pieces, but not a short word before them', () => {
    const page = repairWords(
      textLayer([
        textLine(100, [
          ['In', 100, 120],
          ['fl', 120, 130],
          ['uenza', 130, 180],
          ['on', 200, 220],
          ['fi', 228, 236],
          ['le', 236, 250],
        ]),
      ]),
    );
    expect(page.lines[0]!.words.map((w) => w.text)).toEqual(['Influenza', 'on', 'file']);
  });
  it('reads a letter-spaced heading as its words', () => {
    const letters = 'PATIENT'.split('').map((c, i) => [c, 100 + i * 20, 112 + i * 20] as [string, number, number]);
    const second = 'INFORMATION'.split('').map((c, i) => [c, 260 + i * 20, 272 + i * 20] as [string, number, number]);
    const page = repairWords(textLayer([textLine(100, [...letters, ...second])]));
    expect(page.lines[0]!.text).toBe('PATIENT INFORMATION');
  });
  it('leaves OCR pages alone', () => {
    const p = layoutPage([[['In fl uenza', 10]]]);
    expect(repairWords(p)).toBe(p);
  });
});

describe('stage 1b: check marks', () => {
  it('moves a mark drawn on its own line to the option on its right', () => {
    const page = attachMarks(
      textLayer([
        textLine(95, [['X', 120, 136]], 34),
        textLine(100, [
          ['No', 144, 170],
          ['allergies', 178, 260],
        ]),
      ]),
    );
    expect(page.lines.map((l) => l.text)).toEqual([`${MARK} No allergies`]);
  });
  it('leaves the x of "2 x daily" alone', () => {
    const page = textLayer([
      textLine(100, [
        ['2', 100, 110],
        ['x', 118, 126],
        ['daily', 134, 180],
      ]),
    ]);
    expect(attachMarks(page)).toBe(page);
  });
  it('keeps only ticked options of a checklist, and reads a ticked "No" to a habit question', () => {
    const rows: [string, number][][] = [
      [['2. MEDICAL CONDITIONS — check all that apply', 100]],
      [
        ['Asthma', 150],
        ['Diabetes', 700],
      ],
      [
        ['X', 120],
        ['Hypertension', 150],
        ['Stroke', 700],
      ],
      [['7. HABITS', 100]],
      [
        ['Do you smoke?', 100],
        ['Yes', 600],
        ['X', 820],
        ['No', 850],
      ],
    ];
    const page = layoutPage(rows);
    // Handwritten marks are taller than the printed words.
    for (const l of page.lines)
      for (const w of l.words) if (w.text === 'X') w.bbox = [w.bbox[0], w.bbox[1] - 6, w.bbox[2], w.bbox[3] + 6];
    const r = extractFromPages([page], SOURCE);
    expect(of(r.items, 'condition').map((c) => [c.name, c.negated])).toEqual([
      ['hypertension', false],
      ['tobacco use', true],
    ]);
  });
});

describe('stage 2: page furniture', () => {
  it('drops running headers, page numbers and print stamps, not the body', () => {
    const pages = [1, 2].map((n) => ({
      ...textLayer([
        textLine(40, [['Clinical Summary — Roe, Jane', 80, 400]]),
        textLine(300, [[n === 1 ? 'Hypertension' : 'Asthma', 80, 300]]),
        textLine(1590, [[`Printed 01/04/2021 Page ${n} of 2`, 80, 500]]),
      ]),
      page: n,
    }));
    const all = lines(pages);
    const f = furniture(all, () => 1650);
    expect(all.filter((l) => !f.has(l)).map((l) => l.span.text)).toEqual(['Hypertension', 'Asthma']);
  });
});

describe('stage 3: tables from geometry', () => {
  it('knows column headings from the data file, and splits headings that sit close together', () => {
    expect(columnRole('Reaction(s)')).toBe('reaction');
    expect(columnRole('Route / Site')).toBe('route');
    expect(columnRole('Hypertension')).toBeUndefined();
    const [header] = lines([
      layoutPage([
        [
          ['Medication', 100],
          ['Sig', 500],
          ['Dispense Refill Start Date', 900],
        ],
      ]),
    ]);
    expect(headerColumns(header!)?.map((c) => c.role)).toEqual(['name', 'sig', 'quantity', 'refills', 'date']);
  });
  it('keeps a cell that wraps to a second line in its row, and a continuation in another column', () => {
    const page = layoutPage([
      [
        ['Medication', 100],
        ['Sig', 600],
        ['Start Date', 1200],
      ],
      [
        ['Chlorpheniramine 2 mg/mL', 100],
        ['Take 5 mL by mouth as', 600],
        ['02/04/2019', 1200],
      ],
      [
        ['solution', 100],
        ['needed', 600],
      ],
      [
        ['Naproxen 220 mg tablet', 100],
        ['Take 1 tablet daily', 600],
        ['01/04/2021', 1200],
      ],
    ]);
    // Rows 40 px apart with 24 px text: tighten the wrapped line as a printed table has it.
    page.lines[2]!.bbox[1] -= 14;
    for (const w of page.lines[2]!.words) w.bbox[1] -= 14;
    const all = lines([page]).map((l, i) => (i === 2 ? { ...l, top: l.top - 14, gapBefore: false } : l));
    const t = readTable(all, 0)!;
    expect(t.table.rows.map((r) => r.cells.map((c) => c?.text))).toEqual([
      ['Chlorpheniramine 2 mg/mL solution', 'Take 5 mL by mouth as needed', '02/04/2019'],
      ['Naproxen 220 mg tablet', 'Take 1 tablet daily', '01/04/2021'],
    ]);
  });
  it('gives one item per row, its display the name cell, its date and sig from their columns', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['Vaccination Record', 100]],
          [
            ['Immunization', 100],
            ['Date', 900],
            ['Lot', 1300],
          ],
          [
            ['Td (adult), preservative free', 100],
            ['01/26/2018', 900],
            ['PMC C9483', 1300],
          ],
          [
            ['Hepatitis A, adult', 100],
            ['01/22/2016', 900],
            ['SKB A6678', 1300],
          ],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'immunization').map((i) => [i.display, i.date])).toEqual([
      ['Td (adult), preservative free', '2018-01-26'],
      ['Hepatitis A, adult', '2016-01-22'],
    ]);
  });
  it('reads a date column whose slashes OCR lost, and only a valid one', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [
            ['Vaccine', 100],
            ['Date Given', 900],
          ],
          [
            ['Hepatitis B, adult', 100],
            ['06132016', 900],
          ],
          [
            ['Td (adult), preservative free', 100],
            ['13062016', 900],
          ],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2016-06-13', undefined]);
  });
  it('reads no doses from a forecast table', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [
            ['Vaccine', 100],
            ['Earliest Date', 900],
            ['Status', 1300],
          ],
          [
            ['Zoster (recombinant)', 100],
            ['09/01/2020', 900],
            ['Recommended', 1300],
          ],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'immunization')).toEqual([]);
  });
});

describe('stage 3b: key–value fields', () => {
  it('pairs a row of labels with the values under it, and a label cell with the value beside it', () => {
    const all = lines([
      layoutPage([
        [
          ['PATIENT NAME', 100],
          ['DATE OF BIRTH', 700],
          ['MRN', 1300],
        ],
        [
          ['Maggio, Louis', 100],
          ['01/16/1976', 700],
          ['68722667', 1300],
        ],
        [
          ['DOB:', 100],
          ['01/21/1967', 400],
        ],
      ]),
    ]);
    const out = pairFields(
      all,
      () => false,
      () => false,
    );
    expect(out.map((l) => l.span.text)).toEqual([
      'PATIENT NAME: Maggio, Louis | DATE OF BIRTH: 01/16/1976 | MRN: 68722667',
      'DOB: 01/21/1967',
    ]);
    const r = extractFromPages(
      [
        layoutPage([
          [
            ['PATIENT NAME', 100],
            ['DATE OF BIRTH', 700],
            ['MRN', 1300],
          ],
          [
            ['Maggio, Louis', 100],
            ['01/16/1976', 700],
            ['68722667', 1300],
          ],
        ]),
      ],
      SOURCE,
    );
    expect(r.patient).toEqual({ name: 'Louis Maggio', birthDate: '1976-01-16', mrn: '68722667' });
  });
});

describe('stage 4: context', () => {
  it('reads triggers from the data file within their clause', () => {
    expect(contextOf('Patient denies ')).toBe('negated');
    expect(contextOf('Mother had ')).toBe('family');
    expect(contextOf('rule out ')).toBe('hypothetical');
    expect(contextOf('No fever. Has ')).toBe('affirmed');
  });
  it('knows statements that say a section is empty', () => {
    for (const t of [
      'None recorded.',
      'No past surgical history.',
      'No screenings documented.',
      'You have no health issues on file.',
    ])
      expect(isSectionNegative(t), t).toBe(true);
    expect(isSectionNegative('No known drug allergies')).toBe(false);
    expect(isSectionNegative('Hypertension')).toBe(false);
  });
  it('makes a denied habit a negated condition, an affirmed one nothing', () => {
    expect(socialNegative(spanFromText(1, 'Tobacco Use'), spanFromText(1, 'Never — patient denies tobacco use'))).toMatchObject({
      name: 'tobacco use',
      negated: true,
    });
    expect(socialNegative(spanFromText(1, 'Tobacco'), spanFromText(1, 'Current every day smoker'))).toBeUndefined();
    expect(socialNegative(spanFromText(1, 'Sexually active'), spanFromText(1, 'No'))).toBeUndefined();
  });
});

describe('structured dates', () => {
  it('keeps an HL7 timestamp with a negative UTC offset at its precision', async () => {
    const { isoDate } = await import('./structured/common.ts');
    expect(isoDate('20190314120000-0500')).toBe('2019-03-14');
    expect(isoDate('201903141200-0800')).toBe('2019-03-14');
    expect(isoDate('201903')).toBe('2019-03');
    expect(isoDate('2019-03-14T10:00:00-05:00')).toBe('2019-03-14');
    expect(isoDate('20190314+0100')).toBe('2019-03-14');
  });
});

describe('structured documents as members send them', () => {
  const doc = (encodingDecl: string) =>
    `<?xml version="1.0" encoding="${encodingDecl}"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Caf\u00e9</title></ClinicalDocument>`;
  it('decodes UTF-16 with and without a byte-order mark, a declared windows-1252, and blank lines before the prolog', async () => {
    const { decodeText } = await import('./structured/index.ts');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc('UTF-16'), 'utf16le')]);
    expect(decodeText(utf16)).toContain('Café');
    expect(decodeText(Buffer.from(doc('UTF-16'), 'utf16le'))).toContain('Café');
    expect(decodeText(Buffer.from(doc('windows-1252'), 'latin1'))).toContain('Café');
    expect(decodeText(Buffer.from(`\n\n  ${doc('UTF-8')}`, 'utf8')).startsWith('<?xml')).toBe(true);
  });
  it('drops placeholder entries and identifiers, and keeps "no known allergies" as the negated item', async () => {
    const { uniqueItems } = await import('./structured/common.ts');
    const base = { codes: [], negated: false, confidence: 0.9 };
    const out = uniqueItems([
      { ...base, kind: 'condition', name: 'Unknown', display: 'Unknown' },
      { ...base, kind: 'medication', name: '????', display: '????' },
      { ...base, kind: 'allergy', substance: 'No known allergies', display: 'No known allergies' },
      {
        ...base,
        kind: 'provider',
        name: 'Dr. Roe',
        display: 'Dr. Roe',
        codes: [{ system: 'http://hl7.org/fhir/sid/us-npi', code: 'UNK' }],
      },
    ] as Item[]);
    expect(out.map((i) => [i.kind, i.negated, i.codes.length])).toEqual([
      ['allergy', true, 0],
      ['provider', false, 0],
    ]);
  });
});

describe('codes that agree with the page', () => {
  it('codes a clinical drug only in the form, route and release the page names', async () => {
    const { medicationsIn } = await import('./medications.ts');
    const { lexicons } = await import('./lexicons.ts');
    const lex = lexicons();
    const code = (t: string) =>
      medicationsIn(spanFromText(1, t), lex, { base: 0.9, fuzzy: true, list: true })[0]?.codes[0]?.display;
    expect(code('Nitroglycerin 0.4 mg sublingual spray')).toBe('nitroglycerin');
    expect(code('Metformin 500 mg tablet')).toBe('metformin hydrochloride 500 MG Oral Tablet');
    expect(code('Metformin ER 500 mg')).toMatch(/Extended Release/);
    expect(code('Vitamin B12 injection 5 mg/mL')).not.toMatch(/Oral/);
  });
  it('codes a vaccine no more precisely than the page names it', () => {
    const cvx = (line: string) =>
      extractFromPages([layoutPage([[['Immunizations', 100]], [[line, 100]]])], SOURCE).items.find((i) => i.kind === 'immunization')
        ?.codes[0]?.code;
    // The group's unspecified code where the page names only the vaccine…
    expect(cvx('Influenza vaccine 10/01/2020')).toBe('88');
    expect(cvx('Pneumococcal vaccine 05/01/2019')).toBe('109');
    // …the unspecified code of the narrower group where the page names the kind but not the product…
    expect(cvx('Pneumococcal conjugate 05/01/2019')).toBe('152');
    // …and the product where the page names it.
    expect(cvx('Pneumococcal conjugate PCV 13 05/01/2019')).toBe('133');
  });
});

describe('stage 5: a grid of doses', () => {
  it('gives one immunization per dose across a row, not the due column', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [
            ['Vaccine', 100],
            ['Dose 1', 700],
            ['Dose 2', 1000],
            ['Next Due', 1300],
          ],
          [
            ['Hepatitis B, adult', 100],
            ['01/05/2015', 700],
            ['02/09/2015', 1000],
            ['07/2025', 1300],
          ],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2015-01-05', '2015-02-09']);
  });
});

describe('OCR slips around structure', () => {
  it('reads a heading behind an icon that OCR turned into a short token', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['¥ Health Issues', 100]],
          [['Asthma (Active)', 100]],
          [['Fx Medications', 100]],
          [['Lisinopril 10 mg tablet once daily', 100]],
          [['A Allergies', 100]],
          [['Penicillin - hives', 100]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['asthma']);
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['lisinopril']);
    expect(of(r.items, 'allergy').map((a) => a.substance.toLowerCase())).toEqual(['penicillin']);
  });
  it('does not take a real first word for an icon ("No Allergies" is no heading)', () => {
    const r = extractFromPages([layoutPage([[['Allergies', 100]], [['No Allergies', 100]], [['Problems', 100]], [['Gout', 100]]])], SOURCE);
    expect(of(r.items, 'allergy').every((a) => a.negated)).toBe(true);
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['gout']);
  });
  it('reads boxes as OCR writes them on a faxed checklist: only the ticked option counts', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['MEDICAL CONDITIONS - check all that apply', 100]],
          [['{1 Hypertension', 100], ['[X| Asthma', 700], ['(1 Stroke', 1300]],
          [['[] Seizures', 100], ['[)Gout', 700], ['(J Anemia', 1300]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['asthma']);
  });
  it('leaves a lone parenthesis or bar in front of a word alone', () => {
    const page = readBoxes(layoutPage([[['| Hypertension', 100], ['(Active)', 600]], [['(1 Stroke', 100]]]));
    expect(page.lines.map((l) => l.text)).toEqual(['| Hypertension (Active)', '(1 Stroke']);
  });
  it('repairs a month that OCR misread by one letter, only where one month fits', () => {
    expect(findDates('Given Sop 9, 2019').map((d) => d.iso)).toEqual(['2019-09-09']);
    expect(findDates('Noy 1, 2018').map((d) => d.iso)).toEqual(['2018-11-01']);
    expect(findDates('not 2019', { yearOnly: true }).map((d) => d.iso)).toEqual(['2019']);
    // "Mav" is one letter from May and from Mar: left alone.
    expect(findDates('Mav 2019', { yearOnly: true }).map((d) => d.iso)).toEqual(['2019']);
  });
});

describe('kind from vocabulary under the wrong section', () => {
  it('reads a vaccine named in full, and its "Given" line, as a dose even under a problem heading', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['Problems', 100]],
          [['Gout (Active)', 100]],
          [['Hepatitis A, adult', 100]],
          [['Given Mar 3, 2021', 100]],
          [['Hepatitis B', 100]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'immunization').map((i) => [i.vaccine, i.date])).toEqual([['Hep A, adult', '2021-03-03']]);
    // A disease named alone stays a problem.
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['gout', 'hepatitis b']);
  });
  it('reads a drug with its strength under a problem heading as a medication', () => {
    const r = extractFromPages([layoutPage([[['Past Medical History', 100]], [['Asthma', 100]], [['Metoprolol tartrate 25 mg tablet', 100]]])], SOURCE);
    expect(of(r.items, 'medication').map((m) => [m.name, m.strength])).toEqual([['metoprolol', '25 mg']]);
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['asthma']);
  });
  it('keeps a problem list\'s "History of <operation>" a condition, and the surgical history\'s operation a surgery', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['Past Medical History', 100]],
          [['Asthma', 100]],
          [['History of appendectomy', 100]],
          [['Past Surgical History', 100]],
          [['Cholecystectomy 2015', 100]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'condition').map((c) => c.display)).toEqual(['Asthma', 'History of appendectomy']);
    expect(of(r.items, 'surgery').map((c) => [c.name, c.date])).toEqual([['cholecystectomy', '2015']]);
  });
  it('takes no column heading, section title or sentence piece for an unknown problem', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['Problem List', 100]],
          [['Plantar fasciitis of left foot', 100]],
          [['LAST FILL', 100]],
          [['CHRONIC DIAGNOSES', 100]],
          [['was admitted to the medical service', 100]],
          [['_ORUG / ST: - | ary | os', 100]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'condition').map((c) => c.display)).toEqual(['Plantar fasciitis of left foot']);
  });
});

describe('sections of an operative report', () => {
  const report = () =>
    extractFromPages(
      [
        layoutPage([
          [['Date of surgery', 100], ['14-Aug-2025', 400]],
          [['PROCEDURE PERFORMED', 100]],
          [['Laparoscopic appendectomy.', 100]],
          [['INDICATIONS', 100]],
          [['Ultrasound on 07/02/2025 showed an inflamed appendix and he wished to proceed.', 100]],
          [['DESCRIPTION OF PROCEDURE', 100]],
          [['The patient was placed supine. Ports were placed under direct vision and the', 100]],
          [['appendix was removed in a retrieval bag. Skin was closed with', 100]],
          [['4-0 Monocryl and local anesthetic infiltrated.', 100]],
          [['ESTIMATED BLOOD LOSS', 100], ['SPECIMENS', 500], ['COMPLICATIONS', 800]],
          [['15 mL', 100], ['Appendix to pathology', 500], ['None', 800]],
          [['PAST SURGICAL HISTORY', 100]],
          [['Tonsillectomy', 100]],
          [['DISPOSITION', 100]],
          [['Discharged home the same day.', 100]],
        ]),
      ],
      SOURCE,
    );
  it('ends a section at a caps heading the vocabulary does not know, one word or a row of labels', () => {
    expect(of(report().items, 'surgery').map((s) => s.name)).toEqual(['laparoscopic appendectomy', 'tonsillectomy']);
  });
  it("dates the report's own operation by its date of surgery, not the past ones", () => {
    expect(of(report().items, 'surgery').map((s) => s.date)).toEqual(['2025-08-14', undefined]);
  });
});

describe('list parts', () => {
  it('keeps a lower-case phrase after a comma that names no condition with the condition before it', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['Past medical history', 100]],
          [['Type 2 diabetes mellitus, non-insulin requiring', 100]],
          [['Obstructive sleep apnea, uses CPAP nightly', 100]],
          [['HTN, gout, h/o kidney stones', 100]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'condition').map((c) => c.display)).toEqual([
      'Type 2 diabetes mellitus, non-insulin requiring',
      'Obstructive sleep apnea, uses CPAP nightly',
      'HTN',
      'gout',
      'h/o kidney stones',
    ]);
  });
});

describe('copies', () => {
  it('takes the clinician on a cc: line as a provider, with the organisation after the name', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['DISPOSITION', 100]],
          [['Discharged home the same day after meeting criteria.', 100]],
          [['cc: Dr. Anselm Whitcroft, Birchline Family Practice; Records Department', 100]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'provider').map((p) => [p.name, p.organization])).toEqual([['Dr. Anselm Whitcroft', 'Birchline Family Practice']]);
  });
});
