/**
 * npm run eval [-- --split dev|test] [--only clean|fax|photo|structured] [--no-cache] [--verbose]
 *
 * For every sample: the real reading path (readDocument from @intake/documents: text layer or
 * OCR), then extractFromPages (or extractStructured for C-CDA / FHIR), matched against
 * <name>.expected.json. Prints precision/recall/F1 per kind, per quality, per split, the
 * micro-F1 overall and allergy recall. Page text is cached in samples/eval/.cache (keyed by
 * the document's sha-256) so that re-running after an extractor change skips OCR.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaType, type ExtractionResult, type PageText, type Source } from '@intake/core';
import { extractFromPages, extractStructured } from '@intake/extraction';
import { prf, score, zero, type Counts, type Expected } from './match.ts';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, '../corpus');
const cacheDir = join(here, '.cache');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const splitArg = opt('split');
const only = opt('only');
const useCache = !args.includes('--no-cache');
const verbose = args.includes('--verbose');
if (verbose && splitArg !== 'dev') {
  console.error(
    '--verbose prints item-level errors; use it with --split dev only (the test split is not looked at while tuning).',
  );
  process.exit(2);
}

interface Sample {
  split: string;
  path: string;
  expected: { patient: Record<string, string>; items: Expected[]; sample: { quality: string; layout: string; render: string } };
}

function samples(): Sample[] {
  const out: Sample[] = [];
  for (const split of ['dev', 'test']) {
    if (splitArg && split !== splitArg) continue;
    const dir = join(corpus, split);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.expected.json')) continue;
      const expected = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (only && expected.sample.quality !== only) continue;
      out.push({ split, path: join(dir, expected.source.file), expected });
    }
  }
  return out;
}

async function pagesOf(bytes: Uint8Array): Promise<{ mediaType: string; pages: PageText[]; ms: number }> {
  const sha = createHash('sha256').update(bytes).digest('hex');
  const cached = join(cacheDir, `${sha}.pages.json`);
  if (useCache && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  const { readDocument } = await import('@intake/documents');
  const t0 = Date.now();
  const res = await readDocument(bytes, {
    maxPages: 30,
    maxPixelsPerPage: 60_000_000,
    pageTimeoutMs: 180_000,
    renderImages: false,
  });
  const pages: PageText[] = res.pages.map((p) => ({
    page: p.page,
    method: p.method,
    text: p.text,
    lines: p.lines,
    width: p.width,
    height: p.height,
    rotation: p.rotation ?? 0,
    confidence: p.confidence,
  }));
  const out = { mediaType: res.mediaType, pages, ms: Date.now() - t0 };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, JSON.stringify(out));
  return out;
}

async function run(): Promise<void> {
  const list = samples();
  if (list.length === 0) {
    console.error('no samples found (run npm run samples:generate)');
    process.exit(1);
  }
  const bySplitQuality = new Map<string, Map<string, Counts>>();
  const add = (key: string, kind: string, c: Counts) => {
    const m = bySplitQuality.get(key) ?? new Map<string, Counts>();
    const cur = m.get(kind) ?? zero();
    cur.tp += c.tp;
    cur.fp += c.fp;
    cur.fn += c.fn;
    m.set(kind, cur);
    bySplitQuality.set(key, m);
  };
  const identity = { ok: 0, total: 0 };
  let extractMs = 0;
  let pageCount = 0;
  const started = Date.now();
  for (const s of list) {
    const bytes = new Uint8Array(readFileSync(s.path));
    const source: Source = {
      file: s.path.split('/').pop()!,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      mediaType: '',
      pages: 0,
      channel: 'cli',
    };
    let result: ExtractionResult;
    const q = s.expected.sample.quality;
    try {
      if (q === 'structured') {
        const mt = s.path.endsWith('.xml') ? MediaType.ccda : MediaType.fhir;
        const t0 = performance.now();
        result = extractStructured(bytes, mt, { ...source, mediaType: mt });
        extractMs += performance.now() - t0;
      } else {
        const { mediaType, pages, ms } = await pagesOf(bytes);
        const t0 = performance.now();
        result = extractFromPages(pages, { ...source, mediaType, pages: pages.length });
        extractMs += performance.now() - t0;
        pageCount += pages.length;
        process.stderr.write(`  ${s.split}/${source.file}: ${pages.length} page(s), read ${(ms / 1000).toFixed(1)} s\n`);
      }
    } catch (err) {
      console.error(`  ${source.file}: failed: ${(err as Error).message}`);
      result = { source, patient: {}, items: [] };
    }
    const { perKind, missed, extra } = score(s.expected.items, result.items);
    for (const [kind, c] of perKind) {
      add(`${s.split}|${q}`, kind, c);
      add(`${s.split}|all`, kind, c);
      add(`all|${q}`, kind, c);
      add('all|all', kind, c);
    }
    for (const f of ['name', 'birthDate', 'mrn'] as const) {
      const e = s.expected.patient[f];
      if (!e) continue;
      identity.total++;
      const got = result.patient[f];
      if (got && got.toLowerCase().replace(/\s+/g, ' ') === e.toLowerCase()) identity.ok++;
      else if (verbose) console.log(`    [${source.file}] patient.${f}: expected "${e}" got "${got ?? ''}"`);
    }
    if (verbose) {
      for (const m of missed)
        console.log(
          `    [${source.file}] MISSED ${m.kind}: ${JSON.stringify({ ...m, codes: undefined, confidence: undefined, negated: m.negated || undefined, display: undefined })}`,
        );
      for (const x of extra)
        console.log(
          `    [${source.file}] EXTRA  ${x.kind}: ${JSON.stringify({ ...x, evidence: x.evidence?.text, codes: undefined, confidence: undefined, display: undefined })}`,
        );
    }
  }
  const kinds = ['medication', 'allergy', 'immunization', 'screening', 'condition', 'surgery', 'provider'];
  const fmt = (n: number) => n.toFixed(3);
  const keys = [...bySplitQuality.keys()].sort();
  for (const key of keys) {
    const m = bySplitQuality.get(key)!;
    const [split, quality] = key.split('|');
    console.log(`\n== split=${split} quality=${quality}`);
    console.log('kind           tp   fp   fn   precision recall  F1');
    const total = zero();
    for (const k of kinds) {
      const c = m.get(k);
      if (!c) continue;
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
      const { p, r, f1 } = prf(c);
      console.log(
        `${k.padEnd(14)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}   ${fmt(p)}     ${fmt(r)}  ${fmt(f1)}`,
      );
    }
    const { p, r, f1 } = prf(total);
    const al = prf(m.get('allergy') ?? zero());
    console.log(
      `${'micro'.padEnd(14)} ${String(total.tp).padStart(4)} ${String(total.fp).padStart(4)} ${String(total.fn).padStart(4)}   ${fmt(p)}     ${fmt(r)}  ${fmt(f1)}   allergy recall ${fmt(al.r)}`,
    );
  }
  console.log(`\npatient identity fields correct: ${identity.ok}/${identity.total}`);
  console.log(
    `documents: ${list.length}; pages: ${pageCount}; extraction ${extractMs.toFixed(0)} ms total; wall ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  try {
    const { closeDefaultOcrPool } = await import('@intake/documents');
    await closeDefaultOcrPool();
  } catch {
    // documents package absent: nothing to close
  }
}

await run();
