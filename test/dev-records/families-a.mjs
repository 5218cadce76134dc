// Layout families 1–5 of the dev-records corpus: operative report, history & physical, nursing-home MAR grid,
// daycare health form with a visit-based immunization grid, outside lab + screening results report.
// Each builder returns { html, items, pages }; item `page` / `also` / `ev` are generator-only (see lib.mjs).
import { htmlDoc, med, allergy, imm, screen, cond, denies, surg, prov } from './lib.mjs';


// ---------------------------------------------------------------------------------------------
// 1. operative-report — hospital operative report, 2 pages, Caladea serif, boxed header grid,
//    running header on page 2; the pre-op history block (PMH/PSH/meds/allergies) on page 2.
// ---------------------------------------------------------------------------------------------
export function operativeReport() {
  const items = [
    cond('cholelithiasis with chronic cholecystitis', 'Symptomatic cholelithiasis with chronic cholecystitis (K80.10)', { icd: 'K80.10', page: 1 }),
    surg('laparoscopic cholecystectomy with intraoperative cholangiogram', 'Laparoscopic cholecystectomy with intraoperative cholangiogram', '2025-08-14', { page: 1 }),
    prov('Marguerite Delacourt', 'Marguerite Delacourt, MD', { organization: 'Riverside Bend Medical Center', phone: '5415550112', role: 'surgeon', page: 1 }),
    prov('Kofi Mensah', 'Kofi Mensah, PA-C', { role: 'surgical assistant', optional: true, page: 1 }),
    prov('Lionel Haverford', 'Lionel Haverford, MD', { role: 'anesthesiologist', optional: true, page: 1 }),
    med('cefazolin', 'cefazolin 2 g IV', { strength: '2 g', route: 'intravenous', optional: true, page: 1 }),
    // page 2: pre-operative history
    cond('type 2 diabetes mellitus', 'Type 2 diabetes mellitus, non-insulin requiring', { page: 2 }),
    cond('hypertension', 'Essential hypertension', { page: 2 }),
    cond('obstructive sleep apnea', 'Obstructive sleep apnea, uses CPAP nightly', { page: 2 }),
    surg('right inguinal hernia repair', 'Open right inguinal hernia repair', '2011', { page: 2 }),
    surg('tonsillectomy', 'Tonsillectomy', undefined, { page: 2 }),
    med('metformin', 'Metformin 1000 mg tablet', { strength: '1000 mg', dose: '1 tablet', route: 'oral', frequency: 'twice daily', page: 2 }),
    med('lisinopril / hydrochlorothiazide', 'Lisinopril-hydrochlorothiazide 20-12.5 mg tablet', { strength: '20 mg / 12.5 mg', dose: '1 tablet', route: 'oral', frequency: 'daily', page: 2 }),
    med('atorvastatin', 'Atorvastatin 40 mg tablet', { rxcui: '83367', strength: '40 mg', dose: '1 tablet', route: 'oral', frequency: 'at bedtime', page: 2 }),
    allergy('latex', 'LATEX', { reaction: 'contact dermatitis', page: 2 }),
    allergy('codeine', 'Codeine', { rxcui: '2670', reaction: 'nausea and vomiting', page: 2 }),
    cond('tobacco use', 'Former smoker, quit 2009', { optional: true, page: 2 }),
    med('oxycodone / acetaminophen', 'Oxycodone-acetaminophen 5-325 mg tablet', { strength: '5 mg / 325 mg', dose: '1 tablet', route: 'oral', frequency: 'every 6 hours as needed', page: 2 }),
    prov('Anselm Whitcroft', 'Dr. Anselm Whitcroft', { organization: 'Birchline Family Practice', fax: '5415550139', role: 'primary care physician', page: 2 }),
  ];
  const css = `
body { font-family: Caladea, serif; font-size: 10.5pt; color: #111 }
.pg { padding: 0.6in 0.75in 0.7in }
.lh { display: flex; justify-content: space-between; border-bottom: 2px solid #333; padding-bottom: 6px }
.lh .org { font-size: 15pt; font-weight: bold; letter-spacing: 0.5px }
.lh .sub { font-size: 9pt }
h1 { font-size: 14pt; text-align: center; margin: 10px 0 8px; letter-spacing: 3px }
table.hdr { width: 100%; border-collapse: collapse; font-size: 9.5pt; margin-bottom: 10px }
table.hdr td { border: 1px solid #555; padding: 3px 6px; vertical-align: top }
table.hdr .k { font-weight: bold; width: 17%; background: #eee }
h2 { font-size: 10.5pt; text-transform: uppercase; margin: 10px 0 2px; border-bottom: 1px solid #999 }
p { margin: 2px 0 6px; text-align: justify; line-height: 1.35 }
.run { font-size: 8.5pt; border-bottom: 1px solid #666; display: flex; justify-content: space-between; padding-bottom: 3px; margin-bottom: 10px }
.foot { position: absolute; bottom: 0.35in; left: 0.75in; right: 0.75in; font-size: 8pt; color: #444; display: flex; justify-content: space-between; border-top: 1px solid #aaa; padding-top: 3px }
ul { margin: 2px 0 6px 18px; padding: 0 } li { margin: 1px 0 }
.cols { display: flex; gap: 24px } .cols > div { flex: 1 }
.sig { margin-top: 14px; font-style: italic }`;
  const p1 = `<div class="pg">
<div class="lh"><div><div class="org">RIVERSIDE BEND MEDICAL CENTER</div><div class="sub">Department of Surgery · 2200 Quarry Road · Alder Falls, OR 97999</div></div>
<div class="sub" style="text-align:right">Surgery office (541) 555-0112<br>HIM fax (541) 555-0113</div></div>
<h1>OPERATIVE REPORT</h1>
<table class="hdr">
<tr><td class="k">Patient</td><td>CASTELLANOS-REID, EAMON J</td><td class="k">MRN</td><td>5510-2287</td></tr>
<tr><td class="k">Date of birth</td><td>03/14/1958 (67 y)</td><td class="k">Account #</td><td>HAR 900188231</td></tr>
<tr><td class="k">Date of surgery</td><td>14-Aug-2025</td><td class="k">Location</td><td>Main OR, Room 6</td></tr>
<tr><td class="k">Surgeon</td><td>Marguerite Delacourt, MD</td><td class="k">Assistant</td><td>Kofi Mensah, PA-C</td></tr>
<tr><td class="k">Anesthesia</td><td>General endotracheal</td><td class="k">Anesthesiologist</td><td>Lionel Haverford, MD</td></tr>
</table>
<h2>Preoperative diagnosis</h2><p>Symptomatic cholelithiasis with chronic cholecystitis (K80.10).</p>
<h2>Postoperative diagnosis</h2><p>Same.</p>
<h2>Procedure performed</h2><p>Laparoscopic cholecystectomy with intraoperative cholangiogram.</p>
<h2>Indications</h2><p>The patient is a 67-year-old man with a six-month history of postprandial right upper quadrant pain. Ultrasound on
07/02/2025 showed multiple gallstones with a thickened gallbladder wall. The risks, benefits and alternatives were discussed and he wished to proceed.</p>
<h2>Description of procedure</h2><p>After identification in the holding area, the patient was brought to the operating room and placed supine.
Prophylactic cefazolin 2 g IV was given within 60 minutes of incision. General endotracheal anesthesia was induced without difficulty. The abdomen was prepped
and draped in the usual sterile fashion. Pneumoperitoneum was established through a periumbilical Hasson technique and three additional 5-mm ports were placed
under direct vision. The gallbladder was retracted cephalad; the critical view of safety was obtained. A cholangiogram through the cystic duct showed free flow
into the duodenum without filling defects. The cystic duct and artery were clipped and divided, and the gallbladder was removed from the liver bed with cautery
and extracted in a retrieval bag. Hemostasis was confirmed. Ports were removed under vision and the fascia at the umbilicus closed with 0 Vicryl. Skin was closed with
4-0 Monocryl and local anesthetic infiltrated.</p>
<h2>Findings</h2><p>Chronically inflamed, thick-walled gallbladder containing numerous small stones; normal cholangiogram.</p>
<div class="cols"><div><h2>Estimated blood loss</h2><p>15 mL</p></div><div><h2>Specimens</h2><p>Gallbladder to pathology</p></div><div><h2>Complications</h2><p>None</p></div></div>
</div>
<div class="foot"><span>CASTELLANOS-REID, EAMON J · MRN 5510-2287</span><span>Page 1 of 2</span></div>`;
  const p2 = `<div class="pg">
<div class="run"><span>Riverside Bend Medical Center — Operative Report (continued)</span><span>CASTELLANOS-REID, EAMON J · DOB 03/14/1958</span></div>
<h2>Pertinent history (from pre-operative H&amp;P, 08/07/2025)</h2>
<div class="cols"><div>
<p><b>Past medical history</b></p>
<ul><li>Type 2 diabetes mellitus, non-insulin requiring</li><li>Essential hypertension</li><li>Obstructive sleep apnea, uses CPAP nightly</li></ul>
<p><b>Past surgical history</b></p>
<ul><li>Open right inguinal hernia repair — 2011</li><li>Tonsillectomy — childhood</li></ul>
</div><div>
<p><b>Home medications</b></p>
<ul><li>Metformin 1000 mg tablet — 1 tab by mouth twice daily</li><li>Lisinopril-hydrochlorothiazide 20-12.5 mg tablet — 1 tab daily</li><li>Atorvastatin 40 mg tablet — 1 tab at bedtime</li></ul>
<p><b>Allergies</b></p>
<ul><li>LATEX — contact dermatitis (use latex-free setup)</li><li>Codeine — nausea and vomiting</li></ul>
<p><b>Social</b>: Former smoker, quit 2009. Retired electrician.</p>
</div></div>
<h2>Disposition</h2><p>Extubated in the operating room and taken to PACU in stable condition. Discharged home the same day after meeting criteria.</p>
<h2>Postoperative plan</h2>
<p>Resume home medications; hold metformin for 24 hours. New prescription: Oxycodone-acetaminophen 5-325 mg tablet, 1 tab by mouth every 6 hours as needed
for pain, #12, no refills. Walk several times daily; no lifting over 15 lb for 2 weeks. Follow up in clinic with Dr. Delacourt in 2 weeks for a wound check and the pathology result.</p>
<p>cc: Dr. Anselm Whitcroft, Birchline Family Practice — fax (541) 555-0139</p>
<p class="sig">Electronically signed by Marguerite Delacourt, MD on 08/14/2025 at 16:42</p>
</div>
<div class="foot"><span>CASTELLANOS-REID, EAMON J · MRN 5510-2287</span><span>Page 2 of 2</span></div>`;
  return { html: htmlDoc('Operative report', css, [{ html: p1 }, { html: p2 }]), items, pages: 2 };
}

