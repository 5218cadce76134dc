// Second documents for four of the families, each in a visibly different variant of its layout:
// a terse ambulatory-surgery procedure note (operative-report), an admission H&P in abbreviations (history-physical),
// a preventive-care flowsheet with years as columns (lab-screening-report), a pharmacy pill-schedule card with
// time-of-day tick columns (pharmacy-medsummary).
// Each builder returns { html, items, pages }; item `page` / `also` / `ev` are generator-only (see lib.mjs).
import { htmlDoc, med, noneKnown, imm, screen, cond, denies, surg, prov, allergy } from './lib.mjs';

// operative-report, variant: ambulatory surgery center procedure note, Inconsolata, terse EHR print, "NKDA",
// home meds in abbreviated sigs (qd, qhs, bid), PMH as a comma list of abbreviations, post-op drops.
export function procedureNote() {
  const items = [
    surg('phacoemulsification with posterior chamber IOL, left eye', 'Phacoemulsification with posterior chamber IOL, left eye (OS)', '2024-05-21'),
    cond('cataract, left eye', 'Age-related nuclear cataract, left eye (H25.12)', { icd: 'H25.12' }),
    cond('hypertension', 'HTN', { ev: 'HTN' }), cond('hyperlipidemia', 'HLD', { ev: 'HLD' }), cond('type 2 diabetes mellitus', 'DM2', { ev: 'DM2' }),
    cond('glaucoma suspect', 'glaucoma suspect', { ev: 'glaucoma suspect' }),
    surg('cataract surgery, right eye', 'cataract surgery OD', '2023', { ev: 'cataract surgery OD 2023' }),
    noneKnown('NKDA'),
    allergy('latex', 'LATEX: no', { negated: true, optional: true }),
    med('amlodipine', 'amlodipine 10', { rxcui: '17767', strength: '10 mg', frequency: 'daily', ev: 'amlodipine 10 qd' }),
    med('simvastatin', 'simvastatin 20', { rxcui: '36567', strength: '20 mg', frequency: 'at bedtime', ev: 'simvastatin 20 qhs' }),
    med('glipizide', 'glipizide 5', { strength: '5 mg', frequency: 'twice daily', ev: 'glipizide 5 bid' }),
    med('prednisolone acetate', 'prednisolone acetate 1%', { strength: '1%', dose: '1 drop', route: 'ophthalmic', frequency: 'four times daily', ev: 'prednisolone acetate 1% 1 gtt OS QID' }),
    med('moxifloxacin', 'moxifloxacin 0.5%', { strength: '0.5%', dose: '1 drop', route: 'ophthalmic', frequency: 'three times daily', ev: 'moxifloxacin 0.5% 1 gtt OS TID' }),
    // given once during the procedure (like the op report's cefazolin): optional
    med('tetracaine', 'Topical tetracaine', { route: 'topical', optional: true }),
    med('lidocaine', 'intracameral lidocaine', { route: 'intracameral', optional: true }),
    prov('Yusuf Halloran-Beck', 'Yusuf Halloran-Beck, MD', { organization: 'Clearwater Eye Surgery Center', phone: '4805550117', role: 'ophthalmic surgeon' }),
    prov('Perpetua Ndiaye', 'Dr. Perpetua Ndiaye', { phone: '4805550119', role: 'primary care physician', ev: 'PCP: Dr. Perpetua Ndiaye' }),
  ];
  const css = `
body { font-family: Inconsolata, monospace; font-size: 9.6pt; color: #000 }
.pg { padding: 0.55in 0.7in } pre { font-family: inherit; white-space: pre-wrap; margin: 0; line-height: 1.3 }
.foot { position: absolute; bottom: 0.35in; left: 0.7in; right: 0.7in; font-size: 8pt; display: flex; justify-content: space-between }`;
  const txt = `CLEARWATER EYE SURGERY CENTER                                   ph 480-555-0117
9 Saguaro Plaza, Tempeston AZ 85999                             fx 480-555-0118
================================================================================
PROCEDURE NOTE                                    DOS: May 21, 2024   OR 2
PT: BREVIK-AMARAL, OTTOLINE       DOB: 01/30/1951    MRN: CESC-0091553
SURGEON: Yusuf Halloran-Beck, MD      ANES: MAC + topical (CRNA J. Pell)
--------------------------------------------------------------------------------
PRE-OP DX:  Age-related nuclear cataract, left eye (H25.12)
POST-OP DX: Same
PROCEDURE:  Phacoemulsification with posterior chamber IOL, left eye (OS)
            IOL: SN60WF +21.0 D, lot 22871034
COMPLICATIONS: none      EBL: minimal      SPECIMEN: none
--------------------------------------------------------------------------------
HX: 73F. PMH: HTN, HLD, DM2 (A1c 6.8), glaucoma suspect.
PSH: cataract surgery OD 2023; hysterectomy (remote, pt unsure of year).
ALLERGIES: NKDA.  LATEX: no.
HOME MEDS: amlodipine 10 qd; simvastatin 20 qhs; glipizide 5 bid (held AM of surgery).
--------------------------------------------------------------------------------
DESCRIPTION: Pt identified, OS marked. Topical tetracaine, intracameral lidocaine.
Clear corneal incision temporally, capsulorhexis, phaco chop, I/A, IOL in the bag.
Wounds hydrated and watertight. Intracameral moxifloxacin. Shield placed.
--------------------------------------------------------------------------------
POST-OP ORDERS:
  prednisolone acetate 1% 1 gtt OS QID x 1 wk then taper per sheet
  moxifloxacin 0.5% 1 gtt OS TID x 1 wk
  no rubbing, shield at night x 1 wk; f/u POD1 with Dr. Halloran-Beck
PCP: Dr. Perpetua Ndiaye, ph 480-555-0119 -- copy sent
--------------------------------------------------------------------------------
e-signed Yusuf Halloran-Beck, MD 05/21/2024 09:48`;
  const html = `<div class="pg"><pre>${txt}</pre></div><div class="foot"><span>CESC-0091553 BREVIK-AMARAL, O</span><span>pg 1/1</span></div>`;
  items.push(surg('hysterectomy', 'hysterectomy', undefined, { ev: 'hysterectomy (remote' }));
  return { html: htmlDoc('Procedure note', css, [{ html }]), items, pages: 1 };
}

