/**
 * Records written in wordings and layouts unlike the sample generator (Epic After Visit Summary,
 * consult letter, pharmacy profile, intake questionnaire, ICD-10 problem list, immunization card,
 * screening summary, OCR-noisy fax, referral form, H&P, discharge reconciliation, care team), with
 * what a careful clerk would take from them and what must not appear.
 */
import { type Item } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { extractFromPages } from './index.ts';
import { layoutPage, of, run, SOURCE } from './test-helpers.ts';

const names = (items: Item[], kind: 'medication' | 'condition' | 'surgery') =>
  of(items, kind)
    .map((i) => i.name)
    .sort();

describe('Epic-style After Visit Summary', () => {
  const r = run(`AFTER VISIT SUMMARY
Maria Gonzalez   DOB: 03/15/1962   MRN: 00482913
Visit date: 10/12/2023

Your Medication List
START taking these medications
  amLODIPine 5 MG tablet
  Take 1 tablet (5 mg total) by mouth daily.
CONTINUE taking these medications
  metFORMIN 500 MG tablet
  Commonly known as: GLUCOPHAGE
  Take 1 tablet (500 mg total) by mouth 2 (two) times daily with meals.
  atorvastatin 40 MG tablet
  Commonly known as: LIPITOR
  Take 1 tablet (40 mg total) by mouth nightly.
STOP taking these medications
  hydroCHLOROthiazide 25 MG tablet

Allergies as of 10/12/2023
  Penicillins   Hives
  Codeine   Nausea And Vomiting

Immunizations Administered on Date of Encounter - 10/12/2023
  Influenza, Quadrivalent, Preservative Free
`);
  it('reads the unlabelled patient header', () => {
    expect(r.patient).toEqual({ name: 'Maria Gonzalez', birthDate: '1962-03-15', mrn: '00482913' });
  });
  it('reads each drug once with its sig from the line below, through "Commonly known as"', () => {
    const meds = of(r.items, 'medication');
    expect(names(r.items, 'medication')).toEqual(['amlodipine', 'atorvastatin', 'hydrochlorothiazide', 'metformin']);
    const by = Object.fromEntries(meds.map((m) => [m.name, m]));
    expect(by.metformin).toMatchObject({ strength: '500 mg', dose: '1 tablet', route: 'oral', frequency: 'twice daily' });
    expect(by.atorvastatin).toMatchObject({ strength: '40 mg', frequency: 'at bedtime' });
    expect(by.amlodipine).toMatchObject({ strength: '5 mg', frequency: 'daily' });
  });
  it('marks the STOP-taking drugs as not current, the others not', () => {
    const by = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m]));
    expect(by.hydrochlorothiazide?.status).toBe('discontinued');
    expect(by.metformin?.status).toBeUndefined();
  });
  it('keeps the vaccine out of the allergy list above it', () => {
    expect(
      of(r.items, 'allergy')
        .map((a) => a.substance)
        .sort(),
    ).toEqual(['codeine', 'penicillin']);
    expect(of(r.items, 'immunization').map((i) => i.codes[0]?.code)).toEqual(['88']);
  });
});

describe('specialist consult letter', () => {
  const r = run(`Springfield Cardiology Associates
200 Heart Way, Springfield, IL 62704

October 3, 2023

Re: Robert Klein   DOB 11/02/1950

Dear Dr. Patel,

Thank you for referring Mr. Klein, a 73-year-old man with a history of atrial fibrillation, hypertension and hyperlipidemia, for evaluation of palpitations. He underwent coronary artery bypass grafting in 2015. He denies chest pain or syncope. His mother had breast cancer and his father had a myocardial infarction at 60.

He is currently taking apixaban 5 mg twice daily, metoprolol succinate 50 mg daily and rosuvastatin 20 mg at bedtime. He reports an allergy to sulfa drugs (rash).

Sincerely,

Karen Liu, MD, FACC
Springfield Cardiology Associates
Phone (217) 555-0190  Fax (217) 555-0191
`);
  it('finds the history, the surgery after "underwent", and no family-history condition', () => {
    expect(names(r.items, 'condition')).toEqual(['atrial fibrillation', 'hyperlipidemia', 'hypertension']);
    expect(of(r.items, 'surgery')).toEqual([expect.objectContaining({ name: 'coronary artery bypass grafting', date: '2015' })]);
    expect(of(r.items, 'condition').some((c) => /breast cancer|myocardial/.test(c.name))).toBe(false);
  });
  it('reads the medications and the allergy in prose', () => {
    expect(names(r.items, 'medication')).toEqual(['apixaban', 'metoprolol', 'rosuvastatin']);
    expect(of(r.items, 'allergy')).toEqual([expect.objectContaining({ substance: 'sulfamethoxazole', reaction: 'rash' })]);
  });
  it('reads the signing cardiologist with the letterhead practice', () => {
    const p = of(r.items, 'provider');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({
      phone: '(217) 555-0190',
      fax: '(217) 555-0191',
      organization: 'Springfield Cardiology Associates',
    });
    expect(p[0]!.name).toMatch(/Karen Liu/);
  });
});

