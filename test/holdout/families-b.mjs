// Layout families 5–8 of the held-out corpus. Each returns { title, html, items, pages }.
// Everything here is invented: people, clinics, addresses; phone numbers are in the 555-01xx range.
import { htmlDoc, esc, med, allergy, noneKnown, imm, screen, cond, denies, surg, prov } from './lib.mjs';

// ---------------------------------------------------------------------------------------------
// 5. Cancer screening history table (women's health program) with Result and Next-due columns.
// ---------------------------------------------------------------------------------------------
export function screeningHistory() {
  const rows = [
    ['Screening mammogram, bilateral (3D)', '02/11/2026', 'BI-RADS 1 — negative', 'Prairie Sky Imaging', '02/2027', screen('mammogram', 'Screening mammogram, bilateral (3D)', '2026-02-11', 'BI-RADS 1 — negative', { ev: 'BI-RADS 1' })],
    ['Screening mammogram, bilateral', '01/28/2025', 'BI-RADS 2 — benign finding', 'Prairie Sky Imaging', '—', screen('mammogram', 'Screening mammogram, bilateral', '2025-01-28', 'BI-RADS 2 — benign finding', { ev: 'BI-RADS 2' })],
    ['Diagnostic mammogram (L) + breast ultrasound', 'March 2023', 'BI-RADS 3 — probably benign', 'Prairie Sky Imaging', '—', screen('mammogram', 'Diagnostic mammogram (L) + breast ultrasound', '2023-03', 'BI-RADS 3 — probably benign', { ev: 'BI-RADS 3' })],
    ['Pap test (cervical cytology)', '2021', 'NILM (negative)', 'Women’s Health Clinic', '2026', screen('cervical-cytology', 'Pap test (cervical cytology)', '2021', 'NILM (negative)', { ev: 'Pap test (cervical cytology)' })],
    ['HPV co-test (high-risk types)', '2021', 'not detected', 'Women’s Health Clinic', '2026', screen('hpv-test', 'HPV co-test (high-risk types)', '2021', 'not detected', { ev: 'HPV co-test' })],
    ['Colonoscopy', '6 Aug 2019', '2 tubular adenomas (&lt;10 mm) removed', 'Dr. E. Holloway-Stiles, GI', 'Aug 2026 — OVERDUE', screen('colonoscopy', 'Colonoscopy', '2019-08-06', '2 tubular adenomas (<10 mm) removed', { ev: '6 Aug 2019' })],
    ['FIT (fecal immunochemical test)', '09/2024', 'negative', 'mailed kit', '09/2025', screen('fecal-occult-blood', 'FIT (fecal immunochemical test)', '2024-09', 'negative', { ev: 'FIT (fecal immunochemical test)' })],
    ['Low-dose CT chest (lung screening)', '4 Mar 2025', 'Lung-RADS 2 — benign appearance', 'Prairie Sky Imaging', '03/2026 — DUE', screen('lung-ct', 'Low-dose CT chest (lung screening)', '2025-03-04', 'Lung-RADS 2 — benign appearance', { ev: 'Lung-RADS 2' })],
    ['DXA bone density', '10/2024', 'T-score −1.8 (lumbar spine)', 'Prairie Sky Imaging', '10/2026', screen('bone-density', 'DXA bone density', '2024-10', 'T-score -1.8 (lumbar spine)', { ev: 'DXA bone density' })],
    ['Full-body skin exam', '2022', 'no suspicious lesions', 'Dermatology', '—', screen('skin-exam', 'Full-body skin exam', '2022', 'no suspicious lesions', { ev: 'Full-body skin exam' })],
  ];
  const items = rows.map((r) => r[5]);
  items.push(screen('other', 'BRCA1/BRCA2 genetic testing', '2020', 'no pathogenic variant', { optional: true, ev: 'BRCA1/BRCA2' }));
  items.push(cond('former smoker', 'former smoker, 32 pack-years, quit 2016', { optional: true }));
  items.push(prov('Saoirse Lindgren-Abara', 'Saoirse Lindgren-Abara, MD', { organization: "Prairie Sky Women's Health", phone: '(605) 555-0131', role: 'primary care / ordering provider' }));
  items.push(prov('E. Holloway-Stiles', 'Dr. E. Holloway-Stiles, GI', { role: 'gastroenterologist (colonoscopy)', optional: true, ev: 'Holloway-Stiles' }));
  items.push(prov('Hollis Brandt', 'Hollis Brandt, RN', { role: 'nurse navigator', phone: '(605) 555-0135', optional: true }));
  const css = `
.page { padding: 0.5in 0.55in; font-family: 'TeX Gyre Adventor', sans-serif; font-size: 9pt; color: #222 }
.band { background: #5b2a6e; color: #fff; margin: -0.5in -0.55in 0; padding: 14px 0.55in 10px; display: flex; justify-content: space-between; align-items: flex-end }
.band h1 { margin: 0; font-size: 15pt; font-weight: bold } .band div { font-size: 8pt }
.pt { display: grid; grid-template-columns: 2fr 1fr 1fr 1fr; border: 1.5px solid #5b2a6e; margin: 12px 0 } .pt div { padding: 5px 8px; border-right: 1px solid #c9b3d3 } .pt div:last-child { border: 0 }
.pt b { display: block; font-size: 6.8pt; color: #5b2a6e; letter-spacing: .6px; text-transform: uppercase }
table { border-collapse: collapse; width: 100% } th { background: #efe6f3; color: #5b2a6e; font-size: 7.8pt; text-transform: uppercase; letter-spacing: .4px; text-align: left; padding: 5px }
td { padding: 5px; border-bottom: 1px solid #ddd; vertical-align: top } tr:nth-child(even) td { background: #faf7fb } td.due { color: #8a8a8a; font-style: italic } .od { color: #b00020; font-weight: bold; font-style: normal }
h2 { font-size: 10pt; color: #5b2a6e; margin: 14px 0 4px; text-transform: uppercase; letter-spacing: .8px }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px } .kv div { padding: 2px 0; border-bottom: 1px dotted #bbb }
.foot { position: absolute; bottom: 0.35in; left: 0.55in; right: 0.55in; display: flex; justify-content: space-between; font-size: 7pt; color: #777 }`;
  const trs = rows.map((r) => `<tr><td>${r[0]}</td><td>${r[1]}</td><td>${r[2]}</td><td>${r[3]}</td><td class="due">${/OVERDUE|DUE/.test(r[4]) ? `<span class="od">${r[4]}</span>` : r[4]}</td></tr>`).join('');
  const html = `
<div class="band"><div><div>PRAIRIE SKY WOMEN'S HEALTH · CANCER SCREENING &amp; PREVENTION PROGRAM</div><h1>Screening History</h1></div><div>Printed 11/12/2026 09:14<br>Report SCR-HX v3</div></div>
<div class="pt"><div><b>Patient</b>Delphine M. Achterberg</div><div><b>DOB</b>05/09/1962</div><div><b>MRN</b>22094417</div><div><b>Ordering / PCP</b>S. Lindgren-Abara, MD</div></div>
<table><tr><th style="width:30%">Test</th><th>Date</th><th style="width:24%">Result</th><th>Where / by</th><th>Next due</th></tr>${trs}</table>
<p style="font-size:7.8pt;color:#666">"Next due" dates are reminders calculated from program intervals. Scheduled: screening colonoscopy 12/08/2026 (not yet done). Low-dose CT for 2026 ordered, not yet performed.</p>
<div class="two"><div><h2>Risk profile</h2><div class="kv">
<div>Tobacco: former smoker, 32 pack-years, quit 2016</div><div>BRCA1/BRCA2 genetic testing: no pathogenic variant (2020)</div><div>Lifetime breast cancer risk (Tyrer-Cuzick): 22%</div></div></div>
<div><h2>Family history of cancer</h2><div class="kv"><div>Mother — breast cancer, age 52</div><div>Sister — ovarian cancer, age 47</div><div>Maternal uncle — colon cancer, age 60</div></div></div></div>
<h2>Your care team</h2>
<div class="kv"><div>Primary care / ordering: Saoirse Lindgren-Abara, MD · Prairie Sky Women's Health · (605) 555-0131</div><div>Nurse navigator: Hollis Brandt, RN · (605) 555-0135</div></div>
<div class="foot"><span>Prairie Sky Women's Health · 77 Meadowlark Blvd, Sioux Prairie · fax (605) 555-0132</span><span>Achterberg, D · 22094417 · 1/1</span></div>`;
  return { title: 'Screening History', html: htmlDoc('Screening History', css, [{ html }]), items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 6. Home-health agency medication profile: condensed narrow columns, drug names wrap in cells.
// ---------------------------------------------------------------------------------------------
export function homeHealthMedlist() {
  const M = [
    ['Metoprolol succinate extended-release 24 hr 25 mg tablet', '1 tab', 'PO', 'once daily', '03/2021', 'active', '', med('metoprolol succinate', 'Metoprolol succinate extended-release 24 hr 25 mg tablet', { strength: '25 mg', dose: '1 tab', route: 'oral', frequency: 'once daily', date: '2021-03', status: 'active', rxcui: '6918', ev: 'Metoprolol succinate' })],
    ['Furosemide 40 mg tablet', '1 tab', 'PO', 'BID', '09/15/2026', 'active', 'C', med('furosemide', 'Furosemide 40 mg tablet', { strength: '40 mg', dose: '1 tab', route: 'oral', frequency: 'BID', date: '2026-09-15', status: 'active', rxcui: '4603' })],
    ['Insulin glargine (Lantus SoloStar) 100 units/mL pen injector', '18 units', 'SubQ', 'at bedtime', '2022', 'active', '', med('insulin glargine', 'Insulin glargine (Lantus SoloStar) 100 units/mL pen injector', { strength: '100 units/mL', dose: '18 units', route: 'subcutaneous', frequency: 'at bedtime', date: '2022', status: 'active', rxcui: '274783', ev: 'Insulin glargine' })],
    ['Insulin lispro (Humalog KwikPen) 100 units/mL pen injector', 'per sliding scale', 'SubQ', 'with meals', '2022', 'active', '', med('insulin lispro', 'Insulin lispro (Humalog KwikPen) 100 units/mL pen injector', { strength: '100 units/mL', route: 'subcutaneous', frequency: 'with meals', date: '2022', status: 'active', rxcui: '86009', ev: 'Insulin lispro' })],
    ['Apixaban 2.5 mg tablet', '1 tab', 'PO', 'twice daily', '06/2023', 'active', '', med('apixaban', 'Apixaban 2.5 mg tablet', { strength: '2.5 mg', dose: '1 tab', route: 'oral', frequency: 'twice daily', date: '2023-06', status: 'active', rxcui: '1364430' })],
    ['Potassium chloride extended-release 10 mEq tablet', '1 tab', 'PO', 'daily', '09/15/2026', 'D/C 10/20/2026', 'N', med('potassium chloride', 'Potassium chloride extended-release 10 mEq tablet', { strength: '10 mEq', dose: '1 tab', route: 'oral', frequency: 'daily', date: '2026-09-15', status: 'discontinued', rxcui: '8591', ev: ['Potassium chloride', 'D/C 10/20/2026'] })],
    ['Acetaminophen 325 mg tablet', '2 tabs', 'PO', 'every 6 hours PRN pain (max 3 g/day)', '', 'active', '', med('acetaminophen', 'Acetaminophen 325 mg tablet', { strength: '325 mg', dose: '2 tabs', route: 'oral', frequency: 'every 6 hours as needed', status: 'active', rxcui: '161' })],
    ['Alendronate 70 mg tablet', '1 tab', 'PO', 'weekly (Sunday AM, upright 30 min)', '2020', 'active', '', med('alendronate', 'Alendronate 70 mg tablet', { strength: '70 mg', dose: '1 tab', route: 'oral', frequency: 'weekly', date: '2020', status: 'active', rxcui: '46041' })],
    ['Polyethylene glycol 3350 powder for oral solution', '17 g', 'PO', 'daily PRN constipation', '09/15/2026', 'active', 'N', med('polyethylene glycol 3350', 'Polyethylene glycol 3350 powder for oral solution', { dose: '17 g', route: 'oral', frequency: 'as needed', date: '2026-09-15', status: 'active', ev: 'Polyethylene glycol 3350' })],
    ['Sertraline 50 mg tablet', '1 tab', 'PO', 'daily', '2019', 'D/C 09/30/2026', '', med('sertraline', 'Sertraline 50 mg tablet', { strength: '50 mg', dose: '1 tab', route: 'oral', frequency: 'daily', date: '2019', status: 'discontinued', rxcui: '36437', ev: ['Sertraline', 'D/C 09/30/2026'] })],
    ['Cholecalciferol (vitamin D3) 1,000 units tablet', '1 tab', 'PO', 'daily', '2020', 'active', '', med('cholecalciferol', 'Cholecalciferol (vitamin D3) 1,000 units tablet', { strength: '1,000 units', dose: '1 tab', route: 'oral', frequency: 'daily', date: '2020', status: 'active', ev: 'Cholecalciferol (vitamin D3)' })],
  ];
  const items = [
    cond('chronic diastolic heart failure', 'I50.32 Chronic diastolic (congestive) heart failure', { icd: 'I50.32', ev: 'Chronic diastolic (congestive) heart failure' }),
    cond('type 2 diabetes mellitus with diabetic chronic kidney disease', 'E11.22 Type 2 diabetes mellitus with diabetic chronic kidney disease', { icd: 'E11.22', ev: 'Type 2 diabetes mellitus with diabetic chronic kidney disease' }),
    cond('chronic kidney disease stage 3a', 'N18.31 Chronic kidney disease, stage 3a', { icd: 'N18.31', ev: 'Chronic kidney disease, stage 3a' }),
    cond('atrial fibrillation', 'I48.91 Unspecified atrial fibrillation', { icd: 'I48.91', ev: 'Unspecified atrial fibrillation' }),
    cond('age-related osteoporosis', 'M81.0 Age-related osteoporosis without current pathological fracture', { icd: 'M81.0', ev: 'Age-related osteoporosis' }),
    ...M.map((r) => r[7]),
    noneKnown('Drug: NKDA', { ev: 'NKDA' }),
    allergy('latex', 'Latex — contact dermatitis', { reaction: 'contact dermatitis' }),
    allergy('shellfish', 'Shellfish — anaphylaxis', { reaction: 'anaphylaxis' }),
    imm('Influenza, high-dose', '2026-10-01', { display: 'Influenza, high-dose', ev: '10/01/2026' }),
    imm('Pneumococcal conjugate PCV20 (Prevnar 20)', '2023', { display: 'Pneumococcal conjugate PCV20 (Prevnar 20)', cvx: '216', ev: 'PCV20' }),
    imm('COVID-19 booster', '2025-09', { display: 'COVID-19 booster', ev: '09/2025' }),
    prov('Ignatius Farrow-Boateng', 'Ignatius Farrow-Boateng, MD', { role: 'certifying / attending physician', phone: '(614) 555-0133', fax: '(614) 555-0134', organization: 'Olentangy Internal Medicine' }),
    prov('Greenleaf Pharmacy', 'Greenleaf Pharmacy', { phone: '(614) 555-0188', role: 'pharmacy', optional: true }),
    prov('Lorna Quist', 'Lorna Quist, RN', { role: 'case manager', phone: '(614) 555-0140', optional: true }),
  ];
  const css = `
.page { padding: 0.45in 0.5in; font-family: 'TeX Gyre Heros Cn', 'TeX Gyre Heros', sans-serif; font-size: 9pt; color: #111 }
.hd { display: flex; justify-content: space-between; border-bottom: 2px solid #000; padding-bottom: 4px } .hd h1 { margin: 0; font-size: 14pt; letter-spacing: .5px } .hd .ag { font-size: 8pt }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); border-left: 1px solid #000; border-top: 1px solid #000; margin-top: 6px }
.grid div { border-right: 1px solid #000; border-bottom: 1px solid #000; padding: 2px 4px; font-size: 8.6pt } .grid b { display: block; font-size: 6.5pt; font-weight: normal; text-transform: uppercase }
.sec { background: #000; color: #fff; font-weight: bold; font-size: 8pt; padding: 2px 5px; margin-top: 8px; letter-spacing: .5px }
table { border-collapse: collapse; width: 100%; table-layout: fixed } th, td { border: 1px solid #000; padding: 2px 3px; vertical-align: top; font-size: 8.6pt; word-wrap: break-word }
th { font-size: 6.8pt; text-transform: uppercase; background: #ddd }
.dc td { color: #555 } .dc td.st { font-weight: bold; color: #000 }
.sig { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin-top: 10px; font-size: 8.4pt } .sig div { border-top: 1px solid #000; padding-top: 2px }
.foot { position: absolute; bottom: 0.3in; left: 0.5in; right: 0.5in; font-size: 7pt; display: flex; justify-content: space-between }`;
  const trs = M.map((r) => `<tr class="${r[5].startsWith('D/C') ? 'dc' : ''}"><td>${esc(r[0])}</td><td>${esc(r[1])}</td><td>${r[2]}</td><td>${esc(r[3])}</td><td>${r[4]}</td><td class="st">${r[5]}</td><td>${r[6]}</td></tr>`).join('');
  const html = `
<div class="hd"><div><h1>MEDICATION PROFILE</h1><div class="ag">Meadowlark Home Health &amp; Hospice · 9 Sycamore Court, Worthing · Office (614) 555-0139 · Fax (614) 555-0138</div></div><div class="ag" style="text-align:right">Plan of care attachment<br>Form MHH-MP-4</div></div>
<div class="grid"><div><b>Patient</b>DELACROIX-VANCE, AUGUSTIN P.</div><div><b>MR #</b>00488123</div><div><b>DOB</b>12/02/1939</div><div><b>Insurance ID</b>MLK552207</div>
<div><b>Start of care</b>09/15/2026</div><div><b>Certification period</b>09/15/2026 – 11/13/2026</div><div><b>Certifying physician</b>Ignatius Farrow-Boateng, MD</div><div><b>Physician phone / fax</b>(614) 555-0133 / (614) 555-0134</div></div>
<div class="sec">DIAGNOSES (ICD-10-CM)</div>
<table><tr><th style="width:12%">Code</th><th>Description</th><th style="width:14%">Type</th></tr>
<tr><td>I50.32</td><td>Chronic diastolic (congestive) heart failure</td><td>Primary</td></tr>
<tr><td>E11.22</td><td>Type 2 diabetes mellitus with diabetic chronic kidney disease</td><td>Secondary</td></tr>
<tr><td>N18.31</td><td>Chronic kidney disease, stage 3a</td><td>Secondary</td></tr>
<tr><td>I48.91</td><td>Unspecified atrial fibrillation</td><td>Secondary</td></tr>
<tr><td>M81.0</td><td>Age-related osteoporosis without current pathological fracture</td><td>Secondary</td></tr></table>
<div class="sec">ALLERGIES</div>
<div style="padding:3px 2px">Drug: NKDA &nbsp;&nbsp;|&nbsp;&nbsp; Other: Latex — contact dermatitis; Shellfish — anaphylaxis</div>
<div class="sec">MEDICATIONS — N = new, C = changed this certification period</div>
<table><tr><th style="width:19%">Medication / strength / form</th><th style="width:9%">Dose</th><th style="width:6%">Route</th><th style="width:15%">Frequency</th><th style="width:11%">Start</th><th style="width:13%">Status</th><th style="width:4%">N/C</th></tr>${trs}</table>
<div class="sec">IMMUNIZATIONS (per patient / caregiver and physician records)</div>
<table><tr><th>Vaccine</th><th style="width:18%">Date</th><th>Source</th></tr>
<tr><td>Influenza, high-dose</td><td>10/01/2026</td><td>given by agency RN</td></tr>
<tr><td>Pneumococcal conjugate PCV20 (Prevnar 20)</td><td>2023</td><td>physician record</td></tr>
<tr><td>COVID-19 booster</td><td>09/2025</td><td>caregiver report</td></tr></table>
<div style="margin-top:6px">Pharmacy: Greenleaf Pharmacy (614) 555-0188 · Case manager: Lorna Quist, RN (614) 555-0140 · Caregiver: daughter, Simone Vance</div>
<div class="sig"><div>Reviewed by RN case manager — Lorna Quist, RN — 10/20/2026</div><div>Physician signature — received 10/24/2026</div></div>
<div class="foot"><span>DELACROIX-VANCE, AUGUSTIN P. · MR# 00488123</span><span>Page 1 of 1</span></div>`;
  return { title: 'Medication Profile', html: htmlDoc('Medication Profile', css, [{ html }]), items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 7. Pre-anesthesia questionnaire with check boxes (ticked / unticked) and cursive answers.
// ---------------------------------------------------------------------------------------------
const PREOP_BOXES = [
  ['Heart attack', 'myocardial infarction'], ['Chest pain / angina', 'angina'], ['High blood pressure', 'hypertension'], ['Heart failure', 'heart failure'],
  ['Irregular heartbeat', 'cardiac arrhythmia'], ['Pacemaker / defibrillator', 'cardiac pacemaker'], ['Asthma', 'asthma'], ['COPD / emphysema', 'copd'],
  ['Sleep apnea', 'obstructive sleep apnea'], ['Diabetes', 'diabetes mellitus'], ['Kidney disease', 'kidney disease'], ['Liver disease / hepatitis', 'liver disease'],
  ['Acid reflux / heartburn (GERD)', 'gastroesophageal reflux disease'], ['Thyroid disease', 'thyroid disease'], ['Stroke / TIA', 'stroke'], ['Seizures', 'seizure disorder'],
  ['Bleeding problems', 'bleeding disorder'], ['Blood clots', 'venous thromboembolism'], ['Depression', 'depression'], ['Cancer', 'cancer'],
];
export function preopQuestionnaire(p) {
  const items = [];
  const X = (on) => `<span class="cb">${on ? '<span class="x">X</span>' : ''}</span>`;
  const boxes = PREOP_BOXES.map(([label, name]) => {
    const on = p.checked.includes(label);
    if (on) items.push(cond(name, label, { ev: label.split(' (')[0] }));
    return `<div>${X(on)}${esc(label)}</div>`;
  }).join('');
  const none = p.checked.length === 0;
  const surgRows = p.surgeries.length
    ? p.surgeries.map(([n, y, nm]) => { items.push(surg(nm, n, y, { ev: n })); return `<tr><td><span class="hw">${esc(n)}</span></td><td><span class="hw">${y}</span></td><td>${X(false)}Yes ${X(true)}No</td></tr>`; }).join('')
    : '<tr><td>&nbsp;</td><td></td><td></td></tr><tr><td>&nbsp;</td><td></td><td></td></tr>';
  const medRows = p.meds.length
    ? p.meds.map(([n, d, f, it]) => { items.push(it); return `<tr><td><span class="hw">${esc(n)}</span></td><td><span class="hw">${esc(d)}</span></td><td><span class="hw">${esc(f)}</span></td></tr>`; }).join('')
    : `<tr><td><span class="hw">none</span></td><td></td><td></td></tr><tr><td>&nbsp;</td><td></td><td></td></tr>`;
  if (p.allergies.length) for (const a of p.allergies) items.push(a[1]); else items.push(noneKnown('No known allergies'));
  items.push(...p.social.items);
  items.push(...p.providers);
  const css = `
.page { padding: 0.4in 0.55in; font-family: 'TeX Gyre Schola', serif; font-size: 9pt; color: #1a1a1a }
.hd { text-align: center; border-bottom: 2px solid #333; padding-bottom: 4px } .hd .o { font-size: 8pt; letter-spacing: 2px } .hd h1 { font-size: 14pt; margin: 2px 0 0 }
.pb { display: grid; grid-template-columns: 1.6fr 1fr 1fr; border: 1px solid #333; margin-top: 8px } .pb div { border: 0.5px solid #333; padding: 2px 5px; min-height: 30px }
.pb b { display: block; font-size: 6.6pt; font-weight: normal; text-transform: uppercase; color: #555 }
.hw { font-family: 'TeX Gyre Chorus', cursive; font-size: 14pt; line-height: 1 }
.cb { display: inline-block; width: 11px; height: 11px; border: 1px solid #222; margin-right: 5px; vertical-align: -1px; position: relative }
.cb .x { position: absolute; left: -1px; top: -7px; font-family: 'Humor Sans'; font-size: 15pt; color: #14213d }
h2 { font-size: 9.4pt; margin: 7px 0 2px; background: #e8e8e8; padding: 1px 5px } .cols { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3px 8px }
table { border-collapse: collapse; width: 100% } td, th { border-bottom: 1px solid #777; padding: 1px 4px; text-align: left; height: 19px } th { font-size: 7.6pt; font-weight: normal; text-transform: uppercase }
.q { margin: 3px 0 } .foot { position: absolute; bottom: 0.32in; left: 0.55in; right: 0.55in; font-size: 7pt; display: flex; justify-content: space-between; border-top: 1px solid #888; padding-top: 2px }`;
  const html = `
<div class="hd"><div class="o">STONEBRIDGE SURGERY CENTER · 3100 QUARRY ROAD, MESA VERDE · (480) 555-0112</div><h1>Pre-Anesthesia Health Questionnaire</h1><div style="font-size:8pt">Please complete in ink and bring to your pre-admission call. Check every box that applies.</div></div>
<div class="pb"><div><b>Patient name</b><span class="hw">${esc(p.nameWritten)}</span></div><div><b>Date of birth</b><span class="hw">${esc(p.dobWritten)}</span></div><div><b>MRN (office use)</b>${p.mrn}</div>
<div><b>Scheduled procedure</b>${esc(p.procedure)}</div><div><b>Surgery date</b>${p.surgeryDate}</div><div><b>Surgeon</b>${esc(p.surgeon)}</div></div>
<h2>1. Have you ever been told you have any of these?</h2>
<div class="cols">${boxes}<div>${X(none)}None of the above</div></div>
<h2>2. Previous operations and anesthesia</h2>
<div class="q">${X(p.surgeries.length === 0)}No previous surgeries</div>
<table><tr><th>Operation</th><th style="width:16%">Year</th><th style="width:30%">Problems with anesthesia?</th></tr>${surgRows}</table>
<h2>3. Medicines you take (include inhalers, vitamins, herbal)</h2>
<table><tr><th>Name</th><th style="width:20%">Dose</th><th style="width:34%">How often</th></tr>${medRows}</table>
<h2>4. Allergies</h2>
<div class="q">${X(p.allergies.length === 0)}No known allergies &nbsp;&nbsp; ${X(p.allergies.length > 0)}Yes — list the allergy and what happens:</div>
${p.allergies.map((a) => `<div class="q" style="margin-left:20px;border-bottom:1px solid #777"><span class="hw">${esc(a[0])}</span></div>`).join('')}
<h2>5. Habits</h2>
${p.social.html(X)}
<h2>6. Family</h2>
<div class="q">Has a blood relative had a serious problem with anesthesia (e.g., malignant hyperthermia)? ${X(false)}Yes ${X(true)}No</div>
<div class="q">Primary care doctor: <span class="hw">${esc(p.pcpWritten)}</span> &nbsp; Phone: <span class="hw">${esc(p.pcpPhone)}</span></div>
<div class="q" style="margin-top:8px">Signature: <span class="hw">${esc(p.signature)}</span> &nbsp;&nbsp; Date: <span class="hw">${p.signedDate}</span></div>
<div class="foot"><span>Form SSC-PA-02 (rev. 2025)</span><span>Anesthesia reviewed: ______ &nbsp; Page 1 of 1</span></div>`;
  return { title: 'Pre-Anesthesia Questionnaire', html: htmlDoc('Pre-Anesthesia Questionnaire', css, [{ html }]), items, pages: 1 };
}

export const PREOP_A = {
  nameWritten: 'Rosalind Ekwueme-Hart', dobWritten: '6/17/1983', mrn: '84410937', procedure: 'Laparoscopic cholecystectomy', surgeryDate: '12/14/2026', surgeon: 'Dr. Rupert Calloway-Finch',
  checked: ['High blood pressure', 'Asthma', 'Sleep apnea', 'Acid reflux / heartburn (GERD)', 'Thyroid disease', 'Depression'],
  surgeries: [['Tonsillectomy', '1992', 'tonsillectomy'], ['C-section', '2015', 'cesarean section'], ['Left knee arthroscopy', '2020', 'left knee arthroscopy']],
  meds: [
    ['Levothyroxine', '100 mcg', 'every morning', med('levothyroxine', 'Levothyroxine 100 mcg every morning', { strength: '100 mcg', frequency: 'daily', rxcui: '10582', ev: 'Levothyroxine' })],
    ['Amlodipine', '5 mg', 'once a day', med('amlodipine', 'Amlodipine 5 mg once a day', { strength: '5 mg', frequency: 'once a day', rxcui: '17767', ev: 'Amlodipine' })],
    ['Montelukast', '10 mg', 'at bedtime', med('montelukast', 'Montelukast 10 mg at bedtime', { strength: '10 mg', frequency: 'at bedtime', rxcui: '88249', ev: 'Montelukast' })],
    ['Sertraline', '100 mg', 'daily', med('sertraline', 'Sertraline 100 mg daily', { strength: '100 mg', frequency: 'daily', rxcui: '36437', ev: 'Sertraline' })],
    ['Omeprazole', '40 mg', 'daily before breakfast', med('omeprazole', 'Omeprazole 40 mg daily before breakfast', { strength: '40 mg', frequency: 'daily', rxcui: '7646', ev: 'Omeprazole' })],
    ['Albuterol inhaler', '2 puffs', 'when needed', med('albuterol', 'Albuterol inhaler 2 puffs when needed', { dose: '2 puffs', frequency: 'as needed', rxcui: '435', ev: 'Albuterol inhaler' })],
  ],
  allergies: [['Morphine - itching', allergy('morphine', 'Morphine - itching', { reaction: 'itching', rxcui: '7052' })], ['Adhesive tape - blisters', allergy('adhesive tape', 'Adhesive tape - blisters', { reaction: 'blisters' })]],
  social: {
    html: (X) => `<div class="q">Do you smoke or vape? ${X(false)}Yes ${X(true)}No &nbsp;&nbsp;&nbsp; Alcohol: ${X(true)}None ${X(false)}1–7 drinks/week ${X(false)}More &nbsp;&nbsp;&nbsp; Recreational drugs? ${X(false)}Yes ${X(true)}No</div>
<div class="q">Could you be pregnant? ${X(false)}Yes ${X(true)}No ${X(false)}N/A</div>`,
    items: [denies('tobacco use', 'Do you smoke or vape? No', { ev: 'Do you smoke or vape?' }), denies('alcohol use', 'Alcohol: None', { ev: 'Alcohol:' }),
      denies('recreational drug use', 'Recreational drugs? No', { ev: 'Recreational drugs?' }), denies('pregnancy', 'Could you be pregnant? No', { optional: true, ev: 'Could you be pregnant?' })],
  },
  pcpWritten: 'Dr. Noor Haddad-Ellison', pcpPhone: '(480) 555-0128', signature: 'R. Ekwueme-Hart', signedDate: '11/30/2026',
  providers: [prov('Rupert Calloway-Finch', 'Dr. Rupert Calloway-Finch', { role: 'surgeon (scheduled procedure)', organization: 'Stonebridge Surgery Center' }),
    prov('Noor Haddad-Ellison', 'Dr. Noor Haddad-Ellison', { role: 'primary care doctor', phone: '(480) 555-0128' })],
};
export const PREOP_B = {
  nameWritten: 'Bartholomew Nakashima-Oyelaran', dobWritten: 'April 3, 1999', mrn: '71150396', procedure: 'Right inguinal hernia repair (open)', surgeryDate: '01/06/2027', surgeon: 'Dr. Philippa Oduya-Marsh',
  checked: [], surgeries: [], meds: [], allergies: [],
  social: {
    html: (X) => `<div class="q">Do you smoke or vape? ${X(true)}Yes ${X(false)}No &nbsp; How much? <span class="hw">1/2 pack a day</span> &nbsp;&nbsp; Recreational drugs? ${X(false)}Yes ${X(true)}No</div>
<div class="q">Alcohol: ${X(false)}None ${X(true)}1–7 drinks/week ${X(false)}More</div>`,
    items: [cond('tobacco use', 'Do you smoke or vape? Yes — 1/2 pack a day', { ev: '1/2 pack a day' }), denies('recreational drug use', 'Recreational drugs? No', { ev: 'Recreational drugs?' }),
      cond('alcohol use', 'Alcohol: 1–7 drinks/week', { optional: true, ev: 'drinks/week' })],
  },
  pcpWritten: "don't have one", pcpPhone: '—', signature: 'B. Nakashima-Oyelaran', signedDate: '12/01/2026',
  providers: [prov('Philippa Oduya-Marsh', 'Dr. Philippa Oduya-Marsh', { role: 'surgeon (scheduled procedure)', organization: 'Stonebridge Surgery Center' })],
};

// ---------------------------------------------------------------------------------------------
// 8. Prior-records packet sent to the health plan: fax cover sheet, allergy clinic summary, telehealth note.
// ---------------------------------------------------------------------------------------------
export function recordsPacket() {
  const P2 = { page: 2 }, P3 = { page: 3 };
  const A = [
    ['Penicillin (amoxicillin)', 'Drug', 'hives, lip swelling', 'Moderate', 'history 2004; skin test positive 05/2019', allergy('penicillin', 'Penicillin (amoxicillin)', { reaction: 'hives, lip swelling', severity: 'moderate', rxcui: '70618', ...P2 })],
    ['Ibuprofen (NSAIDs)', 'Drug', 'bronchospasm', 'Severe', 'ED visit 2017', allergy('ibuprofen', 'Ibuprofen (NSAIDs)', { reaction: 'bronchospasm', severity: 'severe', rxcui: '5640', ...P2 })],
    ['Peanut', 'Food', 'anaphylaxis', 'Severe', 'sIgE 38 kU/L (2020)', allergy('peanut', 'Peanut', { reaction: 'anaphylaxis', severity: 'severe', ...P2 })],
    ['Cashew', 'Food', 'throat itching', 'Moderate', 'history', allergy('cashew', 'Cashew', { reaction: 'throat itching', severity: 'moderate', ...P2 })],
    ['Dust mite (D. pteronyssinus)', 'Environmental', 'rhinitis, cough', 'Mild', 'skin prick 8 mm', allergy('dust mite', 'Dust mite (D. pteronyssinus)', { reaction: 'rhinitis, cough', severity: 'mild', ...P2 })],
    ['Cat dander', 'Environmental', 'rhinitis, itchy eyes', 'Moderate', 'skin prick 10 mm', allergy('cat dander', 'Cat dander', { reaction: 'rhinitis, itchy eyes', severity: 'moderate', ...P2 })],
    ['Grass pollen (timothy)', 'Environmental', 'seasonal rhinoconjunctivitis', 'Mild', 'skin prick 6 mm', allergy('grass pollen', 'Grass pollen (timothy)', { reaction: 'seasonal rhinoconjunctivitis', severity: 'mild', ...P2 })],
  ];
  const items = [
    prov('Cosmo Ferreira-Lyle', 'Cosmo Ferreira-Lyle, MD', { organization: 'Alder Creek Allergy & Asthma Associates', phone: '(425) 555-0107', fax: '(425) 555-0108', role: 'allergist', ...P2 }),
    ...A.map((a) => a[5]),
    cond('moderate persistent asthma', 'Moderate persistent asthma (diagnosed 2009)', { onset: '2009', ...P2 }),
    cond('allergic rhinitis', 'Allergic rhinitis, perennial and seasonal', P2),
    cond('atopic dermatitis', 'Atopic dermatitis — childhood, resolved', { status: 'resolved', ...P2 }),
    med('budesonide / formoterol', 'Budesonide/formoterol (Symbicort) 160/4.5 mcg inhaler', { strength: '160/4.5 mcg', dose: '2 puffs', frequency: 'twice daily', status: 'active', ev: 'Symbicort', ...P2 }),
    med('montelukast', 'Montelukast 10 mg tablet', { strength: '10 mg', frequency: 'nightly', status: 'active', rxcui: '88249', ...P2 }),
    med('cetirizine', 'Cetirizine 10 mg tablet', { strength: '10 mg', frequency: 'once daily', status: 'active', rxcui: '20610', ...P2 }),
    med('epinephrine', 'Epinephrine 0.3 mg auto-injector', { strength: '0.3 mg', frequency: 'as needed', status: 'active', rxcui: '3992', ...P2 }),
    med('albuterol', 'Albuterol HFA 90 mcg inhaler', { strength: '90 mcg', dose: '2 puffs', frequency: 'every 4 hours as needed', status: 'active', rxcui: '435', ...P2 }),
    med('allergen extract', 'Subcutaneous allergen immunotherapy (dust mite / cat / grass), maintenance every 4 weeks', { date: '2021-05', status: 'active', optional: true, ev: 'Subcutaneous allergen immunotherapy', ...P2 }),
    prov('Wren Abernathy-Cole', 'Wren Abernathy-Cole, PA-C', { organization: 'Alder Creek Allergy & Asthma Associates', role: 'telehealth clinician', ...P3 }),
    denies('tobacco use', 'She denies tobacco use or vaping', P3),
    denies('fever', 'denies fever', P3),
    cond('asthma exacerbation', 'Asthma exacerbation, mild, triggered by a viral infection', { status: 'active', ...P3 }),
    med('fexofenadine', 'Fexofenadine 180 mg was stopped in August', { strength: '180 mg', status: 'discontinued', ...P3 }),
    med('prednisone', 'prednisone 40 mg once daily for 5 days', { strength: '40 mg', frequency: 'once daily', date: '2026-11-18', status: 'active', rxcui: '8640', ...P3 }),
    prov('Cascade Pharmacy', 'Cascade Pharmacy', { phone: '(425) 555-0186', role: 'pharmacy', optional: true, ...P3 }),
    imm('Influenza', '2026-10-05', { display: 'Flu vaccine: received at pharmacy 10/05/2026', ...P3 }),
    prov('Thaddeus Mwangi', 'Thaddeus Mwangi, MD', { organization: 'Lakeview Family Health', phone: '(425) 555-0119', role: 'primary care provider', ...P3 }),
  ];
  const css = `
.page { padding: 0.55in 0.65in 0.7in; font-family: Andika, sans-serif; font-size: 9.6pt; color: #1d1d1d; line-height: 1.35 }
.cover h1 { font-family: 'TeX Gyre Heros', sans-serif; font-size: 54pt; margin: 0; letter-spacing: 6px } .cover .org { font-size: 11pt; font-weight: bold }
.cover table { width: 100%; border-collapse: collapse; margin: 22px 0; font-size: 11pt } .cover td { border-bottom: 1px solid #444; padding: 9px 4px } .cover td:first-child { width: 22%; font-weight: bold }
.conf { border: 2px solid #000; padding: 10px; font-size: 8.5pt; margin-top: 30px }
.lh { display: flex; justify-content: space-between; align-items: center; border-bottom: 3px solid #2c6e49; padding-bottom: 6px } .lh .nm { font-size: 14pt; color: #2c6e49; font-weight: bold } .lh .ad { font-size: 7.8pt; text-align: right }
.rh { display: flex; justify-content: space-between; font-size: 7.8pt; color: #444; border-bottom: 1px solid #bbb; padding-bottom: 3px; margin-bottom: 8px }
.rf { position: absolute; bottom: 0.35in; left: 0.65in; right: 0.65in; display: flex; justify-content: space-between; font-size: 7.6pt; color: #555; border-top: 1px solid #bbb; padding-top: 3px }
h1.t { font-size: 13pt; margin: 10px 0 4px } h2 { font-size: 10pt; color: #2c6e49; margin: 12px 0 3px; border-bottom: 1px solid #2c6e49 }
table.al { border-collapse: collapse; width: 100%; font-size: 8.8pt } table.al th { text-align: left; background: #e3efe7; padding: 3px 4px; font-size: 7.8pt } table.al td { border-bottom: 1px solid #ccc; padding: 3px 4px }
.sev-Severe { color: #b00020; font-weight: bold } ul { margin: 2px 0 2px 18px; padding: 0 } p { margin: 4px 0 }`;
  const rh = () => `<div class="rh"><span>Varga-Lund, Ingrid S. · DOB 01/19/1978 · MRN AC-771204</span><span>Alder Creek Allergy &amp; Asthma Associates</span></div>`;
  const rf = (p) => `<div class="rf"><span>Released to Northstar Health Plan on member authorization · 11/20/2026</span><span>Page ${p} of 3</span></div>`;
  const lh = `<div class="lh"><div class="nm">Alder Creek Allergy &amp; Asthma Associates</div><div class="ad">1180 Salmonberry Way, Suite 300, Alder Creek, WA 98099<br>Tel (425) 555-0107 · Fax (425) 555-0108</div></div>`;
  const page1 = `<div class="cover"><div class="org">Alder Creek Allergy &amp; Asthma Associates</div><div style="font-size:9pt">1180 Salmonberry Way, Suite 300, Alder Creek, WA 98099 · Tel (425) 555-0107 · Fax (425) 555-0108</div>
<h1 style="margin-top:30px">FAX</h1>
<table><tr><td>To</td><td>Northstar Health Plan — New Member Records Unit</td></tr><tr><td>Fax</td><td>1-800-555-0199</td></tr>
<tr><td>From</td><td>Petra Wolcott, Health Information Management</td></tr><tr><td>Date</td><td>11/20/2026</td></tr>
<tr><td>Pages</td><td>3 (including this cover)</td></tr>
<tr><td>Re</td><td>Requested prior records — Member: VARGA-LUND, Ingrid S. — Member ID NHP-004471920 — DOB 01/19/1978</td></tr></table>
<p>Enclosed: allergy clinic summary (1 page) and the most recent telehealth visit note (1 page), released on the member's signed authorization dated 11/12/2026. Questions: Petra Wolcott, (425) 555-0107 ext. 204.</p>
<div class="conf"><b>CONFIDENTIALITY NOTICE:</b> This facsimile contains protected health information that is privileged and confidential. It is intended only for the use of the recipient named above. If you have received this fax in error, please notify the sender immediately by telephone and destroy the documents. Re-disclosure without additional consent is prohibited.</div>
</div>${rf(1)}`;
  const trs = A.map((a) => `<tr><td>${esc(a[0])}</td><td>${a[1]}</td><td>${esc(a[2])}</td><td class="sev-${a[3]}">${a[3]}</td><td>${esc(a[4])}</td></tr>`).join('');
  const page2 = `${lh}${rh()}
<h1 class="t">Allergy &amp; Immunology — Clinic Summary <span style="font-size:9pt;font-weight:normal">(as of 11/20/2026)</span></h1>
<p>Allergist of record: Cosmo Ferreira-Lyle, MD &nbsp;·&nbsp; Patient since 2019</p>
<h2>Allergies and intolerances</h2>
<table class="al"><tr><th>Allergen</th><th>Type</th><th>Reaction</th><th>Severity</th><th>Basis</th></tr>${trs}</table>
<h2>Diagnoses</h2>
<ul><li>Moderate persistent asthma (diagnosed 2009) — last spirometry 06/2026 FEV1 82% predicted</li><li>Allergic rhinitis, perennial and seasonal</li><li>Atopic dermatitis — childhood, resolved</li></ul>
<h2>Current medications</h2>
<ul><li>Budesonide/formoterol (Symbicort) 160/4.5 mcg inhaler — 2 puffs twice daily</li><li>Montelukast 10 mg tablet — 1 tablet nightly</li><li>Cetirizine 10 mg tablet — 1 tablet once daily</li>
<li>Epinephrine 0.3 mg auto-injector — inject as needed for anaphylaxis; carry two at all times</li><li>Albuterol HFA 90 mcg inhaler — 2 puffs every 4 hours as needed for wheeze</li>
<li>Subcutaneous allergen immunotherapy (dust mite / cat / grass), maintenance every 4 weeks — started 05/2021</li></ul>
<h2>Emergency plan</h2><p>Peanut and cashew avoidance; epinephrine first for any two-system reaction, then call 911. No NSAIDs (see the allergy list above); acetaminophen is tolerated.</p>
${rf(2)}`;
  const page3 = `${lh}${rh()}
<h1 class="t">Telehealth Visit Summary</h1>
<p><b>Visit:</b> video visit, 11/18/2026, 14:00–14:20 &nbsp; <b>Clinician:</b> Wren Abernathy-Cole, PA-C (supervising physician Cosmo Ferreira-Lyle, MD) &nbsp; <b>Patient location:</b> home</p>
<h2>Subjective</h2>
<p>Ingrid reports two weeks of increased wheeze and night cough after a cold, using albuterol 3–4 times a day. She denies tobacco use or vaping, and denies fever. No ED visits since her last appointment.
Fexofenadine 180 mg was stopped in August (not helping); she has done well on cetirizine. Her mother also has asthma.</p>
<h2>Assessment</h2><p>Asthma exacerbation, mild, triggered by a viral infection.</p>
<h2>Plan</h2>
<ul><li>Prescribed prednisone 40 mg once daily for 5 days, sent 11/18/2026 to Cascade Pharmacy, (425) 555-0186.</li><li>Continue Symbicort and montelukast; follow up in clinic in 4 weeks.</li>
<li>Flu vaccine: received at pharmacy 10/05/2026 (patient report). COVID-19 vaccine: declined today.</li></ul>
<h2>Primary care</h2><p>PCP: Thaddeus Mwangi, MD — Lakeview Family Health — (425) 555-0119. Copy of this note sent to PCP.</p>
<p style="margin-top:18px">Electronically signed: Wren Abernathy-Cole, PA-C, 11/18/2026 15:02</p>
${rf(3)}`;
  return { title: 'Prior records packet', html: htmlDoc('Prior records', css, [{ html: page1 }, { html: page2 }, { html: page3 }]), items, pages: 3 };
}
