import { ExtractionResult } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { extractFromPages } from './index.ts';
import { layoutPage, of, run, SOURCE, textPage } from './test-helpers.ts';

describe('headed sections', () => {
  const doc = `Lakeview Internal Medicine
PATIENT: DOE, JOHN Q          D.O.B. 7/4/1958          Acct #: A-448812
Home Meds:
  * Toprol XL 50mg one tab po qAM
  * glipizide 5 mg - take 1/2 tablet by mouth twice a day before meals
  * Fluticasone nasal spray 2 sprays each nostril daily
  * Ventolin HFA 90 mcg/act 2 puffs q4h PRN SOB
  * Warfarin 5 mg (on hold)
ALLERGIES & INTOLERANCES:
  Sulfa antibiotics -- hives, severe
  Latex: contact dermatitis
Vaccination Record
  Prevnar 20 ........ 11/02/2022
  Shingrix dose 1 (lot 7K3M2) 2021-05-10
  Tetanus booster (Td) 2015
Problem List:
  1. Essential hypertension (I10) - since 2009
  2. Type 2 diabetes, uncontrolled
  3. r/o sleep apnea
Past Surgical Hx: lap chole 2012; R TKA (03/2019)
`;
  const r = run(doc);
  it('reads the patient identity', () => {
    expect(r.patient).toEqual({ name: 'John Q Doe', birthDate: '1958-07-04', mrn: 'A-448812' });
  });
  it('reads medications with sig details and maps brands to ingredients', () => {
    const meds = of(r.items, 'medication');
    const byName = Object.fromEntries(meds.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['albuterol', 'fluticasone', 'glipizide', 'metoprolol', 'warfarin']);
    expect(byName.metoprolol).toMatchObject({ strength: '50 mg', dose: '1 tablet', route: 'oral', frequency: 'every morning' });
    expect(byName.glipizide).toMatchObject({ strength: '5 mg', dose: '0.5 tablet', route: 'oral', frequency: 'twice daily' });
    expect(byName.fluticasone).toMatchObject({ route: 'nasal', frequency: 'daily' });
    expect(byName.albuterol).toMatchObject({ dose: '2 puffs', frequency: 'every 4 hours as needed' });
    expect(byName.warfarin?.status).toBe('on-hold');
    expect(byName.albuterol?.codes[0]?.code).toBe('435');
  });
  it('reads allergies with reaction and severity', () => {
    const al = of(r.items, 'allergy');
    expect(al.map((a) => a.substance).sort()).toEqual(['latex', 'sulfamethoxazole']);
    expect(al.find((a) => a.substance === 'sulfamethoxazole')).toMatchObject({
      reaction: 'hives',
      severity: 'severe',
      negated: false,
    });
    expect(al.find((a) => a.substance === 'latex')?.reaction).toBe('contact dermatitis');
  });
  it('reads immunizations with CVX codes, dates and lot', () => {
    const im = of(r.items, 'immunization');
    expect(im.map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['216', '2022-11-02'],
      ['187', '2021-05-10'],
      ['113', '2015'],
    ]);
    expect(im[1]?.lot).toBe('7K3M2');
  });
  it('reads problems, skipping rule-outs, and inline surgical history', () => {
    const c = of(r.items, 'condition');
    expect(c.map((x) => x.name)).toEqual(['hypertension', 'type 2 diabetes mellitus']);
    expect(c[0]).toMatchObject({ onset: '2009', codes: [{ code: 'I10' }] });
    const s = of(r.items, 'surgery');
    expect(s.map((x) => [x.name, x.date])).toEqual([
      ['lap chole', '2012'],
      ['r tka', '2019-03'],
    ]);
  });
});