describe('pharmacy medication profile', () => {
  const r = run(`WALGREENS PHARMACY #4411
PATIENT MEDICATION PROFILE
Patient: SMITH, JANET   DOB: 07/22/1955

Rx# 6612034  LEVOTHYROXINE 75MCG TAB   Qty: 90  Refills: 3
  TAKE 1 TABLET BY MOUTH EVERY MORNING ON AN EMPTY STOMACH
  Filled: 08/14/2023  Prescriber: R. NGUYEN MD
Rx# 6612035  LOSARTAN POTASSIUM 50MG TAB   Qty: 30  Refills: 5
  TAKE ONE TABLET BY MOUTH DAILY
  Filled: 08/14/2023  Prescriber: R. NGUYEN MD
Rx# 6612040  OMEPRAZOLE DR 20MG CAP   Qty: 30  Refills: 2
  TAKE 1 CAPSULE BY MOUTH DAILY BEFORE BREAKFAST
ALLERGIES: PCN
`);
  it('reads Rx lines with the sig below and ignores Rx numbers, quantities and refills', () => {
    const by = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m]));
    expect(Object.keys(by).sort()).toEqual(['levothyroxine', 'losartan', 'omeprazole']);
    expect(by.levothyroxine).toMatchObject({ strength: '75 mcg', dose: '1 tablet', route: 'oral', frequency: 'every morning' });
    expect(by.losartan).toMatchObject({ strength: '50 mg', frequency: 'daily' });
    expect(by.omeprazole).toMatchObject({ strength: '20 mg', dose: '1 capsule' });
  });
  it('reads PCN as a penicillin allergy and the patient', () => {
    expect(of(r.items, 'allergy').map((a) => a.substance)).toEqual(['penicillin']);
    expect(r.patient).toMatchObject({ name: 'Janet Smith', birthDate: '1955-07-22' });
  });
});

describe('intake questionnaire with questions and check boxes', () => {
  const r = run(`NEW PATIENT HEALTH QUESTIONNAIRE
Name: Thomas Reed    Date of birth: 4/9/1971

Are you allergic to any medications? Yes — sulfa (rash)
Other allergies? Latex – anaphylaxis
What medications do you take? lisinopril 20 daily; HCTZ 25 qd; ASA 81
Have you ever had:  [x] colonoscopy 2018   [ ] mammogram   [x] flu shot 10/2022
Surgeries: s/p appendectomy (1998); knee arthroscopy 2005
Do you smoke? No. Denies tobacco.
Family history: mother with breast cancer, father with diabetes
`);
  it('takes the answer to an allergy question as allergies, and the next question as medications', () => {
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction])).toEqual([
      ['sulfamethoxazole', 'rash'],
      ['latex', 'anaphylaxis'],
    ]);
    expect(names(r.items, 'medication')).toEqual(['aspirin', 'hydrochlorothiazide', 'lisinopril']);
  });
  it('takes ticked boxes and ignores unticked ones', () => {
    expect(of(r.items, 'screening').map((s) => [s.type, s.date])).toEqual([['colonoscopy', '2018']]);
    expect(of(r.items, 'immunization').map((i) => i.date)).toEqual(['2022-10']);
  });
  it('reads the surgeries, the denied tobacco use as a pertinent negative, and nothing from the family answers', () => {
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date])).toEqual([
      ['appendectomy', '1998'],
      ['knee arthroscopy', '2005'],
    ]);
    expect(of(r.items, 'condition').map((c) => [c.name, c.negated])).toEqual([['tobacco use', true]]);
  });
  it('answers "No" to the allergy question as no known allergies', () => {
    const r2 = run(`Patient Intake Form
Are you allergic to any medications? No
Do you take any medications? None
Have you had any surgeries? No
`);
    expect(r2.items).toEqual([expect.objectContaining({ kind: 'allergy', substance: 'none known', negated: true })]);
  });
});