// ---------------------------------------------------------------------------------------------
// 2. history-physical — orthopaedic pre-surgical H&P, 2 pages, Lato, two-column PMH/PSH, prose
//    HPI and social history, ROS negatives, family history, a *scheduled* knee replacement.
// ---------------------------------------------------------------------------------------------
export function historyPhysical() {
  const items = [
    med('meloxicam', 'meloxicam 15 mg', { strength: '15 mg', frequency: 'daily', page: 1 }),
    cond('osteoarthritis of both knees', 'Primary osteoarthritis, both knees (M17.0)', { icd: 'M17.0', page: 1 }),
    cond('hypothyroidism', 'Hypothyroidism (E03.9), diagnosed 1998', { icd: 'E03.9', onset: '1998', page: 1 }),
    cond('paroxysmal atrial fibrillation', 'Paroxysmal atrial fibrillation (I48.0)', { icd: 'I48.0', page: 1 }),
    cond('hyperlipidemia', 'Hyperlipidemia', { page: 1 }),
    cond('breast cancer', 'Left breast cancer, stage I, 2012 — in remission', { onset: '2012', status: 'resolved', page: 1 }),
    surg('left breast lumpectomy', 'Left breast lumpectomy with sentinel node biopsy', '2012', { page: 1 }),
    surg('cataract extraction, both eyes', 'Cataract extraction with lens implant, both eyes', '2019', { page: 1 }),
    surg('appendectomy', 'Appendectomy', undefined, { page: 1 }),
    med('levothyroxine', 'Levothyroxine 88 mcg tab', { strength: '88 mcg', dose: '1 tablet', route: 'oral', frequency: 'daily', page: 1 }),
    med('apixaban', 'Apixaban (Eliquis) 5 mg tab', { strength: '5 mg', dose: '1 tablet', route: 'oral', frequency: 'twice daily', page: 1 }),
    med('atorvastatin', 'Atorvastatin 20 mg tab', { rxcui: '83367', strength: '20 mg', dose: '1 tablet', route: 'oral', frequency: 'daily', page: 1 }),
    med('calcium carbonate / cholecalciferol', 'Calcium carbonate-vitamin D3 600 mg-400 unit tab', { strength: '600 mg / 400 unit', dose: '1 tablet', route: 'oral', frequency: 'twice daily', page: 1 }),
    med('latanoprost', 'Latanoprost 0.005% ophthalmic solution', { strength: '0.005%', dose: '1 drop', route: 'ophthalmic', frequency: 'at bedtime', page: 1 }),
    allergy('penicillin', 'Penicillin', { reaction: 'hives', page: 1 }),
    allergy('iodinated contrast media', 'Iodinated contrast', { reaction: 'flushing and throat tightness', severity: 'severe', page: 1 }),
    imm('Zoster recombinant (Shingrix)', '2021-03', { display: 'Shingrix', cvx: '187', page: 2 }),
    imm('Zoster recombinant (Shingrix)', '2021-06', { display: 'Shingrix', cvx: '187', page: 2 }),
    imm('Pneumococcal conjugate PCV20', '2023-10', { display: 'Pneumococcal PCV20', cvx: '216', page: 2 }),
    imm('Influenza, seasonal', '2026-09-30', { display: 'influenza vaccine', page: 2 }),
    denies('tobacco use', 'Never smoker', { page: 2 }),
    cond('alcohol use', 'rare glass of wine', { optional: true, page: 2 }),
    denies('recreational drug use', 'No illicit drug use', { page: 2 }),
    denies('blood clots', 'no history of blood clots', { page: 1 }),
    denies('chest pain', 'chest pain', { page: 2, ev: 'Denies chest pain' }),
    denies('shortness of breath', 'shortness of breath', { page: 2 }),
    denies('fever', 'fever', { page: 2 }),
    denies('chills', 'chills', { page: 2 }),
    prov('Tobias Wren-Okafor', 'Tobias Wren-Okafor, MD', { organization: 'Summit Ridge Orthopaedics', phone: '9705550124', fax: '9705550125', role: 'orthopaedic surgeon', page: 1 }),
    prov('Ingeborg Halvorsen', 'Dr. Ingeborg Halvorsen', { organization: 'Bluewater Heart Associates', phone: '9705550127', role: 'cardiologist', page: 2 }),
    prov('Rafael Montserrat-Ode', 'Dr. Rafael Montserrat-Ode', { phone: '9705550129', role: 'primary care physician', page: 2 }),
  ];
  const css = `
body { font-family: Lato, sans-serif; font-size: 9.8pt; color: #1a1a1a }
.pg { padding: 0.55in 0.7in 0.7in }
.top { display: flex; align-items: center; gap: 14px; border-bottom: 3px solid #2d5f8b; padding-bottom: 6px }
.logo { width: 44px; height: 44px; border-radius: 50%; background: #2d5f8b; color: white; font-weight: 900; font-size: 16pt; display: flex; align-items: center; justify-content: center }
.top .n { font-size: 14pt; font-weight: 900; color: #2d5f8b } .top .a { font-size: 8.5pt; color: #333 }
.title { font-size: 12.5pt; font-weight: 700; margin: 8px 0 2px }
.pt { font-size: 9pt; background: #eef3f8; padding: 5px 8px; margin-bottom: 8px }
h3 { break-after: avoid; font-size: 9.8pt; color: #2d5f8b; margin: 9px 0 2px; text-transform: uppercase; letter-spacing: 0.6px }
p { margin: 1px 0 5px; line-height: 1.38 }
.two { column-count: 2; column-gap: 26px }
.two h3:first-child { margin-top: 0 }
ol, ul { margin: 1px 0 5px 16px; padding: 0; break-inside: avoid } li { margin: 1px 0 }
.foot { position: absolute; bottom: 0.35in; left: 0.7in; right: 0.7in; font-size: 7.8pt; color: #555; text-align: center }
.run { font-size: 8pt; color: #555; border-bottom: 1px solid #ccc; padding-bottom: 3px; margin-bottom: 6px }`;
  const p1 = `<div class="pg">
<div class="top"><div class="logo">SR</div><div><div class="n">Summit Ridge Orthopaedics</div><div class="a">1450 Aspen Meadow Dr, Suite 300 · Larkin, CO 80999 · Tel 970-555-0124 · Fax 970-555-0125</div></div></div>
<div class="title">History and Physical — Pre-operative Evaluation</div>
<div class="pt"><b>Patient:</b> Philippa Okonkwo-Strand &nbsp;&nbsp; <b>DOB:</b> September 2, 1949 &nbsp;&nbsp; <b>MRN:</b> 00731945 &nbsp;&nbsp; <b>Visit:</b> November 18, 2026 &nbsp;&nbsp; <b>Provider:</b> Tobias Wren-Okafor, MD</div>
<h3>Chief complaint</h3><p>Right knee pain, worse with stairs.</p>
<h3>History of present illness</h3>
<p>Mrs. Okonkwo-Strand is a 77-year-old right-handed woman with progressive right knee pain for four years. Radiographs show bone-on-bone medial
compartment narrowing. She has had three corticosteroid injections, the most recent in May 2026, with only a few weeks of relief each time, and completed
eight weeks of physical therapy this summer. She takes meloxicam 15 mg once a day, which she will stop seven days before surgery. She walks with a cane outdoors.
She has no history of blood clots.</p>
<div class="two">
<h3>Past medical history</h3>
<ul><li>Primary osteoarthritis, both knees (M17.0)</li><li>Hypothyroidism (E03.9), diagnosed 1998</li><li>Paroxysmal atrial fibrillation (I48.0) — on apixaban</li>
<li>Hyperlipidemia</li><li>Left breast cancer, stage I, 2012 — in remission</li></ul>
<h3>Past surgical history</h3>
<ul><li>Left breast lumpectomy with sentinel node biopsy, 2012</li><li>Cataract extraction with lens implant, both eyes, 2019</li><li>Appendectomy, age 12</li></ul>
<h3>Medications</h3>
<ol><li>Levothyroxine 88 mcg tab — 1 every morning before breakfast</li><li>Apixaban (Eliquis) 5 mg tab — 1 twice a day</li><li>Atorvastatin 20 mg tab — 1 daily</li>
<li>Calcium carbonate-vitamin D3 600 mg-400 unit tab — 1 twice daily with food</li><li>Latanoprost 0.005% ophthalmic solution — 1 drop both eyes at bedtime</li><li>Meloxicam 15 mg — see HPI</li></ol>
<h3>Allergies</h3>
<ul><li>Penicillin — hives (as a child)</li><li>Iodinated contrast — flushing and throat tightness, SEVERE; premedicate if contrast needed</li></ul>
</div>
</div>
<div class="foot">Okonkwo-Strand, Philippa · MRN 00731945 · H&amp;P 11/18/2026 · page 1/2</div>`;
  const p2 = `<div class="pg">
<div class="run">Summit Ridge Orthopaedics · Okonkwo-Strand, Philippa (DOB 09/02/1949) · History and Physical, continued</div>
<h3>Immunizations</h3>
<p>Shingrix series completed (03/2021 and 06/2021). Pneumococcal PCV20 10/2023. Seasonal influenza vaccine given 09/30/2026 at her pharmacy.</p>
<h3>Social history</h3>
<p>Retired school librarian; lives with her husband in a two-story home with the bedroom upstairs. Never smoker. Has a rare glass of wine on holidays. No illicit drug use.</p>
<h3>Family history</h3>
<p>Mother died at 88 with Alzheimer disease. Father had colon cancer at 70 and a stroke. Sister has rheumatoid arthritis. No family history of problems with anesthesia.</p>
<h3>Review of systems</h3>
<p>Constitutional: Denies chest pain, shortness of breath, fever or chills. Musculoskeletal: positive for right knee pain, stiffness and swelling. All other systems reviewed and negative.</p>
<h3>Physical examination</h3>
<p>BP 134/78, HR 72 irregular-irregular at times, BMI 29.4. Right knee: varus alignment, small effusion, range of motion 5–100°, medial joint line tenderness.
Neurovascularly intact distally. Calves soft and non-tender.</p>
<h3>Assessment and plan</h3>
<ol><li>End-stage osteoarthritis, right knee. She is scheduled for right total knee arthroplasty on January 12, 2027 at Cedar Point Surgical Hospital.
Consent signed today. Pre-operative labs and ECG ordered.</li>
<li>Paroxysmal AF on apixaban — hold apixaban 48 hours before surgery per her cardiologist, Dr. Ingeborg Halvorsen (Bluewater Heart Associates, 970-555-0127).</li>
<li>Contrast allergy noted in chart; no contrast planned.</li></ol>
<p>Copy to primary care: Dr. Rafael Montserrat-Ode, tel 970-555-0129.</p>
<p style="margin-top:14px">Tobias Wren-Okafor, MD — Orthopaedic Surgery — signed 11/18/2026</p>
</div>
<div class="foot">Okonkwo-Strand, Philippa · MRN 00731945 · H&amp;P 11/18/2026 · page 2/2</div>`;
  return { html: htmlDoc('History and physical', css, [{ html: p1 }, { html: p2 }]), items, pages: 2 };
}