describe('pertinent negatives and context', () => {
  it('NKDA is one negated allergy item', () => {
    for (const text of [
      'Allergies: NKDA',
      'ALLERGIES\nNo known drug allergies',
      'Pt denies any drug allergies.',
      'Allergies: none known',
    ]) {
      const al = of(run(text).items, 'allergy');
      expect(al, text).toHaveLength(1);
      expect(al[0]).toMatchObject({ substance: 'none known', negated: true });
    }
  });
  it('denials are negated, family history and hypotheticals are not the patient’s', () => {
    const r = run(`History of Present Illness
Mr. Lee denies chest pain. No history of stroke. His mother had breast cancer and his father had a heart attack.
We will rule out pulmonary embolism. He has asthma since childhood.
Family History:
Diabetes - mother
Coronary artery disease - father`);
    const c = of(r.items, 'condition');
    expect(c.find((x) => x.name === 'stroke')?.negated).toBe(true);
    expect(c.find((x) => x.name === 'asthma')?.negated).toBe(false);
    expect(c.some((x) => /breast|myocardial|diabetes|coronary|embolism/.test(x.name))).toBe(false);
  });
});

describe('prose letters', () => {
  const r = run(`Dear Dr. Alvarez,
Thank you for seeing Ms. Priya Raman (DOB 02/11/1971). She takes metformin 500 mg twice daily and
atorvastatin 40 mg at bedtime; she stopped lisinopril last year because of a cough. She is allergic to
penicillin (hives) and to shellfish. Her last colonoscopy in March 2019 was normal and a mammogram on
4/2/2023 showed BI-RADS 2, benign. She had her flu shot in October 2023 and the Tdap in 2018.
Sincerely,
Karen O'Neil, MD
Riverside Family Practice
Tel: 555-867-5309 | Fax: 555-867-5310`);
  it('finds medications, status from context', () => {
    const meds = of(r.items, 'medication');
    expect(meds.map((m) => m.name).sort()).toEqual(['atorvastatin', 'lisinopril', 'metformin']);
    expect(meds.find((m) => m.name === 'lisinopril')?.status).toBe('discontinued');
    expect(meds.find((m) => m.name === 'metformin')).toMatchObject({ strength: '500 mg', frequency: 'twice daily' });
  });
  it('finds allergies, screenings, immunizations and the writer', () => {
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction])).toEqual([
      ['penicillin', 'hives'],
      ['shellfish', undefined],
    ]);
    const sc = of(r.items, 'screening');
    expect(sc.map((s) => [s.type, s.date, s.result])).toEqual([
      ['colonoscopy', '2019-03', 'normal'],
      ['mammogram', '2023-04-02', 'BI-RADS 2, benign'],
    ]);
    expect(of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['88', '2023-10'],
      ['115', '2018'],
    ]);
    const p = of(r.items, 'provider');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ organization: 'Riverside Family Practice', phone: '(555) 867-5309', fax: '(555) 867-5310' });
    expect(r.patient).toMatchObject({ name: 'Priya Raman', birthDate: '1971-02-11' });
  });
});

describe('list details', () => {
  it('takes the condition before a comment, and past-medication headings as not current', () => {
    const r = run('PMH:\nHTN - on lisinopril\nGERD, well controlled\nDiscontinued Medications\nSimvastatin 20 mg qhs');
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['hypertension', 'gastroesophageal reflux disease']);
    expect(of(r.items, 'medication')).toMatchObject([{ name: 'simvastatin', status: 'discontinued' }]);
  });
  it('joins a wrapped list line and reads a sig on its own line', () => {
    const r = run(
      'Medications\nLevothyroxine 88 mcg\n  Sig: 1 tab PO every morning\nSurgical History\nInsertion of cardiac\npacemaker 2016',
    );
    expect(of(r.items, 'medication')).toMatchObject([
      { name: 'levothyroxine', strength: '88 mcg', dose: '1 tablet', route: 'oral', frequency: 'every morning' },
    ]);
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date])).toEqual([['insertion of cardiac pacemaker', '2016']]);
  });
});