describe('problem list with ICD-10 codes first', () => {
  const r = run(`PROBLEM LIST (active)
E11.9 Type 2 diabetes mellitus without complications
I10 Essential (primary) hypertension
E78.5 Hyperlipidemia, unspecified
J45.909 Unspecified asthma, uncomplicated
K21.9 Gastro-esophageal reflux disease without esophagitis
`);
  it('keeps each code with its problem', () => {
    const cs = of(r.items, 'condition');
    expect(cs.map((c) => c.codes[0]?.code)).toEqual(['E11.9', 'I10', 'E78.5', 'J45.909', 'K21.9']);
    expect(cs.every((c) => !c.negated && !/^[a-z]\d/i.test(c.name))).toBe(true);
  });
});

describe('immunization record card', () => {
  const r = run(`IMMUNIZATION RECORD
Patient: Linda Park   DOB 01/30/1980
COVID-19 Pfizer 04/2021, booster 11/2021
Hep B series x3
Pneumovax 23 2019
Tdap 06/15/2017
Zoster (Shingrix) #1 03/2020, #2 06/2020
Influenza 10/05/2022
`);
  it('reads one item per dose with CVX codes', () => {
    const im = of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date ?? null]);
    expect(im).toEqual(
      expect.arrayContaining([
        [expect.any(String), '2021-04'],
        [expect.any(String), '2021-11'],
        ['45', null],
        ['33', '2019'],
        ['115', '2017-06-15'],
        ['187', '2020-03'],
        ['187', '2020-06'],
        ['88', '2022-10-05'],
      ]),
    );
    expect(im).toHaveLength(8);
    expect(of(r.items, 'allergy')).toEqual([]);
  });
});

describe('screening summary', () => {
  const r = run(`HEALTH MAINTENANCE / SCREENING SUMMARY
Screening mammogram 2/3/2022: BI-RADS 2, benign
Pap smear 2020 NILM, HPV negative
PSA 1.2 ng/mL (06/2023)
DEXA 2021 T-score -1.8 osteopenia
Cologuard negative 2022
Colonoscopy 05/2017 - 2 tubular adenomas removed
Mammogram - due 2024
`);
  it('reads type, date and result of each test; a due one is not a done one', () => {
    const s = of(r.items, 'screening').map((i) => [i.type, i.date, i.result]);
    expect(s).toEqual([
      ['mammogram', '2022-02-03', 'BI-RADS 2, benign'],
      ['cervical-cytology', '2020', 'NILM'],
      ['hpv-test', '2020', 'negative'],
      ['psa', '2023-06', '1.2 ng/mL'],
      ['bone-density', '2021', 'T-score -1.8'],
      ['fecal-dna', '2022', 'negative'],
      ['colonoscopy', '2017-05', '2 tubular adenomas removed'],
    ]);
  });
});

describe('faxed summary with numbered lists, bullets and OCR slips', () => {
  const r = run(`FAX  FROM: Mercy Family Practice   PAGE 1 OF 2
PATIENT NAME: JONES, WILLIAM      D0B: O8/19/1948
CURRENT MEDICATIONS:
1) Lisinopril 10 mg po daily
2) Metformin 1000mg po bid
3) Atorvastatln 20 mg qhs
4) Aspirin 81mg daily
ALLERGIES: NKA
PAST MEDICAL HISTORY:
• HTN
• DM2
• CKD stage 3
• OSA on CPAP
PAST SURGICAL HISTORY:
• TAH-BSO 2010
• lap chole
• R knee replacement 2016
`);
  it('reads the patient despite the OCR zero in DOB', () => {
    expect(r.patient).toEqual({ name: 'William Jones', birthDate: '1948-08-19' });
  });
  it('reads meds (one OCR-misspelled), NKA, problems incl. DM2, and surgeries', () => {
    expect(names(r.items, 'medication')).toEqual(['aspirin', 'atorvastatin', 'lisinopril', 'metformin']);
    expect(of(r.items, 'allergy')).toEqual([expect.objectContaining({ substance: 'none known', negated: true })]);
    const cs = of(r.items, 'condition');
    expect(cs.map((c) => c.codes[0]?.code ?? c.name)).toEqual(['I10', 'E11.9', 'ckd stage 3', 'G47.33']);
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date ?? null])).toEqual([
      ['tah-bso', '2010'],
      ['lap chole', null],
      ['r knee replacement', '2016'],
    ]);
  });
});

