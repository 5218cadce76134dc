#!/usr/bin/env node
// Builds the hand-made dev-records corpus in test/dev-records/docs and writes test/dev-records/manifest.json.
// usage (from the project root): node test/dev-records/generate.mjs [--check-only]
// Needs: /usr/bin/chromium (or $CHROMIUM), poppler-utils (pdftoppm, pdftotext, pdfinfo), sharp (hoisted from the
// workspaces), and the Debian font packages listed in README.md. All randomness is seeded: a rerun gives the same images.
import fs from 'node:fs';
import path from 'node:path';
import { printPdf, checkText, makeFax, makePhoto, truthItem } from './lib.mjs';
import { operativeReport, historyPhysical, marGrid, daycareForm, labScreening } from './families-a.mjs';
import { procedureNote, admissionHP, preventiveFlowsheet, pillSchedule } from './families-c.mjs';
import { telehealthSoap, TELE_A, TELE_B, intakeForm, INTAKE_A, INTAKE_B, referralForm, releasePacket, pharmacyMedsummary } from './families-b.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const DOCS = path.join(HERE, 'docs');
const SEED = 20261203;
const checkOnly = process.argv.includes('--check-only');

// fax: sending machine's header line and resolution (yres 196 "fine", 98 "standard"); photo: page and degradation strength
const SETS = [
  { n: 1, layout: 'operative-report', build: operativeReport, patient: { name: 'Eamon Castellanos-Reid', birthDate: '1958-03-14', mrn: '5510-2287' },
    fax: { yres: 196, date: 'AUG-15-2025', time: '08:12', from: 'RBMC HIM', fromFax: '541 555 0113', to: '5415550139', pageFmt: 'P' },
    photo: { page: 2, persp: 0.06, shadow: 0.3, contrast: 0.78, dpi: 140 } },
  { n: 2, layout: 'history-physical', build: historyPhysical, patient: { name: 'Philippa Okonkwo-Strand', birthDate: '1949-09-02', mrn: '00731945' },
    fax: { yres: 98, date: '11/19/2026', time: '14:03', from: 'SUMMIT RIDGE ORTHO', fromFax: '970-555-0125', to: 'NORTHSTAR HP', pageFmt: 'PAGE', edge: true },
    photo: { page: 1, persp: 0.08, shadow: 0.4, contrast: 0.7, dpi: 130 } },
  { n: 3, layout: 'mar-grid', build: marGrid, patient: { name: 'Beatrix Hallorann', birthDate: '1934-07-19', mrn: '20744019' },
    fax: { yres: 196, date: '18-NOV-2026', time: '21:40', from: 'WILLOWMERE CC', fromFax: '(503)555-0146', to: '18005550199', pageFmt: 'P', speckle: 0.0012 },
    photo: { page: 1, persp: 0.05, shadow: 0.25, contrast: 0.82, dpi: 150 } },
  { n: 4, layout: 'daycare-health-form', build: daycareForm, patient: { name: 'Juniper Adeyemi-Cole', birthDate: '2022-02-11' },
    fax: { yres: 196, date: 'AUG-27-2026', time: '09:30', from: 'PINECREST PEDS', fromFax: '360 555 0157', to: '360 555 0190', pageFmt: 'PAGE' },
    photo: { page: 2, persp: 0.07, shadow: 0.35, contrast: 0.75, dpi: 135 } },
  { n: 5, layout: 'lab-screening-report', build: labScreening, patient: { name: 'Margarethe Solberg-Price', birthDate: '1964-10-05', mrn: 'LIM-6620417' },
    fax: { yres: 98, date: '09/21/2026', time: '06:55', from: 'NORTHGATE DX LAB', fromFax: '1 888 555 0107', to: '612 555 0105', pageFmt: 'P', streaks: 2 },
    photo: { page: 1, persp: 0.04, shadow: 0.45, contrast: 0.68, dpi: 150 } },
  { n: 6, layout: 'telehealth-soap', build: () => telehealthSoap(TELE_A), patient: { name: 'Priyanka Velasquez-Moore', birthDate: '1990-06-23', mrn: 'BVC-204417' },
    fax: { yres: 196, date: 'NOV-10-2026', time: '11:18', from: 'BRIGHTWATER VC', fromFax: '844 555 0119', to: '18005550199', pageFmt: 'P' } },
  { n: 7, layout: 'telehealth-soap', build: () => telehealthSoap(TELE_B), patient: { name: 'Gideon Tremblay-Osei', birthDate: '1968-12-08', mrn: '4410-8826' },
    fax: { yres: 98, date: '10/28/2026', time: '12:47', from: 'TIDEWATER PULM', fromFax: '207-555-0135', to: '207-555-0139', pageFmt: 'PAGE' },
    photo: { page: 1, persp: 0.06, shadow: 0.2, contrast: 0.85, dpi: 125 } },
  { n: 8, layout: 'patient-intake', build: () => intakeForm(INTAKE_A), patient: { name: 'Lorcan Fitzsimmons-Abara', birthDate: '1979-04-30' },
    fax: { yres: 196, date: 'NOV-20-2026', time: '16:22', from: 'HARBORVIEW ORTHO', fromFax: '802 555 0161', to: '18005550199', pageFmt: 'P', threshold: 165 },
    photo: { page: 1, persp: 0.07, shadow: 0.3, contrast: 0.72, dpi: 140 } },
  { n: 9, layout: 'patient-intake', build: () => intakeForm(INTAKE_B), patient: { name: 'Henrietta Mwangi-Dahl', birthDate: '1995-08-16' },
    fax: { yres: 98, date: '12/01/2026', time: '10:09', from: 'HARBORVIEW ORTHO', fromFax: '802 555 0161', to: '18005550199', pageFmt: 'PAGE' },
    photo: { page: 1, persp: 0.05, shadow: 0.42, contrast: 0.66, dpi: 120 } },
  { n: 10, layout: 'referral-form', build: referralForm, patient: { name: 'Ambrose Kowalczyk-Ferreira', birthDate: '1961-11-11', mrn: 'KV-3320914' },
    fax: { yres: 98, date: 'OCT-02-2026', time: '15:51', from: 'OAK HOLLOW FM', fromFax: '717 555 0132', to: '717 555 0100', pageFmt: 'P', edge: true } },
  { n: 11, layout: 'release-packet', build: releasePacket, patient: { name: 'Solange Ibarra-Whitfield', birthDate: '1953-05-28' },
    fax: { yres: 196, date: '11/23/2026', time: '13:36', from: 'LARCHMONT FH HIM', fromFax: '215-555-0117', to: '1-800-555-0199', pageFmt: 'PAGE' },
    photo: { page: 3, persp: 0.06, shadow: 0.3, contrast: 0.76, dpi: 140 } },
  { n: 12, layout: 'pharmacy-medsummary', build: pharmacyMedsummary, patient: { name: 'Cornelius Baptiste-Nygaard', birthDate: '1944-03-03' },
    fax: { yres: 196, date: 'NOV-21-2026', time: '17:02', from: 'MERIDIAN DRUG 0412', fromFax: '406 555 0108', to: '18005550199', pageFmt: 'P', speckle: 0.001 },
    photo: { page: 1, persp: 0.08, shadow: 0.35, contrast: 0.74, dpi: 145 } },
  { n: 13, layout: 'operative-report', build: procedureNote, patient: { name: 'Ottoline Brevik-Amaral', birthDate: '1951-01-30', mrn: 'CESC-0091553' },
    fax: { yres: 98, date: 'MAY-21-2024', time: '10:31', from: 'CLEARWATER ESC', fromFax: '480 555 0118', to: '480 555 0120', pageFmt: 'P', streaks: 2 } },
  { n: 14, layout: 'history-physical', build: admissionHP, patient: { name: 'Thaddeus Ruiz-Lindqvist', birthDate: '1971-01-27', mrn: '7734019' },
    photo: { page: 1, persp: 0.07, shadow: 0.28, contrast: 0.7, dpi: 130 } },
  { n: 15, layout: 'lab-screening-report', build: preventiveFlowsheet, patient: { name: 'Desmond Achebe-Farrow', birthDate: '1956-07-07' },
    photo: { page: 1, persp: 0.05, shadow: 0.38, contrast: 0.8, dpi: 140 } },
  { n: 16, layout: 'pharmacy-medsummary', build: pillSchedule, patient: { name: 'Wilhelmina Osei-Brandt', birthDate: '1972-04-12' },
    fax: { yres: 196, date: 'NOV-14-2026', time: '12:12', from: 'HERONSGATE RX', fromFax: '608 555 0107', to: '608 555 0133', pageFmt: 'PAGE', edge: true } },
];
// the packet carries two practices' record numbers (LFH-0048213, Chart No. 3098-55): its truth names no MRN