describe('OCR text', () => {
  it('matches garbled drug names but invents nothing', () => {
    const r = run(`MEDICATIONS
Lisinoprll 20 rng PO daily
rnetoprolol tartrate 25 mg BID
Atorvastatln 10 mg qhs
Qwertyzine tablets as directed`);
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['lisinopril', 'metoprolol', 'atorvastatin']);
    expect(of(r.items, 'medication')[0]!.confidence).toBeLessThan(0.95);
  });
  it('takes the date given, not the lot, expiry or VIS date', () => {
    const r = run(
      'Immunizations\nVaccine | Date | Lot | Exp | VIS\nInfluenza | 10/12/2023 | Lot: 2023-11A | exp 06/30/2024 | VIS 08/06/2021',
    );
    expect(of(r.items, 'immunization')).toMatchObject([{ date: '2023-10-12', lot: '2023-11A' }]);
  });
  it('keeps partial dates partial', () => {
    const r = run('Immunizations\nInfluenza 10/2019\nPneumovax 2015\nHep A 3/14/2005');
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2019-10', '2015', '2005-03-14']);
  });
});

describe('layout', () => {
  it('reads a two-column fax form column by column, with evidence boxes', () => {
    const page = layoutPage([
      [['NEW PATIENT FORM', 100]],
      [
        ['Patient Name: Ana Lima', 100],
        ['DOB: 1980-01-02', 1100],
      ],
      [
        ['CURRENT MEDICATIONS', 100],
        ['ALLERGIES', 1100],
      ],
      [
        ['Amlodipine 5 mg daily', 100],
        ['Codeine - vomiting', 1100],
      ],
      [
        ['Omeprazole 20 mg qam', 100],
        ['IMMUNIZATIONS', 1100],
      ],
      [
        ['Sertraline 50 mg daily', 100],
        ['Tdap 06/2017', 1100],
      ],
      [['PAST MEDICAL HISTORY', 100]],
      [['Hypothyroidism', 100]],
    ]);
    const r = extractFromPages([page], SOURCE);
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['amlodipine', 'omeprazole', 'sertraline']);
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction])).toEqual([['codeine', 'vomiting']]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2017-06']);
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['hypothyroidism']);
    const aml = of(r.items, 'medication')[0]!;
    expect(aml.evidence).toEqual({ page: 1, text: 'Amlodipine 5 mg daily', bbox: [100, 220, 100 + 21 * 12, 244] });
    expect(aml.codes[0]?.code).toBeDefined();
    expect(r.patient).toMatchObject({ name: 'Ana Lima', birthDate: '1980-01-02' });
  });
  it('keeps two-column reading when fax specks sit between the columns', () => {
    const page = layoutPage([
      [
        ['Med List', 100],
        [':', 700],
        ['Drug Allergies', 1100],
      ],
      [
        ['Naproxen 220 mg Oral Tablet 2', 100],
        ['Shellfish - hives', 1100],
      ],
      [
        ['tabs PO q6h prn', 100],
        ['IMMUNIZATIONS', 1100],
      ],
      [
        ['Warfarin 5 mg daily', 100],
        ['Flu shot Oct 9, 2020', 1100],
      ],
    ]);
    const r = extractFromPages([page], SOURCE);
    expect(of(r.items, 'medication').map((m) => [m.name, m.frequency])).toEqual([
      ['naproxen', 'every 6 hours as needed'],
      ['warfarin', 'daily'],
    ]);
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction])).toEqual([['shellfish', 'hives']]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2020-10-09']);
  });
  it('reads table rows and skips header rows', () => {
    const page = layoutPage([
      [['Medication List', 100]],
      [
        ['Drug', 100],
        ['Dose', 600],
        ['Frequency', 900],
        ['Status', 1300],
      ],
      [
        ['Losartan', 100],
        ['50 mg', 600],
        ['once daily', 900],
        ['Active', 1300],
      ],
      [
        ['Prednisone', 100],
        ['10 mg', 600],
        ['daily x5 days', 900],
        ['Completed', 1300],
      ],
    ]);
    const meds = of(extractFromPages([page], SOURCE).items, 'medication');
    expect(meds.map((m) => [m.name, m.strength, m.frequency, m.status])).toEqual([
      ['losartan', '50 mg', 'daily', 'active'],
      ['prednisone', '10 mg', 'daily', 'completed'],
    ]);
  });
  it('ignores skipped pages and omits boxes for text without layout', () => {
    const r = extractFromPages(
      [{ ...textPage(''), method: 'skipped-blank' }, textPage('Allergies: peanuts (anaphylaxis)', 2)],
      SOURCE,
    );
    const a = of(r.items, 'allergy')[0]!;
    expect(a).toMatchObject({ substance: 'peanut', reaction: 'anaphylaxis' });
    expect(a.evidence).toEqual({ page: 2, text: 'peanuts (anaphylaxis)' });
  });
});

