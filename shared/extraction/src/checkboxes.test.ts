import { describe, expect, it } from 'vitest';
import { attachMarks, dropUnticked } from './checkboxes.ts';
import { extractFromPages } from './extract.ts';
import { layoutPage, of, SOURCE } from './test-helpers.ts';

const texts = (rows: [string, number][][]) => dropUnticked(layoutPage(rows)).lines.map((l) => l.text);

describe('stage 1d: unticked options', () => {
  it('takes an empty box and its option off the line, up to the next box or a cell gap', () => {
    expect(
      texts([
        [['☐ High blood pressure', 100], ['☒ Asthma', 500], ['☐ Stroke', 900]],
        [['☐ Diabetes', 100], ['☐ Cancer', 500]],
        [['Allergies to medicines, foods', 100], ['☐ None', 600]],
        [['☒ Heart disease', 100], ['☐ Gout', 500], ['Other: back pain', 900]],
      ]),
    ).toEqual(['☒ Asthma', 'Allergies to medicines, foods', '☒ Heart disease Other: back pain']);
  });
  it('takes one word for a yes/no answer before a new phrase, the whole option otherwise', () => {
    expect(
      texts([
        [['Do you drink alcohol? ☒ Yes ☐ No How much: 2-3 beers a week', 100]],
        [['☐ No allergies that I know of', 100], ['☒ Yes', 600]],
        [['Recreational drugs? ☐ Yes ☒ No', 100]],
      ]),
    ).toEqual(['Do you drink alcohol? ☒ Yes How much: 2-3 beers a week', 'Recreational drugs? ☒ No']);
  });
  it('drops a line left with a bare ticked "Yes" (the list under it is the answer), keeps a ticked "No"', () => {
    expect(
      texts([
        [['☐ No allergies that I know of', 100], ['☒ Yes, list below:', 600]],
        [['☒ No allergies that I know of', 100], ['☐ Yes, list below:', 600]],
      ]),
    ).toEqual(['☒ No allergies that I know of']);
  });
  it('leaves a page that is no form alone (fewer than two boxes before words)', () => {
    const page = layoutPage([[['☐ Hypertension', 100]], [['Asthma', 100]]]);
    expect(dropUnticked(page)).toBe(page);
  });
  it('runs after marks are attached: an X beside an option ticks it, the unticked ones go', () => {
    const form = layoutPage([
      [['☐ Asthma', 100], ['X', 476], ['Stroke', 500], ['☐ Gout', 900]],
      [['☐ Seizures', 100], ['☐ Anemia', 500]],
    ]);
    // A handwritten mark is taller than the printed words.
    for (const w of form.lines[0]!.words) if (w.text === 'X') w.bbox = [w.bbox[0], w.bbox[1] - 6, w.bbox[2], w.bbox[3] + 6];
    const page = attachMarks(form);
    expect(page.lines.map((l) => l.text)).toEqual(['☒ Stroke']);
  });
});

describe('a form read with its boxes', () => {
  it('gives the ticked conditions only, and the list under a ticked "Yes" as allergies', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['MEDICAL CONDITIONS — check all that apply', 100]],
          [['☒ Hypertension', 100], ['☐ Diabetes', 500], ['☐ High cholesterol', 900]],
          [['☐ Asthma', 100], ['☒ Stroke', 500], ['☐ Arthritis', 900]],
          [['ALLERGIES — medicines, foods (what happens?)', 100]],
          [['☐ No allergies that I know of', 100], ['☒ Yes, list below:', 600]],
          [['penicillin - hives', 100]],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['hypertension', 'stroke']);
    expect(of(r.items, 'allergy').map((a) => [a.negated, a.display])).toEqual([[false, 'penicillin - hives']]);
  });
});
