/** Matching extracted items against expected ones, per kind (rules in samples/README.md). */
import type { Item } from '@intake/core';
import { loadCvx, normalizeTerm } from '@intake/vocab';

export type Expected = Record<string, unknown> & { kind: Item['kind'] };

const STOP = new Set(['of', 'the', 'and', 'with', 'without', 'disorder', 'finding', 'a', 'an', 'in', 'to', 'left', 'right']);
function tokens(s: string): Set<string> {
  return new Set(
    normalizeTerm(s)
      .split(/[\s/-]+/)
      .filter((t) => t && !STOP.has(t))
      .map((t) => t.replace(/(ies|es|s)$/, '')),
  );
}
export function similar(a: string, b: string): boolean {
  const na = normalizeTerm(a);
  const nb = normalizeTerm(b);
  if (!na || !nb) return false;
  if (na === nb || na.includes(nb) || nb.includes(na)) return true;
  const ta = tokens(a);
  const tb = tokens(b);
  let inter = 0;
  for (const t of ta) if (tb.has(t)) inter++;
  return inter / (ta.size + tb.size - inter) >= 0.5;
}

function vaccineGroup(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const v = loadCvx().byCode.get(code.replace(/^0(?=\d$)/, '0'));
  return v?.groups[0] ?? code;
}

/** Salt and acid forms name the same ingredient: "donepezil hydrochloride" = "donepezil", "alendronic acid" = "alendronate". */
export function ingredientKey(name: string): string {
  return normalizeTerm(name)
    .replace(
      /\b(hydrochloride|hcl|hydrobromide|sodium|potassium|succinate|tartrate|bitartrate|maleate|sulfate|acetate|mesylate|besylate|fumarate|citrate|phosphate|monohydrate|dihydrate|propionate)\b/g,
      ' ',
    )
    .replace(/\b(\w+)ic acid\b/, '$1ate')
    .replace(/([a-z]) (\d)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

const code0 = (x: Record<string, unknown>) =>
  Array.isArray(x.codes) ? (x.codes[0] as { code?: string } | undefined)?.code : undefined;
const lastName = (n: string) =>
  normalizeTerm(n.replace(/^dr\.?\s+/i, '').replace(/,?\s+(md|do|np|pa-c|pa)\b.*$/i, ''))
    .split(' ')
    .pop() ?? '';

export function matches(e: Expected, f: Item): boolean {
  if (e.kind !== f.kind) return false;
  switch (f.kind) {
    case 'medication': {
      const ei = new Set(String(e.name).split(' / ').map(ingredientKey));
      return f.name.split(' / ').some((n) => ei.has(ingredientKey(n)));
    }
    case 'allergy':
      return !!e.negated === f.negated && (e.negated ? true : similar(String(e.substance), f.substance));
    case 'immunization': {
      const sameVaccine = vaccineGroup(code0(e)) === vaccineGroup(code0(f));
      return sameVaccine && (!e.date || e.date === f.date);
    }
    case 'screening':
      return e.type === f.type && (!e.date || e.date === f.date);
    case 'condition':
      return !!e.negated === f.negated && similar(String(e.name), f.name);
    case 'surgery':
      return similar(String(e.name), f.name);
    case 'provider':
      return lastName(String(e.name)) === lastName(f.name);
  }
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

/** Greedy one-to-one matching; returns counts per kind and the unmatched items for --verbose. */
export function score(
  expected: Expected[],
  found: Item[],
): { perKind: Map<string, Counts>; missed: Expected[]; extra: Item[]; pairs: [Expected, Item][] } {
  const perKind = new Map<string, Counts>();
  const get = (k: string) => perKind.get(k) ?? (perKind.set(k, zero()), perKind.get(k)!);
  const used = new Set<number>();
  const missed: Expected[] = [];
  const pairs: [Expected, Item][] = [];
  for (const e of expected) {
    const i = found.findIndex((f, j) => !used.has(j) && matches(e, f));
    if (i >= 0) {
      used.add(i);
      get(e.kind).tp++;
      pairs.push([e, found[i]!]);
    } else {
      get(e.kind).fn++;
      missed.push(e);
    }
  }
  const extra: Item[] = [];
  found.forEach((f, j) => {
    if (used.has(j)) return;
    // A negated finding the sample does not list (e.g. "denies chest pain") is not counted against precision.
    if (f.negated && f.kind === 'condition') return;
    get(f.kind).fp++;
    extra.push(f);
  });
  return { perKind, missed, extra, pairs };
}

export function prf(c: Counts): { p: number; r: number; f1: number } {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
}
