/**
 * Per-kind recall and precision of the C-CDA reader against hand-read truth (fixtures/truth.json):
 * the hand-made vendor-style fixtures here and, when present, the HL7 / vendor examples in
 * ../shared/data/ccda. Run: `npx tsx shared/extraction/src/structured/score.ts` (add `--list` for misses).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaType, type Item } from '@intake/core';
import { extractStructured } from './index.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DATA = join(HERE, '../../../../../shared/data/ccda');
/** The repository's own copies of some of those examples (shared/extraction/test-fixtures), used where ../shared/data is absent (a clean clone). */
const COPIES = join(HERE, '../../test-fixtures');

type Truth = Record<string, { patient?: Record<string, string>; items: string[] }>;
export interface KindScore {
  tp: number;
  fp: number;
  fn: number;
}
export interface Score {
  byKind: Record<string, KindScore>;
  patient: { right: number; total: number };
  misses: string[];
  files: number;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/^dr\.?\s+/, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
function sameName(a: string, b: string): boolean {
  const [x, y] = [norm(a), norm(b)];
  if (!x || !y) return false;
  if (x === y || ` ${x} `.includes(` ${y} `) || ` ${y} `.includes(` ${x} `)) return true;
  return [...new Set(x.split(' '))].sort().join(' ') === [...new Set(y.split(' '))].sort().join(' ');
}
const nameOf = (i: Item): string => {
  const x = i as Item & { name?: string; substance?: string; vaccine?: string; type?: string };
  return x.name ?? x.substance ?? x.vaccine ?? x.type ?? i.display;
};
const dateOf = (i: Item): string | undefined => {
  const x = i as Item & { date?: string; onset?: string };
  return x.date ?? x.onset;
};

export function resolve(file: string): string | undefined {
  const candidates = file.startsWith('ccda/') ? [join(DATA, file.slice(5)), join(COPIES, file.slice(5))] : [join(HERE, file)];
  return candidates.find((p) => existsSync(p));
}

export function score(filter?: (file: string) => boolean): Score {
  const truth = JSON.parse(readFileSync(join(HERE, 'fixtures/truth.json'), 'utf8')) as Truth;
  const out: Score = { byKind: {}, patient: { right: 0, total: 0 }, misses: [], files: 0 };
  const k = (kind: string) => (out.byKind[kind] ??= { tp: 0, fp: 0, fn: 0 });
  for (const [file, t] of Object.entries(truth)) {
    if (file.startsWith('_') || (filter && !filter(file))) continue;
    const path = resolve(file);
    if (!path) continue;
    out.files++;
    const r = extractStructured(new Uint8Array(readFileSync(path)), MediaType.ccda, {
      file,
      sha256: '0'.repeat(64),
      mediaType: MediaType.ccda,
      pages: 1,
      channel: 'cli',
    });
    for (const [f, v] of Object.entries(t.patient ?? {})) {
      out.patient.total++;
      if ((r.patient as Record<string, string | undefined>)[f] === v) out.patient.right++;
      else out.misses.push(`${file}: patient.${f} ${JSON.stringify((r.patient as Record<string, string>)[f])} ≠ ${v}`);
    }
    const left = [...r.items];
    for (const row of t.items) {
      const [kind, rawName, date] = row.split('|') as [string, string, string];
      const negated = rawName.startsWith('!');
      const name = rawName.replace(/^!/, '');
      const i = left.findIndex(
        (it) =>
          it.kind === kind &&
          it.negated === negated &&
          sameName(nameOf(it), name) &&
          (date === '' || (date === '-' ? dateOf(it) === undefined : dateOf(it) === date)),
      );
      if (i >= 0) {
        k(kind).tp++;
        left.splice(i, 1);
      } else {
        k(kind).fn++;
        const near = left.find((it) => it.kind === kind && sameName(nameOf(it), name));
        out.misses.push(
          `${file}: missed ${row}${near ? ` (have date ${dateOf(near) ?? 'none'}${near.negated ? ', negated' : ''})` : ''}`,
        );
      }
    }
    for (const it of left) {
      k(it.kind).fp++;
      out.misses.push(`${file}: extra ${it.kind}|${it.negated ? '!' : ''}${nameOf(it)}|${dateOf(it) ?? ''}`);
    }
  }
  return out;
}

const pct = (n: number, d: number) => (d ? (n / d).toFixed(2) : '  - ');
export function table(s: Score): string {
  const rows = [`files ${s.files}   kind          recall  precision  (tp/fn/fp)`];
  const all: KindScore = { tp: 0, fp: 0, fn: 0 };
  for (const [kind, v] of Object.entries(s.byKind).sort()) {
    rows.push(`  ${kind.padEnd(24)} ${pct(v.tp, v.tp + v.fn)}    ${pct(v.tp, v.tp + v.fp)}      (${v.tp}/${v.fn}/${v.fp})`);
    all.tp += v.tp;
    all.fn += v.fn;
    all.fp += v.fp;
  }
  rows.push(
    `  ${'all'.padEnd(24)} ${pct(all.tp, all.tp + all.fn)}    ${pct(all.tp, all.tp + all.fp)}      (${all.tp}/${all.fn}/${all.fp})`,
  );
  rows.push(`  patient fields right     ${s.patient.right}/${s.patient.total}`);
  return rows.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [label, f] of [
    ['hand-made vendor fixtures', (x: string) => x.startsWith('fixtures/')],
    ['../shared/data/ccda', (x: string) => x.startsWith('ccda/')],
    ['all', undefined],
  ] as const) {
    const s = score(f);
    console.log(`== ${label}\n${table(s)}`);
    if (process.argv.includes('--list')) for (const m of s.misses) console.log(`   ${m}`);
  }
}
