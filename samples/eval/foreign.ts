/**
 * npm run eval:foreign [-- --manifest PATH] [--hold-out LAYOUT] [--only LAYOUT,QUALITY…] [--verbose] [--no-cache] [--cache DIR] [--cli]
 *
 * Scores the extractor on a corpus it was not written against (default:
 * ../shared/data/records-v2, seven layout families) with the corpus's own independent scorer
 * (../shared/eval/score.mjs), and prints the figures per layout family, per quality and per kind,
 * plus a reliability table (confidence bins against the share of items that matched the truth).
 *
 * Leave-one-family-out: `--hold-out LAYOUT` scores every family but prints item-level errors
 * (with --verbose) only for the other families, so the held-out family's figure is one nobody
 * tuned on. Rotate the held-out family from one piece of work to the next.
 *
 * By default documents are read in this process through the same readDocument the CLI and the
 * read worker use, with page text cached by sha-256 under samples/eval/.cache, and the scorer is
 * pointed at the results; `--cli` makes the scorer run `npx intake extract FILE --json` itself
 * (slow: one process and one OCR per document).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStructuredMediaType, type ExtractionResult, type Item, type PageText } from '@intake/core';
import { extractFromPages, extractStructured } from '@intake/extraction';
import { loadCvx } from '@intake/vocab';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
// Page reads are cached by the file's sha-256: a reader change needs --no-cache or its own --cache DIR.
const cacheDir = resolve(opt('cache') ?? join(here, '.cache'));
const manifestPath = resolve(opt('manifest') ?? join(root, '../shared/data/records-v2/manifest.json'));
const holdOut = opt('hold-out');
const only = opt('only')?.split(',');
const verbose = args.includes('--verbose');
const useCache = !args.includes('--no-cache');
const viaCli = args.includes('--cli');
const scorer = resolve(opt('scorer') ?? join(root, '../shared/eval/score.mjs'));

interface ManifestDoc {
  id: string;
  file: string;
  truth: string;
  layout: string;
  quality: string;
  pages?: number;
}

if (!existsSync(manifestPath)) {
  console.error(`no manifest at ${manifestPath} (give --manifest PATH)`);
  process.exit(2);
}
if (!existsSync(scorer)) {
  console.error(`no scorer at ${scorer} (give --scorer PATH)`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { docs: ManifestDoc[] };
const base = dirname(manifestPath);
const docs = manifest.docs.filter((d) => !only || only.includes(d.layout) || only.includes(d.quality));

async function pagesOf(bytes: Uint8Array): Promise<{ mediaType: string; pages: PageText[] }> {
  const sha = createHash('sha256').update(bytes).digest('hex');
  const cached = join(cacheDir, `${sha}.pages.json`);
  if (useCache && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  const { readDocument } = await import('@intake/documents');
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
  const out = { mediaType: res.mediaType, pages };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, JSON.stringify(out));
  return out;
}

async function extractAll(outDir: string): Promise<Map<string, ExtractionResult>> {
  const results = new Map<string, ExtractionResult>();
  let extractMs = 0;
  let pageCount = 0;
  for (const d of docs) {
    const file = resolve(base, d.file);
    const bytes = new Uint8Array(readFileSync(file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let result: ExtractionResult;
    try {
      const { mediaType, pages } = await pagesOf(bytes);
      const source = { file: basename(file), sha256, mediaType, pages: pages.length, channel: 'cli' as const };
      const t0 = performance.now();
      result = isStructuredMediaType(mediaType) ? extractStructured(bytes, mediaType, source) : extractFromPages(pages, source);
      extractMs += performance.now() - t0;
      pageCount += pages.length;
    } catch (error) {
      process.stderr.write(`  ${d.id}: ${(error as Error).message}\n`);
      continue;
    }
    results.set(d.id, result);
    writeFileSync(join(outDir, `${basename(file)}.json`), JSON.stringify(result));
  }
  process.stderr.write(
    `extracted ${results.size} documents, ${pageCount} pages in ${(extractMs / 1000).toFixed(2)} s of extraction\n`,
  );
  return results;
}

interface ScoredDoc {
  id: string;
  layout: string;
  quality: string;
  counts: Record<string, { tp: number; fp: number; fn: number }>;
  errors: { kind: string; miss?: string; extra?: string; date?: string; negated?: boolean }[];
}

const f1 = (c: { tp: number; fp: number; fn: number }) => (c.tp ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : 0);
const sum = (list: { tp: number; fp: number; fn: number }[]) =>
  list.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });

function table(title: string, groups: Map<string, ScoredDoc[]>): string[] {
  const lines = [title];
  for (const [key, list] of [...groups].sort()) {
    const c = sum(list.flatMap((d) => Object.values(d.counts)));
    lines.push(
      `  ${key.padEnd(22)} docs ${String(list.length).padStart(3)}  TP ${String(c.tp).padStart(4)}  FP ${String(c.fp).padStart(4)}  FN ${String(c.fn).padStart(4)}  F1 ${f1(c).toFixed(3)}`,
    );
  }
  return lines;
}

/** Items whose evidence text the scorer matched are not known item by item; approximate "correct" per document by the kind's precision. */
function reliability(results: Map<string, ExtractionResult>, scored: ScoredDoc[]): string[] {
  const bins = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01];
  const tally = bins.slice(0, -1).map(() => ({ n: 0, correct: 0 }));
  for (const d of scored) {
    const r = results.get(d.id);
    if (!r) continue;
    const extras = new Map<string, number>();
    for (const e of d.errors)
      if (e.extra !== undefined) extras.set(`${e.kind}|${e.extra}`, (extras.get(`${e.kind}|${e.extra}`) ?? 0) + 1);
    for (const item of r.items) {
      const label = displayOf(item);
      const key = `${item.kind}|${label}`;
      const wrong = (extras.get(key) ?? 0) > 0;
      if (wrong) extras.set(key, extras.get(key)! - 1);
      const b = bins.findIndex((lo, i) => item.confidence >= lo && item.confidence < bins[i + 1]!);
      const t = tally[Math.max(0, b)]!;
      t.n += 1;
      if (!wrong) t.correct += 1;
    }
  }
  const lines = ['reliability (confidence bin → items, share the scorer matched to the truth)'];
  tally.forEach((t, i) => {
    if (!t.n) return;
    lines.push(
      `  [${bins[i]!.toFixed(2)}, ${Math.min(1, bins[i + 1]!).toFixed(2)})  ${String(t.n).padStart(5)} items  ${(t.correct / t.n).toFixed(3)} correct`,
    );
  });
  return lines;
}