describe('referral form with an inline provider block', () => {
  const r = run(`REFERRAL FORM
Patient: Helen Carter  DOB: 02/14/1957
Referring: Jane Roe, MD  Phone (555) 123-4567  Fax (555) 123-4568, 12 Main St, Springfield, IL 62701
Reason for referral: worsening COPD
Meds: albuterol inhaler prn; tiotropium 18 mcg inhaled daily; prednisone 10 mg daily
Allergies: No known allergies to medications; seasonal allergies
`);
  it('reads the referring provider with phone, fax and address', () => {
    expect(of(r.items, 'provider')).toEqual([
      expect.objectContaining({
        name: 'Jane Roe, MD',
        phone: '(555) 123-4567',
        fax: '(555) 123-4568',
        address: '12 Main St, Springfield, IL 62701',
      }),
    ]);
  });
  it('reads the semicolon list of meds and the no-drug-allergy statement', () => {
    expect(names(r.items, 'medication')).toEqual(['albuterol', 'prednisone', 'tiotropium']);
    expect(of(r.items, 'allergy').some((a) => a.substance === 'none known' && a.negated)).toBe(true);
    expect(of(r.items, 'allergy').some((a) => !a.negated && /medication|drug/.test(a.substance))).toBe(false);
  });
});

describe('history and physical with PMH/PSH/Social/FH labels', () => {
  const r = run(`HISTORY AND PHYSICAL
HPI: 58 yo F with hx of hypothyroidism and migraine presents for follow-up. No history of diabetes. She denies depression.
PMH: hypothyroidism, migraines, osteoarthritis
PSH: C-section x2, cholecystectomy 2009
Social: Denies tobacco, occasional alcohol.
FH: Father - colon cancer; sister - lupus
Medications: levothyroxine 100 mcg daily, sumatriptan 50 mg prn migraine, ibuprofen 400 mg prn
Allergies: Latex – anaphylaxis; PCN
`);
  it('keeps social history out of the surgeries and family history out of the conditions', () => {
    expect(of(r.items, 'surgery').map((s) => s.name)).toEqual(['c-section x2', 'cholecystectomy']);
    const cs = of(r.items, 'condition');
    expect(
      cs
        .filter((c) => !c.negated)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['hypothyroidism', 'migraine', 'osteoarthritis']);
    expect(
      cs
        .filter((c) => c.negated)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['depression', 'diabetes mellitus']);
    expect(cs.some((c) => /cancer|lupus/.test(c.name))).toBe(false);
  });
  it('reads the meds and both allergies', () => {
    expect(names(r.items, 'medication')).toEqual(['ibuprofen', 'levothyroxine', 'sumatriptan']);
    expect(
      of(r.items, 'allergy')
        .map((a) => a.substance)
        .sort(),
    ).toEqual(['latex', 'penicillin']);
  });
});

describe('discharge medication reconciliation', () => {
  const r = run(`DISCHARGE MEDICATION RECONCILIATION
New medications:
  - Eliquis 5 mg 1 tab PO BID
  - Furosemide 40 mg PO daily
Changed medications:
  - Carvedilol 12.5 mg PO BID (was 6.25 mg)
Discontinued medications:
  - Warfarin 5 mg
Allergies: Iodinated contrast (hives), shellfish
`);
  it('reads new, changed and stopped drugs with the right status', () => {
    const by = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m]));
    expect(Object.keys(by).sort()).toEqual(['apixaban', 'carvedilol', 'furosemide', 'warfarin']);
    expect(by.carvedilol?.strength).toBe('12.5 mg');
    expect(by.warfarin?.status).toBe('discontinued');
    expect(by.apixaban?.status).toBeUndefined();
  });
  it('reads both allergies', () => {
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction ?? null])).toEqual([
      ['iodinated contrast', 'hives'],
      ['shellfish', null],
    ]);
  });
});