// ---------------------------------------------------------------------------------------------
// 3. mar-grid — nursing-home Medication Administration Record, landscape, Open Sans Condensed,
//    30 day columns with nurse initials, hour column, sig on a second line, a D/C row, PRN block,
//    one-time vaccine order, allergy banner, diagnoses with ICD-10.
// ---------------------------------------------------------------------------------------------
export function marGrid() {
  const rows = [
    { drug: 'Donepezil 10 mg tablet', sig: 'Give 1 tablet by mouth at bedtime', start: '03/02/2024', hours: ['2100'],
      it: med('donepezil', 'Donepezil 10 mg tablet', { strength: '10 mg', dose: '1 tablet', route: 'oral', frequency: 'at bedtime', date: '2024-03-02' }) },
    { drug: 'Amlodipine 5 mg tablet', sig: 'Give 1 tablet by mouth once daily. Hold for SBP &lt; 100', start: '06/15/2025', hours: ['0800'],
      it: med('amlodipine', 'Amlodipine 5 mg tablet', { rxcui: '17767', strength: '5 mg', dose: '1 tablet', route: 'oral', frequency: 'daily', date: '2025-06-15' }) },
    { drug: 'Sertraline 50 mg tablet', sig: 'Give 1 tablet by mouth every morning for depression', start: '01/20/2025', hours: ['0800'],
      it: med('sertraline', 'Sertraline 50 mg tablet', { rxcui: '36437', strength: '50 mg', dose: '1 tablet', route: 'oral', frequency: 'daily', date: '2025-01-20' }) },
    { drug: 'Alendronate 70 mg tablet', sig: 'Give 1 tablet by mouth once weekly on SUNDAY, 30 min before breakfast, upright', start: '09/08/2024', hours: ['0600'], weekly: true,
      it: med('alendronate', 'Alendronate 70 mg tablet', { strength: '70 mg', dose: '1 tablet', route: 'oral', frequency: 'weekly', date: '2024-09-08' }) },
    { drug: 'Cholecalciferol (vitamin D3) 1,000 unit tablet', sig: 'Give 1 tablet by mouth daily with breakfast', start: '09/08/2024', hours: ['0800'],
      it: med('cholecalciferol', 'Cholecalciferol (vitamin D3) 1,000 unit tablet', { strength: '1000 unit', dose: '1 tablet', route: 'oral', frequency: 'daily', date: '2024-09-08' }) },
    { drug: 'Furosemide 20 mg tablet', sig: 'Give 1 tablet by mouth daily — D/C 11/09/2026 per Dr. Adebayo-Lind', start: '10/01/2026', hours: ['0800'], dc: 9,
      it: med('furosemide', 'Furosemide 20 mg tablet', { rxcui: '4603', strength: '20 mg', dose: '1 tablet', route: 'oral', frequency: 'daily', date: '2026-10-01', status: 'discontinued' }) },
    { drug: 'Lidocaine 4% topical patch', sig: 'Apply 1 patch to lower back daily; ON at 0800, OFF at 2000', start: '07/11/2026', hours: ['0800', '2000'],
      it: med('lidocaine', 'Lidocaine 4% topical patch', { strength: '4%', dose: '1 patch', route: 'topical', frequency: 'daily', date: '2026-07-11' }) },
  ];
  const prn = [
    { drug: 'Acetaminophen 500 mg tablet', sig: 'Give 2 tablets by mouth every 6 hours as needed for pain. Max 3 g/24 h', start: '03/02/2024', given: { 3: 'AB', 11: 'JT', 17: 'AB' },
      it: med('acetaminophen', 'Acetaminophen 500 mg tablet', { rxcui: '161', strength: '500 mg', dose: '2 tablets', route: 'oral', frequency: 'every 6 hours as needed', date: '2024-03-02' }) },
    { drug: 'Polyethylene glycol 3350 17 g powder packet', sig: 'Mix 17 g in 8 oz water by mouth daily as needed for constipation', start: '05/19/2025', given: { 6: 'MK', 13: 'MK' },
      it: med('polyethylene glycol 3350', 'Polyethylene glycol 3350 17 g powder packet', { strength: '17 g', route: 'oral', frequency: 'as needed', date: '2025-05-19' }) },
  ];
  const DAYS = 30, TODAY = 18; // printed on 11/18 evening: days after 18 blank
  const nurses = ['JT', 'MK', 'AB', 'RS', 'LW'];
  const cell = (r, h, d) => {
    if (d > TODAY) return '';
    if (r.dc && d > r.dc) return '<span class="dc">DC</span>';
    if (r.weekly) return [1, 8, 15].includes(d) ? nurses[(d + h) % 5] : '<span class="na">—</span>';
    if (r.drug.startsWith('Amlodipine') && d === 12) return '<span class="held">H</span>';
    return nurses[(d * 3 + h) % 5];
  };
  const dayHead = Array.from({ length: DAYS }, (_, i) => `<th class="d">${i + 1}</th>`).join('');
  const schedRows = rows.map((r) => r.hours.map((h, hi) => `<tr>${hi === 0 ? `<td class="drug" rowspan="${r.hours.length}"><b>${r.drug}</b><br><span class="sig">${r.sig}</span><br><span class="st">Start ${r.start}${r.dc ? ' · STOP 11/09/2026' : ''}</span></td>` : ''}<td class="h">${h}</td>${Array.from({ length: DAYS }, (_, i) => `<td class="d">${cell(r, hi, i + 1)}</td>`).join('')}</tr>`).join('')).join('');
  const prnRows = prn.map((r) => `<tr><td class="drug"><b>${r.drug}</b><br><span class="sig">${r.sig}</span><br><span class="st">Start ${r.start} · PRN</span></td><td class="h">PRN</td>${Array.from({ length: DAYS }, (_, i) => `<td class="d">${r.given[i + 1] ?? ''}</td>`).join('')}</tr>`).join('');
  const items = [
    ...rows.map((r) => r.it), ...prn.map((r) => r.it),
    allergy('sulfamethoxazole', 'SULFA', { reaction: 'rash' }),
    allergy('codeine', 'CODEINE', { rxcui: '2670', reaction: 'nausea' }),
    allergy('shellfish', 'SHELLFISH'),
    cond("alzheimer's disease", "Alzheimer's disease (G30.9)", { icd: 'G30.9' }),
    cond('hypertension', 'Essential hypertension (I10)', { icd: 'I10' }),
    cond('chronic kidney disease stage 3a', 'CKD stage 3a (N18.31)', { icd: 'N18.31' }),
    cond('osteoporosis', 'Age-related osteoporosis (M81.0)', { icd: 'M81.0' }),
    cond('major depressive disorder, recurrent', 'Major depressive disorder, recurrent, moderate (F33.1)', { icd: 'F33.1' }),
    imm('Influenza, high-dose (Fluzone High-Dose)', '2026-11-03', { display: 'Fluzone High-Dose', lot: 'UJ4410CB', cvx: '197' }),
    prov('Cosmo Adebayo-Lind', 'Cosmo Adebayo-Lind, MD', { phone: '5035550148', role: 'attending physician' }),
    prov('Granite Path LTC Pharmacy', 'Granite Path LTC Pharmacy', { phone: '5035550149', role: 'pharmacy', optional: true }),
  ];
  const css = `
body { font-family: 'Open Sans Condensed', 'Open Sans', sans-serif; font-size: 7.6pt; color: #000 }
.pg { padding: 0.3in 0.35in }
.hd { display: grid; grid-template-columns: 2.1fr 1.6fr 1.6fr 1.7fr; border: 1.5px solid #000; }
.hd > div { border-right: 1px solid #000; padding: 3px 5px } .hd > div:last-child { border-right: 0 }
.hd b { font-size: 7.2pt; text-transform: uppercase; color: #333; display: block }
.fac { font-size: 11pt; font-weight: bold }
.alg { background: #ffd7d7; border: 1.5px solid #b00; margin: 4px 0; padding: 2px 6px; font-weight: bold; font-size: 8.5pt }
table.mar { border-collapse: collapse; width: 100%; table-layout: fixed }
table.mar td, table.mar th { border: 0.6px solid #444; padding: 1px 1px; text-align: center; vertical-align: middle }
table.mar td.drug { text-align: left; width: 2.55in; padding: 2px 3px; line-height: 1.15 }
th.drug { width: 2.55in } th.h, td.h { width: 0.36in } .d { font-size: 6.3pt }
.sig { font-size: 7pt } .st { font-size: 6.5pt; color: #333 }
.dc { color: #000; font-weight: bold; font-size: 5.5pt } .held { font-weight: bold; color: #900 } .na { color: #999 }
.sec { background: #ddd; font-weight: bold; text-align: left !important; font-size: 7.5pt }
.bot { display: flex; gap: 10px; margin-top: 5px } .bot > div { border: 1px solid #000; padding: 3px 6px; flex: 1 }
.foot { position: absolute; bottom: 0.2in; left: 0.35in; right: 0.35in; font-size: 6.8pt; display: flex; justify-content: space-between }`;
  const p1 = `<div class="pg">
<div class="hd">
<div><span class="fac">Willowmere Care Center</span><br>3900 Fernhill Rd · Ashgrove, OR 97999 · Nurses' station (503) 555-0147<br><b style="display:inline">Medication Administration Record</b> — November 2026</div>
<div><b>Resident</b>HALLORANN, BEATRIX M<br><b>DOB</b>07/19/1934 &nbsp; Sex F</div>
<div><b>Room</b>214-B &nbsp; <b>Medical Record #</b>20744019</div>
<div><b>Attending physician</b>Cosmo Adebayo-Lind, MD · (503) 555-0148<br><b>Pharmacy</b>Granite Path LTC Pharmacy · (503) 555-0149</div>
</div>
<div class="alg">ALLERGIES: SULFA (RASH) · CODEINE (NAUSEA) · SHELLFISH &nbsp;&nbsp;|&nbsp;&nbsp; DIET: mechanical soft, thin liquids &nbsp;&nbsp;|&nbsp;&nbsp; CODE STATUS: DNR</div>
<div style="margin-bottom:4px"><b>DIAGNOSES:</b> Alzheimer's disease (G30.9); Essential hypertension (I10); CKD stage 3a (N18.31); Age-related osteoporosis (M81.0); Major depressive disorder, recurrent, moderate (F33.1)</div>
<table class="mar"><tr><th class="drug">Medication / directions</th><th class="h">Hour</th>${dayHead}</tr>
<tr><td class="sec" colspan="${DAYS + 2}">SCHEDULED MEDICATIONS</td></tr>${schedRows}
<tr><td class="sec" colspan="${DAYS + 2}">PRN MEDICATIONS (document reason and result on the back)</td></tr>${prnRows}
<tr><td class="sec" colspan="${DAYS + 2}">ONE-TIME ORDERS</td></tr>
<tr><td class="drug"><b>Fluzone High-Dose</b> influenza vaccine 0.5 mL IM x1<br><span class="sig">Given 11/03/2026, L deltoid, Lot UJ4410CB, VIS given</span></td><td class="h">1000</td>${Array.from({ length: DAYS }, (_, i) => `<td class="d">${i === 2 ? 'RS' : ''}</td>`).join('')}</tr>
</table>
<div class="bot"><div><b>Codes:</b> H = held (see note) · DC = discontinued · R = refused · — = not scheduled</div><div><b>Initials:</b> JT J. Tolliver LPN · MK M. Kearney RN · AB A. Bamidele CMA · RS R. Sato RN · LW L. Whitby LPN</div></div>
</div>
<div class="foot"><span>HALLORANN, BEATRIX M · MR# 20744019 · Rm 214-B</span><span>Printed 11/18/2026 21:05 by MK</span><span>Page 1 of 1</span></div>`;
  return { html: htmlDoc('MAR', css, [{ html: p1 }], { landscape: true }), items, pages: 1 };
}

