/**
 * npm run bench:ocr — our pipeline against the native tesseract CLI on the same mixed page
 * set, same cores. Not a test: numbers vary with the machine; read them side by side.
 *
 *   baseline: every page image (PDFs rendered at 300 dpi, TIFF pages as stored, photos as
 *             taken) through `tesseract IMG stdout --oem 1 -l eng`, OMP_THREAD_LIMIT=1,
 *             one process per core.
 *   ours:     readDocument on the documents themselves (text layers, blank skipping,
 *             resolution, orientation), with the native engine when the binary is present
 *             and with tesseract.js (the default that needs nothing installed).
 *
 * Each configuration of ours runs in a child process of its own so its memory is its own.
 * Flags: --quick (one photo, no relaxed-SIMD comparison).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readDocument } from '../src/read.ts';
import { warmUpPdf } from '../src/pdf.ts';
import { createOcrPool } from '../src/ocr-pool.ts';
import { createNativeOcrEngine, findNativeTesseract } from '../src/native-ocr.ts';
import type { OcrEngine } from '../src/ocr-engine.ts';
import { benchCorpus, cer, faxPage, letterPage } from './corpus.ts';
import { syntheticLines } from '../src/testing/fixtures.ts';
import sharp from 'sharp';

const cores = availableParallelism();
const limits = { maxPages: 100, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 120_000 };
const self = fileURLToPath(import.meta.url);

interface RunResult {
  engine: string;
  pages: number;
  seconds: number;
  /** CPU seconds (user + system) of everything the run did: its threads and child processes. */
  cpuSeconds: number;
  methods: Record<string, number>;
  errors: number;
  chars: number;
  maxRssMb: number;
}

async function runOurs(kind: 'native' | 'tesseract.js' | 'tesseract.js-nosimd'): Promise<RunResult> {
  const corpus = await benchCorpus();
  const engine: OcrEngine =
    kind === 'native' ? createNativeOcrEngine({ size: cores })! : createOcrPool({ size: cores, relaxedSimd: kind === 'tesseract.js' });
  // Steady state, as in a long-running worker: pdf.js loaded, OCR workers started, before timing.
  await warmUpPdf();
  const blankish = await sharp({ create: { width: 600, height: 200, channels: 3, background: '#ffffff' } }).png().toBuffer();
  await engine.detectOrientation?.(blankish, { timeoutMs: 60_000 }); // starts the OSD worker
  if (kind !== 'native') {
    const warm = await sharp({ create: { width: 300, height: 80, channels: 3, background: '#ffffff' } }).png().toBuffer();
    await Promise.all(Array.from({ length: cores }, () => engine.recognize(warm, { timeoutMs: 60_000 })));
  }
  const cpuBefore = cpuSecondsSoFar();
  const started = performance.now();
  // Documents arrive concurrently in a worker; the engine's pool bounds the parallelism.
  const results = await Promise.all(corpus.map((d) => readDocument(d.bytes, { ...limits, ocr: engine })));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSoFar() - cpuBefore;
  await engine.close();
  const methods: Record<string, number> = {};
  let errors = 0;
  let chars = 0;
  results.forEach((r, i) =>
    r.pages.forEach((p, j) => {
      methods[p.method] = (methods[p.method] ?? 0) + 1;
      const c = cer(corpus[i]!.truth[j]!, p.text);
      errors += c.errors;
      chars += c.chars;
    }),
  );
  const pages = results.reduce((n, r) => n + r.pages.length, 0);
  return { engine: kind, pages, seconds, cpuSeconds, methods, errors, chars, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** RSS one tesseract.js worker adds to its process, peak, while reading a dense page and a fax page. */
async function measureWorkerRss(): Promise<{ baseMb: number; peakMb: number }> {
  const dense = await letterPage(syntheticLines(40, 7), 300);
  const fax = await faxPage(syntheticLines(36, 8));
  const base = process.memoryUsage().rss;
  const pool = createOcrPool({ size: 1 });
  for (const img of [dense, fax]) await pool.recognize(img, { timeoutMs: 120_000 });
  await pool.close();
  return { baseMb: base / 2 ** 20, peakMb: (process.resourceUsage().maxRSS * 1024 - base) / 2 ** 20 };
}

function child(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`child ${args.join(' ')} exited ${code}`))));
  });
}

