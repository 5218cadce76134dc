// Layout families 1–4 of the held-out corpus. Each returns { title, html, items, pages }.
// Everything here is invented: people, clinics, addresses; phone numbers are in the 555-01xx range.
import { htmlDoc, esc, med, allergy, noneKnown, imm, screen, cond, denies, surg, prov } from './lib.mjs';

// ---------------------------------------------------------------------------------------------
// 1. School / travel certificate of immunization: one row per vaccine, doses across (MM/DD/YY).
// ---------------------------------------------------------------------------------------------
export function immunizationCertificate() {
  const rows = [
    ['DTaP / DTP', 'DTaP', ['10/16/09', '12/18/09', '02/19/10', '11/22/10', '09/03/13']],
    ['Tdap (age 11+)', 'Tdap', ['08/21/21'], '115'],
    ['Polio (IPV / OPV)', 'Polio (IPV)', ['10/16/09', '12/18/09', '05/20/10', '09/03/13'], '10'],
    ['Hib', 'Hib', ['10/16/09', '12/18/09', '11/22/10']],
    ['Hepatitis B', 'Hepatitis B', ['08/15/09', '10/16/09', '05/20/10']],
    ['MMR (measles, mumps, rubella)', 'MMR', ['08/20/10', '09/03/13'], '03'],
    ['Varicella', 'Varicella', ['08/20/10', '09/03/13'], '21'],
    ['Hepatitis A', 'Hepatitis A', ['08/20/10', '03/01/11']],
    ['Meningococcal ACWY', 'Meningococcal ACWY (MenACWY)', ['08/21/21']],
    ['HPV', 'HPV', ['08/21/21', '03/02/22']],
    ['Influenza (most recent)', 'Influenza', ['10/07/25']],
  ];
  const iso = (d) => { const [m, dd, y] = d.split('/'); return `${+y > 30 ? '19' : '20'}${y}-${m}-${dd}`; };
  const items = [];
  for (const [label, vac, dates, cvx] of rows) for (const d of dates) items.push(imm(vac, iso(d), { display: label, cvx, ev: d }));
  items.push(imm('Yellow fever', '2024-06-12', { display: 'Yellow fever (YF-VAX)', cvx: '37', lot: 'UJ402AB', ev: ['Yellow fever (YF-VAX)', '12 Jun 2024'] }));
  items.push(imm('Typhoid Vi polysaccharide', '2024-06-12', { display: 'Typhoid Vi polysaccharide (Typhim Vi)', cvx: '101', lot: 'T1187-C', ev: 'Typhoid Vi polysaccharide' }));
  items.push(imm('COVID-19 (Pfizer-BioNTech 2024–2025)', '2024-09-19', { display: 'COVID-19, Pfizer-BioNTech 2024–2025 formula', ev: '19 Sep 2024' }));
  items.push(prov('Renata Vollmer', 'Renata Vollmer, APRN, FNP-C', { organization: 'Lakeshore County Health Department — Travel & School Health Clinic', phone: '(773) 555-0142', fax: '(773) 555-0143', role: 'certifying clinician / provider of record' }));
  items.push(prov('Amos Feld-Tiernan', 'Dr. Amos Feld-Tiernan', { organization: 'Northgate Pediatrics', phone: '(773) 555-0166', role: 'primary care physician' }));

  const css = `
.page { padding: 0.4in 0.55in; font-family: 'TeX Gyre Schola', serif; font-size: 9pt; color: #111 }
.top { display: flex; align-items: center; gap: 14px; border-bottom: 3px double #222; padding-bottom: 6px }
.seal { width: 64px; height: 64px; border: 2px solid #333; border-radius: 50%; display: flex; align-items: center; justify-content: center; font-size: 7pt; text-align: center; line-height: 1.05 }
.top h1 { font-size: 15pt; margin: 0; letter-spacing: .5px } .top h2 { font-size: 10.5pt; margin: 2px 0 0; font-weight: normal; font-style: italic }
.form { font-size: 7.5pt; margin-left: auto; text-align: right }
.id { display: grid; grid-template-columns: 2.2fr 1fr 1fr; border: 1px solid #333; margin-top: 8px }
.id div { border: 1px solid #333; padding: 3px 6px; min-height: 28px } .id b { display: block; font-size: 6.8pt; font-weight: normal; text-transform: uppercase; color: #444 }
table { border-collapse: collapse; width: 100%; margin-top: 8px } th, td { border: 1px solid #333; padding: 1.5px 5px; text-align: center }
th { background: #e6e6e6; font-size: 8.2pt } td:first-child { text-align: left; font-weight: bold; width: 30% }
.hw { font-family: 'Courier Prime', monospace; font-size: 9.6pt }
h3 { font-size: 9.6pt; margin: 7px 0 0; text-transform: uppercase; letter-spacing: .4px }
.box { display: inline-block; width: 9px; height: 9px; border: 1px solid #222; margin-right: 4px; vertical-align: -1px }
.note { font-size: 8.3pt; margin-top: 5px } .sign { margin-top: 6px; display: grid; grid-template-columns: 1.4fr 1fr; gap: 12px; border-top: 1px solid #333; padding-top: 6px }
.sig { font-family: 'TeX Gyre Chorus', cursive; font-size: 17pt } .foot { position: absolute; bottom: 0.35in; left: 0.55in; right: 0.55in; font-size: 7pt; display: flex; justify-content: space-between; border-top: 1px solid #999; padding-top: 3px }`;
  const doseRows = rows.map(([label, , dates]) => `<tr><td>${esc(label)}</td>${[0, 1, 2, 3, 4].map((i) => `<td class="hw">${dates[i] ?? ''}</td>`).join('')}</tr>`).join('');
  const html = `
<div class="top"><div class="seal">LAKESHORE<br>COUNTY<br>HEALTH<br>DEPT.</div><div><h1>CERTIFICATE OF IMMUNIZATION</h1><h2>School entry · camp · college · international travel</h2></div>
<div class="form">Form LCHD-IMM-7<br>rev. 03/2024</div></div>
<div class="id"><div><b>Name of student / traveler (last, first)</b><span class="hw">MBEKI-HARROW, Talia</span></div><div><b>Date of birth (mm/dd/yyyy)</b><span class="hw">08/14/2009</span></div><div><b>Sex</b><span class="hw">F</span></div>
<div><b>School / grade</b><span class="hw">Northgate High School, grade 11</span></div><div><b>Student ID</b><span class="hw">40021877</span></div><div><b>Parent / guardian</b><span class="hw">Josephine Harrow</span></div></div>
<h3>Part A — Required school vaccines (enter month/day/year of each dose)</h3>
<table><tr><th>Vaccine</th><th>Dose 1</th><th>Dose 2</th><th>Dose 3</th><th>Dose 4</th><th>Dose 5</th></tr>${doseRows}</table>
<div class="note"><span class="box"></span>Varicella: history of chickenpox disease verified by provider (date ______ ) &nbsp;&nbsp; <span class="box"></span>Medical exemption &nbsp; <span class="box"></span>Religious exemption</div>
<h3>Part B — Other and travel vaccines</h3>
<table><tr><th>Vaccine</th><th>Date given</th><th>Lot</th><th>Given by</th></tr>
<tr><td>Yellow fever (YF-VAX)</td><td class="hw">12 Jun 2024</td><td class="hw">UJ402AB</td><td class="hw">R. Vollmer, APRN</td></tr>
<tr><td>Typhoid Vi polysaccharide (Typhim Vi)</td><td class="hw">12 Jun 2024</td><td class="hw">T1187-C</td><td class="hw">R. Vollmer, APRN</td></tr>
<tr><td>COVID-19, Pfizer-BioNTech 2024–2025 formula</td><td class="hw">19 Sep 2024</td><td class="hw">LP8827</td><td class="hw">Northgate Pediatrics</td></tr></table>
<div class="note"><b>Recommended before the 2027 trip — NOT yet given:</b> MenB (Bexsero) 2-dose series; Japanese encephalitis (Ixiaro) — discuss at pre-travel visit; rabies pre-exposure — declined by parent.</div>
<div class="note">International Certificate of Vaccination or Prophylaxis (yellow fever) issued 12 Jun 2024, valid for life.</div>
<h3>Part C — Certification</h3>
<div class="note">I certify that the immunizations above were given by me or were transcribed from the official record of the child's physician of record,
Dr. Amos Feld-Tiernan, Northgate Pediatrics, tel (773) 555-0166.</div>
<div class="sign"><div><span class="sig">Renata Vollmer</span><br>Renata Vollmer, APRN, FNP-C<br>Lakeshore County Health Department — Travel &amp; School Health Clinic<br>2200 W. Harbor Avenue, Lakeshore · Tel (773) 555-0142 · Fax (773) 555-0143</div>
<div>Date issued: <span class="hw">07/30/2026</span><br><br>Official seal: <span class="box" style="width:60px;height:28px"></span></div></div>
<div class="foot"><span>Valid only with original signature or the department's seal. Keep with the student's school health record.</span><span>Page 1 of 1</span></div>`;
  return { title: 'Certificate of Immunization', html: htmlDoc('Certificate of Immunization', css, [{ html }]), items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 2. Handwritten medication reconciliation worksheet (printed grid, answers in a marker-like hand).
// ---------------------------------------------------------------------------------------------
export function medrecWorksheet() {
  const R = [
    // name written, strength, how often, still taking, who prescribed, notes ; truth
    ['Lisinopril', '20 mg', 'every morning', 'Y', 'Dr Pascoe', '', med('lisinopril', 'Lisinopril 20 mg every morning', { strength: '20 mg', frequency: 'daily', status: 'active', rxcui: '29046', ev: 'Lisinopril' })],
    ['Metformin', '500 mg', '2 times a day with meals', 'Y', 'Dr Pascoe', '', med('metformin', 'Metformin 500 mg 2 times a day with meals', { strength: '500 mg', frequency: '2 times a day with meals', status: 'active', rxcui: '6809', ev: 'Metformin' })],
    ['Atorvastatin', '40 mg', 'at bedtime', 'Y', 'Dr Pascoe', '', med('atorvastatin', 'Atorvastatin 40 mg at bedtime', { strength: '40 mg', frequency: 'at bedtime', status: 'active', rxcui: '83367', ev: 'Atorvastatin' })],
    ['Tamsulosin', '0.4 mg', 'every night', 'Y', 'Dr Lindqvist', '(urology)', med('tamsulosin', 'Tamsulosin 0.4 mg every night', { strength: '0.4 mg', frequency: 'nightly', status: 'active', rxcui: '77492', ev: 'Tamsulosin' })],
    ['Aspirin (baby)', '81 mg', 'once a day', 'Y', 'myself', 'OTC', med('aspirin', 'Aspirin (baby) 81 mg once a day', { strength: '81 mg', frequency: 'once a day', status: 'active', rxcui: '1191', ev: 'Aspirin (baby)' })],
    ['Aleve (naproxen)', '220 mg', 'when knee hurts', 'N', 'myself', 'stopped - kidney numbers', med('naproxen', 'Aleve (naproxen) 220 mg when knee hurts — stopped', { strength: '220 mg', frequency: 'as needed', status: 'discontinued', rxcui: '7258', ev: ['Aleve (naproxen)', 'kidney numbers'] })],
    ['Omeprazole', '20 mg', 'before breakfast', 'N', 'Dr Pascoe', 'stopped last spring', med('omeprazole', 'Omeprazole 20 mg before breakfast — stopped last spring', { strength: '20 mg', status: 'discontinued', rxcui: '7646', ev: ['Omeprazole', 'last spring'] })],
    ['Fish oil', '1000 mg', 'daily', 'Y', 'myself', '', med('fish oil', 'Fish oil 1000 mg daily', { strength: '1000 mg', frequency: 'daily', status: 'active', ev: 'Fish oil' })],
    ['Albuterol inhaler', '', '2 puffs as needed for wheezing', 'Y', 'Dr Pascoe', '', med('albuterol', 'Albuterol inhaler 2 puffs as needed for wheezing', { dose: '2 puffs', frequency: 'as needed', status: 'active', rxcui: '435', ev: 'Albuterol inhaler' })],
  ];
  const items = R.map((r) => r[6]);
  items.push(allergy('codeine', 'Codeine - vomiting', { reaction: 'vomiting', rxcui: '2670' }));
  items.push(allergy('sulfamethoxazole / trimethoprim', 'Bactrim - hives', { reaction: 'hives' }));
  items.push(noneKnown('Food allergies: NKFA', { ev: 'NKFA' }));
  items.push(prov('Imogen Pascoe', 'Dr. Imogen Pascoe', { organization: 'Birchwood Family Medicine', phone: '(608) 555-0150', role: 'primary care provider' }));
  items.push(prov('Farid Lindqvist', 'Dr Lindqvist (urology)', { role: 'urologist (prescriber)', ev: 'Dr Lindqvist' }));
  items.push(prov('Kestrel Drug', 'Kestrel Drug on Elm St', { phone: '(608) 555-0177', role: 'pharmacy', optional: true }));
  items.push(prov('T. Nguyen', 'T. Nguyen, RN', { role: 'reviewing nurse', optional: true }));

  const css = `
.page { padding: 0.5in 0.6in; font-family: Carlito, sans-serif; font-size: 10.5pt; color: #222 }
.hd { display: flex; justify-content: space-between; align-items: flex-start }
.hd h1 { font-size: 17pt; margin: 0; color: #2d5a3d } .hd .clinic { font-size: 9pt; color: #2d5a3d; letter-spacing: 1.5px; text-transform: uppercase }
.label { font-family: 'Liberation Mono', monospace; font-size: 8.5pt; border: 1px solid #888; border-radius: 4px; padding: 5px 8px; background: #fbfbf4; line-height: 1.35; transform: rotate(0.6deg) }
.instr { font-size: 9.2pt; margin: 8px 0; color: #444 }
table { border-collapse: collapse; width: 100% } th { font-size: 8.8pt; text-align: left; border-bottom: 2px solid #2d5a3d; padding: 3px 4px; color: #2d5a3d }
td { border-bottom: 1px solid #9bb; height: 31px; padding: 0 4px; vertical-align: bottom }
.hw { font-family: 'Humor Sans', sans-serif; color: #1f3a93; font-size: 12.5pt; display: inline-block }
.n { color: #999; width: 16px; font-size: 9pt } .yn { text-align: center }
.circ { border: 2px solid #1f3a93; border-radius: 50%; padding: 0 5px }
.sec { margin-top: 14px; font-weight: bold; color: #2d5a3d; text-transform: uppercase; font-size: 9.5pt; letter-spacing: .5px; border-bottom: 1px solid #2d5a3d }
.line { border-bottom: 1px solid #9bb; min-height: 28px; display: flex; align-items: flex-end; gap: 12px }
.cb { display: inline-block; width: 12px; height: 12px; border: 1.3px solid #333; text-align: center; line-height: 11px; font-family: 'Humor Sans'; color: #1f3a93; font-size: 12pt; margin-right: 3px }
.staff { margin-top: 14px; border: 1.5px dashed #a33; padding: 6px 8px; color: #333; font-size: 9pt }
.staff .hw { color: #a33 } .foot { position: absolute; bottom: 0.35in; left: 0.6in; right: 0.6in; font-size: 7.5pt; color: #777; display: flex; justify-content: space-between }`;
  const rot = [-1.2, 0.8, -0.4, 1.1, -0.9, 0.5, -1.4, 0.9, -0.3];
  const rows = R.map((r, i) => `<tr><td class="n">${i + 1}</td><td><span class="hw" style="transform:rotate(${rot[i]}deg)">${esc(r[0])}</span></td><td><span class="hw">${esc(r[1])}</span></td><td><span class="hw">${esc(r[2])}</span></td>
<td class="yn"><span class="hw ${r[3] === 'Y' ? 'circ' : ''}">Y</span> / <span class="hw ${r[3] === 'N' ? 'circ' : ''}">N</span></td><td><span class="hw">${esc(r[4])} ${esc(r[5])}</span></td></tr>`).join('');
  const html = `
<div class="hd"><div><div class="clinic">Birchwood Family Medicine</div><h1>Medication Reconciliation Worksheet</h1>
<div style="font-size:9pt">412 Orchard Lane, Suite B · Birchwood · (608) 555-0150 · Your primary care provider: Dr. Imogen Pascoe</div></div>
<div class="label">ASHBY-CRANE, WENDELL<br>DOB 03/22/1951 &nbsp;M<br>MRN 30481172<br>VISIT 11/03/2026 PCP PASCOE</div></div>
<div class="instr">Please list <b>every</b> medicine you take or have stopped since your last visit — prescriptions, over-the-counter pills, vitamins, inhalers, creams and shots. Circle Y if you still take it, N if you stopped.</div>
<table><tr><th></th><th>Medicine name</th><th>Strength</th><th>How often do you take it?</th><th>Still taking?</th><th>Who prescribed it? / notes</th></tr>${rows}
<tr><td class="n">10</td><td></td><td></td><td></td><td class="yn" style="color:#bbb">Y / N</td><td></td></tr></table>
<div class="sec">Allergies</div>
<div class="line">Are you allergic to any medicines? <span><span class="cb"></span>No</span><span><span class="cb">X</span>Yes → what happens?</span></div>
<div class="line"><span class="hw">Codeine - vomiting</span></div><div class="line"><span class="hw">Bactrim - hives</span></div>
<div class="sec">Pharmacy</div>
<div class="line">Pharmacy you use: <span class="hw">Kestrel Drug on Elm St</span> &nbsp; phone: <span class="hw">(608) 555-0177</span></div>
<div class="staff"><b>FOR OFFICE USE</b> — Food allergies: <span class="hw">NKFA</span> &nbsp;&nbsp; List reconciled with EHR: <span class="cb">X</span> &nbsp;&nbsp; Reviewed with patient by: <span class="hw">T. Nguyen, RN</span> &nbsp; Date: <span class="hw">11/03/26</span></div>
<div class="foot"><span>BFM-MR-01 (2025)</span><span>Please bring this sheet and all your pill bottles to every visit.</span></div>`;
  return { title: 'Medication Reconciliation Worksheet', html: htmlDoc('Medication Reconciliation Worksheet', css, [{ html }]), items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 3. Emergency department after-visit summary: prose history, START/STOP table, 2 pages.
// ---------------------------------------------------------------------------------------------
export function edAfterVisit() {
  const P1 = { page: 1 }, P2 = { page: 2 };
  const items = [
    prov('Cordelia Faraday', 'Cordelia Faraday, MD', { role: 'emergency physician', organization: 'Harbor Point Community Hospital', ...P1 }),
    prov('Jonah Pike', 'Jonah Pike, PA-C', { role: 'emergency physician assistant', organization: 'Harbor Point Community Hospital', ...P1 }),
    cond('community-acquired pneumonia', 'community-acquired pneumonia of the right lower lobe', { status: 'active', ...P1 }),
    cond('asthma', 'asthma', { ev: 'woman with asthma', ...P1 }),
    cond('hypothyroidism', 'hypothyroidism', P1),
    med('levothyroxine', 'levothyroxine 75 mcg once daily', { strength: '75 mcg', frequency: 'once daily', status: 'active', rxcui: '10582', ...P1 }),
    med('fluticasone', 'fluticasone 110 mcg inhaler, 2 puffs twice a day', { strength: '110 mcg', dose: '2 puffs', frequency: 'twice a day', status: 'active', rxcui: '41126', ...P1 }),
    med('albuterol', 'albuterol as needed', { frequency: 'as needed', status: 'active', rxcui: '435', ...P1 }),
    allergy('penicillin', 'penicillin (hives)', { reaction: 'hives', rxcui: '70618', ...P1 }),
    allergy('shellfish', 'shellfish (throat swelling)', { reaction: 'throat swelling', ...P1 }),
    denies('tobacco use', 'She denies tobacco use', P1),
    denies('alcohol use', 'does not drink alcohol', P1),
    denies('blood clots', 'No history of blood clots', P1),
    imm('Influenza', '2026-10-14', { display: 'influenza vaccine (flu shot) today, 14 Oct 2026', ev: 'influenza vaccine (flu shot) today, 14 Oct 2026', ...P1 }),
    imm('Tdap', '2019', { display: 'Tdap in 2019', ...P1 }),
    imm('COVID-19 (Moderna)', '2024-09', { display: 'COVID-19 vaccine (Moderna) in September 2024', ...P1 }),
    med('azithromycin', 'Azithromycin 250 mg tablet', { strength: '250 mg', frequency: 'once daily', status: 'active', rxcui: '18631', ...P2 }),
    med('benzonatate', 'Benzonatate 100 mg capsule', { strength: '100 mg', frequency: 'three times a day as needed', status: 'active', ...P2 }),
    med('acetaminophen', 'Acetaminophen 500 mg tablet', { strength: '500 mg', frequency: 'every 6 hours as needed', status: 'active', rxcui: '161', ...P2 }),
    med('ibuprofen', 'Ibuprofen 600 mg tablet', { strength: '600 mg', status: 'discontinued', rxcui: '5640', ...P2 }),
    prov('Anselm Okonkwo-Reyes', 'Dr. Anselm Okonkwo-Reyes', { organization: 'Tidewater Internal Medicine', phone: '(757) 555-0164', role: 'primary care provider', ...P2 }),
    prov('L. Moreau', 'L. Moreau, RN', { role: 'discharging nurse', optional: true, ...P2 }),
  ];
  const css = `
.page { padding: 0.55in 0.6in 0.7in; font-family: 'Liberation Sans', sans-serif; font-size: 10pt; color: #1b1b1b; line-height: 1.38 }
.run { display: flex; justify-content: space-between; font-size: 7.6pt; color: #fff; background: #0b5c73; margin: -0.55in -0.6in 12px; padding: 8px 0.6in; gap: 10px }
.run b { font-size: 10pt } .run span { white-space: nowrap } .foot { position: absolute; bottom: 0.3in; left: 0.6in; right: 0.6in; font-size: 7.5pt; color: #666; display: flex; justify-content: space-between; border-top: 1px solid #ccc; padding-top: 3px }
h1 { font-size: 19pt; margin: 4px 0 2px; color: #0b5c73; font-weight: normal } h2 { font-size: 11.5pt; color: #0b5c73; margin: 14px 0 4px; border-left: 5px solid #f0a500; padding-left: 7px }
.visit { display: flex; gap: 24px; font-size: 9pt; background: #eef5f7; padding: 6px 10px; border-radius: 6px } .visit span b { display: block; font-size: 7.5pt; color: #0b5c73; text-transform: uppercase }
.dx { font-size: 12pt; border: 2px solid #0b5c73; border-radius: 8px; padding: 8px 12px; margin: 6px 0 }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt } td { padding: 7px 6px; border-bottom: 1px solid #ccd; vertical-align: top }
.tag { font-weight: bold; font-size: 8.5pt; color: #fff; padding: 2px 7px; border-radius: 3px; white-space: nowrap } .start { background: #2e7d32 } .stop { background: #b71c1c }
.drug { font-weight: bold } ul { margin: 4px 0 } li { margin: 2px 0 }`;
  const run = `<div class="run"><span><b>Harbor Point Community Hospital</b> · Emergency Department · After Visit Summary</span><span>QUINTERO-BLAKE, MARISOL · DOB 11/30/1987 · MRN 60213847</span></div>`;
  const foot = (p) => `<div class="foot"><span>Printed 14 Oct 2026 23:41 by LMOREAU · CSN 9900123344</span><span>Page ${p} of 2</span></div>`;
  const page1 = `${run}
<h1>Your visit on 14 Oct 2026</h1>
<div class="visit"><span><b>Arrived</b>18:22</span><span><b>Discharged</b>23:35</span><span><b>Seen by</b>Cordelia Faraday, MD &amp; Jonah Pike, PA-C</span><span><b>Account</b>CSN 9900123344</span></div>
<h2>Why you came in</h2><p>Cough, fever and shortness of breath for 5 days.</p>
<h2>What we found</h2><div class="dx">Your diagnosis today: <b>community-acquired pneumonia of the right lower lobe</b></div>
<p>Your chest X-ray showed an infection in the lower part of your right lung. Your oxygen level was normal (96%) and you are well enough to be treated at home.
Blood cultures were sent and are still pending; we will call you if they show anything.</p>
<h2>Your health history (as we recorded it)</h2>
<p>Ms. Quintero-Blake is a 38-year-old woman with asthma and hypothyroidism. She takes levothyroxine 75 mcg once daily and uses a fluticasone 110 mcg inhaler, 2 puffs twice a day, with albuterol as needed.
She is allergic to penicillin (hives) and shellfish (throat swelling). She denies tobacco use and does not drink alcohol. No history of blood clots. Her mother has type 2 diabetes.</p>
<h2>Vaccines</h2>
<p>You received an influenza vaccine (flu shot) today, 14 Oct 2026. Our records also show Tdap in 2019 and a COVID-19 vaccine (Moderna) in September 2024.</p>
${foot(1)}`;
  const page2 = `${run}
<h2>Changes to your medicines</h2>
<table>
<tr><td><span class="tag start">START</span></td><td><span class="drug">Azithromycin 250 mg tablet</span><br>Take 2 tablets by mouth today, then 1 tablet once daily for 4 more days. Finish all of it even if you feel better.</td></tr>
<tr><td><span class="tag start">START</span></td><td><span class="drug">Benzonatate 100 mg capsule</span><br>1 capsule by mouth three times a day as needed for cough. Swallow whole — do not chew.</td></tr>
<tr><td><span class="tag start">START</span></td><td><span class="drug">Acetaminophen 500 mg tablet</span> (Tylenol, over the counter)<br>1–2 tablets every 6 hours as needed for fever or aches. No more than 3,000 mg in 24 hours.</td></tr>
<tr><td><span class="tag stop">STOP</span></td><td><span class="drug">Ibuprofen 600 mg tablet</span><br>Stop taking this for now; use acetaminophen instead.</td></tr>
</table>
<p>Keep taking all your other medicines the way you did before this visit.</p>
<h2>Follow-up</h2>
<p>Call your primary care provider, Dr. Anselm Okonkwo-Reyes, Tidewater Internal Medicine, (757) 555-0164, to be seen in 2 to 3 days.</p>
<h2>Come back to the Emergency Department or call 911 if</h2>
<ul><li>you are short of breath at rest or your lips look blue</li><li>you have chest pain, confusion or cannot keep fluids down</li><li>your fever is above 103 °F (39.4 °C) after 3 days of antibiotics</li></ul>
<h2>Work / school</h2><p>A work note for 14–17 Oct 2026 was given to you.</p>
<p style="margin-top:26px;font-size:9pt">Discharge instructions reviewed with the patient, who verbalized understanding. — L. Moreau, RN, 23:33</p>
${foot(2)}`;
  return { title: 'After Visit Summary', html: htmlDoc('After Visit Summary', css, [{ html: page1 }, { html: page2 }]), items, pages: 2 };
}

// ---------------------------------------------------------------------------------------------
// 4. Transfer-of-care letter from a retiring family physician (prose, serif, 2 pages, care-team table).
// ---------------------------------------------------------------------------------------------
export function transferLetter() {
  const P1 = { page: 1 }, P2 = { page: 2 };
  const items = [
    prov('Ambrose T. Whitcombe', 'Ambrose T. Whitcombe, M.D.', { organization: 'Linden Row Family Medicine', phone: '(319) 555-0121', fax: '(319) 555-0122', role: 'primary care physician (retiring)', ...P1 }),
    prov('Helena Strand-Mackey', 'Helena Strand-Mackey, MD', { organization: 'Riverbend Primary Care', fax: '(319) 555-0170', role: 'primary care physician (receiving)', ...P1 }),
    cond('atrial fibrillation', 'atrial fibrillation, diagnosed in 2014', { onset: '2014', ...P1 }),
    cond('heart failure with preserved ejection fraction', 'heart failure with preserved ejection fraction since 2019', { onset: '2019', ...P1 }),
    cond('type 2 diabetes mellitus', 'type 2 diabetes since 2008', { onset: '2008', ...P1 }),
    cond('benign prostatic hyperplasia', 'benign prostatic hyperplasia', P1),
    cond('osteoarthritis of both knees', 'osteoarthritis of both knees', P1),
    cond('hypertension', 'His hypertension resolved after he lost weight in 2010', { status: 'resolved', ...P1 }),
    surg('right total knee replacement', 'right total knee replacement in 2012', '2012', P1),
    prov('Kavya Penhaligon', 'Kavya Penhaligon, Cedar Valley Orthopaedics', { organization: 'Cedar Valley Orthopaedics', role: 'surgeon', optional: true, ...P1 }),
    surg('laparoscopic cholecystectomy', 'laparoscopic cholecystectomy in 1994', '1994', P1),
    med('apixaban', 'apixaban 5 mg twice daily', { strength: '5 mg', frequency: 'twice daily', date: '2018-03', status: 'active', rxcui: '1364430', ...P1 }),
    med('warfarin', 'warfarin was stopped', { status: 'discontinued', rxcui: '11289', ...P1 }),
    med('metoprolol succinate', 'metoprolol succinate 50 mg once daily', { strength: '50 mg', frequency: 'once daily', status: 'active', rxcui: '6918', ...P1 }),
    med('metformin', 'metformin 1000 mg twice daily', { strength: '1000 mg', frequency: 'twice daily', status: 'active', rxcui: '6809', ...P1 }),
    med('furosemide', 'furosemide 20 mg every morning', { strength: '20 mg', frequency: 'every morning', status: 'active', rxcui: '4603', ...P1 }),
    med('finasteride', 'finasteride 5 mg daily', { strength: '5 mg', frequency: 'daily', status: 'active', rxcui: '25025', ...P1 }),
    med('acetaminophen', 'acetaminophen 650 mg up to three times daily as needed for knee pain', { strength: '650 mg', frequency: 'as needed', status: 'active', rxcui: '161', ...P1 }),
    allergy('sulfamethoxazole', 'allergic to sulfa drugs, which gave him a widespread rash', { reaction: 'widespread rash', rxcui: '10180', ...P2 }),
    allergy('codeine', 'codeine makes him nauseated', { reaction: 'nausea', rxcui: '2670', ...P2 }),
    imm('Pneumococcal conjugate PCV13 (Prevnar 13)', '2017-03-04', { display: 'Prevnar 13 on 4 Mar 2017', cvx: '133', ...P2 }),
    imm('Pneumococcal polysaccharide PPSV23 (Pneumovax 23)', '2018', { display: 'Pneumovax 23 in 2018', cvx: '33', ...P2 }),
    imm('Zoster recombinant (Shingrix)', '2019-03', { display: 'Shingrix (March 2019)', cvx: '187', ev: 'March 2019', ...P2 }),
    imm('Zoster recombinant (Shingrix)', '2019-06', { display: 'Shingrix (June 2019)', cvx: '187', ev: 'June 2019', ...P2 }),
    imm('Tdap', '2020', { display: 'a Tdap booster in 2020', cvx: '115', ...P2 }),
    imm('Influenza', '2026-10-02', { display: "this season's flu vaccine on 10/02/2026", ...P2 }),
    screen('colonoscopy', 'colonoscopy, in 2016, was normal', '2016', 'normal', P2),
    screen('psa', 'PSA was 1.8 ng/mL in May 2021', '2021-05', '1.8 ng/mL', P2),
    denies('tobacco use', 'has never smoked', P2),
    prov('Lucian Marchetti', 'Lucian Marchetti, MD', { organization: 'Cedar Valley Heart Associates', phone: '(319) 555-0147', fax: '(319) 555-0148', role: 'cardiologist', ...P2 }),
    prov('Beatrix Hollowell', 'Beatrix Hollowell, DO', { organization: 'Millbrook Urology', phone: '(319) 555-0159', role: 'urologist', ...P2 }),
    prov('Sunita Rao-Whitfield', 'Sunita Rao-Whitfield, OD', { organization: 'Clearview Eye Care', phone: '(319) 555-0183', role: 'optometrist', ...P2 }),
  ];
  const css = `
.page { padding: 0.7in 0.95in; font-family: 'TeX Gyre Bonum', serif; font-size: 10.6pt; line-height: 1.45; color: #1a1a1a }
.lh { text-align: center; border-bottom: 1px solid #444; padding-bottom: 8px; margin-bottom: 16px } .lh .nm { font-variant: small-caps; font-size: 18pt; letter-spacing: 1.5px }
.lh .sub { font-size: 9pt; font-style: italic } .lh .ad { font-size: 8.6pt; margin-top: 2px }
.to { margin: 10px 0 } .re { font-weight: bold; margin: 12px 0 } p { margin: 0 0 9px; text-align: justify }
.meds { margin: 4px 0 10px 28px; padding: 0 } .meds li { margin: 0 } .cont { font-size: 8.5pt; font-style: italic; border-bottom: 1px solid #888; padding-bottom: 4px; margin-bottom: 16px; display: flex; justify-content: space-between }
table { border-collapse: collapse; width: 100%; font-size: 9.6pt; margin: 6px 0 12px } td, th { border-top: 1px solid #999; border-bottom: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top } th { font-variant: small-caps }
.sig { font-family: 'TeX Gyre Chorus', cursive; font-size: 20pt; margin: 4px 0 -4px } .pn { position: absolute; bottom: 0.45in; left: 0; right: 0; text-align: center; font-size: 8.5pt }`;
  const page1 = `
<div class="lh"><div class="nm">Ambrose T. Whitcombe, M.D.</div><div class="sub">Family Medicine · Linden Row Family Medicine</div>
<div class="ad">18 Linden Row, Millbrook, IA 50699 · Telephone (319) 555-0121 · Facsimile (319) 555-0122</div></div>
<div>20 November 2026</div>
<div class="to">Helena Strand-Mackey, MD<br>Riverbend Primary Care<br>400 Mill Race Road, Millbrook, IA 50699<br>By fax: (319) 555-0170</div>
<div class="re">Re: Osric Pemberton — date of birth 7 February 1946 — transfer of care</div>
<p>Dear Dr. Strand-Mackey,</p>
<p>After thirty-eight years in practice I am retiring on 31 December 2026. Mr. Pemberton, whom I have looked after since 1991, has chosen to continue his care with you, and I am glad to hand him over. What follows is a summary; the complete chart will follow by courier once he has signed the release.</p>
<p>His main problems are atrial fibrillation, diagnosed in 2014; heart failure with preserved ejection fraction since 2019; type 2 diabetes since 2008, well controlled (last HbA1c 6.6%); benign prostatic hyperplasia; and osteoarthritis of both knees. His hypertension resolved after he lost weight in 2010 and he has needed no treatment for it since.</p>
<p>He had a right total knee replacement in 2012 (Kavya Penhaligon, Cedar Valley Orthopaedics) and a laparoscopic cholecystectomy in 1994. Both went smoothly.</p>
<p>His current medicines are:</p>
<ul class="meds"><li>apixaban 5 mg twice daily (since March 2018, when warfarin was stopped after a fall)</li><li>metoprolol succinate 50 mg once daily</li><li>metformin 1000 mg twice daily</li>
<li>furosemide 20 mg every morning</li><li>finasteride 5 mg daily</li><li>acetaminophen 650 mg up to three times daily as needed for knee pain</li></ul>
<div class="pn">— 1 —</div>`;
  const page2 = `
<div class="cont"><span>Dr. A. T. Whitcombe to Dr. H. Strand-Mackey</span><span>re O. Pemberton, DOB 02/07/1946 · page 2 of 2</span></div>
<p>He is allergic to sulfa drugs, which gave him a widespread rash in 1998, and codeine makes him nauseated.</p>
<p>As for immunisations, he had Prevnar 13 on 4 Mar 2017 and Pneumovax 23 in 2018, both doses of Shingrix (March 2019 and June 2019), a Tdap booster in 2020, and this season's flu vaccine on 10/02/2026.</p>
<p>His last colonoscopy, in 2016, was normal, and at his age we agreed to stop colon screening. His PSA was 1.8 ng/mL in May 2021; we have not repeated it.</p>
<p>He is a retired machinist, lives with his wife, has never smoked and drinks a beer or two at weekends. His late father had a stroke at 70 and his brother was treated for prostate cancer.</p>
<p>Others involved in his care:</p>
<table><tr><th>Role</th><th>Clinician</th><th>Telephone</th><th>Fax</th></tr>
<tr><td>Cardiology</td><td>Lucian Marchetti, MD, Cedar Valley Heart Associates</td><td>(319) 555-0147</td><td>(319) 555-0148</td></tr>
<tr><td>Urology</td><td>Beatrix Hollowell, DO, Millbrook Urology</td><td>(319) 555-0159</td><td>—</td></tr>
<tr><td>Eyes</td><td>Sunita Rao-Whitfield, OD, Clearview Eye Care</td><td>(319) 555-0183</td><td>—</td></tr></table>
<p>My office manager, Gwen Archer, can answer questions about records until the end of December. It has been a privilege to look after Mr. Pemberton, and I know he is in good hands.</p>
<p>With thanks and best wishes,</p>
<div class="sig">A. T. Whitcombe</div>
<div>Ambrose T. Whitcombe, M.D.</div>
<div style="margin-top:14px;font-size:9pt">cc: Mr. O. Pemberton</div>
<div class="pn">— 2 —</div>`;
  return { title: 'Transfer of care', html: htmlDoc('Transfer of care', css, [{ html: page1 }, { html: page2 }]), items, pages: 2 };
}
