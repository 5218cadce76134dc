#!/usr/bin/env node
// Per-layout, per-quality and per-kind micro-F1 from a scorer results file, and the misses/extras grouped by kind.
// usage (from the project root):
//   node ../shared/eval/score.mjs --manifest test/dev-records/manifest.json --out /tmp/dev-records.json
//   node test/dev-records/breakdown.mjs /tmp/dev-records.json [--errors]
import fs from 'node:fs';

const file = process.argv[2];
if (!file) { console.error('usage: breakdown.mjs RESULTS.json [--errors]'); process.exit(2); }
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const f1 = (c) => { const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0, q = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0; return p + q ? (2 * p * q) / (p + q) : 0; };
const sum = (docs) => docs.reduce((a, d) => { for (const c of Object.values(d.counts)) { a.tp += c.tp; a.fp += c.fp; a.fn += c.fn; } return a; }, { tp: 0, fp: 0, fn: 0 });
const row = (name, c, n) => `${name.padEnd(24)}${String(n).padStart(5)}${String(c.tp).padStart(6)}${String(c.fp).padStart(6)}${String(c.fn).padStart(6)}   ${f1(c).toFixed(3)}`;
const head = `${''.padEnd(24)}${'docs'.padStart(5)}${'TP'.padStart(6)}${'FP'.padStart(6)}${'FN'.padStart(6)}   F1`;
const group = (key) => {
  const g = {}; for (const d of r.docs) (g[d[key]] ??= []).push(d);
  return Object.entries(g).sort(([a], [b]) => a.localeCompare(b)).map(([k, ds]) => row(k, sum(ds), ds.length));
};
const quals = [...new Set(r.docs.map((d) => d.quality))];
console.log(`by layout\n${head}\n${group('layout').join('\n')}\n\nby quality\n${head}\n${group('quality').join('\n')}`);
console.log(`\nby layout x quality (F1)\n${''.padEnd(24)}${quals.map((q) => q.padStart(8)).join('')}`);
for (const l of [...new Set(r.docs.map((d) => d.layout))].sort()) {
  console.log(`${l.padEnd(24)}${quals.map((q) => { const ds = r.docs.filter((d) => d.layout === l && d.quality === q); return (ds.length ? f1(sum(ds)).toFixed(3) : '-').padStart(8); }).join('')}`);
}
const kinds = Object.keys(r.byKind);
console.log(`\nby kind\n${head}\n${kinds.map((k) => row(k, r.byKind[k], '')).join('\n')}`);
console.log(`\nall${''.padEnd(21)}${String(r.docs.length).padStart(5)}${String(r.totals.tp).padStart(6)}${String(r.totals.fp).padStart(6)}${String(r.totals.fn).padStart(6)}   ${r.microF1.toFixed(3)}`);
if (process.argv.includes('--errors')) {
  for (const d of r.docs) {
    if (!d.errors.length) continue;
    console.log(`\n## ${d.id} (${d.status}, ${d.secs}s)`);
    for (const e of d.errors) console.log(`  ${e.miss !== undefined ? 'MISS ' : 'EXTRA'} ${e.kind.padEnd(12)} ${e.miss ?? e.extra}${e.date ? ` [${e.date}]` : ''}${e.negated ? ' (negated)' : ''}`);
  }
}
