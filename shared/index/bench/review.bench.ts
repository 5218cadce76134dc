/**
 * npm run bench:review — the review index at a health plan's volume.
 *
 * Seeds 200,000 documents (multi-row inserts through the store's own row mapping) and
 * 2,000,000 audit events (multi-row INSERT … SELECT generated in the database) into PostgreSQL and into PGlite, then times the queries a
 * clerk or supervisor makes: the first queue page, the queue filtered by state + channel +
 * date range, a name search (with a typo), the counts per state, and one user's audit events
 * over a month. Each back end runs in a child process of its own, so its peak RSS is that
 * of a review process holding that index.
 *
 *   INTAKE_BENCH_DATABASE_URL   the PostgreSQL to use (default postgres://postgres@127.0.0.1:5432/postgres;
 *                               a schema of its own, dropped at the end)
 *   INTAKE_BENCH_DOCUMENTS / INTAKE_BENCH_AUDIT / INTAKE_BENCH_RUNS   smaller runs for a quick look
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReviewIndex, type IndexedAuditEvent, type IndexedDocument, type IndexLocation } from '../src/index.ts';
import { dropTestSchema, testSchema } from '../src/testing.ts';

const DOCUMENTS = Number(process.env.INTAKE_BENCH_DOCUMENTS ?? 200_000);
const AUDIT_EVENTS = Number(process.env.INTAKE_BENCH_AUDIT ?? 2_000_000);
const RUNS = Number(process.env.INTAKE_BENCH_RUNS ?? 40);
const DATABASE_URL = process.env.INTAKE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const FIRST = [
  'Alice',
  'Bruno',
  'Carla',
  'Dmitri',
  'Élodie',
  'Farah',
  'Günter',
  'Hana',
  'Igor',
  'José',
  'Kiri',
  'Lena',
  'Miguel',
  'Nora',
  'Óscar',
  'Priya',
  'Quinn',
  'Rosa',
  'Søren',
  'Tomás',
  'Uma',
  'Vera',
  'Wen',
  'Xavier',
  'Yara',
  'Zoë',
];
const LAST = [
  'Newman',
  'Okafor',
  'Pérez',
  'Quintero',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ueda',
  'Valdés',
  'Walsh',
  'Xu',
  'Young',
  'Zimmermann',
  'Abbott',
  'Brennan',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hughes',
  'Ibáñez',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Müller',
  "O'Neill",
  'Novak',
  'Ortiz',
  'Petrov',
];
const STATES: [string, string, number][] = [
  ['extracted', 'pending', 0.3],
  ['extracted', 'in-review', 0.1],
  ['extracted', 'approved', 0.42],
  ['extracted', 'rejected', 0.05],
  ['extracted', 'needs-member-action', 0.05],
  ['quarantined', 'pending', 0.05],
  ['read', 'pending', 0.03],
];
const ACTIONS = [
  'queue.view',
  'record.view',
  'record.page.image',
  'record.save',
  'export.fhir',
  'lease.claim',
  'login',
  'document.extracted',
];
const DAY = 86_400_000;
const START = Date.parse('2025-12-01T00:00:00Z');

/** Deterministic pseudo-random numbers: the same data every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const pick = <T>(r: () => number, list: readonly T[]) => list[Math.floor(r() * list.length)]!;

function documentAt(i: number, r: () => number): IndexedDocument {
  let x = r();
  let stage = 'extracted';
  let reviewState = 'pending';
  for (const [s, rs, p] of STATES) {
    if ((x -= p) <= 0) {
      [stage, reviewState] = [s, rs];
      break;
    }
  }
  const receivedAt = new Date(START + Math.floor(r() * 365 * DAY)).toISOString();
  const year = 1930 + Math.floor(r() * 80);
  const birthDate = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  return {
    docId: `${i.toString(16).padStart(8, '0')}${hex(r, 56)}`,
    stage,
    reviewState,
    channel: r() < 0.6 ? 'fax' : 'email',
    receivedAt,
    updatedAt: receivedAt,
    mediaType: 'application/pdf',
    pages: 1 + Math.floor(r() * 30),
    itemCounts: stage === 'extracted' ? { medication: Math.floor(r() * 12), condition: Math.floor(r() * 8) } : undefined,
    memberId: reviewState === 'approved' || r() < 0.3 ? `M${String(Math.floor(r() * 1_000_000)).padStart(7, '0')}` : undefined,
    latestRevision: reviewState === 'pending' ? 0 : 1 + Math.floor(r() * 3),
    quarantineReason: stage === 'quarantined' ? 'corrupt PDF: ask the sender to send it again' : undefined,
    patient:
      stage === 'extracted'
        ? { name: `${pick(r, FIRST)} ${pick(r, LAST)}`, birthDate, mrn: String(Math.floor(r() * 1e8)) }
        : undefined,
    version: 4,
  };
}

function auditAt(i: number, r: () => number, docIds: string[]): { key: string; event: IndexedAuditEvent } {
  // Keys past the generated ones' (the generated use the event number too).
  const at = new Date(START + Math.floor(r() * 365 * DAY)).toISOString();
  return {
    key: `audit/${at.slice(0, 4)}/${at.slice(5, 7)}/${at.slice(8, 10)}/${at.replace(/[:.]/g, '-')}-${i.toString(16).padStart(12, '0')}.json`,
    event: {
      at,
      actor: `clerk${Math.floor(r() * 200)}`,
      action: pick(r, ACTIONS),
      docId: r() < 0.8 ? pick(r, docIds) : undefined,
      ip: '10.0.0.1',
    },
  };
}

const AUDIT_SEED = `
  WITH docs AS (SELECT (row_number() OVER ())::int AS rn, doc_id FROM documents),
  total AS (SELECT count(*)::int AS n FROM documents),
  gen AS MATERIALIZED (
    SELECT g, to_timestamp($1 + floor(random() * 365 * 86400)) AS at, 'clerk' || floor(random() * 200)::int AS actor,
           ($4::text[])[1 + floor(random() * cardinality($4::text[]))::int] AS action,
           CASE WHEN random() < 0.8 THEN 1 + floor(random() * total.n)::int END AS pick
    FROM generate_series($2::int, $3::int) AS g, total)
  INSERT INTO audit_events (key, at, actor, action, doc_id, event)
  SELECT 'audit/' || to_char(at AT TIME ZONE 'UTC', 'YYYY/MM/DD/YYYY-MM-DD"T"HH24-MI-SS-MS"Z"') || '-' || lpad(to_hex(g), 12, '0') || '.json',
         at, actor, action, docs.doc_id,
         jsonb_strip_nulls(jsonb_build_object('at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'actor', actor, 'action', action, 'docId', docs.doc_id, 'ip', '10.0.0.1'))
  FROM gen LEFT JOIN docs ON docs.rn = gen.pick`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Seeded {
  seedMs: number;
  docsMs: number;
  auditMs: number;
  maxRssMb: number;
}

interface BackendResult {
  backend: 'postgres' | 'pglite';
  queries: Record<string, { p50: number; p95: number; rows: number }>;
  maxRssMb: number;
}

/** Seed one index (a child process of its own: its memory is not the review process's). */
async function seed(location: IndexLocation): Promise<Seeded> {
  const index = await ReviewIndex.open(location);
  try {
    const started = performance.now();
    const r = rng(42);
    const docIds: string[] = [];
    for (let i = 0; i < DOCUMENTS; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, DOCUMENTS - i) }, (_, k) => documentAt(i + k, r));
      for (const d of batch) docIds.push(d.docId);
      await index.putDocuments(batch);
    }
    const docsMs = performance.now() - started;
    // Audit events: the rows putAudit writes, generated in the database (200,000 per statement).
    // A bulk load: the secondary indexes are dropped and built again afterwards (the schema's own definitions).
    const secondary = await index.sql.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_events' AND schemaname = current_schema() AND indexname <> 'audit_events_pkey'`,
    );
    for (const ix of secondary) await index.sql.exec(`DROP INDEX ${ix.indexname}`);
    for (let i = 0; i < AUDIT_EVENTS; i += 200_000) {
      await index.sql.query(AUDIT_SEED, [START / 1000, i + 1, Math.min(i + 200_000, AUDIT_EVENTS), ACTIONS]);
    }
    for (const ix of secondary) await index.sql.exec(ix.indexdef);
    // The same row mapping as the store's writes, checked on a few events.
    await index.putAudit(Array.from({ length: 100 }, (_, k) => auditAt(AUDIT_EVENTS + k, r, docIds)));
    const auditMs = performance.now() - started - docsMs;
    await index.sql.exec('VACUUM ANALYZE');
    return { seedMs: performance.now() - started, docsMs, auditMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await index.close();
  }
}