describe('records in other shapes', () => {
  it('a faxed progress note: cover sheet, EHR medication table, dose history, A/P, e-signature', () => {
    const r = run(`FAX COVER SHEET
To: Member Services     From: Bayside Pediatrics     Date: 11/02/2026
Re: records request for GARCIA, MATEO   DOB 2015-06-14
PROGRESS NOTE  Visit date: 10/28/2026
HPI: 11 yo male with mild persistent asthma. Uses albuterol inhaler 2-3x/week.
No known allergies.
Current Outpatient Medications on File Prior to Visit
Medication  Sig  Dispense  Refill
albuterol (PROVENTIL HFA;VENTOLIN HFA) 90 mcg/actuation inhaler  Inhale 2 puffs every 4 hours as needed for wheezing.  1 Inhaler  2
fluticasone (FLOVENT HFA) 44 mcg/actuation inhaler  Inhale 2 puffs 2 (two) times a day.  1 Inhaler  5
Immunizations
DTaP   08/14/2015, 10/16/2015, 12/18/2015
Assessment/Plan
1. Mild persistent asthma - continue Flovent. Consider montelukast if not improved.
2. Allergic rhinitis - saline rinses
Electronically signed by: Lauren Kim, MD 10/28/2026 4:12 PM
Bayside Pediatrics | 22 Harbor Rd, Quincy, MA 02169 | P 617-555-0142 | F 617-555-0143`);
    expect(r.patient).toMatchObject({ name: 'Mateo Garcia', birthDate: '2015-06-14' });
    expect(of(r.items, 'allergy')).toMatchObject([{ substance: 'none known', negated: true }]);
    expect(of(r.items, 'medication').map((m) => [m.name, m.frequency])).toEqual([
      ['albuterol', 'every 4 hours as needed'],
      ['fluticasone', 'twice daily'],
    ]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2015-08-14', '2015-10-16', '2015-12-18']);
    expect(
      of(r.items, 'condition')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['allergic rhinitis', 'asthma']);
    expect(of(r.items, 'provider')).toMatchObject([
      { name: 'Lauren Kim, MD', organization: 'Bayside Pediatrics', phone: '(617) 555-0142', fax: '(617) 555-0143' },
    ]);
  });
  it('a health summary with dotted leaders, grouped vaccines and a PCP line', () => {
    const r = run(`HEALTH SUMMARY
Name: Walter P. O'Brien    Sex: M    Date of Birth: Jan. 9, 1949    MR#: 0045-7781
ACTIVE PROBLEMS
- Atrial fibrillation, on anticoagulation (dx 2017)
- h/o prostate cancer s/p radical prostatectomy 2012
RESOLVED PROBLEMS
- Pneumonia (2020)
CURRENT MEDS
Eliquis 5 mg BID
Metoprolol succ ER 25 mg daily
PREVENTIVE CARE
Colonoscopy ............ 04/2016 (tubular adenoma x1) - repeat 2021: overdue
Pneumococcal: PCV13 2014, PPSV23 2015
PRIMARY CARE: Susan Reyes, NP  Harbor Health Partners  tel (508) 555-2231  fax (508) 555-2232`);
    expect(r.patient).toEqual({ name: "Walter P O'Brien", birthDate: '1949-01-09', mrn: '0045-7781' });
    expect(of(r.items, 'condition').map((c) => [c.name, c.onset, c.status])).toEqual([
      ['atrial fibrillation', '2017', undefined],
      ['malignant neoplasm of prostate', undefined, 'resolved'],
      ['pneumonia', '2020', 'resolved'],
    ]);
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date])).toEqual([['radical prostatectomy', '2012']]);
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['apixaban', 'metoprolol']);
    expect(of(r.items, 'screening')).toMatchObject([{ type: 'colonoscopy', date: '2016-04', result: 'tubular adenoma x1' }]);
    expect(of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['133', '2014'],
      ['33', '2015'],
    ]);
    expect(of(r.items, 'provider')).toMatchObject([
      { name: 'Susan Reyes, NP', organization: 'Harbor Health Partners', fax: '(508) 555-2232' },
    ]);
  });
});

