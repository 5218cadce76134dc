#!/usr/bin/env node
// Truth-echo "extractor" for the scorer's sanity check: prints the truth of FILE as {patient, items}.
// usage: node test/dev-records/echo-extract.mjs FILE --json
//   INTAKE_EXTRACT_CMD="node test/dev-records/echo-extract.mjs" node ../shared/eval/score.mjs --manifest test/dev-records/manifest.json
// It must score micro-F1 1.000; anything less means a truth file the scorer cannot match against itself.
import fs from 'node:fs';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file) { console.error('usage: echo-extract.mjs FILE --json'); process.exit(2); }
const manifest = JSON.parse(fs.readFileSync(path.join(HERE, 'manifest.json'), 'utf8'));
const doc = manifest.docs.find((d) => path.resolve(HERE, d.file) === path.resolve(file));
if (!doc) { console.error(`not in the dev-records manifest: ${path.basename(file)}`); process.exit(1); }
const truth = JSON.parse(fs.readFileSync(path.resolve(HERE, doc.truth), 'utf8'));
console.log(JSON.stringify({ patient: truth.patient, items: truth.items }));
