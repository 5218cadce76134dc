// `npm run bench:cli`: the production build of `intake` (`npm run build` first, done here)
// timed against poppler's `pdftotext` on the same two-page text PDF, in the same run
// (poppler-utils: scripts/bootstrap-test-env.sh installs it with the test tools).
// Wall time, CPU time (user + system) and peak RSS (GNU time when present, else the
// child's rusage) are the median of N runs; the load average is printed, since wall time on
// a shared machine is mostly waiting. Targets (issue 15): --help ≤ 0.3 s; extract ≤ 1.0 s and ≤ 250 MB.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const runs = Math.max(1, Number(process.env.BENCH_RUNS) || 5);

const PAGE_1 = [
  'Lakeside Internal Medicine',
  'Patient: Casey Benchmark    DOB: 02/03/1970    MRN: 99900001',
  '',
  'Current Medications',
  'Lisinopril 10 mg tablet, take 1 tablet by mouth daily',
  'Metformin 500 mg tablet, 1 tab PO BID',
  'Atorvastatin 20 mg tablet at bedtime',
  '',
  'Allergies',
  'Penicillin - hives',
  'Sulfa drugs - rash',
];
const PAGE_2 = [
  'Immunizations',
  'Tdap 08/14/2019',
  'Influenza vaccine 10/02/2023',
  '',
  'Problem List',
  'Type 2 diabetes mellitus',
  'Essential hypertension',
  '',
  'Past Surgical History',
  'Appendectomy 1998',
];

async function twoPagePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of [PAGE_1, PAGE_2]) {
    const page = doc.addPage([612, 792]);
    lines.forEach((line, i) => page.drawText(line, { x: 54, y: 740 - i * 18, size: 12, font }));
  }
  return Buffer.from(await doc.save());
}

const hasGnuTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

interface Run {
  seconds: number;
  /** User + system CPU time: what the command costs, whatever else the machine is doing. */
  cpuSeconds: number;
  rssMb: number;
  status: number | null;
}

function measure(cmd: string, args: string[]): Run {
  const started = process.hrtime.bigint();
  const r = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent' },
      })
    : spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let rssKb = 0;
  let cpuSeconds = Number.NaN;
  if (hasGnuTime) {
    const [rss = '', user = '', sys = ''] = (r.stderr.trim().split('\n').pop() ?? '').split(' ');
    rssKb = Number(rss) || 0;
    cpuSeconds = Number(user) + Number(sys);
  } else {
    rssKb = process.resourceUsage().maxRSS; // upper bound: the largest child so far
  }
  return { seconds, cpuSeconds, rssMb: rssKb / 1024, status: r.status };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function bench(label: string, cmd: string, args: string[]): { label: string; seconds: number; cpuSeconds: number; rssMb: number } {
  measure(cmd, args); // warm the page cache
  const all: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const r = measure(cmd, args);
    if (r.status !== 0) throw new Error(`${label} exited with ${r.status}`);
    all.push(r);
  }
  return {
    label,
    seconds: median(all.map((r) => r.seconds)),
    cpuSeconds: median(all.map((r) => r.cpuSeconds)),
    rssMb: median(all.map((r) => r.rssMb)),
  };
}

const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build.ts')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-bench-cli-'));
try {
  const pdf = path.join(dir, 'two-pages.pdf');
  await writeFile(pdf, await twoPagePdf());
  const cli = path.join(root, 'dist/cli.js');
  const rows = [
    bench('intake --help', process.execPath, [cli, '--help']),
    bench('intake extract (2-page text PDF)', process.execPath, [cli, 'extract', pdf, '--json']),
  ];
  const poppler = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error === undefined;
  const reference = poppler ? bench('pdftotext (same PDF)', 'pdftotext', [pdf, '-']) : undefined;
  const node = bench('node -e 0 (Node start-up alone)', process.execPath, ['-e', '0']);

  process.stdout.write(
    `\nNode ${process.version}, median of ${runs} runs on ${os.availableParallelism()} cores (load average ${os.loadavg()[0]!.toFixed(1)}), peak RSS by ${hasGnuTime ? 'GNU time' : 'rusage'}\n`,
  );
  process.stdout.write(
    `${'command'.padEnd(36)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)} ${'RSS'.padStart(9)}  ${'vs pdftotext'.padStart(12)}  target (wall)\n`,
  );
  const targets: Record<string, string> = {
    'intake --help': '≤ 0.30 s',
    'intake extract (2-page text PDF)': '≤ 1.00 s, ≤ 250 MB',
  };
  for (const r of [...rows, ...(reference ? [reference] : []), node]) {
    const ratio = reference ? `${(r.seconds / reference.seconds).toFixed(1)}×` : 'n/a';
    const met =
      r.label === 'intake --help'
        ? r.seconds <= 0.3
          ? 'met'
          : 'MISSED'
        : r.label.startsWith('intake extract')
          ? r.seconds <= 1 && r.rssMb <= 250
            ? 'met'
            : 'MISSED'
          : '';
    process.stdout.write(
      `${r.label.padEnd(36)} ${`${r.seconds.toFixed(3)} s`.padStart(8)} ${Number.isNaN(r.cpuSeconds) ? '     n/a' : `${r.cpuSeconds.toFixed(2)} s`.padStart(8)} ${`${r.rssMb.toFixed(0)} MB`.padStart(9)}  ${ratio.padStart(12)}  ${targets[r.label] ? `${targets[r.label]} ${met}` : ''}\n`,
    );
  }
  if (!reference) process.stdout.write('pdftotext not installed (scripts/bootstrap-test-env.sh installs poppler-utils as root, or apt-get install poppler-utils): no reference row\n');
} finally {
  await rm(dir, { recursive: true, force: true });
}
