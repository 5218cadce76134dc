// The production build: each service's src/main.ts and the CLI bundled to JavaScript in
// dist/ (esbuild), so no process transpiles TypeScript at start. Workspace code (@intake/*)
// is bundled; every other package stays external and is loaded from node_modules.
// Dynamic imports become separate chunks: a command loads only what it uses.
//
//   npm run build            → dist/cli.js, dist/<service>.js, dist/chunk-*.js, dist/build-info.json,
//                              dist/sandbox-thread.js and dist/extract-thread.js (the reader's and the
//                              extractor's worker threads, THREADS below),
//                              dist/vocab/*.json (the RxNorm and CVX lexicons precompiled, shared/vocab/src/compiled.ts),
//                              dist/ui/review-app.js (the clerk UI's browser bundle, services/review/src/ui/bundle.ts)
//
// The build runs with no transpiler: nothing in dist/ imports tsx or a .ts file
// (test/production-build.e2e.test.ts runs it with tsx out of reach).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildCvx, buildRxNorm, compileCvx, compileRxNorm, vocabFingerprint } from '@intake/vocab';
import { ExportTracer, rewriteBarrelImports, workspaceEntries } from './build-barrels.ts';
import { bundleUi, prebuiltBundle } from '../services/review/src/ui/bundle.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

/** services/<name>/src/main.ts for every service; the CLI's entry is called `cli`. */
export function entryPoints(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(path.join(root, 'services')).sort()) {
    const main = path.join(root, 'services', name, 'src/main.ts');
    try {
      statSync(main);
    } catch {
      continue;
    }
    entries[name === 'cli' ? 'cli' : name] = main;
  }
  return entries;
}

/**
 * Worker threads: a source that starts a Worker on a small `.mjs` shim registering tsx gets
 * the thread's own bundled entry instead (`dist/<name>.js`). The build fails when the shim
 * reference is not found, so a renamed shim cannot leave tsx in the build; and every `.mjs`
 * shim beside a workspace source must be listed here (`threadShims`), so a new thread cannot
 * be left out of the build.
 */
export const THREADS = [
  {
    from: 'shared/documents/src/sandbox.ts',
    shim: "new URL('./sandbox-entry.mjs', import.meta.url)",
    name: 'sandbox-thread',
    source: 'shared/documents/src/sandbox-thread.ts',
  },
  {
    from: 'services/extract-worker/src/extract-sandbox.ts',
    shim: "new URL('./extract-entry.mjs', import.meta.url)",
    name: 'extract-thread',
    source: 'services/extract-worker/src/extract-thread.ts',
  },
];

/**
 * The `.mjs` thread shims in the workspaces' sources (a file that registers tsx's loader), test
 * fixtures (`*.fixture.mjs`) aside: each must be a THREADS entry's shim, or its thread would
 * run from TypeScript (or not at all) in dist/.
 */
export function threadShims(): string[] {
  const shims: string[] = [];
  for (const group of ['shared', 'services']) {
    for (const name of readdirSync(path.join(root, group)).sort()) {
      const src = path.join(root, group, name, 'src');
      let files: string[];
      try {
        files = readdirSync(src, { recursive: true }) as string[];
      } catch {
        continue;
      }
      for (const file of files.sort()) {
        if (!file.endsWith('.mjs') || file.endsWith('.fixture.mjs') || file.includes('node_modules')) continue;
        if (readFileSync(path.join(src, file), 'utf8').includes('tsx/esm/api')) shims.push(`${group}/${name}/src/${file.split(path.sep).join('/')}`);
      }
    }
  }
  return shims;
}

function checkThreadShims(): void {
  const listed = new Set(THREADS.map((t) => `${path.posix.dirname(t.from)}/${/'\.\/([^']+)'/.exec(t.shim)?.[1]}`));
  const missing = threadShims().filter((s) => !listed.has(s));
  if (missing.length > 0) throw new Error(`thread shims not in scripts/build.ts THREADS (their threads would not be built): ${missing.join(', ')}`);
}

/**
 * Pure-JavaScript ES-module packages bundled into the chunks: zod alone is some 230 files
 * that Node would resolve and compile one by one at every start.
 */
