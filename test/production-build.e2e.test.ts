import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExtractionResult, sha256Hex } from '@intake/core';
import { ReviewIndex } from '@intake/index';
import { createS3Client, embeddedS3Credentials, ReviewStore } from '@intake/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_LINES } from './support/fixtures.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fax = path.join(root, 'samples/corpus/dev/Barney_Abbott-form-fax.tif');

/** Transpilers and bundlers: none of them may be needed by the production build. */
const BUILD_TOOLS = new Set([
  'tsx',
  'esbuild',
  '@esbuild',
  'typescript',
  'rolldown',
  '@rolldown',
  'vite',
  'vitest',
  '@vitest',
  '@intake',
  '.bin',
]);

/**
 * The image's layout (Dockerfile): dist/, the workspaces' files that are not TypeScript
 * (data, the review UI's static files, migrations, package.json), and node_modules without
 * any transpiler or bundler — here, links to the repository's packages less BUILD_TOOLS.
 */
async function productionLayout(app: string): Promise<void> {
  await cp(path.join(root, 'dist'), path.join(app, 'dist'), { recursive: true });
  await cp(path.join(root, 'package.json'), path.join(app, 'package.json'));
  for (const group of ['shared', 'services']) {
    await cp(path.join(root, group), path.join(app, group), {
      recursive: true,
      filter: (src) => {
        const base = path.basename(src);
        return (
          !src.endsWith('.ts') &&
          !['node_modules', 'bench', 'test-fixtures', 'dist', '.scratch'].includes(base) &&
          !base.startsWith('.')
        );
      },
    });
  }
  const modules = path.join(app, 'node_modules');
  await mkdir(modules);
  for (const name of await readdir(path.join(root, 'node_modules'))) {
    if (BUILD_TOOLS.has(name)) continue;
    if (name.startsWith('@')) {
      await mkdir(path.join(modules, name));
      for (const inner of await readdir(path.join(root, 'node_modules', name))) {
        await symlink(path.join(root, 'node_modules', name, inner), path.join(modules, name, inner));
      }
    } else {
      await symlink(path.join(root, 'node_modules', name), path.join(modules, name));
    }
  }
}

async function twoPagePdf(): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of [SUMMARY_LINES.slice(0, 10), SUMMARY_LINES.slice(10)]) {
    const page = doc.addPage([612, 792]);
    lines.forEach((line, i) => page.drawText(line, { x: 54, y: 740 - i * 18, size: 12, font }));
  }
  return Buffer.from(await doc.save());
}

