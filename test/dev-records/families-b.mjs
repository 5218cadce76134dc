// Layout families 6–10 of the dev-records corpus: telehealth SOAP note, patient-filled intake form (handwriting font),
// specialty referral form, multi-practice records-release packet, chain-pharmacy medication summary.
// Each builder returns { html, items, pages }; item `page` / `also` / `ev` are generator-only (see lib.mjs).
import { htmlDoc, med, allergy, noneKnown, imm, screen, cond, denies, surg, prov } from './lib.mjs';

// ---------------------------------------------------------------------------------------------
// 6. telehealth-soap — video / telephone visit note, S/O/A/P run-in headings, everything in
//    prose: meds and a stopped drug in the subjective, allergies in a sentence, denials,
//    numbered assessment with ICD-10 codes, "start" in the plan, health maintenance in prose.
// ---------------------------------------------------------------------------------------------
export const TELE_A = {
  font: "'TeX Gyre Heros', sans-serif",
  org: 'Brightwater Virtual Care', orgLine: 'Telehealth services · PO Box 4410, Dunmore, NC 27999 · (844) 555-0118',
  head: `<b>Patient:</b> Velasquez-Moore, Priyanka · <b>DOB:</b> 06/23/1990 · <b>MRN:</b> BVC-204417 · <b>Visit type:</b> Video (synchronous audio/video) · <b>Date of service:</b> Nov 9, 2026`,
  consent: 'Patient located at home in North Carolina; identity verified with name and date of birth; verbal consent for telehealth obtained.',
  S: `Ms. Velasquez-Moore is a 36-year-old woman seen for follow-up of migraine and hypothyroidism. Migraines now 5–6 days a month, throbbing, with nausea and light
sensitivity, no aura. She uses sumatriptan 50 mg tablet at onset of headache, may repeat once after 2 hours, no more than 2 tablets a day, which helps within an hour.
She also takes levothyroxine 75 mcg every morning and Sprintec (norgestimate-ethinyl estradiol 0.25-0.035 mg) one tablet daily. Topiramate 25 mg was stopped in
July 2026 because of tingling in her hands. She is allergic to sulfa drugs (hives) and adhesive tape, which causes skin irritation. She does not smoke or vape, drinks
one or two glasses of wine a week, and denies recreational drug use. Denies fever, weakness or vision loss.`,
  O: 'Self-reported home BP 118/76, weight 142 lb. Alert, speaks in full sentences, no facial asymmetry on video, extraocular movements full. TSH 2.1 (08/2026).',
  A: ['Migraine without aura, not intractable (G43.009) — increasing frequency; candidate for prevention.', 'Hypothyroidism, acquired (E03.9) — stable on current dose.', 'Encounter for oral contraceptive surveillance (Z30.41).'],
  P: `Start propranolol ER 60 mg capsule, 1 capsule by mouth once daily for migraine prevention; headache diary. Continue sumatriptan as needed; limit to
10 days a month. Continue levothyroxine. Health maintenance: Pap smear 2024 normal per patient; Tdap 2019; COVID-19 vaccine (Pfizer 2025–2026 formula) given 10/14/2025.
Influenza vaccine declined today. Referral to neurology (Dr. Lucille Barrowman) if no improvement in 3 months. PCP of record: Dr. Emeka Sorensen, Dunmore Family Care, (919) 555-0121.`,
  sign: 'Nadia Fairweather-Kim, FNP-C — Brightwater Virtual Care — electronically signed 11/09/2026 15:20 — total time 22 minutes',
  items: [
    med('sumatriptan', 'sumatriptan 50 mg tablet', { strength: '50 mg', dose: '1 tablet', route: 'oral', frequency: 'as needed' }),
    med('levothyroxine', 'levothyroxine 75 mcg', { strength: '75 mcg', frequency: 'daily' }),
    med('norgestimate / ethinyl estradiol', 'Sprintec (norgestimate-ethinyl estradiol 0.25-0.035 mg)', { strength: '0.25 mg / 0.035 mg', dose: '1 tablet', frequency: 'daily' }),
    med('topiramate', 'Topiramate 25 mg', { strength: '25 mg', status: 'discontinued' }),
    med('propranolol', 'propranolol ER 60 mg capsule', { strength: '60 mg', dose: '1 capsule', route: 'oral', frequency: 'daily' }),
    allergy('sulfamethoxazole', 'sulfa drugs', { reaction: 'hives' }),
    allergy('adhesive tape', 'adhesive tape', { reaction: 'skin irritation' }),
    denies('tobacco use', 'does not smoke or vape'),
    cond('alcohol use', 'one or two glasses of wine a week', { optional: true }),
    denies('recreational drug use', 'denies recreational drug use'),
    denies('fever', 'Denies fever'),
    denies('weakness', 'weakness'),
    denies('vision loss', 'vision loss'),
    cond('migraine without aura', 'Migraine without aura, not intractable (G43.009)', { icd: 'G43.009' }),
    cond('hypothyroidism', 'Hypothyroidism, acquired (E03.9)', { icd: 'E03.9' }),
    cond('encounter for oral contraceptive surveillance', 'Encounter for oral contraceptive surveillance (Z30.41)', { icd: 'Z30.41', optional: true }),
    screen('cervical-cytology', 'Pap smear 2024', '2024', 'normal'),
    imm('Tdap', '2019', { display: 'Tdap 2019', cvx: '115' }),
    imm('COVID-19, mRNA (Pfizer 2025–2026 formula)', '2025-10-14', { display: 'COVID-19 vaccine (Pfizer 2025–2026 formula)' }),
    prov('Nadia Fairweather-Kim', 'Nadia Fairweather-Kim, FNP-C', { organization: 'Brightwater Virtual Care', phone: '8445550118', role: 'nurse practitioner' }),
    prov('Emeka Sorensen', 'Dr. Emeka Sorensen', { organization: 'Dunmore Family Care', phone: '9195550121', role: 'primary care physician' }),
    prov('Lucille Barrowman', 'Dr. Lucille Barrowman', { role: 'neurologist', optional: true }),
  ],
};
export const TELE_B = {
  font: "'TeX Gyre Schola', serif",
  org: 'Tidewater Pulmonary Associates', orgLine: '2 Harbor Square, Suite 410 · Calder Bay, ME 04999 · Phone 207-555-0134 · Fax 207-555-0135',
  head: `TELEPHONE VISIT &nbsp;|&nbsp; TREMBLAY-OSEI, GIDEON &nbsp;|&nbsp; DOB 8-Dec-1968 &nbsp;|&nbsp; MRN 4410-8826 &nbsp;|&nbsp; 28-Oct-2026`,
  consent: 'Audio-only visit at the patient\'s request (no video device). Patient at home; consent given.',
  S: `58 y/o man with COPD (GOLD 3) and obstructive sleep apnea calling for a 3-month check. More dyspnea on hills since September, no increase in sputum. Uses his
Trelegy Ellipta (fluticasone furoate-umeclidinium-vilanterol 100-62.5-25 mcg) 1 inhalation daily and albuterol HFA 2 puffs every 4 hours as needed about twice a day.
Montelukast 10 mg at bedtime. Prednisone burst finished in August. He quit smoking in 2019 (35 pack-years). No alcohol. Allergic to doxycycline — photosensitive rash.
Denies chest pain or leg swelling.`,
  O: 'Speaking full sentences on the phone; home pulse oximeter 93 % at rest per patient. Spirometry 06/2026: FEV1 41 % predicted.',
  A: ['COPD with acute exacerbation — resolved; chronic severe COPD (J44.9).', 'Obstructive sleep apnea on CPAP (G47.33).', 'History of tobacco use (Z87.891).'],
  P: `Continue Trelegy; add roflumilast 250 mcg tablet once daily for 4 weeks, then 500 mcg daily. Pulmonary rehab referral. Low-dose CT chest 03/2026: Lung-RADS 2,
benign appearance — repeat annually. Pneumococcal: Prevnar 20 given 11/2024. RSV vaccine discussed. Copy to PCP Dr. Halima Rasmussen-Obi, Calder Bay Primary Care, fax 207-555-0139.`,
  sign: 'Augustin Moreau-Lyle, MD, Pulmonary & Critical Care — 28-Oct-2026 10:05 — 18 minutes of medical discussion',
  items: [
    med('fluticasone furoate / umeclidinium / vilanterol', 'Trelegy Ellipta (fluticasone furoate-umeclidinium-vilanterol 100-62.5-25 mcg)', { strength: '100 mcg / 62.5 mcg / 25 mcg', dose: '1 inhalation', route: 'inhalation', frequency: 'daily' }),
    med('albuterol', 'albuterol HFA', { dose: '2 puffs', route: 'inhalation', frequency: 'every 4 hours as needed' }),
    med('montelukast', 'Montelukast 10 mg', { strength: '10 mg', frequency: 'at bedtime' }),
    med('prednisone', 'Prednisone burst', { status: 'discontinued', optional: true }),
    med('roflumilast', 'roflumilast 250 mcg tablet', { strength: '250 mcg', dose: '1 tablet', frequency: 'daily' }),
    allergy('doxycycline', 'doxycycline', { reaction: 'photosensitive rash' }),
    cond('tobacco use', 'quit smoking in 2019', { optional: true }),
    denies('alcohol use', 'No alcohol'),
    denies('chest pain', 'Denies chest pain'),
    denies('leg swelling', 'leg swelling'),
    cond('chronic obstructive pulmonary disease', 'chronic severe COPD (J44.9)', { icd: 'J44.9' }),
    cond('copd with acute exacerbation', 'COPD with acute exacerbation — resolved', { status: 'resolved', optional: true }),
    cond('obstructive sleep apnea', 'Obstructive sleep apnea on CPAP (G47.33)', { icd: 'G47.33' }),
    cond('history of tobacco use', 'History of tobacco use (Z87.891)', { icd: 'Z87.891', optional: true }),
    screen('lung-ct', 'Low-dose CT chest', '2026-03', 'Lung-RADS 2, benign appearance'),
    imm('Pneumococcal conjugate PCV20 (Prevnar 20)', '2024-11', { display: 'Prevnar 20', cvx: '216' }),
    prov('Augustin Moreau-Lyle', 'Augustin Moreau-Lyle, MD', { organization: 'Tidewater Pulmonary Associates', phone: '2075550134', fax: '2075550135', role: 'pulmonologist' }),
    prov('Halima Rasmussen-Obi', 'Dr. Halima Rasmussen-Obi', { organization: 'Calder Bay Primary Care', fax: '2075550139', role: 'primary care physician' }),
  ],
};
export function telehealthSoap(T) {
  const css = `
body { font-family: ${T.font}; font-size: 10pt; color: #111 }
.pg { padding: 0.6in 0.8in 0.7in }
.org { font-size: 14pt; font-weight: bold; border-bottom: 1px solid #000 } .ol { font-size: 8.5pt; margin-bottom: 8px }
.hd { font-size: 9pt; background: #f2f2f2; border-left: 4px solid #444; padding: 4px 8px; margin-bottom: 6px }
.c { font-size: 8.5pt; font-style: italic; margin-bottom: 8px }
p { line-height: 1.42; margin: 3px 0 8px; text-align: justify } p b.h { font-size: 11pt }
ol { margin: 0 0 8px 22px; padding: 0 } li { margin: 2px 0; line-height: 1.35 }
.foot { position: absolute; bottom: 0.35in; left: 0.8in; right: 0.8in; font-size: 7.5pt; color: #555; text-align: right }`;
  const html = `<div class="pg"><div class="org">${T.org}</div><div class="ol">${T.orgLine}</div>
<div class="hd">${T.head}</div><div class="c">${T.consent}</div>
<p><b class="h">S:</b> ${T.S}</p><p><b class="h">O:</b> ${T.O}</p>
<p style="margin-bottom:2px"><b class="h">A:</b></p><ol>${T.A.map((a) => `<li>${a}</li>`).join('')}</ol>
<p><b class="h">P:</b> ${T.P}</p><p style="font-size:9pt;margin-top:16px">${T.sign}</p></div>
<div class="foot">Telehealth note — page 1 of 1</div>`;
  return { html: htmlDoc('Telehealth note', css, [{ html }]), items: T.items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 7. patient-intake — new-patient health history filled in by hand (femkeklaver font, blue ink),
//    drawn check marks in some boxes, most boxes unticked, "None" boxes, fill-in lines.
// ---------------------------------------------------------------------------------------------
const CONDS = ['High blood pressure', 'Heart disease', 'Diabetes', 'Asthma', 'COPD / emphysema', 'Stroke', 'Kidney stones', 'Kidney disease', 'Thyroid disease',
  'Depression / anxiety', 'Cancer', 'Arthritis', 'Acid reflux', 'Migraines', 'Seizures', 'Blood clots', 'Sleep apnea', 'Osteoporosis'];
export const INTAKE_A = {
  patient: 'Lorcan Fitzsimmons-Abara', dob: '4/30/79', date: '11/20/2026', reason: 'R shoulder pain x 3 months, worse reaching overhead',
  ticks: { 'High blood pressure': 'hypertension', Asthma: 'asthma', 'Kidney stones': 'kidney stones', 'Depression / anxiety': 'depression or anxiety' },
  allergiesNone: false, allergies: ['Ibuprofen - lips swelled up', 'Bee stings - hives'],
  medsNone: false, meds: ['Lisinopril 10mg 1x a day', 'Symbicort 160/4.5 - 2 puffs twice a day', 'Zoloft 100 mg every morning', 'Flonase spray when allergies bad'],
  surgNone: false, surgeries: ['ACL repair L knee - 2004', 'kidney stone lithotripsy - 2019'],
  smoke: 'No', alcohol: 'Yes', alcoholHow: '2-3 beers a week', drugs: 'No',
  tetanus: '2018', flu: 'Yes - Oct 2026',
  pcp: 'Dr. Maeve Okafor-Linde', pcpPhone: '(802) 555-0163', emergency: 'Siobhan Fitzsimmons (wife) 802-555-0171',
  famTicks: ['Heart disease', 'Diabetes'],
  items: [
    cond('right shoulder pain', 'R shoulder pain x 3 months', { optional: true }),
    cond('hypertension', 'High blood pressure'), cond('asthma', 'Asthma'), cond('kidney stones', 'Kidney stones'), cond('depression or anxiety', 'Depression / anxiety'),
    allergy('ibuprofen', 'Ibuprofen', { rxcui: '5640', reaction: 'lips swelled up' }),
    allergy('bee venom', 'Bee stings', { reaction: 'hives' }),
    med('lisinopril', 'Lisinopril 10mg', { rxcui: '29046', strength: '10 mg', frequency: 'daily' }),
    med('budesonide / formoterol', 'Symbicort 160/4.5', { strength: '160 mcg / 4.5 mcg', dose: '2 puffs', frequency: 'twice daily' }),
    med('sertraline', 'Zoloft 100 mg', { rxcui: '36437', strength: '100 mg', frequency: 'daily' }),
    med('fluticasone', 'Flonase spray', { route: 'nasal', frequency: 'as needed' }),
    surg('anterior cruciate ligament repair, left knee', 'ACL repair L knee', '2004'),
    surg('lithotripsy for kidney stone', 'kidney stone lithotripsy', '2019'),
    denies('tobacco use', 'Do you smoke or use tobacco?', { ev: 'smoke' }),
    cond('alcohol use', '2-3 beers a week', { optional: true }),
    denies('recreational drug use', 'Recreational drugs?', { ev: 'recreational drugs' }),
    imm('Tetanus (Td/Tdap)', '2018', { display: 'Last tetanus shot: 2018', ev: '2018' }),
    imm('Influenza, seasonal', '2026-10', { display: 'Flu shot - Oct 2026', ev: 'Oct 2026' }),
    prov('Maeve Okafor-Linde', 'Dr. Maeve Okafor-Linde', { phone: '8025550163', role: 'primary care physician' }),
  ],
};
export const INTAKE_B = {
  patient: 'Henrietta Mwangi-Dahl', dob: '08/16/1995', date: 'Nov 30 2026', reason: 'new patient - establish care, low back pain',
  ticks: { Migraines: 'migraines', 'Acid reflux': 'gastroesophageal reflux' },
  allergiesNone: true, allergies: [],
  medsNone: false, meds: ['Omeprazole 20 mg daily before breakfast', 'Excedrin migraine as needed'],
  surgNone: true, surgeries: [],
  smoke: 'Yes', smokeHow: '1/2 pack a day since age 19', alcohol: 'No', drugs: 'No',
  tetanus: "don't know", flu: 'No',
  pcp: 'none (moved from Ohio)', pcpPhone: '', emergency: 'Wanjiru Mwangi (mom) 614-555-0186',
  famTicks: ['Cancer', 'High blood pressure', 'Stroke'],
  items: [
    cond('low back pain', 'low back pain', { optional: true }),
    cond('migraine', 'Migraines'), cond('gastroesophageal reflux', 'Acid reflux'),
    noneKnown('No known allergies', { ev: 'None' }),
    med('omeprazole', 'Omeprazole 20 mg', { strength: '20 mg', frequency: 'daily' }),
    med('acetaminophen / aspirin / caffeine', 'Excedrin migraine', { frequency: 'as needed' }),
    cond('tobacco use', '1/2 pack a day since age 19'),
    denies('alcohol use', 'Do you drink alcohol?', { ev: 'alcohol' }),
    denies('recreational drug use', 'Recreational drugs?', { ev: 'recreational drugs' }),
  ],
};
export function intakeForm(I) {
  const tick = '<svg class="tk" viewBox="0 0 14 14"><path d="M2 7.5 L5.5 11.5 L12.5 1.5" stroke="#1b3c9e" stroke-width="2.2" fill="none" stroke-linecap="round"/></svg>';
  const box = (on) => `<span class="bx">${on ? tick : ''}</span>`;
  const yn = (v) => `${box(v === 'Yes')} Yes &nbsp; ${box(v === 'No')} No`;
  const lines = (arr, n) => Array.from({ length: n }, (_, i) => `<div class="ln"><span class="hw">${arr[i] ?? ''}</span></div>`).join('');
  const css = `
body { font-family: 'TeX Gyre Adventor', sans-serif; font-size: 8.8pt; color: #222 }
.pg { padding: 0.5in 0.6in 0.5in }
.t { text-align: center; font-size: 13pt; font-weight: bold } .t2 { text-align: center; font-size: 8.5pt; margin-bottom: 6px }
.hw { font-family: femkeklaver, cursive; color: #1b3c9e; font-size: 12pt; line-height: 1 }
.ln { border-bottom: 1px solid #888; height: 19px; margin: 1px 0 } .lbl { font-weight: bold; margin-top: 7px; background: #e9e9e9; padding: 1px 4px }
.row { display: flex; gap: 10px } .row > div { flex: 1 }
.f { border-bottom: 1px solid #888; padding-top: 6px } .f small { color: #555; margin-right: 6px }
.bx { display: inline-block; width: 11px; height: 11px; border: 1px solid #333; margin: 0 3px 0 0; vertical-align: -2px; position: relative }
.tk { position: absolute; left: -1px; top: -5px; width: 15px; height: 15px }
.grid { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 3px 10px; margin: 4px 0 } .q { margin: 4px 0 }
.foot { position: absolute; bottom: 0.3in; left: 0.6in; right: 0.6in; font-size: 7.5pt; color: #666; display: flex; justify-content: space-between }`;
  const html = `<div class="pg">
<div class="t">HARBORVIEW ORTHOPEDIC &amp; SPORTS MEDICINE</div><div class="t2">88 Wharf Street · Kellam, VT 05999 · (802) 555-0160 — NEW PATIENT HEALTH HISTORY (please print)</div>
<div class="row"><div class="f"><small>Name</small><span class="hw">${I.patient}</span></div><div class="f" style="flex:.45"><small>Date of birth</small><span class="hw">${I.dob}</span></div><div class="f" style="flex:.4"><small>Today</small><span class="hw">${I.date}</span></div></div>
<div class="f"><small>Reason for today's visit</small><span class="hw">${I.reason}</span></div>
<div class="lbl">Have you ever been told you have any of these? (check all that apply)</div>
<div class="grid">${CONDS.map((c) => `<div>${box(c in I.ticks)} ${c}</div>`).join('')}</div>
<div class="lbl">Allergies to medicines, foods, latex, other &nbsp;&nbsp; ${box(I.allergiesNone)} None</div>${lines(I.allergies, 2)}
<div class="lbl">Medicines you take now (include inhalers, vitamins, over-the-counter) &nbsp;&nbsp; ${box(I.medsNone)} None</div>${lines(I.meds, 4)}
<div class="lbl">Past surgeries (what and year) &nbsp;&nbsp; ${box(I.surgNone)} None</div>${lines(I.surgeries, 2)}
<div class="lbl">Habits</div>
<div class="q">Do you smoke or use tobacco? ${yn(I.smoke)} &nbsp; If yes, how much: <span class="hw">${I.smokeHow ?? ''}</span></div>
<div class="q">Do you drink alcohol? ${yn(I.alcohol)} &nbsp; How much: <span class="hw">${I.alcoholHow ?? ''}</span></div>
<div class="q">Recreational drugs? ${yn(I.drugs)}</div>
<div class="lbl">Shots</div>
<div class="q">Last tetanus shot (year): <span class="hw">${I.tetanus}</span> &nbsp;&nbsp; Flu shot this season? <span class="hw">${I.flu}</span></div>
<div class="lbl">Family history — blood relatives (check)</div>
<div class="grid">${['Heart disease', 'Diabetes', 'Cancer', 'High blood pressure', 'Stroke', 'Bleeding problems'].map((c) => `<div>${box(I.famTicks.includes(c))} ${c}</div>`).join('')}</div>
<div class="row"><div class="f"><small>Primary care doctor</small><span class="hw">${I.pcp}</span></div><div class="f" style="flex:.6"><small>Phone</small><span class="hw">${I.pcpPhone}</span></div></div>
<div class="f"><small>Emergency contact (name, relation, phone)</small><span class="hw">${I.emergency}</span></div>
<div class="row" style="margin-top:8px"><div class="f"><small>Patient signature</small><span class="hw" style="font-size:15pt">${I.patient.split(' ')[0]} ${I.patient.split(' ')[1][0]}.</span></div><div class="f" style="flex:.5"><small>Reviewed by (staff)</small><span class="hw">KB, MA</span></div></div>
</div><div class="foot"><span>Form HOS-101 (06/2024)</span><span>Please give this form to the front desk</span></div>`;
  return { html: htmlDoc('New patient health history', css, [{ html }]), items: I.items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 8. referral-form — health-network outpatient referral: referring and referred-to provider
//    blocks with NPI, phone, fax, address; the patient's own address block, emergency contact,
//    guarantor and insurance (none of them providers); diagnosis codes, meds and allergies.
// ---------------------------------------------------------------------------------------------
export function referralForm() {
  const items = [
    prov('Winifred Abernathy-Suarez', 'Winifred Abernathy-Suarez, MD', { npi: '1487650392', organization: 'Oak Hollow Family Medicine', phone: '7175550131', fax: '7175550132', address: '410 Tamarack Ave, Suite 2, Millbrook, PA 17999', role: 'referring physician' }),
    prov('Casimir Oyelowo', 'Casimir Oyelowo, MD', { npi: '1093827465', organization: 'Keystone Digestive Health', phone: '7175550144', fax: '7175550145', address: '1200 Commerce Blvd, Bldg C, Halden, PA 17999', role: 'gastroenterologist (referred to)', optional: true }),
    cond('iron deficiency anemia', 'Iron deficiency anemia, unspecified (D50.9)', { icd: 'D50.9' }),
    cond('positive fecal immunochemical test', 'Other fecal abnormalities — positive FIT (R19.5)', { icd: 'R19.5' }),
    cond('gastroesophageal reflux disease', 'GERD (K21.9)', { icd: 'K21.9' }),
    cond('type 2 diabetes mellitus', 'Type 2 diabetes mellitus with hyperglycemia (E11.65)', { icd: 'E11.65' }),
    cond('hypertension', 'Hypertension (I10)', { icd: 'I10' }),
    screen('fecal-occult-blood', 'Fecal immunochemical test (FIT)', '2026-09-22', 'positive'),
    screen('colonoscopy', 'Colonoscopy', '2014', 'normal'),
    med('omeprazole', 'Omeprazole 20 mg DR capsule', { strength: '20 mg', dose: '1 capsule', route: 'oral', frequency: 'daily' }),
    med('metformin', 'Metformin ER 500 mg tablet', { strength: '500 mg', dose: '2 tablets', route: 'oral', frequency: 'daily' }),
    med('insulin glargine', 'Insulin glargine (Lantus SoloStar) 100 units/mL pen', { strength: '100 units/mL', dose: '18 units', route: 'subcutaneous', frequency: 'at bedtime' }),
    med('ferrous sulfate', 'Ferrous sulfate 325 mg tablet', { strength: '325 mg', dose: '1 tablet', route: 'oral', frequency: 'every other day' }),
    med('aspirin', 'Aspirin 81 mg EC tablet', { rxcui: '1191', strength: '81 mg', dose: '1 tablet', route: 'oral', frequency: 'daily' }),
    med('amlodipine', 'Amlodipine 10 mg tablet', { rxcui: '17767', strength: '10 mg', dose: '1 tablet', route: 'oral', frequency: 'daily' }),
    allergy('lisinopril', 'Lisinopril', { rxcui: '29046', reaction: 'angioedema', severity: 'severe' }),
    allergy('iodine', 'Iodine (povidone-iodine) skin prep', { reaction: 'blistering', severity: 'moderate' }),
  ];
  const css = `
body { font-family: Carlito, sans-serif; font-size: 9.3pt; color: #000 }
.pg { padding: 0.45in 0.55in }
.top { display: flex; justify-content: space-between; border-bottom: 3px double #000; padding-bottom: 4px }
.top .n { font-size: 15pt; font-weight: bold } .top .r { text-align: right; font-size: 8.5pt }
h1 { font-size: 12pt; margin: 6px 0; text-align: center; letter-spacing: 1px }
.boxes { display: grid; grid-template-columns: 1fr 1fr; gap: 6px }
.b { border: 1.2px solid #000; padding: 3px 6px } .b .t { font-weight: bold; font-size: 8pt; background: #000; color: #fff; margin: -3px -6px 3px; padding: 1px 6px }
.kv { display: grid; grid-template-columns: 30% 70%; font-size: 8.8pt } .kv span:nth-child(odd) { color: #444 }
.full { margin-top: 6px } .bx { font-family: 'DejaVu Sans' }
table { border-collapse: collapse; width: 100% } td, th { border: 0.8px solid #555; padding: 2px 4px; text-align: left; font-size: 8.6pt }
.foot { position: absolute; bottom: 0.3in; left: 0.55in; right: 0.55in; font-size: 7.5pt; display: flex; justify-content: space-between }`;
  const html = `<div class="pg">
<div class="top"><div class="n">Keystone Valley Health Network</div><div class="r">Central Referral Office · fax all referrals to (717) 555-0100<br>Referral # KV-R-2026-118834 · Auth # PA7731902 (not required)</div></div>
<h1>OUTPATIENT SPECIALTY REFERRAL</h1>
<div style="margin-bottom:5px">Priority: <span class="bx">☐</span> STAT &nbsp; <span class="bx">☒</span> Urgent (within 2 weeks) &nbsp; <span class="bx">☐</span> Routine &nbsp;&nbsp;&nbsp; Date of referral: October 02, 2026</div>
<div class="boxes">
<div class="b"><div class="t">REFERRING PROVIDER</div><div class="kv">
<span>Name</span><span>Winifred Abernathy-Suarez, MD</span><span>NPI</span><span>1487650392</span><span>Practice</span><span>Oak Hollow Family Medicine</span>
<span>Address</span><span>410 Tamarack Ave, Suite 2, Millbrook, PA 17999</span><span>Phone</span><span>(717) 555-0131</span><span>Fax</span><span>(717) 555-0132</span></div></div>
<div class="b"><div class="t">REFERRED TO</div><div class="kv">
<span>Name</span><span>Casimir Oyelowo, MD</span><span>Specialty</span><span>Gastroenterology</span><span>NPI</span><span>1093827465</span><span>Practice</span><span>Keystone Digestive Health</span>
<span>Address</span><span>1200 Commerce Blvd, Bldg C, Halden, PA 17999</span><span>Phone / Fax</span><span>(717) 555-0144 / (717) 555-0145</span></div></div>
<div class="b"><div class="t">PATIENT</div><div class="kv">
<span>Name</span><span>KOWALCZYK-FERREIRA, AMBROSE T.</span><span>DOB</span><span>11/11/1961</span><span>Sex</span><span>M</span><span>MRN</span><span>KV-3320914</span>
<span>Address</span><span>88 Larkspur Lane, Millbrook, PA 17999</span><span>Phone</span><span>(717) 555-0177 (cell)</span><span>Language</span><span>English / Polish</span></div></div>
<div class="b"><div class="t">EMERGENCY CONTACT · GUARANTOR · INSURANCE</div><div class="kv">
<span>Emergency</span><span>Dorota Kowalczyk (spouse), (717) 555-0178</span><span>Guarantor</span><span>Teodor Ferreira (son), 5 Birch Ct, Millbrook PA, (717) 555-0179</span>
<span>Plan</span><span>Northstar Health Plan — PPO</span><span>Member ID</span><span>NHP 448-207-113</span><span>Group</span><span>00271</span></div></div>
</div>
<div class="b full"><div class="t">REASON FOR REFERRAL / DIAGNOSES</div>
<table><tr><th style="width:14%">ICD-10</th><th>Description</th></tr>
<tr><td>D50.9</td><td>Iron deficiency anemia, unspecified (D50.9)</td></tr><tr><td>R19.5</td><td>Other fecal abnormalities — positive FIT (R19.5)</td></tr></table>
<p style="margin:4px 0">Please evaluate for colonoscopy. Hgb 10.4, ferritin 6 on 09/29/2026. Fecal immunochemical test (FIT) 09/22/2026: POSITIVE. Last colonoscopy 2014, normal (per patient, outside records unavailable). No melena reported.</p></div>
<div class="b full"><div class="t">PERTINENT HISTORY</div>
<p style="margin:2px 0"><b>Problems:</b> GERD (K21.9); Type 2 diabetes mellitus with hyperglycemia (E11.65); Hypertension (I10).</p>
<table><tr><th>Current medication</th><th>Sig</th></tr>
<tr><td>Omeprazole 20 mg DR capsule</td><td>1 cap PO daily before breakfast</td></tr>
<tr><td>Metformin ER 500 mg tablet</td><td>2 tabs PO daily with evening meal</td></tr>
<tr><td>Insulin glargine (Lantus SoloStar) 100 units/mL pen</td><td>18 units subcut at bedtime</td></tr>
<tr><td>Ferrous sulfate 325 mg tablet</td><td>1 tab PO every other day</td></tr>
<tr><td>Aspirin 81 mg EC tablet</td><td>1 tab PO daily — hold 5 days before procedure if advised</td></tr>
<tr><td>Amlodipine 10 mg tablet</td><td>1 tab PO daily</td></tr></table>
<p style="margin:4px 0 2px"><b>Allergies:</b> Lisinopril — angioedema (severe, 2020); Iodine (povidone-iodine) skin prep — blistering (moderate).</p></div>
<div style="margin-top:8px;display:flex;justify-content:space-between"><span>Referring provider signature: <i>W. Abernathy-Suarez MD</i></span><span>Records attached: <span class="bx">☒</span> labs <span class="bx">☐</span> imaging <span class="bx">☒</span> office note</span></div>
</div><div class="foot"><span>KVHN-REF-04 rev 03/2025</span><span>KOWALCZYK-FERREIRA, AMBROSE T. · DOB 11/11/1961</span><span>1 of 1</span></div>`;
  return { html: htmlDoc('Referral', css, [{ html }]), items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 9. release-packet — records sent in answer to a release request: fax cover sheet (patient
//    on the "Re:" line, HIM sender), practice A problem list with status columns, "No known
//    allergies", "No past surgical history", family history; practice B nephrology note with its
//    own chart number; the signed authorization form. Two MRNs → the truth names none.
// ---------------------------------------------------------------------------------------------
export function releasePacket() {
  const items = [
    // page 2: Larchmont Family Health
    cond('hypertension', 'Essential hypertension', { icd: 'I10', onset: '2008', status: 'active', page: 2 }),
    cond('type 2 diabetes mellitus with diabetic chronic kidney disease', 'Type 2 diabetes mellitus with diabetic CKD', { icd: 'E11.22', onset: '2015', status: 'active', page: 2 }),
    cond('chronic kidney disease stage 3b', 'Chronic kidney disease, stage 3b', { icd: 'N18.32', onset: '2021-04', status: 'active', page: 2, also: [3] }),
    cond('gout', 'Gout, unspecified', { icd: 'M10.9', onset: '2017', status: 'resolved', page: 2 }),
    cond('community-acquired pneumonia', 'Pneumonia, unspecified organism', { icd: 'J18.9', onset: '2024-01', status: 'resolved', page: 2 }),
    cond('primary open-angle glaucoma', 'Primary open-angle glaucoma, bilateral', { icd: 'H40.1130', onset: '2019', status: 'active', page: 2 }),
    noneKnown('No known allergies', { page: 2 }),
    denies('tobacco use', 'Tobacco use: Never', { page: 2 }),
    denies('alcohol use', 'Alcohol: none', { page: 2 }),
    med('losartan', 'Losartan 100 mg tablet', { strength: '100 mg', dose: '1 tablet', frequency: 'daily', date: '2016-05-11', page: 2, also: [3], alsoEv: 'Losartan 100 mg daily' }),
    med('empagliflozin', 'Empagliflozin 10 mg tablet', { strength: '10 mg', dose: '1 tablet', frequency: 'daily', date: '2022-02-03', page: 2, also: [3], alsoEv: 'empagliflozin 10 mg daily' }),
    med('dorzolamide / timolol', 'Dorzolamide-timolol 2%-0.5% eye drops', { strength: '2% / 0.5%', dose: '1 drop', route: 'ophthalmic', frequency: 'twice daily', date: '2019-08-20', page: 2 }),
    med('allopurinol', 'Allopurinol 100 mg tablet', { strength: '100 mg', status: 'discontinued', date: '2017-10-02', page: 2 }),
    imm('Influenza, seasonal', '2025-10-06', { display: 'Influenza (Flucelvax)', page: 2 }),
    prov('Isolde Marchetti-Ng', 'Isolde Marchetti-Ng, MD', { organization: 'Larchmont Family Health', phone: '2155550114', fax: '2155550115', role: 'primary care physician', page: 2, also: [1] }),
    // page 3: Coastal Kidney Specialists
    med('sodium bicarbonate', 'Sodium bicarbonate 650 mg tablet', { strength: '650 mg', dose: '1 tablet', route: 'oral', frequency: 'twice daily', date: '2026-07-08', page: 3 }),
    med('calcitriol', 'Calcitriol 0.25 mcg capsule', { strength: '0.25 mcg', dose: '1 capsule', route: 'oral', frequency: 'three times weekly', page: 3 }),
    med('ibuprofen', 'Ibuprofen (OTC)', { status: 'discontinued', page: 3 }),
    imm('Hepatitis B, adjuvanted (Heplisav-B)', '2026-02-14', { display: 'Heplisav-B dose 1', cvx: '189', page: 3, ev: 'dose 1 on 14 Feb 2026' }),
    imm('Hepatitis B, adjuvanted (Heplisav-B)', '2026-03-16', { display: 'Heplisav-B dose 2', cvx: '189', page: 3, ev: 'dose 2 on 16 Mar 2026' }),
    cond('secondary hyperparathyroidism of renal origin', 'Secondary hyperparathyroidism of renal origin', { icd: 'N25.81', page: 3 }),
    cond('metabolic acidosis', 'Metabolic acidosis', { icd: 'E87.20', page: 3 }),
    surg('left forearm arteriovenous fistula creation', 'Left forearm arteriovenous fistula creation', '2026-09', { page: 3, ev: 'AV fistula' }),
    prov('Rupert Acheampong', 'Rupert Acheampong, MD', { organization: 'Coastal Kidney Specialists', phone: '2155550152', fax: '2155550153', role: 'nephrologist', page: 3 }),
    prov('Dolores Vantreese', 'Dr. Dolores Vantreese', { role: 'vascular surgeon', optional: true, page: 3 }),
  ];
  const css = `
body { font-family: 'TeX Gyre Termes', serif; font-size: 10pt; color: #000 }
.pg { padding: 0.6in 0.75in 0.6in }
.fx { font-family: 'Liberation Sans', sans-serif } .fx h1 { font-size: 30pt; letter-spacing: 8px; margin: 0 0 10px; border-bottom: 5px solid #000 }
.fx table { width: 100%; border-collapse: collapse; font-size: 11pt } .fx td { padding: 6px 4px; border-bottom: 1px solid #999 } .fx td.k { font-weight: bold; width: 22% }
.conf { font-size: 8.5pt; border: 1px solid #000; padding: 6px; margin-top: 18px }
.a { font-family: 'Open Sans', sans-serif; font-size: 8.8pt }
.a .lh { display: flex; justify-content: space-between; border-bottom: 2px solid #0b6e4f; color: #0b6e4f } .a .lh .n { font-size: 14pt; font-weight: bold }
.a h3 { font-size: 9.5pt; color: #0b6e4f; margin: 10px 0 3px; border-bottom: 1px solid #0b6e4f }
.a table { width: 100%; border-collapse: collapse } .a td, .a th { padding: 2px 4px; border-bottom: 1px solid #ccc; text-align: left } .a th { background: #e6f2ee; font-size: 8pt }
.b { font-family: 'TeX Gyre Pagella', serif; font-size: 10pt } .b .lh { text-align: center; border-bottom: 1px solid #000; padding-bottom: 4px } .b .lh .n { font-size: 16pt; font-variant: small-caps; letter-spacing: 1px }
.b p { line-height: 1.4; margin: 4px 0 8px; text-align: justify } .b b.h { font-variant: small-caps; font-size: 10.5pt }
.auth p { margin: 6px 0; line-height: 1.35 } .auth .bx { font-family: 'DejaVu Sans' }
.run { font-family: 'Liberation Sans', sans-serif; font-size: 7.5pt; color: #444; display: flex; justify-content: space-between; border-bottom: 1px dashed #777; margin-bottom: 8px; padding-bottom: 2px }
.foot { position: absolute; bottom: 0.3in; left: 0.75in; right: 0.75in; font-family: 'Liberation Sans', sans-serif; font-size: 7.5pt; text-align: center; color: #333 }`;
  const run = (n) => `<div class="run"><span>Larchmont Family Health — Health Information Management — release #RR-26-04471</span><span>Page ${n} of 4</span></div>`;
  const p1 = `<div class="pg fx"><h1>FAX</h1>
<table><tr><td class="k">Date</td><td>November 23, 2026</td></tr><tr><td class="k">To</td><td>Northstar Health Plan — Care Transitions Team</td></tr>
<tr><td class="k">Fax</td><td>1-800-555-0199</td></tr><tr><td class="k">From</td><td>Tamsin Ollivander, HIM Release-of-Information Specialist, Larchmont Family Health</td></tr>
<tr><td class="k">Phone / Fax</td><td>(215) 555-0116 / (215) 555-0117</td></tr>
<tr><td class="k">Re:</td><td><b>Solange Ibarra-Whitfield — DOB 05/28/1953</b></td></tr>
<tr><td class="k">Pages</td><td>4 (including this cover sheet)</td></tr></table>
<p style="margin-top:14px">Records requested under the enclosed authorization: problem list and medications from Larchmont Family Health (PCP: Isolde Marchetti-Ng, MD), and the most recent
nephrology note from Coastal Kidney Specialists, which we hold as outside records.</p>
<div class="conf"><b>CONFIDENTIALITY NOTICE:</b> This facsimile contains protected health information that is privileged and confidential. If you received it in error,
notify the sender at (215) 555-0116 and destroy all copies. Redisclosure is prohibited by federal regulations (45 CFR Part 164).</div></div>`;
  const p2 = `<div class="pg a">${run(2)}
<div class="lh"><div class="n">Larchmont Family Health</div><div style="text-align:right;font-size:8pt">560 Linden Road · Cresthaven, PA 19999<br>Tel (215) 555-0114 · Fax (215) 555-0115</div></div>
<div style="margin:6px 0;font-size:9pt"><b>Patient Summary</b> — Ibarra-Whitfield, Solange · DOB 05/28/1953 · MRN LFH-0048213 · PCP Isolde Marchetti-Ng, MD · printed 11/23/2026</div>
<h3>PROBLEM LIST</h3>
<table><tr><th>Problem</th><th>ICD-10</th><th>Onset</th><th>Status</th><th>Last reviewed</th></tr>
<tr><td>Essential hypertension</td><td>I10</td><td>2008</td><td>Active</td><td>11/04/2026</td></tr>
<tr><td>Type 2 diabetes mellitus with diabetic CKD</td><td>E11.22</td><td>2015</td><td>Active</td><td>11/04/2026</td></tr>
<tr><td>Chronic kidney disease, stage 3b</td><td>N18.32</td><td>04/2021</td><td>Active</td><td>11/04/2026</td></tr>
<tr><td>Primary open-angle glaucoma, bilateral</td><td>H40.1130</td><td>2019</td><td>Active</td><td>03/12/2026</td></tr>
<tr><td>Gout, unspecified</td><td>M10.9</td><td>2017</td><td>Resolved</td><td>06/30/2023</td></tr>
<tr><td>Pneumonia, unspecified organism</td><td>J18.9</td><td>01/2024</td><td>Resolved</td><td>02/20/2024</td></tr></table>
<h3>ALLERGIES</h3><p>No known allergies (reviewed 11/04/2026).</p>
<h3>MEDICATIONS</h3>
<table><tr><th>Medication</th><th>Instructions</th><th>Started</th><th>Status</th></tr>
<tr><td>Losartan 100 mg tablet</td><td>Take 1 tablet by mouth daily</td><td>05/11/2016</td><td>Active</td></tr>
<tr><td>Empagliflozin 10 mg tablet</td><td>Take 1 tablet by mouth daily</td><td>02/03/2022</td><td>Active</td></tr>
<tr><td>Dorzolamide-timolol 2%-0.5% eye drops</td><td>1 drop in both eyes twice daily</td><td>08/20/2019</td><td>Active</td></tr>
<tr><td>Allopurinol 100 mg tablet</td><td>Take 1 tablet daily</td><td>10/02/2017</td><td>Discontinued 06/30/2023</td></tr></table>
<h3>PAST SURGICAL HISTORY</h3><p>No past surgical history.</p>
<h3>IMMUNIZATIONS (last 2 years)</h3><p>Influenza (Flucelvax) 10/06/2025. 2026–27 influenza: due.</p>
<h3>SOCIAL HISTORY</h3><p>Tobacco use: Never. Alcohol: none. Widowed, lives alone, retired postal worker.</p>
<h3>FAMILY HISTORY</h3>
<table><tr><th>Relative</th><th>Condition</th></tr><tr><td>Mother</td><td>Breast cancer (age 62), hypertension</td></tr><tr><td>Brother</td><td>Type 2 diabetes, end-stage renal disease on dialysis</td></tr><tr><td>Father</td><td>Myocardial infarction (age 58)</td></tr></table>
</div><div class="foot">Larchmont Family Health · confidential patient information</div>`;
  const p3 = `<div class="pg b">${run(3)}
<div class="lh"><div class="n">Coastal Kidney Specialists</div><div style="font-size:8.5pt">Rupert Acheampong, MD · 14 Quay Street, Cresthaven, PA 19999 · Tel 215-555-0152 · Fax 215-555-0153</div></div>
<p style="margin-top:8px"><b>Nephrology follow-up</b> — 10/19/2026 — Patient: Solange Ibarra-Whitfield (DOB 28 May 1953) — Chart No. 3098-55</p>
<p><b class="h">Interval history.</b> Seen for chronic kidney disease, stage 3b, due to diabetic nephropathy. eGFR 34 (was 38 in April). She had a left forearm AV fistula
created in September 2026 by Dr. Dolores Vantreese in anticipation of future dialysis; the site is healing well. She stopped taking ibuprofen (OTC) for her knees as advised.
Hepatitis B vaccination (Heplisav-B): dose 1 on 14 Feb 2026, dose 2 on 16 Mar 2026; series complete.</p>
<p><b class="h">Medications reviewed.</b> Losartan 100 mg daily and empagliflozin 10 mg daily per PCP. Sodium bicarbonate 650 mg tablet, 1 tablet by mouth twice daily (started 07/08/2026).
Calcitriol 0.25 mcg capsule, 1 capsule by mouth three times weekly.</p>
<p><b class="h">Assessment.</b> (1) CKD 3b, slowly progressive. (2) Secondary hyperparathyroidism of renal origin — PTH 168. (3) Metabolic acidosis — bicarbonate 20, improving.</p>
<p><b class="h">Plan.</b> Labs every 3 months, renal diet teaching, return in 3 months. Transplant evaluation discussed; she will think about it.</p>
<p style="margin-top:16px">Rupert Acheampong, MD</p>
</div><div class="foot">Outside record held by Larchmont Family Health · Coastal Kidney Specialists</div>`;
  const p4 = `<div class="pg auth">${run(4)}
<h2 style="font-family:'Liberation Sans';font-size:13pt;text-align:center">AUTHORIZATION FOR RELEASE OF PROTECTED HEALTH INFORMATION</h2>
<p>Patient name: <b>Solange Ibarra-Whitfield</b> &nbsp;&nbsp; Date of birth: <b>05/28/1953</b></p>
<p>I authorize <b>Larchmont Family Health</b> to release the information below to <b>Northstar Health Plan</b>, Care Transitions, fax 1-800-555-0199.</p>
<p>Information to release: <span class="bx">☒</span> Problem list &nbsp; <span class="bx">☒</span> Medication list &nbsp; <span class="bx">☒</span> Outside specialist notes &nbsp;
<span class="bx">☐</span> Laboratory results &nbsp; <span class="bx">☐</span> Imaging &nbsp; <span class="bx">☐</span> Psychotherapy notes &nbsp; <span class="bx">☐</span> HIV / substance use treatment records</p>
<p>Purpose: <span class="bx">☒</span> Continuity of care &nbsp; <span class="bx">☐</span> Legal &nbsp; <span class="bx">☐</span> Insurance underwriting</p>
<p>This authorization expires one year from the date signed. I may revoke it in writing at any time, except where action has already been taken. Treatment and payment
do not depend on my signing.</p>
<p style="margin-top:30px">Signature: <span style="font-family:'TeX Gyre Chorus';font-size:18pt">Solange Ibarra-Whitfield</span> &nbsp;&nbsp;&nbsp; Date: 11/16/2026</p>
<p>Witness: Tamsin Ollivander, HIM</p>
</div><div class="foot">LFH-HIM-22 · Authorization (HIPAA compliant)</div>`;
  return { html: htmlDoc('Records release', css, [{ html: p1 }, { html: p2 }, { html: p3 }, { html: p4 }]), items, pages: 4 };
}

// ---------------------------------------------------------------------------------------------
// 10. pharmacy-medsummary — chain pharmacy "Patient Medication Summary", mixed case, drug on one
//     line and the sig on a second italic line, prescriber column, first/last fill dates,
//     an inactive (prescriber-discontinued) row, vaccines given at the pharmacy, allergies
//     and health conditions on file, store header with the pharmacist.
// ---------------------------------------------------------------------------------------------
export function pharmacyMedsummary() {
  const rx = [
    ['Tiotropium 18 mcg inhalation capsule (Spiriva HandiHaler)', 'Inhale the contents of 1 capsule once daily using the HandiHaler device. Do not swallow capsules.', '7730412', 'Fairbanks, I', '30', '02/14/2023', '11/02/2026', 'Active',
      med('tiotropium', 'Tiotropium 18 mcg inhalation capsule (Spiriva HandiHaler)', { strength: '18 mcg', dose: '1 capsule', route: 'inhalation', frequency: 'daily', date: '2023-02-14' })],
    ['Fluticasone-salmeterol 250-50 mcg/dose diskus', 'Inhale 1 puff by mouth twice daily. Rinse mouth after each use.', '7730413', 'Fairbanks, I', '60', '02/14/2023', '11/02/2026', 'Active',
      med('fluticasone / salmeterol', 'Fluticasone-salmeterol 250-50 mcg/dose diskus', { strength: '250 mcg / 50 mcg', dose: '1 puff', route: 'inhalation', frequency: 'twice daily', date: '2023-02-14' })],
    ['Albuterol sulfate HFA 90 mcg/actuation inhaler', 'Inhale 2 puffs every 4 to 6 hours as needed for shortness of breath or wheezing.', '7730590', 'Fairbanks, I', '18 g', '03/01/2023', '09/15/2026', 'Active',
      med('albuterol', 'Albuterol sulfate HFA 90 mcg/actuation inhaler', { strength: '90 mcg/actuation', dose: '2 puffs', route: 'inhalation', frequency: 'as needed', date: '2023-03-01' })],
    ['Tamsulosin 0.4 mg capsule', 'Take 1 capsule by mouth 30 minutes after the same meal each day.', '7741108', 'Kerrigan, O', '90', '06/20/2024', '10/28/2026', 'Active',
      med('tamsulosin', 'Tamsulosin 0.4 mg capsule', { strength: '0.4 mg', dose: '1 capsule', route: 'oral', frequency: 'daily', date: '2024-06-20' })],
    ['Finasteride 5 mg tablet', 'Take 1 tablet by mouth daily.', '7741109', 'Kerrigan, O', '90', '06/20/2024', '10/28/2026', 'Active',
      med('finasteride', 'Finasteride 5 mg tablet', { strength: '5 mg', dose: '1 tablet', route: 'oral', frequency: 'daily', date: '2024-06-20' })],
    ['Warfarin 5 mg tablet', 'Take 1 tablet (5 mg) by mouth on Mon, Wed, Fri and 1/2 tablet all other days, or as directed by the anticoagulation clinic.', '7702231', 'Whitlock-Amadi, S', '26', '08/09/2021', '11/10/2026', 'Active',
      med('warfarin', 'Warfarin 5 mg tablet', { rxcui: '11289', strength: '5 mg', route: 'oral', date: '2021-08-09' })],
    ['Nitroglycerin 0.4 mg sublingual tablet', 'Dissolve 1 tablet under the tongue every 5 minutes as needed for chest pain. Max 3 tablets; call 911 if pain continues.', '7702232', 'Whitlock-Amadi, S', '25', '08/09/2021', '01/05/2026', 'Active',
      med('nitroglycerin', 'Nitroglycerin 0.4 mg sublingual tablet', { strength: '0.4 mg', dose: '1 tablet', route: 'sublingual', frequency: 'as needed', date: '2021-08-09' })],
    ['Fentanyl 25 mcg/hr transdermal patch', 'Apply 1 patch to the skin every 72 hours. Remove old patch. Fold sticky sides together before disposal.', '7755019', 'Osterhagen, P', '10', '04/04/2026', '11/12/2026', 'Active',
      med('fentanyl', 'Fentanyl 25 mcg/hr transdermal patch', { strength: '25 mcg/hr', dose: '1 patch', route: 'transdermal', frequency: 'every 72 hours', date: '2026-04-04' })],
    ['Insulin lispro (Humalog KwikPen) 100 unit/mL pen', 'Inject 4 to 8 units under the skin three times daily with meals per sliding scale.', '7748870', 'Osterhagen, P', '15 mL', '01/12/2025', '10/20/2026', 'Active',
      med('insulin lispro', 'Insulin lispro (Humalog KwikPen) 100 unit/mL pen', { strength: '100 unit/mL', route: 'subcutaneous', frequency: 'three times daily', date: '2025-01-12' })],
    ['Metoprolol succinate ER 25 mg tablet', 'Take 1 tablet by mouth daily.', '7702230', 'Whitlock-Amadi, S', '90', '08/09/2021', '03/18/2026', 'Inactive — discontinued by prescriber 04/02/2026',
      med('metoprolol', 'Metoprolol succinate ER 25 mg tablet', { strength: '25 mg', dose: '1 tablet', route: 'oral', frequency: 'daily', date: '2021-08-09', status: 'discontinued' })],
  ];
  const items = [
    ...rx.map((r) => r[8]),
    allergy('ace inhibitors', 'ACE inhibitors', { reaction: 'cough' }),
    allergy('aspirin', 'Aspirin', { rxcui: '1191', reaction: 'GI bleeding' }),
    allergy('adhesive tape', 'Adhesive tape', { reaction: 'blisters' }),
    cond('chronic obstructive pulmonary disease', 'COPD'), cond('benign prostatic hyperplasia', 'Benign prostatic hyperplasia'),
    cond('atrial fibrillation', 'Atrial fibrillation'), cond('coronary artery disease', 'Coronary artery disease'), cond('type 2 diabetes mellitus', 'Diabetes, type 2'),
    imm('Zoster recombinant (Shingrix)', '2025-02-20', { display: 'Shingrix (zoster recombinant) — dose 2 of 2', cvx: '187', lot: '7H4RK', ev: 'Shingrix (zoster recombinant)' }),
    imm('Zoster recombinant (Shingrix)', '2024-11-18', { display: 'Shingrix (zoster recombinant) — dose 1 of 2', cvx: '187', lot: '5C2PW', ev: '5C2PW' }),
    imm('Influenza, adjuvanted (Fluad)', '2026-09-28', { display: 'Fluad (influenza, adjuvanted)', lot: 'FA9931', ev: 'Fluad' }),
    imm('Pneumococcal conjugate PCV20 (Prevnar 20)', '2024-03-05', { display: 'Prevnar 20', cvx: '216', lot: 'LP3092', ev: 'Prevnar 20' }),
    prov('Ignatius Fairbanks', 'Fairbanks, Ignatius MD', { phone: '4065550126', role: 'prescriber (pulmonology)', ev: 'Fairbanks, Ignatius' }),
    prov('Odalys Kerrigan', 'Kerrigan, Odalys MD', { phone: '4065550141', role: 'prescriber (urology)', ev: 'Kerrigan, Odalys' }),
    prov('Saoirse Whitlock-Amadi', 'Whitlock-Amadi, Saoirse DO', { phone: '4065550155', role: 'prescriber (cardiology)', ev: 'Whitlock-Amadi, Saoirse' }),
    prov('Piet Osterhagen', 'Osterhagen, Piet MD', { phone: '4065550165', role: 'prescriber (primary care)', ev: 'Osterhagen, Piet' }),
    prov('Meridian Drug #0412', 'Meridian Drug #0412', { phone: '4065550109', role: 'pharmacy', optional: true, ev: 'MERIDIAN DRUG' }),
  ];
  const css = `
body { font-family: 'Open Sans', sans-serif; font-size: 8.4pt; color: #111 }
.pg { padding: 0.45in 0.5in 0.55in }
.hd { display: flex; justify-content: space-between; align-items: center; background: #0d4a8a; color: #fff; padding: 6px 10px }
.hd .n { font-size: 16pt; font-weight: 800; letter-spacing: 1px } .hd .s { font-size: 8pt; text-align: right }
.pt { display: flex; justify-content: space-between; border-bottom: 1.5px solid #0d4a8a; padding: 5px 2px; font-size: 9pt }
h4 { margin: 8px 0 2px; font-size: 9pt; color: #0d4a8a; text-transform: uppercase }
table { width: 100%; border-collapse: collapse } th { font-size: 7.5pt; text-align: left; border-bottom: 1px solid #0d4a8a; padding: 2px 3px; color: #0d4a8a }
td { padding: 2px 3px; vertical-align: top } tr.d td { padding-top: 4px } tr.g td { border-bottom: 0.6px solid #bbb; padding-bottom: 4px }
.sig { font-style: italic; color: #333 } .inact td { color: #777 }
.box { border: 1px solid #0d4a8a; padding: 3px 6px; margin-top: 4px }
.foot { position: absolute; bottom: 0.28in; left: 0.5in; right: 0.5in; font-size: 7pt; color: #444; display: flex; justify-content: space-between }`;
  const rows = rx.map((r) => `<tr class="d ${r[7].startsWith('Inactive') ? 'inact' : ''}"><td><b>${r[0]}</b></td><td>${r[2]}</td><td>${r[3]}</td><td>${r[4]}</td><td>${r[5]}</td><td>${r[6]}</td><td>${r[7]}</td></tr>
<tr class="g ${r[7].startsWith('Inactive') ? 'inact' : ''}"><td colspan="7" class="sig">&nbsp;&nbsp;&nbsp;${r[1]}</td></tr>`).join('');
  const html = `<div class="pg">
<div class="hd"><div class="n">MERIDIAN DRUG</div><div class="s">Store #0412 · 2290 Prairie Ave, Bitterroot, MT 59999<br>Pharmacy (406) 555-0109 · Fax (406) 555-0108 · Pharmacist in charge: D. Haugland, RPh</div></div>
<div class="pt"><span><b>Patient Medication Summary</b> for <b>Cornelius Baptiste-Nygaard</b></span><span>Date of birth: March 3, 1944</span><span>Printed Nov 21, 2026</span></div>
<h4>Prescriptions on file (last 12 months)</h4>
<table><tr><th style="width:37%">Medication</th><th>Rx #</th><th>Prescriber</th><th>Qty</th><th>First filled</th><th>Last filled</th><th>Status</th></tr>${rows}</table>
<h4>Prescribers</h4>
<div class="box">Fairbanks, Ignatius MD (pulmonology) 406-555-0126 · Kerrigan, Odalys MD (urology) 406-555-0141 · Whitlock-Amadi, Saoirse DO (cardiology) 406-555-0155 · Osterhagen, Piet MD (primary care) 406-555-0165</div>
<h4>Vaccines given at this pharmacy</h4>
<table><tr><th>Vaccine</th><th>Date</th><th>Lot</th><th>Site</th><th>Administered by</th></tr>
<tr><td>Fluad (influenza, adjuvanted)</td><td>09/28/2026</td><td>FA9931</td><td>L deltoid</td><td>D. Haugland, RPh</td></tr>
<tr><td>Shingrix (zoster recombinant) — dose 2 of 2</td><td>02/20/2025</td><td>7H4RK</td><td>R deltoid</td><td>M. Oyelaran, PharmD</td></tr>
<tr><td>Shingrix (zoster recombinant) — dose 1 of 2</td><td>11/18/2024</td><td>5C2PW</td><td>L deltoid</td><td>D. Haugland, RPh</td></tr>
<tr><td>Prevnar 20</td><td>03/05/2024</td><td>LP3092</td><td>R deltoid</td><td>D. Haugland, RPh</td></tr></table>
<h4>Allergies on file</h4><div class="box">ACE inhibitors (cough); Aspirin (GI bleeding); Adhesive tape (blisters)</div>
<h4>Health conditions on file</h4><div class="box">COPD · Benign prostatic hyperplasia · Atrial fibrillation · Coronary artery disease · Diabetes, type 2</div>
</div><div class="foot"><span>This summary lists prescriptions filled at Meridian Drug stores only. Bring it to every appointment.</span><span>Page 1 of 1</span></div>`;
  return { html: htmlDoc('Medication summary', css, [{ html }]), items, pages: 1 };
}