async function runBaseline(): Promise<RunResult & { peakWorkerMb: number }> {
  const corpus = await benchCorpus();
  const dir = mkdtempSync(join(tmpdir(), 'intake-bench-'));
  try {
    const files: { path: string; truth: string }[] = [];
    for (const [i, doc] of corpus.entries()) {
      const pages = await doc.naivePages();
      pages.forEach((img, j) => {
        const ext = img[0] === 0xff ? 'jpg' : 'png';
        const path = join(dir, `d${i}-p${j}.${ext}`);
        writeFileSync(path, img);
        files.push({ path, truth: doc.truth[j]! });
      });
    }
    const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
    const run = promisify(execFile);
    let next = 0;
    let errors = 0;
    let chars = 0;
    let peakKb = 0;
    let cpuSeconds = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: cores }, async () => {
        while (next < files.length) {
          const f = files[next++]!;
          const args = [f.path, 'stdout', '--oem', '1', '-l', 'eng'];
          const { stdout, stderr } = await run(timeBin ?? 'tesseract', timeBin ? ['-f', 'maxrss=%M cpu=%U+%S', 'tesseract', ...args] : args, {
            env: { ...process.env, OMP_THREAD_LIMIT: '1' },
            maxBuffer: 64 << 20,
          });
          const m = /maxrss=(\d+)/.exec(stderr);
          if (m) peakKb = Math.max(peakKb, Number(m[1]));
          const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
          if (cpu) cpuSeconds += Number(cpu[1]) + Number(cpu[2]);
          const c = cer(f.truth, stdout);
          errors += c.errors;
          chars += c.chars;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (!timeBin) cpuSeconds = NaN;
    return { engine: 'tesseract CLI', pages: files.length, seconds, cpuSeconds, methods: { ocr: files.length }, errors, chars, maxRssMb: 0, peakWorkerMb: peakKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, d = 2): string => n.toFixed(d);

/** /proc stat fields after the command name; 11–14: utime, stime, cutime, cstime in clock ticks (100 Hz on Linux). */
const statFields = (pid: string): string[] => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');

/**
 * CPU seconds used so far by this process (all threads), its reaped child processes, and its live
 * ones with their reaped children: the native engine runs tesseract from a helper process
 * (tesseract-spawner.mjs) that lives until the engine closes, so its runs are in its own cutime.
 */
function cpuSecondsSoFar(): number {
  const self = process.resourceUsage();
  let children = 0;
  try {
    const fields = statFields('self');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
    for (const tid of readdirSync('/proc/self/task'))
      for (const kid of readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) {
        try {
          const k = statFields(kid);
          children += (Number(k[11]) + Number(k[12]) + Number(k[13]) + Number(k[14])) / 100;
        } catch {
          /* exited meanwhile: counted in cutime once reaped */
        }
      }
  } catch {
    /* not Linux: children's time unknown */
  }
  return (self.userCPUTime + self.systemCPUTime) / 1e6 + children;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--child') {
    const kind = process.argv[3] as 'native' | 'tesseract.js' | 'tesseract.js-nosimd';
    process.stdout.write(`${JSON.stringify(await runOurs(kind))}\n`);
    return;
  }
  if (mode === '--rss') {
    process.stdout.write(`${JSON.stringify(await measureWorkerRss())}\n`);
    return;
  }
  const quick = process.argv.includes('--quick');
  const corpus = await benchCorpus();
  console.log(`bench:ocr — ${corpus.length} documents, ${corpus.reduce((n, d) => n + d.truth.length, 0)} pages, ${cores} cores, Node ${process.versions.node}`);
  for (const d of corpus) console.log(`  ${d.name}`);

  const native = findNativeTesseract();
  const rows: (RunResult & { peakWorkerMb?: number })[] = [];
  let baseline: (RunResult & { peakWorkerMb: number }) | undefined;
  if (native) {
    baseline = await runBaseline();
    rows.push(baseline);
    rows.push((await child(['--child', 'native'])) as RunResult);
  } else {
    console.log('\nnative `tesseract` not found (apt-get install tesseract-ocr): reporting our numbers only.');
  }
  rows.push((await child(['--child', 'tesseract.js'])) as RunResult);
  if (!quick) rows.push((await child(['--child', 'tesseract.js-nosimd'])) as RunResult);
  const rss = (await child(['--rss'])) as { baseMb: number; peakMb: number };

  console.log('\nwall clock: pages/s as measured; CPU: pages per CPU-second × cores, the rate with every core');
  console.log('to ourselves (robust when the machine is shared; CPU of worker threads and child processes counted).');
  console.log('\n| run | pages | wall s | pages/s (wall) | vs CLI | CPU s | pages/s (CPU × cores) | vs CLI | CER | page methods |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const pps = r.pages / r.seconds;
    const ratio = baseline ? pps / (baseline.pages / baseline.seconds) : NaN;
    const name = r.engine === 'tesseract CLI' ? 'native tesseract CLI, every page' : `intake pipeline, ${r.engine === 'tesseract.js-nosimd' ? 'tesseract.js (no relaxed SIMD)' : r.engine} engine`;
    const methods = Object.entries(r.methods)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const cpuPps = (r.pages / r.cpuSeconds) * cores;
    const cpuRatio = baseline ? cpuPps / ((baseline.pages / baseline.cpuSeconds) * cores) : NaN;
    console.log(
      `| ${name} | ${r.pages} | ${fmt(r.seconds, 1)} | ${fmt(pps)} | ${baseline ? `${fmt(ratio)}×` : '–'} | ${fmt(r.cpuSeconds, 1)} | ${fmt(cpuPps)} | ${baseline ? `${fmt(cpuRatio)}×` : '–'} | ${fmt((100 * r.errors) / r.chars, 2)}% | ${methods} |`,
    );
  }
  console.log('\npeak memory per OCR worker:');
  if (baseline) console.log(`  native tesseract process (same binary as our native engine): ${fmt(baseline.peakWorkerMb, 0)} MB peak RSS (/usr/bin/time)`);
  console.log(`  tesseract.js worker thread: +${fmt(rss.peakMb, 0)} MB peak RSS over a ${fmt(rss.baseMb, 0)} MB process (one worker, dense 300 dpi page + fax page)`);
  for (const r of rows.filter((x) => x.maxRssMb > 0)) console.log(`  whole pipeline process, ${r.engine}, ${cores} workers: ${fmt(r.maxRssMb, 0)} MB peak RSS`);
}

await main();