/** Time the queries in a fresh process, as the review service would run them; its peak RSS is the review process's. */
async function measure(backend: 'postgres' | 'pglite', location: IndexLocation): Promise<BackendResult> {
  const index = await ReviewIndex.open(location);
  try {
    const q = rng(7);
    const typo = (name: string) => {
      const i = 1 + Math.floor(q() * (name.length - 2));
      return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2); // two letters swapped
    };
    const monthStart = () => new Date(START + Math.floor(q() * 330) * DAY);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const queries: Record<string, () => Promise<number>> = {
      'first queue page': async () => (await index.queue({ state: 'pending', limit: 500 })).documents.length,
      'queue by state + channel + dates': async () => {
        const from = monthStart();
        return (
          await index.queue({
            state: pick(q, ['pending', 'approved', 'in-review']),
            channel: pick(q, ['fax', 'email']),
            from: day(from),
            to: day(new Date(from.getTime() + 30 * DAY)),
            limit: 500,
          })
        ).documents.length;
      },
      'name search (one typo)': async () =>
        (await index.queue({ state: 'all', text: `${pick(q, FIRST)} ${typo(pick(q, LAST).replace("'", ''))}`, limit: 500 }))
          .total,
      'counts per state': async () =>
        Object.values((await index.queue({ state: 'all', limit: 1 })).counts).reduce((a, b) => a + b, 0),
      "a user's audit events over a month": async () => {
        const from = monthStart();
        return (
          await index.auditSearch({
            actor: `clerk${Math.floor(q() * 200)}`,
            from: day(from),
            to: day(new Date(from.getTime() + 30 * DAY)),
            limit: 1000,
          })
        ).length;
      },
    };
    const out: BackendResult['queries'] = {};
    for (const [name, run] of Object.entries(queries)) {
      await run(); // warm
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        rows = await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      out[name] = { p50: percentile(times, 50), p95: percentile(times, 95), rows };
    }
    return { backend, queries: out, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await index.close();
  }
}

