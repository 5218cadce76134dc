import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_THRESHOLD } from './checks.ts';
import { bandKeys, compare, fingerprint, normaliseText, similarity, type Fingerprint } from './fingerprint.ts';

interface CorpusDoc {
  id: string;
  record: string;
  patient: string;
  route: string;
  pages: string[];
}
// Page texts as the reader read them (bench/duplicate-corpus.ts): records-v2 PDFs and their fax TIFF, scan or photo; samples/ records.
const corpus = JSON.parse(readFileSync(new URL('../fixtures/duplicate-corpus.json', import.meta.url), 'utf8')) as { docs: CorpusDoc[] };

const record = [
  'Riverside Family Practice   Clinical Summary   printed 01/15/2024',
  'Patient: Quinn Example   DOB: 04/12/1961   MRN: 77310458   Phone: (617) 555-0199',
  'Medications: Lisinopril 10 mg daily started 03/14/2019; Metformin 500 mg BID since 2017-06-01',
  'Allergies: penicillin (hives)   Immunizations: influenza 10/02/2023, Tdap 07/19/2018',
].join('\n');

describe('page-text fingerprint', () => {
  it('is the same for the same text, whatever its spacing, case and OCR look-alikes', () => {
    const a = fingerprint([record])!;
    expect(a).toBeDefined();
    const b = fingerprint([record.toUpperCase().replace(/ /g, '  ').replace(/0/g, 'O').replace(/1/g, 'l')])!;
    expect(b).toEqual(a);
    expect(similarity(a, b)).toBe(similarity(a, a));
    expect(normaliseText('Lisinopril 10 mg | O1/2')).toBe('11s1n0pr1110mg1012');
    expect(fingerprint(['too short 2019'])).toBeUndefined();
  });

  it('survives OCR noise and a missing page, but not another member on the same form', () => {
    const a = fingerprint([record])!;
    // Every 12th character misread, a fax header line added.
    const noisy = record.replace(/[a-z0-9]/gi, (c, i: number) => (i % 12 === 0 ? (c === 'e' ? 'c' : c === '1' ? '7' : '_') : c));
    expect(compare(a, fingerprint([`2024/01/16 09:12 (617) 555-0100 RIVERSIDE FP PAGE 1/2\n${noisy}`])!).score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    // Half the record (a short fax): contained in the whole.
    const half = record.split('\n').slice(0, 3).join('\n');
    expect(compare(fingerprint([half])!, a).score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    // The same form filled in for another member: the text agrees, the numbers do not.
    const other = record
      .replace('Quinn Example', 'Robin Sample')
      .replace('04/12/1961', '11/30/1975')
      .replace('77310458', '60218834')
      .replace('555-0199', '555-0142')
      .replace('03/14/2019', '08/22/2021')
      .replace('2017-06-01', '2020-02-11')
      .replace('10/02/2023', '09/28/2023')
      .replace('07/19/2018', '05/03/2016');
    const c = compare(a, fingerprint([other])!);
    expect(c.text).toBeGreaterThan(0.6);
    expect(c.score).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  it('on the corpus: re-sent records (fax TIFF, scan, photo vs their PDF) are linked, different records are not (the figures in README.md)', () => {
    const fps = corpus.docs.map((d) => ({ d, fp: fingerprint(d.pages) }));
    let positives = 0;
    let tp = 0;
    let fp = 0;
    let samePatientLinked = 0;
    for (let i = 0; i < fps.length; i++)
      for (let j = i + 1; j < fps.length; j++) {
        const { d: a, fp: fa } = fps[i]!;
        const { d: b, fp: fb } = fps[j]!;
        const candidate = fa && fb ? bandKeys(fa).some((k) => bandKeys(fb).includes(k)) : false;
        const linked = candidate && compare(fa!, fb!).score >= DUPLICATE_THRESHOLD;
        if (a.record === b.record) {
          positives++;
          if (linked) tp++;
        } else if (linked) {
          fp++;
          if (a.patient === b.patient) samePatientLinked++;
        }
      }
    expect(positives).toBe(30);
    expect(fp).toBe(0);
    expect(samePatientLinked).toBe(0);
    expect(tp).toBeGreaterThanOrEqual(24); // recall 0.80 (npm run bench:duplicates -w @intake/arrivals)
    // The pair the read step's integration test sends through OCR.
    const fax = fingerprint(corpus.docs.find((d) => d.id === 'r2-01-Israel_Sanford-ehr-summary-fax.tiff')!.pages)!;
    const pdf = fingerprint(corpus.docs.find((d) => d.id === 'r2-01-Israel_Sanford-ehr-summary.pdf')!.pages)!;
    expect(compare(fax, pdf).score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    // CPU only (the corpus's pages are stored), but ~100 s on two cores under a load of 20.
  }, 300_000);

  it('bands: documents over the threshold share a band', () => {
    const fps = corpus.docs.map((d) => fingerprint(d.pages)).filter((f): f is Fingerprint => f !== undefined);
    let over = 0;
    let missed = 0;
    for (let i = 0; i < fps.length; i++)
      for (let j = i + 1; j < fps.length; j++) {
        if (compare(fps[i]!, fps[j]!).score < DUPLICATE_THRESHOLD) continue;
        over++;
        if (!bandKeys(fps[i]!).some((k) => bandKeys(fps[j]!).includes(k))) missed++;
      }
    expect(over).toBeGreaterThanOrEqual(24);
    expect(missed).toBe(0);
  });
});
