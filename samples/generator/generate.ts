/**
 * Builds samples/corpus/{dev,test}/ from Synthea bundles (names A–M only): each patient's own
 * record written in several layouts and rendered at several qualities, with the expected
 * extraction result (<name>.expected.json, OUTPUT.md shape without evidence) and the document's
 * ground-truth text (<name>.truth.txt).   npm run samples:generate [-- --synthea DIR]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYOUTS, type Facts, type LayoutName } from './layouts.ts';
import { recordFromBundle, type PatientRecord } from './records.ts';
import { faxTiff, imagePdf, paginate, photoJpeg, rasterPage, textPdf } from './render.ts';
import { ccdaFor, fhirFor } from './structured.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argi = process.argv.indexOf('--synthea');
const syntheaDir = argi > 0 ? process.argv[argi + 1]! : (process.env.SYNTHEA_DIR ?? join(root, '../../shared/data/synthea'));
const rxnormFile = process.env.RXNORM_TSV ?? join(syntheaDir, '../rxnorm/drugs.tsv');

/** Patients used (all A–M); the test split is fixed here and never looked at while tuning. */
const DEV = [
  'Benedict_Ortiz',
  'Chad_Quigley',
  'Eboni_Brekke',
  'Hassan_Jacobi',
  'Judson_Eichmann',
  'Louis_Erdman',
  'Louis_Maggio',
  'Marcos_Delagarza',
  'Cathryn_Windler',
  'Edmundo_Bahringer',
  'Florentino_Mertz',
  'Man_Schamberger',
  'Jonah_Ruecker',
  'Leonardo_Heaney',
  'Barney_Abbott',
  'Alejandro_Riojas',
];
const TEST = [
  'Blair_Conroy',
  'Kermit_Trantow',
  'Micah_Schinner',
  'Darin_Skiles',
  'Gayla_Ferry',
  'Loyd_Connelly',
  'Carin_Kerluke',
  'Joaquin_Rodriguez',
];
const LAYOUT_ORDER: LayoutName[] = ['summary', 'letter', 'form', 'table'];
type Render = 'pdf' | 'scan' | 'fax' | 'photo';
const RENDER_ORDER: Render[] = ['pdf', 'scan', 'fax', 'photo'];
export const QUALITY: Record<Render, 'clean' | 'fax' | 'photo'> = { pdf: 'clean', scan: 'clean', fax: 'fax', photo: 'photo' };

function loadDrugs(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(rxnormFile, 'utf8').split('\n').slice(1)) {
    const [rxcui, , , , ing] = line.split('\t');
    if (!rxcui || !ing) continue;
    const list = out.get(rxcui) ?? [];
    if (!list.includes(ing.toLowerCase())) list.push(ing.toLowerCase());
    out.set(rxcui, list);
  }
  return out;
}

export function expectedItems(f: Facts): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const base = { codes: [] as unknown[], negated: false, confidence: 1 };
  for (const m of f.meds) {
    const it: Record<string, unknown> = {
      kind: 'medication',
      ...base,
      name: m.ingredient,
      display: m.text,
      codes: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: m.rxcui }],
      status: m.status,
    };
    if (m.sig.dose) it.dose = m.sig.dose;
    if (m.sig.route) it.route = m.sig.route;
    if (m.sig.frequency) it.frequency = m.sig.frequency;
    items.push(it);
  }
  if (f.allergies === 'nkda') items.push({ kind: 'allergy', ...base, negated: true, substance: 'none known', display: 'NKDA' });
  else
    for (const a of f.allergies)
      items.push({
        kind: 'allergy',
        ...base,
        substance: a.substance,
        display: a.written,
        ...(a.reaction ? { reaction: a.reaction } : {}),
        ...(a.severity ? { severity: a.severity } : {}),
      });
  for (const i of f.immunizations)
    items.push({
      kind: 'immunization',
      ...base,
      vaccine: i.display,
      display: i.written.split('|')[0],
      codes: [{ system: 'http://hl7.org/fhir/sid/cvx', code: i.cvx }],
      date: i.dateIso,
    });
  for (const s of f.screenings)
    items.push({
      kind: 'screening',
      ...base,
      type: s.type,
      display: s.written.split('|')[0],
      date: s.dateIso,
      ...(s.result ? { result: s.result } : {}),
    });
  for (const c of f.conditions)
    items.push({
      kind: 'condition',
      ...base,
      name: c.name,
      display: c.written.split('|')[0],
      status: c.status,
      ...(c.onsetIso ? { onset: c.onsetIso } : {}),
    });
  for (const s of f.surgeries)
    items.push({
      kind: 'surgery',
      ...base,
      name: s.name,
      display: s.written.split('|')[0],
      ...(s.dateIso ? { date: s.dateIso } : {}),
    });
  for (const p of f.providers) items.push({ kind: 'provider', ...base, display: p.name, ...p });
  return items;
}

function truthText(rows: { cells: { text: string }[] }[]): string {
  return rows.map((r) => r.cells.map((c) => c.text).join('    ')).join('\n') + '\n';
}