// ---------------------------------------------------------------------------------------------
// 4. daycare-health-form — child care health report: part A by parent (emergency contacts,
//    parent is not a provider), part B by the child's doctor (allergies with an EpiPen plan,
//    asthma, medications at child care), page 2 a visit-based immunization grid: one row per
//    visit date (DD-Mon-YYYY) with several brand-name vaccines per cell, dose numbers, lots, sites;
//    "next due" line and unticked exemption boxes.
// ---------------------------------------------------------------------------------------------
export function daycareForm() {
  const visits = [
    ['11-Feb-2022', 'birth', [['Engerix-B (hepatitis B)', '1', 'HB3391', 'R thigh', 'Hepatitis B, pediatric', '08']]],
    ['13-Apr-2022', '2 mo', [['Pediarix (DTaP-HepB-IPV)', '1', 'PX7720A', 'L thigh', 'DTaP-HepB-IPV (Pediarix)', '110'], ['ActHIB (Hib)', '1', 'UK0921', 'R thigh', 'Hib (PRP-T)', '48'],
      ['Prevnar 20 (PCV20)', '1', 'LL4410', 'R thigh', 'Pneumococcal conjugate PCV20', '216'], ['RotaTeq (rotavirus)', '1', 'R00914', 'oral', 'Rotavirus, pentavalent', '116']]],
    ['15-Jun-2022', '4 mo', [['Pediarix (DTaP-HepB-IPV)', '2', 'PX7731B', 'L thigh', 'DTaP-HepB-IPV (Pediarix)', '110'], ['ActHIB (Hib)', '2', 'UK0966', 'R thigh', 'Hib (PRP-T)', '48'],
      ['Prevnar 20 (PCV20)', '2', 'LL4452', 'R thigh', 'Pneumococcal conjugate PCV20', '216'], ['RotaTeq (rotavirus)', '2', 'R00977', 'oral', 'Rotavirus, pentavalent', '116']]],
    ['17-Aug-2022', '6 mo', [['Pediarix (DTaP-HepB-IPV)', '3', 'PX7790C', 'L thigh', 'DTaP-HepB-IPV (Pediarix)', '110'], ['ActHIB (Hib)', '3', 'UK1013', 'R thigh', 'Hib (PRP-T)', '48'],
      ['Prevnar 20 (PCV20)', '3', 'LL4503', 'R thigh', 'Pneumococcal conjugate PCV20', '216'], ['RotaTeq (rotavirus)', '3', 'R01020', 'oral', 'Rotavirus, pentavalent', '116']]],
    ['04-Oct-2022', '8 mo', [['Fluzone Quadrivalent, pediatric', '1', 'UT8120', 'L thigh', 'Influenza, seasonal, injectable', null]]],
    ['08-Nov-2022', '9 mo', [['Fluzone Quadrivalent, pediatric', '2', 'UT8134', 'L thigh', 'Influenza, seasonal, injectable', null]]],
    ['14-Feb-2023', '12 mo', [['M-M-R II (MMR)', '1', 'Y001842', 'L arm', 'MMR', '03'], ['Varivax (varicella)', '1', 'Y002210', 'R arm', 'Varicella', '21'],
      ['Havrix (hepatitis A)', '1', 'AHAVB771', 'L thigh', 'Hepatitis A, pediatric', '83'], ['Prevnar 20 (PCV20)', '4', 'LL4720', 'R thigh', 'Pneumococcal conjugate PCV20', '216']]],
    ['16-May-2023', '15 mo', [['Daptacel (DTaP)', '4', 'C5530AA', 'L thigh', 'DTaP', '20'], ['ActHIB (Hib)', '4', 'UK1290', 'R thigh', 'Hib (PRP-T)', '48']]],
    ['21-Aug-2023', '18 mo', [['Havrix (hepatitis A)', '2', 'AHAVB902', 'L thigh', 'Hepatitis A, pediatric', '83']]],
    ['03-Oct-2025', '3 y', [['FluMist (influenza, nasal)', '—', 'FM2255', 'intranasal', 'Influenza, live, intranasal', '149']]],
  ];
  const iso = (d) => { const M = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' }; const [dd, mm, yy] = d.split('-'); return `${yy}-${M[mm]}-${dd}`; };
  const immItems = visits.flatMap(([d, , vs]) => vs.map(([brand, , lot, , generic, cvx]) => imm(generic, iso(d), { display: brand, lot, ...(cvx ? { cvx } : {}), page: 2 })));
  const items = [
    allergy('peanut', 'Peanut', { reaction: 'anaphylaxis', severity: 'severe', page: 1 }),
    allergy('amoxicillin', 'Amoxicillin', { rxcui: '723', reaction: 'rash', page: 1 }),
    cond('asthma, mild intermittent', 'Asthma, mild intermittent', { page: 1 }),
    cond('atopic dermatitis', 'Atopic dermatitis (eczema)', { page: 1 }),
    med('albuterol', 'Albuterol HFA 90 mcg/actuation inhaler', { strength: '90 mcg/actuation', dose: '2 puffs', route: 'inhalation', frequency: 'every 4 hours as needed', page: 1 }),
    med('epinephrine', 'Epinephrine 0.15 mg auto-injector (EpiPen Jr)', { strength: '0.15 mg', dose: '1 injection', route: 'intramuscular', frequency: 'as needed', page: 1 }),
    med('cetirizine', 'Cetirizine 1 mg/mL oral solution', { strength: '1 mg/mL', dose: '2.5 mL', route: 'oral', frequency: 'daily', page: 1 }),
    med('hydrocortisone', 'Hydrocortisone 1% cream', { strength: '1%', route: 'topical', frequency: 'twice daily as needed', page: 1 }),
    prov('Imogen Castellano-Bright', 'Imogen Castellano-Bright, MD', { organization: 'Pinecrest Pediatrics', phone: '3605550156', fax: '3605550157', address: '77 Cedar Loop, Port Merrow, WA 98999', role: 'pediatrician', page: 1, also: [2] }),
    ...immItems,
  ];
  const box = (on) => `<span class="bx">${on ? '✕' : ''}</span>`;
  const css = `
body { font-family: Cantarell, sans-serif; font-size: 9pt; color: #111 }
.pg { padding: 0.5in 0.6in 0.6in }
.st { text-align: center; border: 2px solid #446633; padding: 5px; color: #223a1a }
.st .t1 { font-size: 13pt; font-weight: bold } .st .t2 { font-size: 9pt }
.part { background: #446633; color: white; font-weight: bold; padding: 2px 6px; margin-top: 9px }
.row { display: flex; gap: 10px; margin: 4px 0 } .f { flex: 1; border-bottom: 1px solid #555; padding: 1px 2px }
.f small { display: block; color: #555; font-size: 7pt }
.hw { font-family: Rufscript, cursive; color: #1b2a7a; font-size: 9.6pt }
.bx { display: inline-block; width: 10px; height: 10px; border: 1px solid #000; margin-right: 4px; text-align: center; line-height: 10px; font-size: 9pt; font-family: 'DejaVu Sans'; color: #1b2a7a; vertical-align: -1px }
table.g { border-collapse: collapse; width: 100%; margin-top: 6px }
table.g td, table.g th { border: 1px solid #666; padding: 2px 4px; vertical-align: top; font-size: 8.4pt }
table.g th { background: #e3ecdc; text-align: left }
.foot { position: absolute; bottom: 0.3in; left: 0.6in; right: 0.6in; font-size: 7.5pt; color: #444; display: flex; justify-content: space-between }
.note { font-size: 8pt; color: #333 }`;
  const p1 = `<div class="pg">
<div class="st"><div class="t1">LITTLE ACORNS EARLY LEARNING CENTER</div><div class="t2">Child Health Report and Emergency Care Plan — required at enrollment and every 12 months</div></div>
<div class="part">PART A — to be completed by parent / guardian</div>
<div class="row"><div class="f"><small>Child's name</small><span class="hw">Juniper Adeyemi-Cole</span></div><div class="f" style="flex:.5"><small>Date of birth</small><span class="hw">02/11/2022</span></div><div class="f" style="flex:.4"><small>Classroom</small><span class="hw">Chipmunks (3s)</span></div></div>
<div class="row"><div class="f"><small>Parent / guardian</small><span class="hw">Adaeze Adeyemi-Cole (mother)</span></div><div class="f"><small>Phone</small><span class="hw">(360) 555-0172</span></div><div class="f"><small>Home address</small><span class="hw">19 Heron Way, Port Merrow WA</span></div></div>
<div class="row"><div class="f"><small>Emergency contact (other than parent)</small><span class="hw">Babatunde Cole — grandfather</span></div><div class="f"><small>Phone</small><span class="hw">(360) 555-0175</span></div></div>
<div class="row"><div class="f"><small>Child's health care provider</small><span class="hw">Dr. Castellano-Bright</span></div><div class="f"><small>Dental provider</small><span class="hw">Smile Harbor Kids</span></div></div>
<div class="part">PART B — to be completed by the child's health care provider</div>
<p style="margin:4px 0"><b>Allergies</b> (list substance, reaction, severity):</p>
<table class="g"><tr><th>Allergen</th><th>Reaction</th><th>Severity</th><th>Action</th></tr>
<tr><td class="hw">Peanut</td><td class="hw">anaphylaxis (hives, vomiting, wheeze) 2023</td><td class="hw">Severe</td><td class="hw">EpiPen Jr, call 911</td></tr>
<tr><td class="hw">Amoxicillin</td><td class="hw">rash</td><td class="hw">Mild</td><td class="hw">avoid</td></tr></table>
<p style="margin:7px 0 2px"><b>Chronic health conditions:</b> ${box(true)}Asthma ${box(false)}Diabetes ${box(false)}Seizures ${box(true)}Eczema ${box(false)}Heart condition ${box(false)}None</p>
<div class="row"><div class="f"><small>Details</small><span class="hw">Asthma, mild intermittent — flares with colds. Atopic dermatitis (eczema) on arms.</span></div></div>
<p style="margin:7px 0 2px"><b>Medications to be given at child care</b></p>
<table class="g"><tr><th>Medication and strength</th><th>Dose / route</th><th>When</th></tr>
<tr><td class="hw">Albuterol HFA 90 mcg/actuation inhaler</td><td class="hw">2 puffs with spacer</td><td class="hw">every 4 hours as needed for cough / wheeze</td></tr>
<tr><td class="hw">Epinephrine 0.15 mg auto-injector (EpiPen Jr)</td><td class="hw">1 injection IM outer thigh</td><td class="hw">as needed for anaphylaxis — then call 911</td></tr></table>
<p style="margin:7px 0 2px"><b>Medications given at home</b> (for information)</p>
<div class="row"><div class="f"><span class="hw">Cetirizine 1 mg/mL oral solution — 2.5 mL by mouth daily; Hydrocortisone 1% cream — thin layer twice daily as needed</span></div></div>
<p style="margin:7px 0 2px">${box(false)} Child may attend with no restrictions &nbsp; ${box(true)} Child may attend with the care plan above &nbsp; ${box(false)} Special diet (attach)</p>
<div class="row" style="margin-top:10px"><div class="f"><small>Health care provider (print)</small><span class="hw">Imogen Castellano-Bright, MD</span></div><div class="f"><small>Practice / phone / fax</small>Pinecrest Pediatrics · 77 Cedar Loop, Port Merrow, WA 98999 · ph (360) 555-0156 · fax (360) 555-0157</div></div>
<div class="row"><div class="f"><small>Signature</small><span class="hw" style="font-size:13pt">I. Castellano-Bright</span></div><div class="f" style="flex:.4"><small>Date</small><span class="hw">08/26/2026</span></div></div>
</div>
<div class="foot"><span>Little Acorns ELC · Form CH-2 (rev. 2025)</span><span>Child: Juniper Adeyemi-Cole</span><span>1 / 2</span></div>`;
  const gridRows = visits.map(([d, age, vs]) => `<tr><td><b>${d}</b></td><td>${age}</td><td>${vs.map((v) => v[0]).join('<br>')}</td><td>${vs.map((v) => v[1]).join('<br>')}</td><td>${vs.map((v) => v[2]).join('<br>')}</td><td>${vs.map((v) => v[3]).join('<br>')}</td></tr>`).join('');
  const p2 = `<div class="pg">
<div class="st"><div class="t1">Certificate of Immunization Status — attached to Child Health Report</div><div class="t2">Juniper Adeyemi-Cole · born 02/11/2022 · copied from Pinecrest Pediatrics records</div></div>
<table class="g"><tr><th style="width:17%">Visit date</th><th style="width:8%">Age</th><th>Vaccines given (brand / type)</th><th style="width:7%">Dose #</th><th style="width:13%">Lot</th><th style="width:11%">Site</th></tr>${gridRows}</table>
<p class="note" style="margin-top:8px"><b>Next due:</b> DTaP #5, IPV #4, MMR #2 and Varicella #2 at 4–6 years (on or after 02/11/2026 — NOT yet given); seasonal influenza 2026–27 recommended.</p>
<p style="margin:8px 0 2px"><b>Exemption</b> (parent completes only if claiming): ${box(false)} Medical &nbsp; ${box(false)} Religious &nbsp; ${box(false)} Personal / philosophical</p>
<p style="margin-top:14px">I certify that the above immunization history is accurate per our records. — Imogen Castellano-Bright, MD, Pinecrest Pediatrics, (360) 555-0156</p>
</div>
<div class="foot"><span>Little Acorns ELC · Form CH-2 (rev. 2025)</span><span>Child: Juniper Adeyemi-Cole</span><span>2 / 2</span></div>`;
  return { html: htmlDoc('Child health report', css, [{ html: p1 }, { html: p2 }]), items, pages: 2 };
}

// ---------------------------------------------------------------------------------------------
// 5. lab-screening-report — outside reference-lab "cumulative preventive results" printout:
//    boxed requisition header, a lab result table with flags and reference ranges (A1c is a
//    screening; TSH and CBC are not), an imaging / procedures results table (mammograms with
//    BI-RADS, DXA T-score, colonoscopy with pathology), cervical co-test, an OVERDUE reminder.
// ---------------------------------------------------------------------------------------------
export function labScreening() {
  const items = [
    screen('other', 'Hemoglobin A1c', '2026-09-18', '5.9%', { loinc: '4548-4' }),
    screen('other', 'Hemoglobin A1c', '2025-09-10', '5.7%', { loinc: '4548-4', ev: '09/10/2025' }),
    screen('mammogram', 'Screening mammogram, bilateral, with tomosynthesis', '2025-10-03', 'BI-RADS 1, negative'),
    screen('mammogram', 'Screening mammogram, bilateral', '2024-09-12', 'BI-RADS 2, benign', { ev: '09/12/2024' }),
    screen('bone-density', 'DXA bone density, hip and spine', '2025-10-03', 'T-score -1.8 (osteopenia)'),
    screen('cervical-cytology', 'Pap smear (ThinPrep cytology)', '2024-05-07', 'NILM'),
    screen('hpv-test', 'High-risk HPV DNA', '2024-05-07', 'negative'),
    screen('colonoscopy', 'Colonoscopy', '2021-06', '2 tubular adenomas removed'),
    prov('Harriet Quennell-Ayodele', 'Harriet Quennell-Ayodele, MD', { organization: 'Lakemont Internal Medicine', phone: '6125550104', fax: '6125550105', role: 'ordering physician' }),
    prov('Vikram Sandoval', 'Vikram Sandoval, MD', { role: 'radiologist', optional: true }),
    prov('Greta Lindqvist', 'Greta Lindqvist, MD', { role: 'pathologist', optional: true }),
  ];
  const css = `
body { font-family: 'Liberation Sans', sans-serif; font-size: 8.8pt; color: #000 }
.pg { padding: 0.45in 0.55in 0.6in }
.lab { display: flex; justify-content: space-between; align-items: flex-end }
.lab .n { font-size: 17pt; font-weight: bold; color: #5a1a6e; font-family: 'Roboto Slab', serif } .lab .s { font-size: 8pt; text-align: right }
.req { display: grid; grid-template-columns: 1fr 1fr 1fr; border: 1px solid #000; margin: 6px 0 }
.req div { padding: 3px 5px; border-right: 1px solid #000 } .req div:last-child { border: 0 }
.req b { font-size: 7pt; color: #444; display: block; text-transform: uppercase }
.band { background: #5a1a6e; color: white; font-weight: bold; padding: 2px 6px; margin: 8px 0 2px; font-size: 9pt }
table { border-collapse: collapse; width: 100% } td, th { padding: 2px 4px; border-bottom: 0.6px solid #aaa; text-align: left; vertical-align: top }
th { font-size: 7.8pt; border-bottom: 1.2px solid #000 }
.H { font-weight: bold } .due { border: 2px solid #c00; color: #c00; font-weight: bold; padding: 3px 6px; margin-top: 8px }
.foot { position: absolute; bottom: 0.3in; left: 0.55in; right: 0.55in; font-size: 7pt; color: #333; display: flex; justify-content: space-between; border-top: 1px solid #000; padding-top: 2px }`;
  const p1 = `<div class="pg">
<div class="lab"><div class="n">NORTHGATE DIAGNOSTIC LABORATORIES</div><div class="s">CLIA 99D0912345 · 600 Ridgeway Pkwy, Brookfield, MN 55999<br>Client services 1-888-555-0106</div></div>
<div style="font-size:11pt;font-weight:bold;margin-top:4px">Cumulative Preventive Results Report</div>
<div class="req">
<div><b>Patient</b>SOLBERG-PRICE, MARGARETHE<br><b>DOB / Sex</b>10/05/1964 · F<br><b>Patient ID (MRN)</b>LIM-6620417</div>
<div><b>Ordering physician</b>Harriet Quennell-Ayodele, MD<br>Lakemont Internal Medicine<br>Ph 612-555-0104 · Fax 612-555-0105</div>
<div><b>Report date</b>20-Sep-2026<br><b>Accession</b>NG26-0918-4471<br><b>Status</b>FINAL</div></div>
<div class="band">CHEMISTRY / HEMATOLOGY</div>
<table><tr><th>Test</th><th>Collected</th><th>Result</th><th>Flag</th><th>Reference</th><th>Units</th></tr>
<tr><td>Hemoglobin A1c</td><td>09/18/2026</td><td class="H">5.9</td><td class="H">H</td><td>4.0–5.6</td><td>%</td></tr>
<tr><td>&nbsp;&nbsp;previous</td><td>09/10/2025</td><td>5.7</td><td>H</td><td>4.0–5.6</td><td>%</td></tr>
<tr><td>TSH, 3rd generation</td><td>09/18/2026</td><td>2.14</td><td></td><td>0.45–4.50</td><td>mIU/L</td></tr>
<tr><td>Hemoglobin</td><td>09/18/2026</td><td>13.1</td><td></td><td>11.6–15.4</td><td>g/dL</td></tr>
<tr><td>Creatinine</td><td>09/18/2026</td><td>0.82</td><td></td><td>0.57–1.00</td><td>mg/dL</td></tr></table>
<p style="font-size:7.6pt;margin:2px 0">A1c 5.7–6.4 %: increased risk for diabetes (prediabetes range) per ADA.</p>
<div class="band">IMAGING AND PROCEDURES ON FILE (received from outside facilities)</div>
<table><tr><th style="width:36%">Study</th><th style="width:12%">Date</th><th>Result / impression</th><th style="width:17%">Read by</th></tr>
<tr><td>Screening mammogram, bilateral, with tomosynthesis</td><td>10/03/2025</td><td>BI-RADS 1, negative. Scattered fibroglandular density.</td><td>Vikram Sandoval, MD</td></tr>
<tr><td>Screening mammogram, bilateral</td><td>09/12/2024</td><td>BI-RADS 2, benign (stable calcified fibroadenoma, left)</td><td>Vikram Sandoval, MD</td></tr>
<tr><td>DXA bone density, hip and spine</td><td>10/03/2025</td><td>T-score -1.8 (osteopenia) at left femoral neck; spine -1.2</td><td>Vikram Sandoval, MD</td></tr>
<tr><td>Colonoscopy</td><td>06/2021</td><td>2 tubular adenomas removed (4 mm, 6 mm), no high-grade dysplasia. Repeat in 5 years.</td><td>path: Greta Lindqvist, MD</td></tr></table>
<div class="band">CERVICAL CANCER SCREENING (co-test)</div>
<table><tr><th style="width:36%">Test</th><th style="width:12%">Collected</th><th>Result</th><th style="width:17%"></th></tr>
<tr><td>Pap smear (ThinPrep cytology)</td><td>05/07/2024</td><td>NILM — negative for intraepithelial lesion or malignancy</td><td></td></tr>
<tr><td>High-risk HPV DNA</td><td>05/07/2024</td><td>negative (types 16, 18, other high-risk)</td><td></td></tr></table>
<div class="due">REMINDER — Surveillance colonoscopy DUE 06/2026: OVERDUE. Next screening mammogram due 10/2026. Next co-test due 05/2029.</div>
</div>
<div class="foot"><span>SOLBERG-PRICE, MARGARETHE · DOB 10/05/1964 · ID LIM-6620417</span><span>Confidential — for the ordering provider</span><span>Page 1 of 1</span></div>`;
  return { html: htmlDoc('Preventive results', css, [{ html: p1 }]), items, pages: 1 };
}