describe('care team block with roles first', () => {
  const r = run(`CARE TEAM
PCP: Michael Chen, MD - Riverside Primary Care - (312) 555-7781
Endocrinology: Sara Ortiz, DO  Phone: 312-555-9011
Cardiologist: Dr. Ahmed Raza, Lakeshore Heart Institute
`);
  it('reads three providers with organisation and phone', () => {
    const p = of(r.items, 'provider');
    expect(p.map((x) => x.name)).toEqual(['Michael Chen, MD', 'Sara Ortiz, DO', 'Dr. Ahmed Raza']);
    expect(p[0]).toMatchObject({ organization: 'Riverside Primary Care', phone: '(312) 555-7781' });
    expect(p[2]?.organization).toBe('Lakeshore Heart Institute');
  });
});

describe('progress note in SOAP shorthand', () => {
  const r = run(`PROGRESS NOTE
S: 45 y/o M here for f/u HTN. BP better since starting losartan 50 mg daily. No chest pain. Pt stopped taking simvastatin due to myalgias.
PMH: HTN, HLD, GERD, h/o kidney stones
Meds: losartan 50 mg daily, omeprazole 20 mg daily
Allergies: NKDA
A/P: 1. HTN - controlled, continue losartan. 2. HLD - consider rosuvastatin. 3. Colonoscopy due at 45, will refer.
`);
  it('marks the stopped drug, skips the considered one and the due screening', () => {
    const by = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m]));
    expect(Object.keys(by).sort()).toEqual(['losartan', 'omeprazole', 'simvastatin']);
    expect(by.simvastatin?.status).toBe('discontinued');
    expect(of(r.items, 'screening')).toEqual([]);
    expect(names(r.items, 'condition')).toEqual([
      'gastroesophageal reflux disease',
      'hyperlipidemia',
      'hypertension',
      'kidney stones',
    ]);
  });
});

describe('tables without a heading above them', () => {
  it('reads a medication table from its header row, and no prescriber as a provider', () => {
    const r = run(`Medication | Dose | Frequency | Prescriber
Vitamin D3 | 2000 IU | daily | OTC
Lantus | 20 units | at bedtime | Dr. Wu
Entresto 24-26 mg | 1 tab | BID | Dr. Hall
NTG 0.4 mg SL | 1 tab | prn chest pain | Dr. Hall
KCl | 20 mEq | daily | Dr. Hall
MVI | 1 tab | daily | OTC
`);
    expect(names(r.items, 'medication')).toEqual([
      'cholecalciferol',
      'insulin glargine',
      'multivitamin',
      'nitroglycerin',
      'potassium chloride',
      'sacubitril / valsartan',
    ]);
    expect(of(r.items, 'medication').find((m) => m.name === 'nitroglycerin')).toMatchObject({
      strength: '0.4 mg',
      route: 'sublingual',
      frequency: 'as needed',
    });
    expect(of(r.items, 'provider')).toEqual([]);
  });
  it('reads an allergen table as allergies, not medications', () => {
    const r = run(`Allergen | Reaction | Severity
Sulfamethoxazole-trimethoprim | Stevens-Johnson syndrome | Severe
Lisinopril | Angioedema | Severe
Peanuts | Hives | Moderate
`);
    expect(of(r.items, 'medication')).toEqual([]);
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction, a.severity])).toEqual([
      ['sulfamethoxazole / trimethoprim', 'stevens-johnson syndrome', 'severe'],
      ['lisinopril', 'angioedema', 'severe'],
      ['peanut', 'hives', 'moderate'],
    ]);
  });
});