// history-physical, variant: hospital admission H&P in abbreviations, ALL CAPS headings, "s/p" surgical history,
// pack-years, denials, FHx line, NKDA, and a cardiac catheterisation *scheduled for tomorrow* (not a surgery).
export function admissionHP() {
  const items = [
    cond('non-ST elevation myocardial infarction', 'NSTEMI (I21.4)', { icd: 'I21.4', ev: 'NSTEMI (I21.4)' }),
    cond('coronary artery disease', 'CAD s/p CABG', { ev: 'CAD s/p CABG' }),
    cond('heart failure with reduced ejection fraction', 'HFrEF, EF 35%', { ev: 'HFrEF, EF 35%' }),
    cond('type 2 diabetes mellitus', 'T2DM on insulin', { ev: 'T2DM on insulin' }),
    cond('chronic kidney disease stage 3a', 'CKD 3a', { ev: 'CKD 3a' }),
    cond('gout', 'gout', { ev: 'gout (last flare 2023)' }),
    surg('coronary artery bypass graft x3', 'CABG x3', '2015', { ev: 'CABG x3 (2015)' }),
    surg('right total knee arthroplasty', 'R TKA', '2020', { ev: 'R TKA 2020' }),
    surg('cholecystectomy', 'lap chole', '2009', { ev: 'lap chole 2009' }),
    noneKnown('NKDA'),
    med('aspirin', 'ASA 81 mg', { rxcui: '1191', strength: '81 mg', frequency: 'daily', ev: 'ASA 81 mg daily' }),
    med('clopidogrel', 'clopidogrel 75 mg', { strength: '75 mg', frequency: 'daily', ev: 'clopidogrel 75 mg daily' }),
    med('carvedilol', 'carvedilol 12.5 mg', { strength: '12.5 mg', frequency: 'twice daily', ev: 'carvedilol 12.5 mg BID' }),
    med('sacubitril / valsartan', 'Entresto 49/51 mg', { strength: '49 mg / 51 mg', frequency: 'twice daily', ev: 'Entresto 49/51 mg BID' }),
    med('rosuvastatin', 'rosuvastatin 40 mg', { strength: '40 mg', frequency: 'at bedtime', ev: 'rosuvastatin 40 mg QHS' }),
    med('insulin degludec', 'insulin degludec (Tresiba FlexTouch) 30 units', { dose: '30 units', route: 'subcutaneous', frequency: 'daily', ev: 'insulin degludec (Tresiba FlexTouch) 30 units SC daily' }),
    med('colchicine', 'colchicine 0.6 mg', { strength: '0.6 mg', frequency: 'as needed', ev: 'colchicine 0.6 mg PRN gout flare' }),
    med('heparin', 'heparin infusion', { route: 'intravenous', optional: true, ev: 'heparin infusion' }),
    cond('tobacco use', '40 pk-yr former smoker, quit 2010', { optional: true, ev: '40 pk-yr former smoker, quit 2010' }),
    denies('alcohol use', 'EtOH: denies', { ev: 'EtOH: denies' }),
    denies('recreational drug use', 'illicit drugs: denies', { ev: 'illicit drugs: denies' }),
    denies('syncope', 'syncope', { ev: 'syncope' }),
    denies('melena', 'melena', { ev: 'melena' }),
    denies('hematemesis', 'hematemesis', { ev: 'hematemesis' }),
    imm('Influenza, seasonal', '2026-10', { display: 'flu shot 10/2026', ev: 'flu shot 10/2026' }),
    imm('COVID-19', '2025-09', { display: 'COVID booster 9/2025', ev: 'COVID booster 9/2025' }),
    prov('Beatrix Solano-Whitaker', 'Beatrix Solano-Whitaker, MD', { organization: 'St. Columba Regional Hospital', role: 'admitting hospitalist', ev: 'Beatrix Solano-Whitaker, MD' }),
    prov('Henrik Abiodun-Marsh', 'Dr. Henrik Abiodun-Marsh', { phone: '3155550137', role: 'cardiologist', ev: 'Dr. Henrik Abiodun-Marsh' }),
    prov('Clementine Oduya', 'Dr. Clementine Oduya', { phone: '3155550142', role: 'primary care physician', ev: 'Dr. Clementine Oduya' }),
  ];
  const css = `
body { font-family: 'Liberation Serif', serif; font-size: 10pt; color: #000 }
.pg { padding: 0.55in 0.75in 0.6in } .hosp { text-align: center; font-weight: bold; font-size: 12pt } .sub { text-align: center; font-size: 8.5pt; margin-bottom: 6px }
.id { border-top: 1px solid #000; border-bottom: 1px solid #000; padding: 3px 0; font-size: 9pt; display: flex; justify-content: space-between; margin-bottom: 6px }
p { margin: 3px 0 6px; line-height: 1.3 } b.h { text-decoration: underline }
.foot { position: absolute; bottom: 0.3in; left: 0.75in; right: 0.75in; font-size: 8pt; text-align: center }`;
  const html = `<div class="pg"><div class="hosp">ST. COLUMBA REGIONAL HOSPITAL</div><div class="sub">Inpatient Medicine · 300 Abbey Road, Cold Spring, NY 13999 · Main (315) 555-0130</div>
<div class="id"><span>RUIZ-LINDQVIST, THADDEUS</span><span>DOB 1/27/1971</span><span>MRN 7734019</span><span>FIN 26-330981</span><span>Admit 12/01/2026</span></div>
<p><b class="h">ADMISSION HISTORY AND PHYSICAL</b></p>
<p><b class="h">CC:</b> chest pressure x 6 h.</p>
<p><b class="h">HPI:</b> 55M w/ CAD s/p CABG, HFrEF, EF 35%, T2DM on insulin, CKD 3a presents w/ substernal pressure radiating to L arm, onset at rest 0400, troponin 0.41 → 0.88.
ECG w/ 1 mm ST depression V4–V6. Given ASA 325, started on heparin infusion in ED. Denies syncope, melena or hematemesis.</p>
<p><b class="h">PMHx:</b> as above; gout (last flare 2023).</p>
<p><b class="h">PSHx:</b> CABG x3 (2015); R TKA 2020; lap chole 2009.</p>
<p><b class="h">HOME MEDS:</b> ASA 81 mg daily; clopidogrel 75 mg daily; carvedilol 12.5 mg BID; Entresto 49/51 mg BID; rosuvastatin 40 mg QHS;
insulin degludec (Tresiba FlexTouch) 30 units SC daily; colchicine 0.6 mg PRN gout flare.</p>
<p><b class="h">ALLERGIES:</b> NKDA.</p>
<p><b class="h">SHx:</b> 40 pk-yr former smoker, quit 2010. EtOH: denies. illicit drugs: denies. Works as a long-haul trucker; lives w/ wife.</p>
<p><b class="h">FHx:</b> father MI at 52, mother T2DM and breast CA, brother sudden cardiac death at 49.</p>
<p><b class="h">IMMS:</b> flu shot 10/2026; COVID booster 9/2025; pneumococcal not documented.</p>
<p><b class="h">ROS:</b> 12-point ROS negative except per HPI.</p>
<p><b class="h">EXAM:</b> T 36.8, HR 88, BP 142/86, SpO2 96% RA. Sternotomy scar well healed. Lungs: bibasilar crackles. No JVD. 1+ edema bilat ankles.</p>
<p><b class="h">A/P:</b> NSTEMI (I21.4) in pt w/ known CAD. Continue heparin, ASA, clopidogrel, high-intensity statin. Cardiology (Dr. Henrik Abiodun-Marsh, 315-555-0137)
consulted — left heart catheterization scheduled for tomorrow AM; NPO after midnight. Hold Entresto tonight given contrast load; hold colchicine. Insulin: degludec 24 units + correction.
PCP Dr. Clementine Oduya (315-555-0142) notified.</p>
<p style="margin-top:12px">Beatrix Solano-Whitaker, MD — Hospitalist — 12/01/2026 09:30</p></div>
<div class="foot">RUIZ-LINDQVIST, THADDEUS · MRN 7734019 · Page 1 of 1</div>`;
  return { html: htmlDoc('Admission H&P', css, [{ html }]), items, pages: 1 };
}