fs.mkdirSync(DOCS, { recursive: true });
const manifest = { seed: SEED, generated: 'test/dev-records/generate.mjs', docs: [] };
const problems = [];
const rel = (f) => path.relative(HERE, f);
const writeTruth = (file, doc, patient, items) =>
  fs.writeFileSync(file, `${JSON.stringify({ doc, patient, items: items.map(truthItem), source: 'handmade (test/dev-records/generate.mjs)' }, null, 1)}\n`);
const onPage = (it, p) => (it.page ?? 1) === p || (it.also ?? []).includes(p);

for (const s of SETS) {
  const d = s.build();
  const key = s.patient.name.replace(/ /g, '_');
  const id = `dr-${String(s.n).padStart(2, '0')}-${key}-${s.layout}`;
  const pdf = path.join(DOCS, `${id}.pdf`);
  const truth = path.join(DOCS, `${id}.truth.json`);
  if (!checkOnly) printPdf(d.html, pdf);
  problems.push(...checkText(pdf, d.items, d.pages));
  writeTruth(truth, id, s.patient, d.items);
  manifest.docs.push({ id, file: rel(pdf), truth: rel(truth), patient: key, layout: s.layout, quality: 'clean', source: 'handmade', pages: d.pages });
  if (s.fax) {
    const tiff = path.join(DOCS, `${id}-fax.tiff`);
    if (!checkOnly) await makeFax(pdf, tiff, s.fax);
    manifest.docs.push({ id: `${id}-fax`, file: rel(tiff), truth: rel(truth), patient: key, layout: s.layout, quality: 'fax', source: 'handmade', pages: d.pages,
      note: `G4 fax TIFF, 204x${s.fax.yres} dpi (${s.fax.yres === 98 ? 'standard, non-square pixels' : 'fine'}), 0.4-2.0° skew, speckle, dropout streak${s.fax.edge ? ', dark left edge band' : ''}, fax header line on every page`, derivedFrom: id });
  }
  if (s.photo) {
    const jpg = path.join(DOCS, `${id}-photo.jpg`);
    if (!checkOnly) await makePhoto(pdf, s.photo.page, jpg, s.photo);
    let ptruth = truth;
    if (d.pages > 1) { // photo of one page: its own truth, the items on that page
      ptruth = path.join(DOCS, `${id}-photo.truth.json`);
      writeTruth(ptruth, `${id}-photo`, s.patient, d.items.filter((it) => onPage(it, s.photo.page)));
    }
    manifest.docs.push({ id: `${id}-photo`, file: rel(jpg), truth: rel(ptruth), patient: key, layout: s.layout, quality: 'photo', source: 'handmade', pages: 1,
      note: `phone photo of page ${s.photo.page} of ${d.pages}${d.pages > 1 ? ' (own truth: the items on that page)' : ''}; ${s.photo.dpi} dpi, perspective ${s.photo.persp}, shadow ${s.photo.shadow}, contrast ${s.photo.contrast}, rotation, desk margin, blur, noise`, derivedFrom: id });
  }
}
fs.writeFileSync(path.join(HERE, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
const counts = manifest.docs.reduce((a, d) => ({ ...a, [d.quality]: (a[d.quality] ?? 0) + 1 }), {});
console.log(`${manifest.docs.length} documents (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')})`);
if (problems.length) { console.error(`text-layer check failed:\n  ${problems.join('\n  ')}`); process.exit(1); }
console.log('text-layer check: every truth item is on its page');
