import type { Item } from '@intake/core';
import { loadCvx, normalizeTerm } from '@intake/vocab';

function vaccineGroup(code: string | undefined): string | undefined {
  return code ? (loadCvx().byCode.get(code)?.groups[0] ?? code) : undefined;
}

function keyOf(item: Item): string {
  switch (item.kind) {
    case 'medication':
      return `m|${item.name}|${item.strength ?? ''}`;
    case 'allergy':
      return `a|${item.substance}|${item.negated}`;
    case 'immunization':
      return `i|${item.codes[0]?.code ?? item.vaccine}|${item.date ?? ''}`;
    case 'screening':
      return `s|${item.type}|${item.date ?? ''}`;
    case 'condition':
      return `c|${normalizeTerm(item.name)}|${item.negated}`;
    case 'surgery':
      return `g|${normalizeTerm(item.name)}|${item.date ?? ''}`;
    case 'provider':
      return `p|${normalizeTerm(
        item.name
          .replace(/^dr\.?\s+/i, '')
          .replace(/,.*$/, '')
          .replace(/\b(?:md|do|np|pa|pa-c|rn|aprn|fnp|dnp|phd|facp|faafp|mph|m\.d\.|d\.o\.)\.?\s*$/gi, ''),
      )
        .split(' ')
        .pop()}`;
  }
}

/**
 * One item per thing: the same medication listed on two pages, or in a list and again in the
 * letter, is kept once (the most confident mention; empty fields filled from the others).
 */
export function dedupe(items: Item[]): Item[] {
  const byKey = new Map<string, Item>();
  for (const item of items) {
    const key = keyOf(item);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, item);
      continue;
    }
    const [keep, other] = item.confidence > prev.confidence ? [item, prev] : [prev, item];
    for (const [k, v] of Object.entries(other)) {
      if (v !== undefined && (keep as Record<string, unknown>)[k] === undefined) (keep as Record<string, unknown>)[k] = v;
    }
    byKey.set(key, keep);
  }
  // An undated screening or immunization that duplicates a dated one adds nothing.
  const out = [...byKey.values()];
  return out.filter((i) => {
    if ((i.kind === 'screening' || i.kind === 'immunization') && !i.date) {
      return !out.some(
        (o) =>
          o !== i &&
          o.kind === i.kind &&
          o.date &&
          (o.kind === 'screening' && i.kind === 'screening'
            ? o.type === i.type
            : vaccineGroup(o.codes[0]?.code) === vaccineGroup(i.codes[0]?.code)),
      );
    }
    // "uses albuterol" in the history adds nothing to "albuterol 90 mcg … 2 puffs q4h" in the list.
    if (i.kind === 'medication' && !i.strength)
      return !out.some((o) => o !== i && o.kind === 'medication' && o.name === i.name && o.strength);
    // "diabetes mellitus" (from a complaint) adds nothing to "type 2 diabetes mellitus" in the problem list.
    if (i.kind === 'condition' && !i.negated) {
      const words = normalizeTerm(i.name).split(' ');
      if (
        out.some(
          (o) =>
            o !== i &&
            o.kind === 'condition' &&
            !o.negated &&
            o.name.length > i.name.length &&
            words.every((w) => normalizeTerm(o.name).split(' ').includes(w)),
        )
      )
        return false;
    }
    if (i.kind === 'allergy' && i.negated) return !out.some((o) => o.kind === 'allergy' && !o.negated);
    return true;
  });
}
