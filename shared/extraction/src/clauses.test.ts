/**
 * Labelled clauses inside prose, and the list readings they rely on. Hand-written wordings, not
 * taken from any scored corpus.
 */
import { describe, expect, it } from 'vitest';
import { labelledClauses } from './clauses.ts';
import { spanFromText } from './evidence.ts';
import type { LayoutLine } from './layout.ts';
import { of, run } from './test-helpers.ts';

describe('labelled clauses in a narrative paragraph', () => {
  const r = run(`Progress Note

Ms. Quimby is a 61-year-old woman here to establish care. PMH: gout, osteopenia, glaucoma,
benign essential tremor. PSH: trigger finger release, left hand (2012, Dr. Halvorsen, Lakeside
Surgical). Current meds: allopurinol 100 mg daily; timolol 0.5% one drop both eyes twice daily.
Allergies: latex (itching), ciprofloxacin (hives). Social: denies tobacco use. FH: sister
with lupus. Received her pneumococcal vaccine 03/04/2022.

Plan: return in 6 months.`);

  it('reads each labelled clause as its own section', () => {
    expect(
      of(r.items, 'condition')
        .filter((c) => !c.negated)
        .map((c) => c.display),
    ).toEqual(['gout', 'osteopenia', 'glaucoma', 'benign essential tremor']);
    const s = of(r.items, 'surgery');
    expect(s.map((x) => [x.display, x.date])).toEqual([['trigger finger release, left hand', '2012']]);
    expect(of(r.items, 'medication').map((m) => [m.name, m.strength])).toEqual([
      ['allopurinol', '100 mg'],
      ['timolol', '0.5 %'],
    ]);
    expect(of(r.items, 'allergy').map((a) => [a.display, a.reaction])).toEqual([
      ['latex (itching)', 'itching'],
      ['ciprofloxacin (hives)', 'hives'],
    ]);
  });

  it('ends a statement clause with its sentence: the family history is not an item, the vaccine after it is', () => {
    expect(r.items.some((i) => /lupus/i.test(i.display))).toBe(false);
    const imm = of(r.items, 'immunization');
    expect(imm).toHaveLength(1);
    expect(imm[0]!.date).toBe('2022-03-04');
    expect(of(r.items, 'condition').find((c) => c.negated)?.name).toBe('tobacco use');
  });
});

describe('labelledClauses', () => {
  const line = (text: string, gapBefore = false): { line: LayoutLine; span: ReturnType<typeof spanFromText> } => {
    const span = spanFromText(1, text);
    return { line: { page: 1, span, cells: [span], column: 0, gapBefore } as unknown as LayoutLine, span };
  };

  it('leaves a run without labels alone, and table runs alone', () => {
    const plain = { kind: 'narrative' as const, lines: [line('Seen today. Feels well.')] };
    expect(labelledClauses(plain)).toEqual([plain]);
    const table = { kind: 'other' as const, table: true, lines: [line('Note. Allergies: none')] };
    expect(labelledClauses(table)).toEqual([table]);
  });

  it('does not cut at a colon inside parentheses or at a label the vocabulary does not know', () => {
    const r = labelledClauses({ kind: 'narrative', lines: [line('Seen (ref: Dr. Ames). Prior testing: normal.')] });
    expect(r.map((x) => x.kind)).toEqual(['narrative']);
  });

  it('keeps a social topic label with its clause and ends the clause at its sentence', () => {
    const r = labelledClauses({ kind: 'narrative', lines: [line('Lives alone. Alcohol: none. Walks daily.')] });
    expect(r.map((x) => [x.kind, x.lines.map((l) => l.span.text).join(' / ')])).toEqual([
      ['narrative', 'Lives alone'],
      ['social', 'Alcohol: none'],
      ['narrative', 'Walks daily'],
    ]);
  });

  it('runs a list clause opened at the start of a line on to the next label, across lines', () => {
    const r = labelledClauses({
      kind: 'medications',
      inline: true,
      lines: [line('lisinopril 10 mg daily. metformin 500 mg bid'), line('aspirin 81 mg. Allergies: none')],
    });
    expect(r.map((x) => [x.kind, x.lines.length])).toEqual([
      ['medications', 2],
      ['allergies', 1],
    ]);
  });
});

describe('lists the clauses rely on', () => {
  it('reads a series of three or more lower-case names as separate conditions', () => {
    const r = run('Problem List:\nchronic rhinitis, rupture of spleen, diverticulosis');
    expect(of(r.items, 'condition').map((c) => c.display)).toEqual(['chronic rhinitis', 'rupture of spleen', 'diverticulosis']);
  });

  it('keeps a condition abbreviation with a parenthesised comment', () => {
    const r = run('Problem List:\nHTN, DM2 (A1c 7.1), CKD');
    expect(of(r.items, 'condition').map((c) => c.display)).toEqual(['HTN', 'DM2 (A1c 7.1)', 'CKD']);
  });

  it("reads each ';'-part of a health-maintenance line, and a formula's season is not a dose date", () => {
    const r = run('Health Maintenance:\nMammogram 2023 normal; Td 2018; influenza vaccine (2024–2025 formula) given 09/30/2024');
    expect(of(r.items, 'screening').map((s) => [s.display, s.date])).toEqual([['Mammogram 2023 normal', '2023']]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2018', '2024-09-30']);
  });
});

describe('headings written as alternatives', () => {
  it('reads "Drug Allergies / Intolerances" as the allergy section when each part names it', () => {
    const r = run('Medications\nlisinopril 10 mg daily\nDrug Allergies / Intolerances\nAnimal dander (hives)');
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['lisinopril']);
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction])).toEqual([['animal dander', 'hives']]);
  });
});

describe('headings that say where a list is kept', () => {
  it('reads "Allergies on file" as the allergy section and an imaging heading as no surgery list', () => {
    const r = run(
      'Medications\nmetformin 500 mg twice daily\nAllergies on file\nAspirin (hives); Adhesive tape (blisters)\nIMAGING AND PROCEDURES ON FILE (outside facilities)\nStudy | Date | Read by\nScreening mammogram, bilateral | 10/03/2025 | Dr. Lee',
    );
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['metformin']);
    expect(of(r.items, 'allergy').map((a) => a.display)).toEqual(['Aspirin (hives)', 'Adhesive tape (blisters)']);
    expect(of(r.items, 'surgery')).toEqual([]);
  });
});

describe('an inline label whose sentence wraps', () => {
  it('keeps the wrapped lines under the label, also after a line that stops on a preposition', () => {
    const r = run(
      'Dear Dr. Ames,\nImmunizations on file: Flu vaccine in February 2021, Influenza in August 2018, Influenza in\nJuly 2015 and Tetanus-diphtheria (Td) in July 2015, with no reactions reported at any visit.\nWith kind regards,',
    );
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2021-02', '2018-08', '2015-07', '2015-07']);
  });
});

describe('several clinicians on one line', () => {
  it('reads each entry between middle dots under a prescribers heading', () => {
    const r = run(
      'Prescribers\nDr. Ada Quint (cardiology) 555-201-0100 · Dr. Bo Ruiz (urology) 555-201-0101 · Dr. Cy Tam 555-201-0102',
    );
    expect(of(r.items, 'provider').map((p) => [p.name, p.phone])).toEqual([
      ['Dr. Ada Quint', '(555) 201-0100'],
      ['Dr. Bo Ruiz', '(555) 201-0101'],
      ['Dr. Cy Tam', '(555) 201-0102'],
    ]);
  });
});
