// The clerk UI's browser bundle: the TypeScript modules beside this file (main.ts and what it
// imports, shared/core included) bundled into one ES module. Built from the sources
// when they are here (development, tests, `intake start`); the production image has no
// TypeScript and serves the copy `npm run build` wrote to dist/ui/.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'rolldown';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
/** Where `npm run build` leaves the bundle (the repository's dist/). */
export const prebuiltBundle = fileURLToPath(new URL('../../../../dist/ui/review-app.js', import.meta.url));

/** shared/core's index also exports node-only helpers (sha-256 ids); the browser never calls them. */
const nodeBuiltins: Plugin = {
  name: 'node-builtins',
  resolveId: (id) => (id.startsWith('node:') ? `\0node-stub:${id}` : undefined),
  load: (id) => (id.startsWith('\0node-stub:') ? 'export const createHash = undefined; export default {};' : undefined),
};

/**
 * Bundle the UI from its sources with rolldown (Vite's bundler, a development dependency):
 * it tree-shakes zod's locales, which esbuild keeps (133 KB against 489 KB minified).
 */
export async function bundleUi(): Promise<string> {
  const { build } = await import('rolldown');
  const result = await build({
    input: entry,
    write: false,
    platform: 'browser',
    logLevel: 'silent',
    plugins: [nodeBuiltins],
    output: { format: 'esm', minify: true },
  });
  const out = result.output[0];
  if (!out || out.type !== 'chunk' || !out.code) throw new Error('the UI bundle is empty');
  return out.code;
}

let cached: Promise<string> | undefined;

/** The bundle for this process: from the sources when present, else the production build's copy. */
export function uiBundle(): Promise<string> {
  cached ??= (async () => {
    if (existsSync(entry)) return bundleUi();
    try {
      return await readFile(prebuiltBundle, 'utf8');
    } catch {
      throw new Error(`the review UI is not built: run npm run build (no ${prebuiltBundle})`);
    }
  })();
  return cached;
}