const self = fileURLToPath(import.meta.url);

function inChild<T>(...args: string[]): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`review bench: ${args[0]} ${args[1]} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as T;
}

const [mode, backendArg, locationArg] = process.argv.slice(2);
if (mode === 'seed') {
  process.stdout.write(`${JSON.stringify(await seed(JSON.parse(locationArg!) as IndexLocation))}\n`);
} else if (mode === 'measure') {
  process.stdout.write(
    `${JSON.stringify(await measure(backendArg as 'postgres' | 'pglite', JSON.parse(locationArg!) as IndexLocation))}\n`,
  );
} else {
  process.stdout.write(
    `review bench: seeding ${DOCUMENTS} documents and ${AUDIT_EVENTS} audit events per back end, ${RUNS} runs per query\n`,
  );
  const results: BackendResult[] = [];
  for (const backend of ['postgres', 'pglite'] as const) {
    const dir = backend === 'pglite' ? await mkdtemp(path.join(os.tmpdir(), 'intake-bench-pglite-')) : undefined;
    const location: IndexLocation = dir ? { dataDir: dir } : { url: DATABASE_URL, schema: testSchema('bench') };
    try {
      const seeded = inChild<Seeded>('seed', backend, JSON.stringify(location));
      const result = inChild<BackendResult>('measure', backend, JSON.stringify(location));
      results.push(result);
      process.stdout.write(
        `\n${backend}: seeded in ${(seeded.seedMs / 1000).toFixed(1)} s (documents ${(seeded.docsMs / 1000).toFixed(1)} s, audit ${(seeded.auditMs / 1000).toFixed(1)} s; seeding process ${seeded.maxRssMb.toFixed(0)} MB); peak RSS of the review process querying it ${result.maxRssMb.toFixed(0)} MB\n`,
      );
      for (const [name, st] of Object.entries(result.queries)) {
        process.stdout.write(
          `  ${name.padEnd(36)} p50 ${st.p50.toFixed(1).padStart(7)} ms   p95 ${st.p95.toFixed(1).padStart(7)} ms   (${st.rows} rows)\n`,
        );
      }
    } finally {
      await dropTestSchema(location);
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }
  const worst = (b: string) => Math.max(...Object.values(results.find((r) => r.backend === b)!.queries).map((st) => st.p95));
  const rss = (b: string) => results.find((r) => r.backend === b)!.maxRssMb;
  process.stdout.write(
    `\ntargets: postgres p95 <= 100 ms (${worst('postgres') <= 100 ? 'met' : 'missed'}), pglite p95 <= 300 ms (${worst('pglite') <= 300 ? 'met' : 'missed'}), review process RSS <= 400 MB (postgres ${rss('postgres').toFixed(0)} MB, pglite ${rss('pglite').toFixed(0)} MB: ${Math.max(rss('postgres'), rss('pglite')) <= 400 ? 'met' : 'missed'})\n`,
  );
  process.stdout.write(
    `review bench: ${DOCUMENTS} documents, worst p95 ${worst('postgres').toFixed(0)} ms (postgres), ${worst('pglite').toFixed(0)} ms (pglite)\n`,
  );
}
