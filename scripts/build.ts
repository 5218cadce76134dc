// The production build: each service's src/main.ts and the CLI bundled to JavaScript in
// dist/ (esbuild), so no process transpiles TypeScript at start. Workspace code (@intake/*)
// is bundled; every other package stays external and is loaded from node_modules.
// Dynamic imports become separate chunks: a command loads only what it uses.
//
//   npm run build            → dist/cli.js, dist/<service>.js, dist/chunk-*.js, dist/build-info.json,
//                              dist/ui/review-app.js (the clerk UI's browser bundle, services/review/src/ui/bundle.ts)
import { readdirSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
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

/** Third-party packages stay in node_modules; workspace packages and relative files are bundled. */
const externals: Plugin = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@intake/')) return undefined;
      return { path: args.path, external: true };
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
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

export async function buildAll(): Promise<{ entries: string[]; inputs: number }> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const entries = entryPoints();
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
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  // Read by services/cli/bin/intake.js: the build is used only while no input is newer.
  await writeFile(
    path.join(outdir, 'build-info.json'),
    `${JSON.stringify({ builtAt: Date.now(), entries: Object.keys(entries), inputs }, null, 1)}\n`,
  );
  await writeFile(path.join(outdir, 'package.json'), '{ "type": "module" }\n');
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
