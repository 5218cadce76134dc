#!/usr/bin/env node
// Builds the hand-made held-out corpus in test/holdout/docs and writes test/holdout/manifest.json.
// usage (from the project root): node test/holdout/generate.mjs [--check-only]
// Needs: /usr/bin/chromium (or $CHROMIUM), poppler-utils (pdftoppm, pdftotext, pdfinfo), sharp (hoisted from the
// workspaces), and the Debian font packages listed in README.md. All randomness is seeded: a rerun gives the same images.
import fs from 'node:fs';
import path from 'node:path';
import { printPdf, checkText, makeFax, makePhoto, truthItem } from './lib.mjs';
import { immunizationCertificate, medrecWorksheet, edAfterVisit, transferLetter } from './families-a.mjs';
import { screeningHistory, homeHealthMedlist, preopQuestionnaire, PREOP_A, PREOP_B, recordsPacket } from './families-b.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const DOCS = path.join(HERE, 'docs');
const SEED = 20261202;
const checkOnly = process.argv.includes('--check-only');

// fax: sender line stamped by the sending machine; photo: which page is photographed
const SETS = [
  { n: 1, layout: 'immunization-certificate', build: immunizationCertificate, patient: { name: 'Talia Mbeki-Harrow', birthDate: '2009-08-14' },
    fax: { date: 'JUL-30-2026', time: '11:02', from: 'LAKESHORE CO HEALTH', fromFax: '773 555 0143', to: '18005550199', pageFmt: 'P' }, photo: 1 },
  { n: 2, layout: 'medrec-worksheet', build: medrecWorksheet, patient: { name: 'Wendell Ashby-Crane', birthDate: '1951-03-22', mrn: '30481172' },
    fax: { date: '11/03/2026', time: '16:47', from: 'BIRCHWOOD FAM MED', fromFax: '(608)555-0151', to: 'NORTHSTAR HP', pageFmt: 'PAGE' }, photo: 1 },
  { n: 3, layout: 'ed-after-visit', build: edAfterVisit, patient: { name: 'Marisol Quintero-Blake', birthDate: '1987-11-30', mrn: '60213847' },
    fax: { date: 'OCT-16-2026', time: '09:15', from: 'HARBOR PT HIM', fromFax: '757 555 0161', to: '18005550199', pageFmt: 'P' }, photo: 1 },
  { n: 4, layout: 'transfer-letter', build: transferLetter, patient: { name: 'Osric Pemberton', birthDate: '1946-02-07' },
    fax: { date: '20-NOV-2026', time: '13:30', from: 'WHITCOMBE MD', fromFax: '319 555 0122', to: '319 555 0170', pageFmt: 'PAGE' }, photo: 1 },
  { n: 5, layout: 'screening-history', build: screeningHistory, patient: { name: 'Delphine Achterberg', birthDate: '1962-05-09', mrn: '22094417' },
    fax: { date: 'NOV-12-2026', time: '10:05', from: 'PRAIRIE SKY WH', fromFax: '605 555 0132', to: '18005550199', pageFmt: 'P' }, photo: 1 },
  { n: 6, layout: 'home-health-medlist', build: homeHealthMedlist, patient: { name: 'Augustin Delacroix-Vance', birthDate: '1939-12-02', mrn: '00488123' },
    fax: { date: '10/24/2026', time: '08:58', from: 'MEADOWLARK HH', fromFax: '614-555-0138', to: '614-555-0134', pageFmt: 'PAGE' }, photo: 1 },
  { n: 7, layout: 'preop-questionnaire', build: () => preopQuestionnaire(PREOP_A), patient: { name: 'Rosalind Ekwueme-Hart', birthDate: '1983-06-17', mrn: '84410937' },
    fax: { date: 'DEC-01-2026', time: '07:41', from: 'STONEBRIDGE SC', fromFax: '480 555 0113', to: '18005550199', pageFmt: 'P' }, photo: 1 },
  { n: 8, layout: 'preop-questionnaire', build: () => preopQuestionnaire(PREOP_B), patient: { name: 'Bartholomew Nakashima-Oyelaran', birthDate: '1999-04-03', mrn: '71150396' } },
  { n: 9, layout: 'records-packet', build: recordsPacket, patient: { name: 'Ingrid Varga-Lund', birthDate: '1978-01-19', mrn: 'AC-771204' },
    fax: { date: '11/20/2026', time: '15:22', from: 'ALDER CREEK ALLERGY', fromFax: '425-555-0108', to: '1-800-555-0199', pageFmt: 'P' }, photo: 2 },
];
// the packet's cover sheet names the member only by Member ID (not an MRN); the photo is of page 2, which shows the MRN

fs.mkdirSync(DOCS, { recursive: true });
const manifest = { seed: SEED, generated: 'test/holdout/generate.mjs', docs: [] };
const problems = [];
const rel = (f) => path.relative(HERE, f);
const writeTruth = (file, doc, patient, items) =>
  fs.writeFileSync(file, `${JSON.stringify({ doc, patient, items: items.map(truthItem), source: 'handmade (test/holdout/generate.mjs)' }, null, 1)}\n`);

for (const s of SETS) {
  const d = s.build();
  const key = s.patient.name.replace(/ /g, '_');
  const id = `ho-${String(s.n).padStart(2, '0')}-${key}-${s.layout}`;
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
      note: 'G4 fax TIFF, 204x196 dpi, 0.3-1.2° skew, speckle, a light dropout streak, fax header line on every page', derivedFrom: id });
  }
  if (s.photo) {
    const jpg = path.join(DOCS, `${id}-photo.jpg`);
    if (!checkOnly) await makePhoto(pdf, s.photo, jpg);
    let ptruth = truth;
    if (d.pages > 1) { // photo of one page: its own truth, the items on that page
      ptruth = path.join(DOCS, `${id}-photo.truth.json`);
      writeTruth(ptruth, `${id}-photo`, s.patient, d.items.filter((it) => (it.page ?? 1) === s.photo));
    }
    manifest.docs.push({ id: `${id}-photo`, file: rel(jpg), truth: rel(ptruth), patient: key, layout: s.layout, quality: 'photo', source: 'handmade', pages: 1,
      note: `phone photo of page ${s.photo} of ${d.pages}${d.pages > 1 ? ' (own truth: the items on that page)' : ''}; 150 dpi, 2-4° rotation, desk margin, lighting falloff, blur, noise, warm tint`, derivedFrom: id });
  }
}
fs.writeFileSync(path.join(HERE, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
const counts = manifest.docs.reduce((a, d) => ({ ...a, [d.quality]: (a[d.quality] ?? 0) + 1 }), {});
console.log(`${manifest.docs.length} documents (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')})`);
if (problems.length) { console.error(`text-layer check failed:\n  ${problems.join('\n  ')}`); process.exit(1); }
console.log('text-layer check: every truth item is on its page');