const FORMS: [RegExp, string][] = [
  [/\b(tablets?|tabs?)\b/i, 'tablet'],
  [/\b(capsules?|caps?)\b/i, 'capsule'],
  [/\b(solution|suspension|syrup|elixir)\b/i, 'liquid'],
  [/\b(sprays?)\b/i, 'spray'],
  [/\b(patch|transdermal)\b/i, 'patch'],
  [/\b(inhaler|inhalation|aerosol|actuat\w*|hfa)\b/i, 'inhaler'],
  [/\b(injection|injectable|syringe|pen|auto-?injector|prefilled)\b/i, 'injection'],
  [/\b(cream|ointment|gel|lotion)\b/i, 'topical'],
  [/\b(sublingual)\b/i, 'sublingual'],
];
const GROUPS: [RegExp, string][] = [
  [/influenza|\bflu\b/i, 'influenza'],
  [/\btdap\b|\btd\b|tetanus|diphtheria/i, 'td'],
  [/pneumo|pcv|ppsv|prevnar/i, 'pneumococcal'],
  [/zoster|shingles/i, 'zoster'],
  [/hep(?:atitis)?\s*a\b/i, 'hepa'],
  [/hep(?:atitis)?\s*b\b/i, 'hepb'],
  [/covid|sars/i, 'covid'],
  [/hpv|papilloma/i, 'hpv'],
  [/mening/i, 'mening'],
  [/mmr|measles/i, 'mmr'],
  [/varicella/i, 'varicella'],
];
const vaccineGroup = (t: string) => GROUPS.find(([re]) => re.test(t))?.[1];
const nums = (t: string) =>
  (t.match(/\d+(?:\.\d+)?/g) ?? [])
    .map(Number)
    .sort((a, b) => a - b)
    .join('+');

/**
 * Do the codes agree with the page? A medication's RxNorm concept must name the item's
 * ingredient(s), and where the concept has a strength or form, the strength on the page and any
 * form or route the page names. An immunization's CVX agrees with the page when it is the truth's
 * CVX (paired by date), or when it is the vaccine's "unspecified formulation" code of the truth's
 * vaccine and the page names no formulation beyond the code's own name: "influenza vaccine" on the
 * page is CVX 88, whatever product the truth's author had in mind. Both shares are printed: equal
 * to the truth's code, and agreeing with the page.
 */
const FORMULATION =
  /\b(?:pf|preservative|tri|quadri|\d-?valent|trivalent|quadrivalent|high[- ]?dose|adjuvant\w*|recombinant|cell[- ]culture|nasal|intranasal|live|adult|pediatric|conjugate|polysaccharide|pcv\d*|ppsv\d*|tdap|td|dtap|mrna|mcv4|menactra|menveo|fluzone|flublok|fluad|flucelvax|afluria|fluarix|flulaval|shingrix|gardasil|prevnar|pneumovax|engerix|recombivax|heplisav|twinrix|havrix|vaqta|boostrix|adacel|tenivac)\b/i;