describe('history lists with abbreviations, parentheses and s/p', () => {
  const r = run(`PAST MEDICAL HISTORY
CHF (EF 35%)
COPD on 2L O2
BPH
s/p MI 2018
Hx of DVT 2015
PAST SURGICAL HISTORY
Appendectomy - 1998
Cholecystectomy (lap) 2005
CABG x3 2016
Hernia repair
`);
  it('reads "s/p MI" as a past condition, not a surgery', () => {
    expect(of(r.items, 'condition').find((c) => c.name === 'myocardial infarction')).toMatchObject({ onset: '2018' });
    expect(of(r.items, 'surgery').some((s) => /\bmi\b/.test(s.name))).toBe(false);
  });
  it('keeps the parenthesised qualifier of a surgery whole', () => {
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date ?? null])).toEqual([
      ['appendectomy', '1998'],
      ['cholecystectomy (lap)', '2005'],
      ['cabg x3', '2016'],
      ['hernia repair', null],
    ]);
    expect(names(r.items, 'condition')).toEqual([
      'benign prostatic hyperplasia',
      'chronic obstructive pulmonary disease',
      'deep vein thrombosis',
      'heart failure',
      'myocardial infarction',
    ]);
  });
});

describe('problem-list entries with a qualifier after a comma', () => {
  const r = run(`Problem List:
Hypertension, essential — diagnosed 2010
Chronic kidney disease, stage 3a
Depression, major, recurrent, moderate
`);
  it('keeps the qualifier with its condition instead of making it a condition', () => {
    expect(names(r.items, 'condition')).toEqual(['chronic kidney disease', 'depression', 'hypertension']);
    expect(of(r.items, 'condition').find((c) => c.name === 'hypertension')).toMatchObject({ onset: '2010' });
    expect(of(r.items, 'condition').find((c) => c.name === 'chronic kidney disease')?.codes[0]?.code).toBe('N18.9');
  });
});

describe('inline labels one after another', () => {
  const r = run(`MEDICAL RECORDS SUMMARY
ALLERGIES: NO KNOWN DRUG ALLERGIES
Food allergy: shellfish (hives)
HOSPITALIZATIONS: Pneumonia 2019
IMMUNIZATIONS: UTD
Last colonoscopy: 2020, normal per patient
`);
  it('ends the allergy label at the next unknown label', () => {
    expect(of(r.items, 'allergy').map((a) => a.substance)).toEqual(['shellfish']);
  });
  it('finds a screening written after a short immunization label', () => {
    expect(of(r.items, 'screening').map((s) => [s.type, s.date, s.result])).toEqual([['colonoscopy', '2020', 'normal']]);
  });
});

describe('two-column OCR form with letter-for-digit slips', () => {
  const page = layoutPage([
    [
      ['PATIENT: NGUYEN, LAN', 100],
      ['DOB: 09/09/1959', 900],
    ],
    [
      ['MEDICATIONS', 100],
      ['ALLERGIES', 900],
    ],
    [
      ['Lisinopril 1O mg daily', 100],
      ['Codeine - vomiting', 900],
    ],
    [
      ['Metforrnin 500 mg BID', 100],
      ['Iodine contrast - hives', 900],
    ],
    [['Atorvastatin 4O mg qhs', 100]],
    [
      ['PROBLEMS', 100],
      ['IMMUNIZATIONS', 900],
    ],
    [
      ['Hypertension', 100],
      ['Tdap 2016', 900],
    ],
    [
      ['Type 2 diabetes', 100],
      ['Prevnar 20 2022', 900],
    ],
  ]);
  const r = extractFromPages([page], SOURCE);
  it('reads "1O mg" and "4O mg" as 10 mg and 40 mg', () => {
    const by = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m]));
    expect(Object.keys(by).sort()).toEqual(['atorvastatin', 'lisinopril', 'metformin']);
    expect(by.lisinopril?.strength).toBe('10 mg');
    expect(by.atorvastatin?.strength).toBe('40 mg');
  });
  it('reads "Iodine contrast" as one allergen, and each column under its own heading', () => {
    expect(of(r.items, 'allergy').map((a) => [a.substance, a.reaction])).toEqual([
      ['codeine', 'vomiting'],
      ['iodinated contrast', 'hives'],
    ]);
    expect(of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['115', '2016'],
      [expect.any(String), '2022'],
    ]);
    expect(names(r.items, 'condition')).toEqual(['hypertension', 'type 2 diabetes mellitus']);
  });
});