describe('a visit summary with inline lists and a letterhead', () => {
  const r = run(`Riverbend Family Medicine            Tel 413-555-0190  Fax 413-555-0191
PATIENT: NGUYEN, LINDA        DOB: 02/17/1961        Chart #: 55821
Chief complaint: follow-up diabetes and blood pressure.
Active Medication List:
  Metformin ER 750mg - 2 tabs PO with supper
  Omeprazole 20 mg cap before breakfast
ALLERGIES
TYLENOL WITH CODEINE - VOMITING
Allergies/Reactions: Sulfa (rash)
Immunizations: Flu vaccine 10/03/2024; Shingrix #2 05/2023; Tdap 2019
Health Maintenance: Mammogram 03/2024 BI-RADS 1. Colonoscopy 2018 - normal, repeat 2028.
Problem list: Type 2 diabetes mellitus; Hypertension; GERD
Surgical history: Hysterectomy 2005; Cholecystectomy 2011
Signed: Mark Feld, MD`);
  it('reads every kind', () => {
    expect(r.patient).toEqual({ name: 'Linda Nguyen', birthDate: '1961-02-17', mrn: '55821' });
    expect(of(r.items, 'medication').map((m) => [m.name, m.dose, m.frequency])).toEqual([
      ['metformin', '2 tablets', 'daily'],
      ['omeprazole', undefined, 'daily'],
    ]);
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction])).toEqual([
      ['acetaminophen / codeine', 'vomiting'],
      ['sulfamethoxazole', 'rash'],
    ]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2024-10-03', '2023-05', '2019']);
    expect(of(r.items, 'screening').map((s) => [s.type, s.date, s.result])).toEqual([
      ['mammogram', '2024-03', 'BI-RADS 1'],
      ['colonoscopy', '2018', 'normal'],
    ]);
    // "diabetes" in the complaint is the problem-list entry, not a second condition
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual([
      'type 2 diabetes mellitus',
      'hypertension',
      'gastroesophageal reflux disease',
    ]);
    expect(of(r.items, 'surgery').map((s) => s.name)).toEqual(['hysterectomy', 'cholecystectomy']);
  });
  it('fills the signer’s practice from the letterhead', () => {
    expect(of(r.items, 'provider')).toMatchObject([
      { name: 'Mark Feld, MD', organization: 'Riverbend Family Medicine', phone: '(413) 555-0190', fax: '(413) 555-0191' },
    ]);
  });
});

describe('more wordings', () => {
  it('numbered headings, a vaccine table header, clinicians named in prose', () => {
    const r = run(`3. Medications
Losartan 25 mg daily
IV) Immunizations
Vaccine   Date Given   Lot#   Site
Tdap   04/02/2020   AC52B019AA   L deltoid
5. History of Present Illness
She is followed by Dr. Jane Roe at Mercy Heart Clinic (phone 413-555-2000) for atrial fibrillation. Her cardiologist, Dr. Tom Lee, sees her yearly.`);
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['losartan']);
    expect(of(r.items, 'immunization')).toMatchObject([{ date: '2020-04-02', codes: [{ code: '115' }] }]);
    expect(of(r.items, 'provider').map((p) => [p.name, p.organization, p.phone, p.role])).toEqual([
      ['Dr. Jane Roe', 'Mercy Heart Clinic', '(413) 555-2000', undefined],
      ['Dr. Tom Lee', undefined, undefined, 'cardiologist'],
    ]);
  });
});