export const BUNDLED_PACKAGES = ['zod'];

const bundled = (spec: string) => BUNDLED_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`));

/**
 * Third-party packages stay in node_modules (native addons, wasm, worker scripts found by
 * path); workspace packages, relative files and BUNDLED_PACKAGES are bundled. Workspace
 * modules are marked free of side effects (none runs anything on import but its own
 * declarations, and none is imported for effects alone), so a module whose exports a
 * command does not use is dropped with the packages it imports: `intake extract` of a PDF
 * does not load mailparser, tesseract.js or the AWS SDK.
 */
const externals: Plugin = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@intake/') || bundled(args.path)) return undefined;
      return { path: args.path, external: true };
    });
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving' || !(args.path.startsWith('.') || args.path.startsWith('@intake/') || path.isAbsolute(args.path))) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (r.errors.length > 0 || r.external || r.path.includes(`${path.sep}node_modules${path.sep}`)) return r;
      return { ...r, sideEffects: false };
    });
  },
};

/**
 * `import.meta.url` keeps meaning the module's own source file, so files found relative to
 * it (vocab data, the review UI's static files, createRequire) resolve as they do under tsx.
 */
const sourceUrls: Plugin = {
  name: 'source-urls',
  setup(b) {
    const tracer = new ExportTracer(workspaceEntries(root));
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      // Names imported from a workspace package's index come from the modules declaring them (build-barrels.ts).
      let contents = rewriteBarrelImports(await readFile(args.path, 'utf8'), tracer);
      const rel = path.relative(root, args.path).split(path.sep).join('/');
      for (const t of THREADS.filter((x) => x.from === rel)) {
        if (!contents.includes(t.shim)) throw new Error(`${rel}: ${t.shim} not found (scripts/build.ts THREADS)`);
        // The chunk's own URL: the thread's entry sits beside the chunks in dist/.
        contents = contents.replaceAll(t.shim, `new URL(${JSON.stringify(`./${t.name}.js`)}, __INTAKE_CHUNK_URL__)`);
      }
      if (contents.includes('import.meta.url')) {
        const fromDist = path.relative(outdir, args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`);
      }
      contents = contents.replaceAll('__INTAKE_CHUNK_URL__', 'import.meta.url');
      return { contents, loader: 'ts' };
    });
  },
};

export async function buildAll(): Promise<{ entries: string[]; inputs: number }> {
  checkThreadShims();
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const entries = entryPoints();
  for (const t of THREADS) entries[t.name] = path.join(root, t.source);
  const fingerprint = vocabFingerprint();
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    entryNames: '[name]',
    // Chunks beside the entries: source-relative URLs below are computed from dist/ itself.
    chunkNames: '[name]-[hash]',
    plugins: [externals, sourceUrls],
    // The compiled lexicons below are read only by a bundle built with the same hash.
    define: { __INTAKE_VOCAB_FINGERPRINT__: JSON.stringify(fingerprint) },
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  // Read by services/cli/bin/intake.js: the build is used only while no input is newer.
  await writeFile(
    path.join(outdir, 'build-info.json'),
    `${JSON.stringify({ builtAt: Date.now(), entries: Object.keys(entries), inputs }, null, 1)}\n`,
  );
  await writeFile(path.join(outdir, 'package.json'), '{ "type": "module" }\n');
  await mkdir(path.join(outdir, 'vocab'), { recursive: true });
  await writeFile(path.join(outdir, 'vocab/rxnorm.json'), compileRxNorm(buildRxNorm(), fingerprint));
  await writeFile(path.join(outdir, 'vocab/cvx.json'), compileCvx(buildCvx(), fingerprint));
  // The browser bundle: the production image has no TypeScript to bundle it from at start.
  await mkdir(path.dirname(prebuiltBundle), { recursive: true });
  await writeFile(prebuiltBundle, await bundleUi());
  return { entries: Object.keys(entries), inputs: inputs.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { entries, inputs } = await buildAll();
  process.stdout.write(
    `built ${entries.map((e) => `dist/${e}.js`).join(', ')} from ${inputs} source files in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