describe('shorthand lists: bare strengths, brands, reviewed allergies, vaccine in parentheses', () => {
  const r = run(`Name: Smith, John A.   Sex: M   DOB: 1960-01-02
Meds: Norvasc 5, Zestril 10, HCTZ 25 qd; ASA 81
ALLERGIES: Reviewed. Keflex - hives; Bactrim (SJS)
Vaccine history: Flu (2023), Tdap (2018), Pneumococcal (PPSV23) 2020
PCP: Dr. Susan Lee (Internal Medicine), Oak Clinic, 555-222-3333
`);
  it('reads a bare number after a drug as its strength when the drug comes in that many mg', () => {
    const by = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m]));
    expect(Object.keys(by).sort()).toEqual(['amlodipine', 'aspirin', 'hydrochlorothiazide', 'lisinopril']);
    expect(by.amlodipine?.strength).toBe('5 mg');
    expect(by.lisinopril?.strength).toBe('10 mg');
    expect(by.hydrochlorothiazide).toMatchObject({ strength: '25 mg', frequency: 'daily' });
    expect(by.aspirin?.strength).toBe('81 mg');
  });
  it('maps a brand the RxNorm extract lacks (Keflex) and ignores "Reviewed."', () => {
    expect(of(r.items, 'allergy').map((a) => a.substance)).toEqual(['cephalexin', 'sulfamethoxazole / trimethoprim']);
    expect(of(r.items, 'allergy')[0]?.codes[0]?.code).toBe('2231');
  });
  it('reads "Pneumococcal (PPSV23) 2020" as one PPSV23 dose', () => {
    expect(of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['88', '2023'],
      ['115', '2018'],
      ['33', '2020'],
    ]);
  });
  it('takes a parenthesised specialty as the role, not the organisation', () => {
    expect(of(r.items, 'provider')).toEqual([
      expect.objectContaining({
        name: 'Dr. Susan Lee',
        organization: 'Oak Clinic',
        role: 'internal medicine',
        phone: '(555) 222-3333',
      }),
    ]);
  });
});

describe('discharge summary: diagnoses, procedures, follow-up providers', () => {
  const r = run(`Discharge Summary
Discharge Diagnoses:
1. Community acquired pneumonia
2. Hyponatremia, resolved
Procedures: Chest x-ray; Echocardiogram 01/03/2024 (EF 30%)
Discharge medications:
1. Furosemide 40 mg PO BID
Follow-up with Dr. Kim (cardiology) in 1 week. PCP: Dr. Laura Bell, 555-777-8888.
`);
  it('reads discharge diagnoses as conditions and no imaging as surgery', () => {
    expect(names(r.items, 'condition')).toEqual(['community acquired pneumonia', 'hyponatremia']);
    expect(of(r.items, 'condition').find((c) => c.name === 'hyponatremia')?.status).toBe('resolved');
    expect(of(r.items, 'surgery')).toEqual([]);
  });
  it('reads both clinicians named in the follow-up sentence', () => {
    expect(of(r.items, 'provider').map((p) => [p.name, p.role, p.phone ?? null, p.organization ?? null])).toEqual([
      ['Dr. Kim', 'cardiology', null, null],
      ['Dr. Laura Bell', 'primary care', '(555) 777-8888', null],
    ]);
  });
});

describe('family members and "no known" phrases in history lists', () => {
  it('does not take "Father: DM2" or "No known medical problems" as conditions', () => {
    const r = run(`PMH:
Asthma
Father: DM2
PAST SURGICAL HISTORY: No prior surgeries
`);
    expect(names(r.items, 'condition')).toEqual(['asthma']);
    const r2 = run(`PAST MEDICAL HISTORY: No known medical problems
ALLERGIES: No Known Allergies
`);
    expect(r2.items.map((i) => i.kind)).toEqual(['allergy']);
  });
});

describe('Epic-style medication and health-maintenance tables', () => {
  const r = run(`MEDICATIONS
Losartan (COZAAR) 100 MG tablet, Take 1 tablet by mouth daily
Cholecalciferol (VITAMIN D3) 1,000 unit tablet, Take 1 tablet by mouth daily
IMMUNIZATIONS
Pneumococcal Conjugate 20     03/14/2023
Zoster Recombinant            04/01/2022, 07/01/2022
HEALTH MAINTENANCE
Topic                         Last Done     Next Due
Breast Cancer Screening       01/20/2023    01/20/2024
Cervical Cancer Screening     Never done
`);
  it('reads "1,000 unit" as one strength and the tablets taken as the dose', () => {
    const d3 = of(r.items, 'medication').find((m) => m.name === 'cholecalciferol');
    expect(d3).toMatchObject({ strength: '1000 units', dose: '1 tablet', frequency: 'daily' });
    expect(of(r.items, 'medication').find((m) => m.name === 'losartan')).toMatchObject({ strength: '100 mg', dose: '1 tablet' });
  });
  it('reads the spelled-out PCV20 and each zoster dose', () => {
    expect(of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date])).toEqual([
      ['216', '2023-03-14'],
      ['187', '2022-04-01'],
      ['187', '2022-07-01'],
    ]);
  });
  it('takes the last-done date, not the next-due one, and skips a test never done', () => {
    expect(of(r.items, 'screening').map((s) => [s.type, s.date])).toEqual([['mammogram', '2023-01-20']]);
  });
});

