/**
 * Peak memory of `intake extract` on the worst single files we can make (synthetic):
 *   npx tsx shared/documents/bench/memory.bench.ts [--keep DIR]
 * Each file is read by the CLI as its own process under GNU time (%M, peak RSS), beside the
 * same CLI on a two-page text PDF in the same run (the reference: what the process costs
 * before any page is large). Target (issue 13): every file ≤ 500 MB.
 *
 * The files: PDFs whose page box is the largest PDF allows (200 × 200 inches) with a text
 * layer and with a scanned image; a 300-page text PDF; a TIFF, a PNG and a JPEG just under
 * the pixel limit (INTAKE_MAX_PIXELS_PER_PAGE, 60 million); a multi-page fax TIFF.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { joinTiffs, makePdf, renderTextImage } from '../src/testing/fixtures.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'services/cli/bin/intake.js');
const LIMIT_MB = 500;

const lines = (texts: string[], x = 54, y0 = 60, size = 10) =>
  texts.map((text, i) => ({ text, x, y: y0 + i * (size * 1.6), size }));
const record = [
  'Riverside Family Practice - Medication List',
  'Patient: Casey Benchmark   DOB: 02/03/1970   MRN: 99900001',
  'Lisinopril 10 mg tablet daily',
  'Metformin 500 mg tablet twice daily',
  'Allergies: Penicillin - hives',
  'Immunizations: Tdap 08/14/2019, Influenza vaccine 10/02/2023',
];

async function pageImage(width: number, height: number): Promise<Buffer> {
  return renderTextImage(record, { width, height, fontSize: Math.round(height / 90) });
}

async function makeFiles(dir: string): Promise<{ name: string; what: string; file: string }[]> {
  const out: { name: string; what: string; file: string }[] = [];
  const put = async (name: string, what: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    out.push({ name, what, file });
  };
  await put(
    'reference.pdf',
    'two-page text PDF, letter size',
    makePdf([
      { kind: 'text', lines: lines(record) },
      { kind: 'text', lines: lines(record) },
    ]),
  );
  // 14 400 pt = 200 in, the largest page PDF allows: at 150 dpi that would be 30 000 × 30 000 pixels.
  await put(
    'huge-box-text.pdf',
    'text PDF, 200 × 200 in page box',
    makePdf([{ kind: 'text', width: 14_400, height: 14_400, lines: lines(record, 200, 400, 120) }]),
  );
  const scan = await sharp(await pageImage(2550, 3300))
    .jpeg({ quality: 80 })
    .toBuffer();
  await put(
    'huge-box-scan.pdf',
    'scanned PDF (2550 × 3300 JPEG) on a 200 × 200 in page box',
    makePdf([{ kind: 'image', jpeg: scan, pixelWidth: 2550, pixelHeight: 3300, channels: 1, width: 14_400, height: 14_400 }]),
  );
  await put(
    'many-pages.pdf',
    '300-page text PDF',
    makePdf(Array.from({ length: 300 }, (_, p) => ({ kind: 'text' as const, lines: lines([`Page ${p + 1}`, ...record]) }))),
  );
  // Just under 60 million pixels: 7 700 × 7 700 = 59.3 M.
  const big = await pageImage(7700, 7700);
  await put(
    'big-gray.tif',
    'TIFF, 7700 × 7700 8-bit gray (59 M pixels), LZW',
    await sharp(big).grayscale().tiff({ compression: 'lzw' }).toBuffer(),
  );
  await put('big.png', 'PNG, 7700 × 7700 gray (59 M pixels)', await sharp(big).grayscale().png().toBuffer());
  await put('big.jpg', 'JPEG, 7700 × 7700 gray (59 M pixels)', await sharp(big).grayscale().jpeg({ quality: 85 }).toBuffer());
  const faxPage = await sharp(await pageImage(1728, 2200))
    .threshold(160)
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 204 / 25.4, yres: 196 / 25.4, resolutionUnit: 'inch' })
    .toBuffer();
  await put('fax-20-pages.tif', '20-page fax TIFF, 1728 × 2200 CCITT G4', joinTiffs(Array.from({ length: 20 }, () => faxPage)));
  return out;
}

interface Measured {
  rssMb: number;
  seconds: number;
  status: number | null;
  stderr: string;
}

function measure(file: string): Measured {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'extract', file, '--json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lastLine = r.stderr.trim().split('\n').pop() ?? '';
  return {
    rssMb: Number(lastLine) / 1024,
    seconds,
    status: r.status,
    stderr: r.stderr.trim().split('\n').slice(-3, -1).join(' | '),
  };
}

const { values } = parseArgs({ options: { keep: { type: 'string' } } });
if (spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status !== 0) {
  process.stderr.write('GNU time (/usr/bin/time) is needed: apt-get install time\n');
  process.exit(2);
}
const dir = values.keep ? path.resolve(values.keep) : await mkdtemp(path.join(os.tmpdir(), 'intake-memory-bench-'));
await mkdir(dir, { recursive: true });
try {
  const files = await makeFiles(dir);
  const rows: string[] = [];
  let reference = 0;
  let over = 0;
  process.stdout.write(
    `intake extract, peak RSS (GNU time %M), ${process.env.INTAKE_USE_SOURCES === '1' ? 'TypeScript sources' : 'production build when current, else sources'}; limit ${LIMIT_MB} MB\n`,
  );
  for (const f of files) {
    const m = measure(f.file);
    if (f.name === 'reference.pdf') reference = m.rssMb;
    if (m.rssMb > LIMIT_MB) over++;
    const size = (await stat(f.file)).size;
    const row = `${f.name.padEnd(18)} ${(size / 1e6).toFixed(1).padStart(6)} MB file  ${m.rssMb.toFixed(0).padStart(5)} MB RSS  ×${(m.rssMb / (reference || m.rssMb)).toFixed(2)} ref  ${m.seconds.toFixed(1).padStart(6)} s  exit ${m.status}  ${f.what}${m.status !== 0 ? `  (${m.stderr})` : ''}`;
    rows.push(row);
    process.stdout.write(`${row}\n`);
  }
  process.stdout.write(`${over === 0 ? 'every file' : `${over} file(s) over the limit; the rest`} within ${LIMIT_MB} MB\n`);
  process.exitCode = over === 0 ? 0 : 1;
} finally {
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
