#!/usr/bin/env node
// The `intake` command. Runs the production build (dist/cli.js, `npm run build`) while it
// is current — no source file newer than the build — and the TypeScript sources through
// tsx otherwise, so an edit is never shadowed by a stale build. Where the sources are not
// there at all (the container image holds dist/ only), the build is what runs.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);

function freshBuild() {
  try {
    const info = JSON.parse(readFileSync(new URL('dist/build-info.json', root), 'utf8'));
    for (const input of info.inputs) {
      let mtime;
      try {
        mtime = statSync(fileURLToPath(new URL(input, root))).mtimeMs;
      } catch {
        continue; // not here: an image without sources
      }
      if (mtime > info.builtAt) return false;
    }
    return true;
  } catch {
    return false;
  }
}

if (process.env.INTAKE_USE_SOURCES !== '1' && freshBuild()) {
  await import(new URL('dist/cli.js', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