describe('fax cover with a label column and a value column', () => {
  const page = layoutPage([
    [['FAX COVER SHEET', 100]],
    [['RE: Records for PATEL, ANIL  DOB 02/02/1970', 100]],
    [
      ['Allergies:', 100],
      ['Penicillin (hives); Latex', 600],
    ],
    [
      ['Medications:', 100],
      ['Amlodipine 10 mg daily', 600],
    ],
    [
      ['Problems:', 100],
      ['HTN; T2DM; obesity', 600],
    ],
    [
      ['Last flu shot:', 100],
      ['Oct 2023', 600],
    ],
    [
      ['Last colonoscopy:', 100],
      ['2021 - 1 polyp removed', 600],
    ],
    [
      ['Primary care:', 100],
      ['Grace Wu, NP   Lakeside Medical Group   (555) 310-2000', 600],
    ],
  ]);
  const r = extractFromPages([page], SOURCE);
  it('reads a vaccine written under the problems label as a vaccine', () => {
    expect(names(r.items, 'condition')).toEqual(['hypertension', 'obesity', 'type 2 diabetes mellitus']);
    expect(of(r.items, 'immunization').map((i) => [i.codes[0]?.code, i.date])).toEqual([['88', '2023-10']]);
    expect(of(r.items, 'screening').map((s) => [s.type, s.date, s.result])).toEqual([['colonoscopy', '2021', '1 polyp removed']]);
  });
  it('keeps the organisation whole and its phone ("Medical Group (555) …" is no group number)', () => {
    expect(of(r.items, 'provider')).toEqual([
      expect.objectContaining({ name: 'Grace Wu, NP', organization: 'Lakeside Medical Group', phone: '(555) 310-2000' }),
    ]);
  });
});

describe('allergy prose that goes on to something else', () => {
  it('does not take the EpiPen the patient carries as an allergen', () => {
    const r = run('He is allergic to bee stings and has an EpiPen.\n');
    expect(of(r.items, 'allergy').map((a) => a.substance)).toEqual(['bee venom']);
    expect(names(r.items, 'medication')).toEqual(['epinephrine']);
  });
});

describe('surgical history naming the surgeon', () => {
  it("keeps the procedure written before the surgeon and hospital, and reads '05 as 2005", () => {
    const r = run(`SURGICAL HISTORY
Hysterectomy - 2004 (Dr. Smith, Mercy Hospital)
Rotator cuff repair, left, 3/2017
Lap chole '05
`);
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date])).toEqual([
      ['hysterectomy', '2004'],
      ['rotator cuff repair, left', '2017-03'],
      ['lap chole', '2005'],
    ]);
  });
});

describe('medications in prose', () => {
  const r = run(
    'Patient is on lisinopril and metformin. Held metformin due to AKI. Previously tried sertraline, ineffective. Takes amlodipine and benazepril 5-20 mg daily.\n',
  );
  it('keeps two drugs joined by "and" apart unless they form a product', () => {
    expect(names(r.items, 'medication')).toEqual(['amlodipine / benazepril', 'lisinopril', 'metformin', 'sertraline']);
    expect(of(r.items, 'medication').find((m) => m.name === 'amlodipine / benazepril')?.strength).toBe('5-20 mg');
  });
  it('reads held and previously tried drugs as not current', () => {
    const by = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m]));
    expect(by.metformin?.status).toBe('on-hold');
    expect(by.sertraline?.status).toBe('discontinued');
    expect(by.lisinopril?.status).toBeUndefined();
  });
});