async function main(): Promise<void> {
  const drugs = loadDrugs();
  const files = readdirSync(syntheaDir).filter((f) => f.endsWith('.json') && /^[A-M]/.test(f));
  const corpus = join(root, 'corpus');
  rmSync(corpus, { recursive: true, force: true });
  let count = 0;
  let bytes = 0;
  const splits: [string, string[]][] = [
    ['dev', DEV],
    ['test', TEST],
  ];
  for (const [split, names] of splits) {
    const dir = join(corpus, split);
    mkdirSync(dir, { recursive: true });
    for (const [pi, name] of names.entries()) {
      const file = files.find((f) => f.startsWith(`${name}_`));
      if (!file) throw new Error(`missing bundle for ${name}`);
      const rec: PatientRecord = recordFromBundle(JSON.parse(readFileSync(join(syntheaDir, file), 'utf8')), drugs);
      const idx = pi + (split === 'test' ? 1 : 0);
      const docs: [LayoutName, Render][] = [
        [LAYOUT_ORDER[idx % 4]!, RENDER_ORDER[idx % 4]!],
        [LAYOUT_ORDER[(idx + 1) % 4]!, RENDER_ORDER[(idx + 2) % 4]!],
      ];
      for (const [layout, render] of docs) {
        const seed = `${rec.id}-${layout}-${render}`;
        const docDate = `2024-0${1 + (idx % 9)}-1${idx % 10}`;
        const { rows, facts } = LAYOUTS[layout](rec, seed, docDate);
        const pages = paginate(rows);
        let out: Buffer;
        let ext: string;
        let mediaType: string;
        if (render === 'pdf') [out, ext, mediaType] = [textPdf(pages), 'pdf', 'application/pdf'];
        else if (render === 'scan') {
          if (pages.length === 1) [out, ext, mediaType] = [rasterPage(pages[0]!, 300), 'png', 'image/png'];
          else {
            const sharp = (await import('sharp')).default;
            const jpgs = await Promise.all(
              pages.map((p) => sharp(rasterPage(p, 300)).greyscale().jpeg({ quality: 85 }).toBuffer()),
            );
            [out, ext, mediaType] = [await imagePdf(jpgs), 'pdf', 'application/pdf'];
          }
        } else if (render === 'fax') [out, ext, mediaType] = [await faxTiff(pages, seed), 'tif', 'image/tiff'];
        else {
          const jpgs = await Promise.all(pages.map((p, i) => photoJpeg(p, `${seed}-${i}`)));
          [out, ext, mediaType] =
            pages.length === 1 ? [jpgs[0]!, 'jpg', 'image/jpeg'] : [await imagePdf(jpgs), 'pdf', 'application/pdf'];
        }
        const base = `${rec.given.split(' ')[0]}_${rec.family}-${layout}-${render}`.replace(/[^A-Za-z0-9_-]/g, '');
        const patient: Record<string, string> = { name: rec.name, birthDate: rec.birthDate };
        if (layout !== 'letter') patient.mrn = rec.mrn;
        const expected = {
          source: {
            file: `${base}.${ext}`,
            sha256: createHash('sha256').update(out).digest('hex'),
            mediaType,
            pages: pages.length,
            channel: 'fax',
          },
          patient,
          items: expectedItems(facts),
          sample: { split, layout, render, quality: QUALITY[render], patientId: rec.id },
        };
        writeFileSync(join(dir, `${base}.${ext}`), out);
        writeFileSync(join(dir, `${base}.expected.json`), JSON.stringify(expected, null, 2) + '\n');
        writeFileSync(join(dir, `${base}.truth.txt`), truthText(rows));
        bytes += out.length;
        count++;
      }
      // One structured document each for the first two patients of each split.
      if (pi < 2) {
        const { facts } = LAYOUTS.table(rec, `${rec.id}-structured`, '2024-05-01');
        const kind = pi === 0 ? 'ccda' : 'fhir';
        const body = kind === 'ccda' ? ccdaFor(rec, facts) : fhirFor(rec, facts);
        const ext = kind === 'ccda' ? 'xml' : 'fhir.json';
        const base = `${rec.given.split(' ')[0]}_${rec.family}-${kind}`;
        const buf = Buffer.from(body);
        const expected = {
          source: {
            file: `${base}.${ext}`,
            sha256: createHash('sha256').update(buf).digest('hex'),
            mediaType: kind === 'ccda' ? 'application/hl7-cda+xml' : 'application/fhir+json',
            pages: 0,
            channel: 'fax',
          },
          patient: { name: rec.name, birthDate: rec.birthDate, mrn: rec.mrn },
          items: expectedItems(facts),
          sample: { split, layout: kind, render: kind, quality: 'structured', patientId: rec.id },
        };
        writeFileSync(join(dir, `${base}.${ext}`), buf);
        writeFileSync(join(dir, `${base}.expected.json`), JSON.stringify(expected, null, 2) + '\n');
        bytes += buf.length;
        count++;
      }
    }
  }
  console.log(`wrote ${count} documents, ${(bytes / 1e6).toFixed(1)} MB`);
}

await main();