/** `npm run build`, then the built CLI and services run from a copy with no transpiler in reach. */
describe('production build (no transpiler at run time)', () => {
  let dir: string;
  let app: string;
  let pdf: string;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build.ts')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(build.status, build.stderr).toBe(0);
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-prod-'));
    app = path.join(dir, 'app');
    await productionLayout(app);
    pdf = path.join(dir, 'two-pages.pdf');
    await writeFile(pdf, await twoPagePdf());
  }, 400_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(app, 'dist/cli.js'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent', NODE_OPTIONS: '' },
      timeout: 180_000,
    });

  it('imports no transpiler and no TypeScript file', async () => {
    for (const file of (await readdir(path.join(app, 'dist'))).filter((f) => f.endsWith('.js'))) {
      const text = await readFile(path.join(app, 'dist', file), 'utf8');
      expect(text, file).not.toMatch(/from\s*["']tsx|import\(\s*["']tsx|["'][^"'\s]+\.ts["']\s*\)?;?\s*$/m);
    }
    // The reader's and the extractor's threads are bundled, not shims that register tsx.
    expect(await readFile(path.join(app, 'dist/sandbox-thread.js'), 'utf8')).toMatch(/readDocument|loadReaders/);
    expect(await readFile(path.join(app, 'dist/extract-thread.js'), 'utf8')).toMatch(/computeExtraction|extractFromPages/);
  });

  it('ships every data file the code reads at run time (readDataFile), where the bundle looks for it', async () => {
    const named = (text: string) => [...text.matchAll(/readDataFile[\w$]*\(\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    const inSources = new Set<string>();
    for (const group of ['shared', 'services']) {
      for (const file of await readdir(path.join(root, group), { recursive: true })) {
        if (
          !file.endsWith('.ts') ||
          file.endsWith('.test.ts') ||
          file.includes('node_modules') ||
          !file.includes(`${path.sep}src${path.sep}`)
        )
          continue;
        for (const name of named(await readFile(path.join(root, group, file), 'utf8'))) inSources.add(name);
      }
    }
    const inBundle = new Set<string>();
    for (const file of (await readdir(path.join(app, 'dist'))).filter((f) => f.endsWith('.js'))) {
      for (const name of named(await readFile(path.join(app, 'dist', file), 'utf8'))) inBundle.add(name);
    }
    expect(inSources.size).toBeGreaterThan(5);
    expect([...inBundle].sort()).toEqual([...inSources].sort());
    // The bundle reads them from shared/vocab/data beside dist/ (data-dir.ts's own URL, rewritten by the build).
    for (const name of inBundle) {
      const bytes = await readFile(path.join(app, 'shared/vocab/data', name));
      expect(bytes.byteLength, name).toBeGreaterThan(0);
    }
    const dataDir = (
      await Promise.all(
        (await readdir(path.join(app, 'dist')))
          .filter((f) => f.endsWith('.js'))
          .map((f) => readFile(path.join(app, 'dist', f), 'utf8')),
      )
    ).find((t) => t.includes('function readDataFile('))!;
    expect(dataDir).toContain('new URL("../shared/vocab/src/data-dir.ts", import.meta.url)');
  });

  it('intake --help and extract of a two-page text PDF', () => {
    const help = cli('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/intake extract FILE/);
    // The `intake` command itself (npm's bin link) runs the build where there are no sources.
    const bin = spawnSync(process.execPath, [path.join(app, 'services/cli/bin/intake.js'), '--help'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout).toMatch(/intake extract FILE/);
    const out = cli('extract', pdf, '--json');
    expect(out.status, out.stderr).toBe(0);
    const result = ExtractionResult.parse(JSON.parse(out.stdout));
    expect(result.source).toMatchObject({ pages: 2, mediaType: 'application/pdf' });
    const meds = result.items.flatMap((i) => (i.kind === 'medication' ? [i.name] : []));
    expect(meds).toEqual(expect.arrayContaining(['lisinopril', 'metformin', 'atorvastatin']));
  });

  it('extract OCRs a fax TIFF', () => {
    const out = cli('extract', fax, '--json');
    expect(out.status, out.stderr).toBe(0);
    const result = ExtractionResult.parse(JSON.parse(out.stdout));
    expect(result.source.mediaType).toBe('image/tiff');
    expect(result.items.some((i) => i.kind === 'medication' && /nitroglycerin/i.test(i.name))).toBe(true);
  });

  it('intake start reads a dropped fax in its reader threads, extracts it in an extraction thread, and stops on SIGTERM', async () => {
    const data = path.join(dir, 'data');
    const drop = path.join(dir, 'drop');
    await mkdir(drop, { recursive: true });
    const bytes = await readFile(fax);
    // Every Worker the process starts, and each task result one sends back, on stderr: which
    // thread entries run, and that the work was done in them (not on the main thread).
    const hook = path.join(dir, 'worker-hook.mjs');
    await writeFile(
      hook,
      [
        "import { createRequire, syncBuiltinESMExports } from 'node:module';",
        "import { fileURLToPath, pathToFileURL } from 'node:url';",
        "const threads = createRequire(import.meta.url)('node:worker_threads');",
        'const Original = threads.Worker;',
        'threads.Worker = class extends Original {',
        '  constructor(entry, options) {',
        '    super(entry, options);',
        "    const file = entry instanceof URL ? fileURLToPath(entry) : String(entry);",
        '    process.stderr.write(`worker-started ${file}\\n`);',
        "    this.on('message', (m) => { if (m && m.type === 'done') process.stderr.write(`worker-done ${file}\\n`); });",
        '  }',
        '};',
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', pathToFileURL(hook).href, path.join(app, 'dist/cli.js'), 'start'], {
      cwd: dir,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        INTAKE_DATA_DIR: data,
        FAX_DROP_DIR: drop,
        FAX_POLL_MS: '200',
        REVIEW_PORT: '0',
        S3_ENDPOINT: '',
        INTAKE_QUEUE_PREFIX: `prod${randomBytes(4).toString('hex')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let store: ReviewStore | undefined;
    try {
      const deadline = Date.now() + 120_000;
      while (!/review UI:\s+http/.test(stdout)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`intake start did not come up:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const url = /review UI:\s+(http\S+)/.exec(stdout)![1]!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await writeFile(path.join(drop, 'fax.tif'), bytes);
      const endpoint = /review store:\s+(http\S+)/.exec(stdout)![1]!;
      store = new ReviewStore(
        createS3Client({
          endpoint,
          bucket: 'intake-review',
          region: 'us-east-1',
          forcePathStyle: true,
          sse: 'AES256',
          credentials: await embeddedS3Credentials(path.join(data, 's3')),
        }),
        { bucket: 'intake-review', region: 'us-east-1', forcePathStyle: true, sse: 'AES256' },
        await ReviewIndex.open({}),
      );
      const until = Date.now() + 150_000;
      let result = await store.extractions.get(sha256Hex(bytes));
      while (!result) {
        if (Date.now() > until) throw new Error(`the dropped fax was not extracted:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 300));
        result = await store.extractions.get(sha256Hex(bytes));
      }
      expect(result.source.mediaType).toBe('image/tiff');
      expect(result.items.some((i) => i.kind === 'medication')).toBe(true);
      expect(stderr).not.toMatch(
        /ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION|Cannot find (module|package)|(reader|extraction) thread (failed|did not start|exited)/,
      );
      // Both pools started their bundled entries in dist/ (files that exist), and the fax was
      // read in a reader thread and extracted in an extraction thread.
      const started = new Set([...stderr.matchAll(/^worker-started (.+)$/gm)].map((m) => m[1]!));
      const done = new Set([...stderr.matchAll(/^worker-done (.+)$/gm)].map((m) => m[1]!));
      for (const name of ['sandbox-thread.js', 'extract-thread.js']) {
        const entry = path.join(app, 'dist', name);
        expect(started, stderr).toContain(entry);
        expect(done, stderr).toContain(entry);
        expect((await stat(entry)).isFile()).toBe(true);
      }
      expect([...started].filter((f) => f.endsWith('.mjs') || f.endsWith('.ts'))).toEqual([]);
    } finally {
      store?.s3.destroy();
      await store?.index.close();
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 300_000);
});