// lab-screening-report, variant: clinic preventive-care flowsheet — one row per measure, years as columns, a cell holds
// "MM/DD result"; DUE/declined cells; a PSA trend; AAA ultrasound; a Cologuard; an LDCT.
export function preventiveFlowsheet() {
  const Y = ['2022', '2023', '2024', '2025', '2026'];
  const rowsDef = [
    ['PSA (ng/mL)', { 2022: '03/14 · 1.8', 2023: '03/20 · 2.1', 2025: '04/02 · 2.6' }, (y, v) => screen('psa', 'PSA', `${y}-${v.slice(0, 2)}-${v.slice(3, 5)}`, `${v.split('· ')[1]} ng/mL`, { ev: v })],
    ['Hemoglobin A1c (%)', { 2023: '03/20 · 6.1', 2024: '09/09 · 6.3', 2026: '08/11 · 6.4' }, (y, v) => screen('other', 'Hemoglobin A1c', `${y}-${v.slice(0, 2)}-${v.slice(3, 5)}`, `${v.split('· ')[1]}%`, { loinc: '4548-4', ev: v })],
    ['Low-dose CT chest (Lung-RADS)', { 2024: '01/17 · 2', 2025: '01/22 · 2', 2026: 'DUE' }, (y, v) => screen('lung-ct', 'Low-dose CT chest', `${y}-${v.slice(0, 2)}-${v.slice(3, 5)}`, `Lung-RADS ${v.split('· ')[1]}`, { ev: v })],
    ['Stool DNA (Cologuard)', { 2023: '06/05 · neg' }, (y, v) => screen('fecal-dna', 'Cologuard', `${y}-${v.slice(0, 2)}-${v.slice(3, 5)}`, 'negative', { ev: v })],
    ['FIT', { 2022: '05/10 · neg', 2026: 'declined' }, (y, v) => screen('fecal-occult-blood', 'FIT', `${y}-${v.slice(0, 2)}-${v.slice(3, 5)}`, 'negative', { ev: v })],
    ['AAA ultrasound', { 2026: '02/27 · 2.4 cm, nl' }, (y, v) => screen('other', 'Abdominal aortic aneurysm ultrasound', `${y}-${v.slice(0, 2)}-${v.slice(3, 5)}`, '2.4 cm, normal', { ev: v })],
  ];
  const items = [];
  for (const [, cells, mk] of rowsDef) for (const [y, v] of Object.entries(cells)) if (/^\d\d\//.test(v)) items.push(mk(y, v));
  const immRows = [
    ['Influenza', { 2022: '10/04', 2023: '10/11', 2024: '09/30', 2025: '10/02', 2026: 'DUE' }, 'Influenza, seasonal', null],
    ['Tdap / Td', { 2023: '03/20 Tdap' }, 'Tdap', '115'],
    ['Zoster (Shingrix)', { 2024: '01/17 #1', 2025: '01/22 #2' }, 'Zoster recombinant (Shingrix)', '187'],
    ['Pneumococcal', { 2026: 'PCV20 08/11' }, 'Pneumococcal conjugate PCV20', '216'],
  ];
  for (const [, cells, v, cvx] of immRows) for (const [y, c] of Object.entries(cells)) {
    const m = c.match(/(\d\d)\/(\d\d)/); if (!m) continue;
    items.push(imm(v, `${String(y).slice(0, 4)}-${m[1]}-${m[2]}`, { display: `${v} ${c}`, ...(cvx ? { cvx } : {}), ev: c }));
  }
  items.push(
    cond('tobacco use', 'Current smoker, 1 ppd (30 pack-years)', { ev: 'Current smoker, 1 ppd (30 pack-years)' }),
    cond('prediabetes', 'Prediabetes (R73.03)', { icd: 'R73.03' }),
    cond('benign prostatic hyperplasia', 'BPH without LUTS (N40.0)', { icd: 'N40.0' }),
    prov('Leopold Akintola-Reyes', 'Leopold Akintola-Reyes, DO', { organization: 'Granite Bay Internal Medicine', phone: '7755550102', fax: '7755550103', role: 'primary care physician' }),
  );
  const cell = (cells, y) => { const v = cells[y] ?? ''; return v === 'DUE' ? '<span class="due">DUE</span>' : v === 'declined' ? '<i>declined</i>' : v; };
  const css = `
body { font-family: 'TeX Gyre Heros Cn', 'Liberation Sans Narrow', sans-serif; font-size: 9.5pt; color: #111 }
.pg { padding: 0.5in 0.6in } .h1 { font-size: 15pt; font-weight: bold } .h2 { font-size: 9pt; margin-bottom: 6px }
.pt { background: #222; color: #fff; padding: 4px 8px; display: flex; justify-content: space-between; font-size: 9.5pt }
table { width: 100%; border-collapse: collapse; margin-top: 6px } td, th { border: 1px solid #777; padding: 3px 5px; text-align: center } td:first-child, th:first-child { text-align: left; width: 26% }
th { background: #ddd } .sec td { background: #f0f0f0; font-weight: bold; text-align: left }
.due { color: #fff; background: #c00; padding: 0 4px; font-weight: bold } .note { font-size: 8.5pt; margin-top: 8px; line-height: 1.35 }
.foot { position: absolute; bottom: 0.3in; left: 0.6in; right: 0.6in; font-size: 7.5pt; display: flex; justify-content: space-between; color: #444 }`;
  const tr = (name, cells) => `<tr><td>${name}</td>${Y.map((y) => `<td>${cell(cells, y)}</td>`).join('')}</tr>`;
  const html = `<div class="pg"><div class="h1">Granite Bay Internal Medicine</div><div class="h2">4120 Summit Blvd · Renwick, NV 89999 · phone 775-555-0102 · fax 775-555-0103</div>
<div class="pt"><span>PREVENTIVE CARE FLOWSHEET</span><span>Achebe-Farrow, Desmond K.</span><span>DOB 07-Jul-1956</span><span>Acct 118-2207</span><span>PCP Leopold Akintola-Reyes, DO</span></div>
<table><tr><th>Measure</th>${Y.map((y) => `<th>${y}</th>`).join('')}</tr>
<tr class="sec"><td colspan="6">SCREENING (date · result)</td></tr>${rowsDef.map(([n, c]) => tr(n, c)).join('')}
<tr class="sec"><td colspan="6">IMMUNIZATIONS (date given)</td></tr>${tr('Influenza', immRows[0][1])}${tr('Tdap / Td', immRows[1][1])}${tr('Zoster (Shingrix)', immRows[2][1])}${tr('Pneumococcal', immRows[3][1])}
</table>
<div class="note"><b>Risk factors:</b> Current smoker, 1 ppd (30 pack-years) — cessation counselling each visit. <b>Problems relevant to screening:</b> Prediabetes (R73.03);
BPH without LUTS (N40.0). <b>Family:</b> brother with prostate cancer at 61 (father's side: colon polyps).<br>
<b>Next:</b> LDCT due 01/2027; colorectal screening due 06/2026 (FIT declined 2026, Cologuard offered); PSA yearly per shared decision.</div></div>
<div class="foot"><span>Flowsheet printed 11/30/2026 by Granite Bay IM</span><span>Achebe-Farrow, Desmond K. · 07-Jul-1956</span><span>1/1</span></div>`;
  return { html: htmlDoc('Preventive flowsheet', css, [{ html }]), items, pages: 1 };
}

// pharmacy-medsummary, variant: pharmacy "My Pill Schedule" card — one row per medicine with a plain-words purpose,
// Morning / Noon / Evening / Bedtime tick columns instead of a written frequency, a picture box, stopped medicines struck through.
export function pillSchedule() {
  const T = '●';
  const rows = [
    ['Levetiracetam 500 mg tablet (Keppra)', 'seizures', [1, 0, 1, 0], '1 tablet', med('levetiracetam', 'Levetiracetam 500 mg tablet (Keppra)', { strength: '500 mg', dose: '1 tablet', frequency: 'twice daily' })],
    ['Lamotrigine 100 mg tablet', 'seizures / mood', [1, 0, 0, 1], '1 tablet', med('lamotrigine', 'Lamotrigine 100 mg tablet', { strength: '100 mg', dose: '1 tablet', frequency: 'twice daily' })],
    ['Escitalopram 10 mg tablet', 'mood', [1, 0, 0, 0], '1 tablet', med('escitalopram', 'Escitalopram 10 mg tablet', { strength: '10 mg', dose: '1 tablet', frequency: 'daily' })],
    ['Pantoprazole 40 mg DR tablet', 'stomach / heartburn', [1, 0, 0, 0], '1 tablet before breakfast', med('pantoprazole', 'Pantoprazole 40 mg DR tablet', { strength: '40 mg', dose: '1 tablet', frequency: 'daily' })],
    ['Metformin 500 mg tablet', 'blood sugar', [1, 0, 1, 0], '1 tablet with food', med('metformin', 'Metformin 500 mg tablet', { strength: '500 mg', dose: '1 tablet', frequency: 'twice daily' })],
    ['Semaglutide 0.5 mg/dose pen (Ozempic)', 'blood sugar / weight', null, 'inject 0.5 mg under the skin once a week on Saturday', med('semaglutide', 'Semaglutide 0.5 mg/dose pen (Ozempic)', { strength: '0.5 mg', route: 'subcutaneous', frequency: 'weekly' })],
    ['Melatonin 3 mg tablet (OTC)', 'sleep', [0, 0, 0, 1], '1 tablet', med('melatonin', 'Melatonin 3 mg tablet (OTC)', { strength: '3 mg', dose: '1 tablet', frequency: 'at bedtime' })],
    ['Mometasone 50 mcg nasal spray', 'allergies', [1, 0, 0, 0], '2 sprays each nostril', med('mometasone', 'Mometasone 50 mcg nasal spray', { strength: '50 mcg', dose: '2 sprays', route: 'nasal', frequency: 'daily' })],
    ['Estradiol 0.05 mg/24 hr patch', 'menopause', null, 'apply 1 patch twice a week (Sun / Wed)', med('estradiol', 'Estradiol 0.05 mg/24 hr patch', { strength: '0.05 mg/24 hr', dose: '1 patch', route: 'transdermal', frequency: 'twice weekly' })],
  ];
  const stopped = [['Phenytoin 100 mg capsule', 'stopped 03/2026 — replaced by Keppra', med('phenytoin', 'Phenytoin 100 mg capsule', { strength: '100 mg', status: 'discontinued' })],
    ['Sumatriptan 50 mg tablet', 'stopped 07/2025', med('sumatriptan', 'Sumatriptan 50 mg tablet', { strength: '50 mg', status: 'discontinued' })]];
  const items = [
    ...rows.map((r) => r[4]), ...stopped.map((r) => r[2]),
    allergy('carbamazepine', 'Carbamazepine', { reaction: 'Stevens-Johnson syndrome', severity: 'severe' }),
    allergy('egg', 'Eggs', { reaction: 'stomach upset', severity: 'mild' }),
    prov('Rosamund Iwu-Falk', 'Dr. Rosamund Iwu-Falk', { phone: '6085550128', role: 'neurologist' }),
    prov('Caspian Ferrante', 'Dr. Caspian Ferrante', { phone: '6085550133', role: 'primary care physician' }),
    prov('Heronsgate Pharmacy', 'Heronsgate Pharmacy', { phone: '6085550106', role: 'pharmacy', optional: true, ev: 'HERONSGATE PHARMACY' }),
  ];
  const css = `
body { font-family: 'TeX Gyre Schola', serif; font-size: 10pt; color: #111 }
.pg { padding: 0.5in 0.55in } .top { display: flex; justify-content: space-between; align-items: center; border-bottom: 4px solid #7a2e8c; padding-bottom: 4px }
.top .n { font-size: 17pt; font-weight: bold; color: #7a2e8c; font-family: 'TeX Gyre Adventor' } .top .s { font-size: 8.5pt; text-align: right }
.who { margin: 6px 0; font-size: 10.5pt } table { width: 100%; border-collapse: collapse } th { background: #7a2e8c; color: #fff; font-size: 8.5pt; padding: 3px }
td { border: 1px solid #999; padding: 4px; vertical-align: middle } td.t { text-align: center; font-size: 14pt; width: 8%; color: #7a2e8c; font-family: 'DejaVu Sans' }
td.pic { width: 7% } .pic span { display: inline-block; width: 22px; height: 12px; border-radius: 6px; background: #e8d8ee; border: 1px solid #b9a }
.why { font-size: 8.5pt; color: #444 } .st td { text-decoration: line-through; color: #777 } h4 { margin: 10px 0 3px; color: #7a2e8c }
.foot { position: absolute; bottom: 0.3in; left: 0.55in; right: 0.55in; font-size: 7.5pt; color: #555; display: flex; justify-content: space-between }`;
  const trs = rows.map((r) => `<tr><td class="pic"><span></span></td><td><b>${r[0]}</b><br><span class="why">for ${r[1]} · ${r[3]}</span></td>${r[2] ? r[2].map((x) => `<td class="t">${x ? T : ''}</td>`).join('') : `<td colspan="4" style="text-align:center;font-size:9pt">${r[3]}</td>`}</tr>`).join('');
  const html = `<div class="pg"><div class="top"><div class="n">HERONSGATE PHARMACY</div><div class="s">61 Lakeshore Dr · Madrona, WI 53999 · (608) 555-0106<br>Medication review by Ines Garrow, PharmD · Nov 14, 2026</div></div>
<div class="who"><b>My Pill Schedule</b> — Wilhelmina Osei-Brandt &nbsp;·&nbsp; born 12 April 1972 &nbsp;·&nbsp; doctors: Dr. Rosamund Iwu-Falk (neurology) 608-555-0128, Dr. Caspian Ferrante (family medicine) 608-555-0133</div>
<table><tr><th></th><th style="text-align:left">Medicine · what it is for · how much</th><th>Morning</th><th>Noon</th><th>Evening</th><th>Bedtime</th></tr>${trs}</table>
<h4>Medicines I no longer take</h4>
<table>${stopped.map((r) => `<tr class="st"><td style="width:45%"><b>${r[0]}</b></td><td>${r[1]}</td></tr>`).join('')}</table>
<h4>Allergies</h4><p style="margin:2px 0">Carbamazepine — Stevens-Johnson syndrome (severe). Eggs — stomach upset (mild).</p>
<h4>Notes from your pharmacist</h4><p style="margin:2px 0;font-size:9pt">Keep a 7-day pill box. Do not stop seizure medicines suddenly. Your flu shot is due — ask at the counter.</p>
</div><div class="foot"><span>Heronsgate Pharmacy · this schedule is based on our records and what you told us</span><span>1 of 1</span></div>`;
  return { html: htmlDoc('Pill schedule', css, [{ html }]), items, pages: 1 };
}
