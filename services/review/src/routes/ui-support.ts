import { CodeSystem } from '@intake/core';
import { lazy, loadCvx, loadLoincScreenings, readDataFile } from '@intake/vocab';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';

/**
 * Read-only helpers for the clerk UI: the code picker's search of the shipped vocabularies
 * (shared/vocab/data: the RxNorm subset, CVX, the LOINC screening codes) and the meaning of
 * the codes a record's items carry. No patient data in or out.
 */

export interface Concept {
  system: string;
  code: string;
  display: string;
  /** RxNorm term type (IN, SCD, BN…), CVX status, LOINC screening type. */
  kind?: string;
}

interface Entry extends Concept {
  words: string[];
  rank: number;
}

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .split(/[^a-z0-9.]+/)
    .filter(Boolean);

/** RxNorm term types, most useful first for a clerk picking a code: the clinical drug, then the ingredient. */
const TTY_RANK: Record<string, number> = { SCD: 0, IN: 1, PIN: 2, MIN: 2, BN: 3, BPCK: 4 };

const rxnorm = lazy((): Entry[] => {
  const out: Entry[] = [];
  for (const line of readDataFile('rxnorm.tsv.gz').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('rxcui\t')) continue;
    const [code = '', display = '', tty = ''] = line.split('\t');
    if (!code || !display) continue;
    out.push({ system: CodeSystem.rxnorm, code, display, kind: tty, words: words(display), rank: TTY_RANK[tty] ?? 5 });
  }
  return out;
});

const cvx = lazy((): Entry[] =>
  [...loadCvx().byCode.values()].map((v) => ({
    system: CodeSystem.cvx,
    code: v.cvx,
    display: v.fullName || v.shortName,
    kind: v.status,
    words: words(`${v.shortName} ${v.fullName}`),
    rank: v.status === 'Active' ? 0 : 1,
  })),
);

const loinc = lazy((): Entry[] =>
  loadLoincScreenings()
    .rows.filter((r) => r.loinc)
    .map((r) => ({
      system: CodeSystem.loinc,
      code: r.loinc,
      display: r.display,
      kind: r.type,
      words: words(`${r.display} ${r.type.replaceAll('-', ' ')}`),
      rank: 0,
    })),
);

const TABLES = { rxnorm, cvx, loinc } as const;
export type VocabName = keyof typeof TABLES;
const BY_SYSTEM = new Map<string, () => Entry[]>([
  [CodeSystem.rxnorm, rxnorm],
  [CodeSystem.cvx, cvx],
  [CodeSystem.loinc, loinc],
]);

/** Concepts whose code is the query, then those whose words start with every word of it; best first. */
export function searchVocabulary(name: VocabName, query: string, limit = 20): Concept[] {
  const q = query.trim();
  if (!q) return [];
  const table = TABLES[name]();
  const byCode = table.filter((e) => e.code === q);
  const terms = words(q);
  const hits = table.filter((e) => e.code !== q && terms.length > 0 && terms.every((t) => e.words.some((w) => w.startsWith(t))));
  // Exact word matches first, then the term type's rank, then the shorter (more general) name.
  const exact = (e: Entry) => terms.filter((t) => e.words.includes(t)).length;
  hits.sort((a, b) => exact(b) - exact(a) || a.rank - b.rank || a.display.length - b.display.length);
  return [...byCode, ...hits]
    .slice(0, limit)
    .map(({ system, code, display, kind }) => ({ system, code, display, ...(kind ? { kind } : {}) }));
}

/** The shipped meaning of a code, when the vocabulary has it. */
export function lookupCode(system: string, code: string): Concept | undefined {
  const table = BY_SYSTEM.get(system);
  const hit = table?.().find((e) => e.code === code);
  return hit && { system: hit.system, code: hit.code, display: hit.display, ...(hit.kind ? { kind: hit.kind } : {}) };
}

const Search = z.object({
  vocabulary: z.enum(['rxnorm', 'cvx', 'loinc']),
  q: z.string().max(200),
  limit: z.number().int().min(1).max(50).default(20),
});
const Lookup = z.object({
  codes: z.array(z.object({ system: z.string().max(200), code: z.string().max(64) })).max(500),
});

export function registerUiSupportRoutes(app: FastifyInstance, _ctx: ReviewContext): void {
  // POST: the text a clerk types goes in a body, as every search does here.
  app.post('/api/vocab/search', async (request) => {
    const body = Search.parse(request.body ?? {});
    return { vocabulary: body.vocabulary, results: searchVocabulary(body.vocabulary, body.q, body.limit) };
  });

  app.post('/api/vocab/lookup', async (request) => {
    const body = Lookup.parse(request.body ?? {});
    return {
      codes: body.codes.map((c) => ({
        ...c,
        display: lookupCode(c.system, c.code)?.display ?? null,
        known: BY_SYSTEM.has(c.system),
      })),
    };
  });
}