describe('short forms', () => {
  it('one-line lists, modifiers after commas, screenings under another heading', () => {
    const r = run(`PMH: Hyperlipidemia, mixed; Diabetes mellitus type II, HTN
Allergic: PCN
Supplements:
Fish oil 1000 mg daily
Last mammo 6/2022 normal. DEXA 2021 T -2.1.`);
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['hyperlipidemia', 'type 2 diabetes mellitus', 'hypertension']);
    expect(of(r.items, 'allergy').map((a) => a.substance)).toEqual(['penicillin']);
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['fish oil']);
    expect(of(r.items, 'screening').map((s) => [s.type, s.date, s.result])).toEqual([
      ['mammogram', '2022-06', 'normal'],
      ['bone-density', '2021', 'T -2.1'],
    ]);
  });
});

describe('codes and identifiers in text', () => {
  it('reads an NPI without mistaking it for a phone; drops SNOMED ids from names; "Name (Last, First):"', () => {
    const r = run(`Name (Last, First): DOE, JANE   DOB 1/2/1970
Problem List
Essential hypertension (38341003)
Care Team
Dr. Ana Ruiz, MD  NPI: 1234567893  Phone 555-111-2222`);
    expect(r.patient).toMatchObject({ name: 'Jane Doe', birthDate: '1970-01-02' });
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(['hypertension']);
    expect(of(r.items, 'provider')).toMatchObject([
      { name: 'Dr. Ana Ruiz', phone: '(555) 111-2222', codes: [{ code: '1234567893' }] },
    ]);
  });
});

describe('care-team table', () => {
  it('reads bare names in a care-team table', () => {
    const r = extractFromPages(
      [
        layoutPage([
          [['Care Team', 100]],
          [
            ['Name', 100],
            ['Role', 700],
            ['Phone', 1100],
          ],
          [
            ['Maria Lopez', 100],
            ['Primary care', 700],
            ['(413) 555-0100', 1100],
          ],
          [
            ['Kevin Chu', 100],
            ['Endocrinology', 700],
            ['413-555-0177', 1100],
          ],
        ]),
      ],
      SOURCE,
    );
    expect(of(r.items, 'provider').map((p) => [p.name, p.role, p.phone])).toEqual([
      ['Maria Lopez', 'primary care', '(413) 555-0100'],
      ['Kevin Chu', 'endocrinology', '(413) 555-0177'],
    ]);
  });
});

describe('robustness', () => {
  it('never throws on noise and always returns a valid result', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;/()[]{}*+?|\\^$-_#@!%&\'"\n\téüß°µ®';
    const words = [
      'Medications',
      'ALLERGIES:',
      'NKDA',
      'Dr.',
      'MD',
      'mg',
      'PO',
      'BID',
      '03/14/2019',
      'Mar',
      '(',
      ')',
      'Tdap',
      'colonoscopy',
      'denies',
      'PMH:',
      '|',
      'Clinic',
      '555-123-4567',
    ];
    for (let n = 0; n < 60; n++) {
      let text = '';
      const len = Math.floor(rand() * 600);
      for (let i = 0; i < len; i++)
        text += rand() < 0.15 ? ` ${words[Math.floor(rand() * words.length)]} ` : alphabet[Math.floor(rand() * alphabet.length)];
      const r = extractFromPages(
        [
          textPage(text),
          layoutPage([
            [
              [text.slice(0, 80) || 'x', 100],
              [text.slice(80, 160) || 'y', 1200],
            ],
          ]),
        ],
        SOURCE,
      );
      expect(ExtractionResult.safeParse(r).success).toBe(true);
    }
  });
  it('handles no pages, empty pages and very long lines', () => {
    expect(extractFromPages([], SOURCE).items).toEqual([]);
    expect(extractFromPages([textPage('')], SOURCE).items).toEqual([]);
    const long = 'Lisinopril 10 mg daily, '.repeat(400);
    const r = extractFromPages([textPage(`Medications\n${long}`)], SOURCE);
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(['lisinopril']);
  });
});