function unspecifiedOfSame(code: string, truthCodes: string[], page: string): boolean {
  const cvx = loadCvx();
  const v = cvx.byCode.get(code);
  if (!v || !/unspecified/i.test(v.shortName)) return false;
  // A formulation word the code's own name carries ("conjugate" in "pneumococcal conjugate,
  // unspecified formulation") is not one more than the code says.
  const own = new Set(`${v.shortName} ${v.fullName}`.toLowerCase().split(/[^a-z0-9]+/));
  if (FORMULATION.test(page.split(/([^A-Za-z0-9]+)/).filter((w) => !own.has(w.toLowerCase())).join(''))) return false;
  const head = v.shortName.split(/[ ,(]/)[0]!.toLowerCase();
  return truthCodes.some((c) => {
    const t = cvx.byCode.get(c);
    if (!t) return false;
    return t.groups.some((g) => v.groups.includes(g)) || `${t.shortName} ${t.fullName}`.toLowerCase().includes(head);
  });
}

function codeAgreement(results: Map<string, ExtractionResult>): string[] {
  let meds = 0;
  let medsOk = 0;
  let vax = 0;
  let vaxOk = 0;
  let vaxSame = 0;
  const wrong: string[] = [];
  for (const d of docs) {
    const r = results.get(d.id);
    if (!r) continue;
    const truth = JSON.parse(readFileSync(resolve(base, d.truth), 'utf8')) as { items: Item[] };
    for (const item of r.items) {
      if (item.kind === 'medication') {
        const code = item.codes.find((c) => /rxnorm/i.test(c.system));
        if (!code?.display) continue;
        meds += 1;
        const concept = code.display.toLowerCase();
        const page = `${item.display} ${item.evidence?.text ?? ''}`;
        const ingredientOk = item.name.split(' / ').every((n) => n.split(/\s+/).every((w) => concept.includes(w.toLowerCase())));
        const conceptStrength = /\d/.test(concept) ? nums(concept.replace(/\b\d+\s*(?:hr|hour|day)\b/g, '')) : '';
        const strengthOk = !conceptStrength || !item.strength || nums(item.strength) === conceptStrength;
        const pageForms = FORMS.filter(([re]) => re.test(page)).map(([, f]) => f);
        const conceptForms = FORMS.filter(([re]) => re.test(concept)).map(([, f]) => f);
        const formOk = !pageForms.length || !conceptForms.length || pageForms.some((f) => conceptForms.includes(f));
        if (ingredientOk && strengthOk && formOk) medsOk += 1;
        else if (d.layout !== holdOut) wrong.push(`  [${d.id}] CODE medication ${item.display} → ${code.code} ${code.display}`);
      } else if (item.kind === 'immunization' && item.date) {
        const code = item.codes.find((c) => /cvx/i.test(c.system));
        const group = (x: Item) => vaccineGroup(`${(x as { vaccine?: string }).vaccine ?? ''} ${x.display}`);
        const t = truth.items.find(
          (x) =>
            x.kind === 'immunization' &&
            x.date === item.date &&
            x.codes.some((c) => /cvx/i.test(c.system)) &&
            group(x) === group(item),
        );
        if (!code || !t) continue;
        vax += 1;
        const truthCodes = t.codes.filter((c) => /cvx/i.test(c.system)).map((c) => c.code);
        const same = truthCodes.includes(code.code);
        if (same) vaxSame += 1;
        if (same || unspecifiedOfSame(code.code, truthCodes, `${item.display} ${item.evidence?.text ?? ''}`)) vaxOk += 1;
        else if (d.layout !== holdOut)
          wrong.push(
            `  [${d.id}] CODE immunization ${item.display} → CVX ${code.code}, truth ${t.codes.map((c) => c.code).join('/')}`,
          );
      }
    }
  }
  const share = (a: number, b: number) => (b ? `${(a / b).toFixed(3)} (${a}/${b})` : 'n/a');
  return [
    `codes that agree with the page: RxNorm ${share(medsOk, meds)}, CVX ${share(vaxOk, vax)}, all ${share(medsOk + vaxOk, meds + vax)}`,
    `CVX equal to the truth's code: ${share(vaxSame, vax)} (the rest of the agreeing ones are the unspecified-formulation code where the page names no formulation)`,
    ...(verbose ? wrong : []),
  ];
}

// The scorer's frequency classes (../shared/eval/score.mjs), to say which sig readings it would count wrong.
const FREQ: [RegExp, string][] = [
  [/\b(prn|as needed)\b/, 'prn'],
  [/\b(bid|b\.i\.d|twice|two times|2 times|every 12 ?h|q12h)/, 'bid'],
  [/\b(tid|t\.i\.d|three times|3 times|every 8 ?h|q8h)/, 'tid'],
  [/\b(qid|q\.i\.d|four times|4 times|every 6 ?h|q6h)/, 'qid'],
  [/\b(qhs|at bedtime|nightly)/, 'qhs'],
  [/\b(weekly|once a week|every week|q ?week|qwk)/, 'weekly'],
  [/\b(qd|daily|once a day|once daily|every day|1 time a day|every morning|qam|q24h)\b/, 'daily'],
];
function normFreq(s: string): string {
  const x = s.toLowerCase();
  return FREQ.find(([re]) => re.test(x))?.[1] ?? x.trim();
}

function displayOf(p: Item): string {
  const x = p as Item & { name?: string; substance?: string; vaccine?: string; type?: string };
  return p.display || x.name || x.substance || x.vaccine || x.type || '';
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'intake-foreign-'));
  const scoreOut = join(outDir, 'score.json');
  let results = new Map<string, ExtractionResult>();
  try {
    const env = { ...process.env };
    if (!viaCli) {
      results = await extractAll(outDir);
      env.INTAKE_EXTRACT_CMD = `node ${join(here, 'cached-result.mjs')} ${outDir}`;
    }
    const onlyArgs = only ? ['--only', only.join(',')] : [];
    const r = spawnSync('node', [scorer, '--manifest', manifestPath, '--out', scoreOut, ...onlyArgs], {
      cwd: root,
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0 || !existsSync(scoreOut)) {
      console.error(r.stderr);
      process.exit(1);
    }
    const report = JSON.parse(readFileSync(scoreOut, 'utf8')) as { docs: ScoredDoc[] };
    const scored = report.docs;
    const byLayout = new Map<string, ScoredDoc[]>();
    const byQuality = new Map<string, ScoredDoc[]>();
    for (const d of scored) {
      byLayout.set(d.layout + (d.layout === holdOut ? ' (held out)' : ''), [
        ...(byLayout.get(d.layout + (d.layout === holdOut ? ' (held out)' : '')) ?? []),
        d,
      ]);
      byQuality.set(d.quality, [...(byQuality.get(d.quality) ?? []), d]);
    }
    const out: string[] = [r.stdout.trim(), ''];
    out.push(...table('by layout family', byLayout), '');
    out.push(...table('by quality', byQuality), '');
    if (results.size) out.push(...reliability(results, scored), '', ...codeAgreement(results), '');
    if (verbose) {
      // Medication strength and frequency beside the truth, paired by ingredient word.
      for (const d of docs) {
        if (d.layout === holdOut) continue;
        const truth = JSON.parse(readFileSync(resolve(base, d.truth), 'utf8')) as { items: Item[] };
        const got = results.get(d.id)?.items.filter((i) => i.kind === 'medication') ?? [];
        for (const t of truth.items) {
          if (t.kind !== 'medication') continue;
          const word = t.name.split(/[\s/]+/)[0]!.toLowerCase();
          const p = got.find((g) => g.kind === 'medication' && g.name.toLowerCase().includes(word));
          if (!p || p.kind !== 'medication') continue;
          if (t.frequency && normFreq(t.frequency) !== normFreq(p.frequency ?? ''))
            out.push(`  [${d.id}] FREQ ${t.name}: ${p.frequency ?? '—'} (truth ${t.frequency}) «${p.display}»`);
          if (t.strength && nums(t.strength) !== nums(p.strength ?? ''))
            out.push(`  [${d.id}] STRENGTH ${t.name}: ${p.strength ?? '—'} (truth ${t.strength})`);
        }
      }
      // Identity as the document states it, beside the truth (the scorer counts it; this says where it went wrong).
      for (const d of docs) {
        if (d.layout === holdOut) continue;
        const truth = JSON.parse(readFileSync(resolve(base, d.truth), 'utf8')) as { patient?: Record<string, string> };
        const got = results.get(d.id)?.patient ?? {};
        const wrong = (['name', 'birthDate', 'mrn'] as const).filter(
          (k) => truth.patient?.[k] && (got[k] ?? '').toLowerCase() !== truth.patient[k]!.toLowerCase(),
        );
        if (wrong.length)
          out.push(`  [${d.id}] PATIENT ${wrong.map((k) => `${k}: ${got[k] ?? '—'} (truth ${truth.patient![k]})`).join('; ')}`);
      }
      for (const d of scored) {
        if (d.layout === holdOut) continue;
        for (const e of d.errors) {
          out.push(
            `  [${d.id}] ${e.miss !== undefined ? 'MISSED' : 'EXTRA '} ${e.kind}: ${e.miss ?? e.extra}${e.date ? ` (${e.date})` : ''}${e.negated ? ' [negated]' : ''}`,
          );
        }
      }
    }
    console.log(out.join('\n'));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
// The OCR engine's worker threads keep the event loop alive: the run is over.
process.exit(process.exitCode ?? 0);
