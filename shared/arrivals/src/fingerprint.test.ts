import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_THRESHOLD } from './checks.ts';
import { bandKeys, fingerprint, similarity, type Fingerprint } from './fingerprint.ts';

interface CorpusDoc {
  id: string;
  record: string;
  patient: string;
  route: string;
  pages: string[];
}
// Page texts as the reader read them (bench/duplicate-corpus.ts): records-v2 PDFs and their fax TIFF / scan, samples/ records.
const corpus = JSON.parse(readFileSync(new URL('../fixtures/duplicate-corpus.json', import.meta.url), 'utf8')) as { docs: CorpusDoc[] };

function pairs() {
  const fps = corpus.docs.map((d) => ({ d, fp: fingerprint(d.pages) }));
  const out: { a: CorpusDoc; b: CorpusDoc; same: boolean; samePatient: boolean; s: number; candidate: boolean }[] = [];
  for (let i = 0; i < fps.length; i++)
    for (let j = i + 1; j < fps.length; j++) {
      const { d: a, fp: fa } = fps[i]!;
      const { d: b, fp: fb } = fps[j]!;
      const s = fa && fb ? similarity(fa, fb) : 0;
      const candidate = fa && fb ? bandKeys(fa).some((k) => bandKeys(fb).includes(k)) : false;
      out.push({ a, b, same: a.record === b.record, samePatient: a.patient === b.patient, s, candidate });
    }
  return out;
}

describe('page-text fingerprint', () => {
  it('is the same for the same text and insensitive to spacing, case and OCR look-alikes', () => {
    const text = 'Lisinopril 10 mg daily started 03/14/2019. Metformin 500 mg BID since 2017-06-01. Phone 781-555-0142. MRN 90024815. Flu shot 10/02/2023.';
    const a = fingerprint([text])!;
    expect(a).toBeDefined();
    expect(similarity(a, fingerprint([text.toUpperCase().replace(/ /g, '  ').replace(/0/g, 'O')])!)).toBe(1);
    expect(fingerprint(['too short 2019'])).toBeUndefined();
  });

  it('on the corpus: a re-sent record (fax TIFF or scan vs its PDF) is linked, different records are not (precision and recall at the threshold)', () => {
    const all = pairs();
    const linked = (p: (typeof all)[number]) => p.candidate && p.s >= DUPLICATE_THRESHOLD;
    const positives = all.filter((p) => p.same);
    const tp = positives.filter(linked).length;
    const fp = all.filter((p) => !p.same && linked(p)).length;
    const samePatientLinked = all.filter((p) => !p.same && p.samePatient && linked(p)).length;
    const precision = tp / (tp + fp);
    const recall = tp / positives.length;
    process.stdout.write(
      `duplicates @${DUPLICATE_THRESHOLD}: ${positives.length} same-record pairs, ${all.length - positives.length} different-record pairs ` +
        `(${all.filter((p) => !p.same && p.samePatient).length} of one patient); precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}, ` +
        `different records of one patient linked: ${samePatientLinked}\n`,
    );
    // The numbers in README.md.
    expect(positives.length).toBe(22);
    expect(fp).toBe(0);
    expect(samePatientLinked).toBe(0);
    expect(tp).toBeGreaterThanOrEqual(8);
    // The pair the integration test sends through the pipeline.
    const ehr = all.find((p) => p.a.id === 'r2-01-Israel_Sanford-ehr-summary-fax.tiff' && p.b.id === 'r2-01-Israel_Sanford-ehr-summary.pdf')!;
    expect(linked(ehr)).toBe(true);
  });

  it('bands: documents over the threshold are almost always candidates', () => {
    // With 64 bands of 2 rows, similarity 0.45 shares a band with probability 1 - (1 - 0.45²)^64 > 0.9999.
    const fps = corpus.docs.map((d) => fingerprint(d.pages)).filter((f): f is Fingerprint => f !== undefined);
    let over = 0;
    let missed = 0;
    for (let i = 0; i < fps.length; i++)
      for (let j = i + 1; j < fps.length; j++) {
        if (similarity(fps[i]!, fps[j]!) < DUPLICATE_THRESHOLD) continue;
        over++;
        if (!bandKeys(fps[i]!).some((k) => bandKeys(fps[j]!).includes(k))) missed++;
      }
    expect(over).toBeGreaterThan(0);
    expect(missed).toBe(0);
  });
});
