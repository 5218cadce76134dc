#!/usr/bin/env node
// The scorer's extract command for `npm run eval:foreign`: prints the result the eval wrote for FILE.
// usage: node cached-result.mjs DIR FILE --json
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [dir, file] = process.argv.slice(2);
try {
  process.stdout.write(readFileSync(join(dir, `${basename(file)}.json`), 'utf8'));
} catch {
  process.stderr.write(`${basename(file)}: no result\n`);
  process.exit(1);
}
