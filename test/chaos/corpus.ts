/**
 * The chaos run's documents, all synthetic: valid records (text PDFs generated from a seed,
 * and the samples/ corpus: faxes, scans, photos, PDFs, a C-CDA) and malformed files
 * (bit-flipped fax TIFFs — the kind that freezes a decoder —, truncated and bit-flipped
 * PDFs, random bytes, empty files, decompression bombs, encrypted and blank PDFs, hostile
 * XML). Same seed, same bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makePdf, pngBomb, renderTextImage } from '@intake/documents/testing/fixtures.ts';
import sharp from 'sharp';

export type Rng = () => number;

/** mulberry32: a small seeded generator (the run prints its seed; the same seed gives the same run). */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
export const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

export interface ChaosFile {
  name: string;
  bytes: Buffer;
  /** valid: must end extracted; malformed: must end quarantined with a specific code. */
  kind: 'valid' | 'malformed';
  /** What it is (for the report): text-pdf, sample-tif, bitflip-tiff, … */
  family: string;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');
const corpusDirs = ['samples/corpus/dev', 'samples/corpus/test'].map((d) => path.join(repoRoot, d));

/** The samples/ documents (synthetic, from Synthea patients). */
export function sampleFiles(): { name: string; bytes: Buffer; ext: string }[] {
  const out: { name: string; bytes: Buffer; ext: string }[] = [];
  for (const dir of corpusDirs) {
    for (const name of readdirSync(dir).sort()) {
      const ext = path.extname(name).slice(1).toLowerCase();
      if (!['pdf', 'tif', 'png', 'jpg', 'xml'].includes(ext)) continue;
      out.push({ name, bytes: readFileSync(path.join(dir, name)), ext });
    }
  }
  return out;
}

const FIRST = ['Avery', 'Jordan', 'Riley', 'Casey', 'Morgan', 'Quinn', 'Rowan', 'Skyler', 'Emerson', 'Harper'];
const LAST = ['Testcase', 'Example', 'Sample', 'Synthetic', 'Placeholder', 'Fixture'];
const MEDS = [
  'Lisinopril 10 mg tablet daily',
  'Metformin 500 mg tablet twice daily',
  'Atorvastatin 40 mg tablet nightly',
  'Amlodipine 5 mg tablet daily',
  'Levothyroxine 75 mcg tablet every morning',
  'Omeprazole 20 mg capsule daily',
  'Sertraline 50 mg tablet daily',
  'Albuterol 90 mcg inhaler as needed',
];
const SHOTS = ['Influenza vaccine', 'Tdap', 'Pneumococcal PCV20', 'Shingrix dose 1', 'Hepatitis B dose 2'];
const ALLERGIES = ['Penicillin - hives', 'Sulfa drugs - rash', 'Peanuts - anaphylaxis', 'No known drug allergies'];

const date = (rng: Rng) =>
  `${String(between(rng, 1, 12)).padStart(2, '0')}/${String(between(rng, 1, 28)).padStart(2, '0')}/${between(rng, 2015, 2025)}`;

/** A born-digital record with a text layer, unique per index (a synthetic patient, medications, allergies, immunizations). */
export function textRecord(rng: Rng, i: number): Buffer {
  const lines: string[] = [
    'Riverside Family Practice - Continuity of Care Summary',
    `Patient: ${pick(rng, FIRST)} ${pick(rng, LAST)}   DOB: ${date(rng)}   MRN: ${String(70_000_000 + i).padStart(8, '0')}`,
    '',
    'Current Medications',
    ...Array.from({ length: between(rng, 1, 4) }, () => pick(rng, MEDS)),
    '',
    'Allergies',
    pick(rng, ALLERGIES),
    '',
    'Immunizations',
    ...Array.from({ length: between(rng, 1, 3) }, () => `${pick(rng, SHOTS)} ${date(rng)}`),
    '',
    'Encounters',
    ...Array.from(
      { length: between(rng, 2, 4) },
      () => `Visit ${date(rng)} encounter ${between(rng, 10_000_000, 99_999_999)} claim ${between(rng, 100_000, 999_999)}`,
    ),
    '',
    `Printed ${date(rng)} ref ${i}-${Math.floor(rng() * 1e9)}`,
  ];
  const pages = between(rng, 1, 2);
  return makePdf(
    Array.from({ length: pages }, (_, p) => ({
      kind: 'text' as const,
      lines: (p === 0 ? lines : [`Page ${p + 1}`, ...lines.slice(3)]).map((text, k) => ({
        text,
        x: 54,
        y: 60 + k * 16,
        size: 10,
      })),
    })),
  );
}

/**
 * A scanned record of `pages` pages (one gray JPEG each, 150 dpi letter, no text layer): every
 * page is OCRed, so its read takes far longer than a worker's 10 s shutdown grace — the job a
 * SIGTERM must hand back. Valid: it must end extracted.
 */
export async function longScan(rng: Rng, pages: number): Promise<ChaosFile> {
  const patient = `Patient: ${pick(rng, FIRST)} ${pick(rng, LAST)}   DOB: ${date(rng)}   MRN: ${String(between(rng, 10_000_000, 69_999_999))}`;
  const jpegs: Buffer[] = [];
  for (let p = 0; p < pages; p++) {
    const lines = [
      'Riverside Family Practice - Scanned Chart',
      patient,
      `Page ${p + 1} of ${pages}`,
      '',
      'Current Medications',
      ...Array.from({ length: 6 }, () => pick(rng, MEDS)),
      '',
      'Encounters',
      ...Array.from({ length: 8 }, () => `Visit ${date(rng)} encounter ${between(rng, 10_000_000, 99_999_999)} claim ${between(rng, 100_000, 999_999)}`),
    ];
    const png = await renderTextImage(lines, { width: 1275, height: 1650, fontSize: 26 });
    jpegs.push(await sharp(png).grayscale().jpeg({ quality: 85 }).toBuffer());
  }
  const bytes = makePdf(jpegs.map((jpeg) => ({ kind: 'image' as const, jpeg, pixelWidth: 1275, pixelHeight: 1650, channels: 1 as const })));
  return { name: `long-scan-${Math.floor(rng() * 1e9)}.pdf`, bytes, kind: 'valid', family: 'long-scan' };
}

/** `valid` documents: mostly generated text PDFs, plus `samples` of the samples/ corpus (OCR of faxes, scans and photos; a C-CDA). */
export function validFiles(rng: Rng, count: number, samples: number): ChaosFile[] {
  const files: ChaosFile[] = [];
  const corpus = sampleFiles();
  // Spread over the kinds: every ending in turn.
  const byExt = new Map<string, typeof corpus>();
  for (const f of corpus) byExt.set(f.ext, [...(byExt.get(f.ext) ?? []), f]);
  const exts = [...byExt.keys()].sort();
  const taken = new Set<string>();
  for (let k = 0; files.length < Math.min(samples, count, corpus.length); k++) {
    const list = byExt.get(exts[k % exts.length]!)!;
    const f = list.find((x) => !taken.has(x.name));
    if (!f) {
      if ([...byExt.values()].every((l) => l.every((x) => taken.has(x.name)))) break;
      continue;
    }
    taken.add(f.name);
    files.push({ name: `sample-${files.length}.${f.ext}`, bytes: f.bytes, kind: 'valid', family: `sample-${f.ext}` });
  }
  for (let i = files.length; i < count; i++)
    files.push({ name: `record-${i}.pdf`, bytes: textRecord(rng, i), kind: 'valid', family: 'text-pdf' });
  return files;
}

function flipBits(rng: Rng, bytes: Buffer, flips: number, from = 0): Buffer {
  const out = Buffer.from(bytes);
  for (let k = 0; k < flips; k++) {
    const at = from + Math.floor(rng() * (out.length - from));
    out[at]! ^= 1 << Math.floor(rng() * 8);
  }
  return out;
}

const MALFORMED_FAMILIES = [
  'bitflip-tiff',
  'bitflip-tiff',
  'bitflip-tiff',
  'truncated-tiff',
  'truncated-pdf',
  'bitflip-pdf',
  'random-bytes',
  'empty',
  'png-bomb',
  'encrypted-pdf',
  'blank-pdf',
  'billion-laughs',
  'empty-ccda',
  'garbage-jpeg',
] as const;

/**
 * `count` malformed files, a third of them bit-flipped fax TIFFs (1–8 bits flipped in a
 * samples/ fax: most fail at once, some send the fallback decoder into a loop).
 */
export function malformedFiles(rng: Rng, count: number): ChaosFile[] {
  const corpus = sampleFiles();
  const tiffs = corpus.filter((f) => f.ext === 'tif');
  const pdfs = corpus.filter((f) => f.ext === 'pdf');
  const jpgs = corpus.filter((f) => f.ext === 'jpg');
  const files: ChaosFile[] = [];
  for (let i = 0; i < count; i++) {
    const family = pick(rng, MALFORMED_FAMILIES);
    let bytes: Buffer;
    let ext = 'bin';
    switch (family) {
      case 'bitflip-tiff': {
        const src = pick(rng, tiffs).bytes;
        // Flips in the first 4 KB hit the IFD and the start of the CCITT data, where decoders go wrong.
        const head = rng() < 0.6 ? Math.min(4096, src.length) : src.length;
        bytes = Buffer.concat([flipBits(rng, src.subarray(0, head), between(rng, 1, 8), 8), src.subarray(head)]);
        ext = 'tif';
        break;
      }
      case 'truncated-tiff': {
        const src = pick(rng, tiffs).bytes;
        bytes = src.subarray(0, between(rng, 16, Math.floor(src.length / 2)));
        ext = 'tif';
        break;
      }
      case 'truncated-pdf': {
        const src = pick(rng, pdfs).bytes;
        bytes = src.subarray(0, between(rng, 20, Math.floor(src.length * 0.6)));
        ext = 'pdf';
        break;
      }
      case 'bitflip-pdf': {
        // Flips in the structure (not only in a compressed stream, which can decode to other text).
        const src = textRecord(rng, 900_000 + i);
        bytes = Buffer.from(
          src
            .toString('latin1')
            .replace(/\/Type \/Page\b/g, '/Type /Pagx')
            .replace(/xref/, 'xrgf'),
          'latin1',
        );
        bytes = flipBits(rng, bytes, between(rng, 4, 40));
        ext = 'pdf';
        break;
      }
      case 'random-bytes':
        bytes = Buffer.from(Array.from({ length: between(rng, 1, 20_000) }, () => Math.floor(rng() * 256)));
        ext = pick(rng, ['pdf', 'tif', 'png', 'jpg', 'bin']);
        break;
      case 'empty':
        bytes = Buffer.alloc(0);
        ext = pick(rng, ['pdf', 'tif']);
        break;
      case 'png-bomb':
        bytes = pngBomb(between(rng, 20_000, 60_000), between(rng, 20_000, 60_000));
        ext = 'png';
        break;
      case 'encrypted-pdf':
        bytes = makePdf([{ kind: 'text', lines: [{ text: `Confidential ${i} ${Math.floor(rng() * 1e9)}`, x: 72, y: 72 }] }], {
          encrypt: true,
        });
        ext = 'pdf';
        break;
      case 'blank-pdf':
        bytes = makePdf(
          Array.from({ length: between(rng, 1, 3) }, () => ({
            kind: 'blank' as const,
            width: 500 + (i % 400),
            height: 700 + Math.floor(i / 400),
          })),
        );
        ext = 'pdf';
        break;
      case 'billion-laughs': {
        const entities = [
          '<!ENTITY lol "lol">',
          ...Array.from({ length: 9 }, (_, k) => `<!ENTITY lol${k + 1} "${`&lol${k === 0 ? '' : k};`.repeat(10)}">`),
        ];
        bytes = Buffer.from(
          `<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [${entities.join('')}]>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol9;</title><id root="${i}.${Math.floor(rng() * 1e9)}"/></ClinicalDocument>\n`,
        );
        ext = 'xml';
        break;
      }
      case 'empty-ccda':
        bytes = Buffer.from(
          `<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><realmCode code="US"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/><id root="2.16.840.1.113883.19.5" extension="${i}-${Math.floor(rng() * 1e9)}"/><title>Continuity of Care Document</title><component><structuredBody></structuredBody></component></ClinicalDocument>\n`,
        );
        ext = 'xml';
        break;
      case 'garbage-jpeg': {
        const src = pick(rng, jpgs).bytes;
        bytes = Buffer.concat([
          src.subarray(0, between(rng, 4, 600)),
          Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rng() * 256))),
        ]);
        ext = 'jpg';
        break;
      }
    }
    files.push({ name: `bad-${i}.${ext}`, bytes, kind: 'malformed', family });
  }
  return files;
}
