// What the UI knows about items, states and roles, all taken from shared/core, auth/roles.ts
// and workflow.ts: one definition, shared with the server.
import { CodeSystem, Item, ITEM_KINDS, PartialDate, ReviewState, ScreeningType, type ItemKind } from '@intake/core';
import { z } from 'zod';
import { hasRole, type Role } from '../auth/roles.ts';

export { ITEM_KINDS, hasRole, type ItemKind, type Role };
export const SCREENING_TYPES: readonly ScreeningType[] = ScreeningType.options;
export const REVIEW_STATES: readonly ReviewState[] = ReviewState.options;

/** Fields every item has; the rest are the kind's own, in the schema's order. */
const COMMON = new Set(['kind', 'display', 'codes', 'negated', 'confidence', 'evidence']);

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional || schema instanceof z.ZodDefault ? unwrap(schema.unwrap() as z.ZodType) : schema;
}

const schemas = new Map(Item.options.map((s) => [s.shape.kind.value as ItemKind, s.shape as Record<string, z.ZodType>]));

/** The kind's own fields; the first is its name (medication name, allergy substance, vaccine…). */
export const KIND_FIELDS = Object.fromEntries(
  ITEM_KINDS.map((k) => [k, Object.keys(schemas.get(k) ?? {}).filter((f) => !COMMON.has(f))]),
) as Record<ItemKind, string[]>;

/** Fields that hold an ISO 8601 (possibly partial) date. */
export const DATE_FIELDS = new Set(
  ITEM_KINDS.flatMap((k) =>
    Object.entries(schemas.get(k) ?? {})
      .filter(([, s]) => unwrap(s) === PartialDate)
      .map(([f]) => f),
  ),
);

export const isPartialDate = (v: string): boolean => PartialDate.safeParse(v).success;

/** Which code system a kind's first code is in. */
export const CODE_SYSTEMS: Record<ItemKind, [uri: string, name: string]> = {
  medication: [CodeSystem.rxnorm, 'RxNorm'],
  allergy: [CodeSystem.rxnorm, 'RxNorm'],
  immunization: [CodeSystem.cvx, 'CVX'],
  screening: [CodeSystem.loinc, 'LOINC'],
  condition: [CodeSystem.icd10cm, 'ICD-10-CM'],
  surgery: [CodeSystem.snomed, 'SNOMED CT'],
  provider: [CodeSystem.npi, 'NPI'],
};
export const systemName = (uri: string): string => Object.values(CODE_SYSTEMS).find(([u]) => u === uri)?.[1] ?? uri;

export const STATE_LABELS: Record<ReviewState | 'quarantined' | 'all', string> = {
  all: 'All',
  pending: 'Pending',
  'in-review': 'In review',
  'needs-member-action': 'Needs member action',
  approved: 'Approved',
  rejected: 'Rejected',
  quarantined: 'Quarantined',
};
export const stateLabel = (s: string): string => STATE_LABELS[s as keyof typeof STATE_LABELS] ?? s;
/** The queue's tabs, in order. */
export const QUEUE_TABS = ['all', 'pending', 'in-review', 'needs-member-action', 'approved', 'rejected', 'quarantined'] as const;

export const KIND_LABELS: Record<ItemKind, string> = {
  medication: 'Medications',
  allergy: 'Allergies',
  immunization: 'Immunizations',
  screening: 'Screenings',
  condition: 'Conditions',
  surgery: 'Surgeries',
  provider: 'Providers',
};

type Fields = Record<string, unknown>;
const field = (item: Item, f: string): string | undefined => {
  const v = (item as Fields)[f];
  return typeof v === 'string' && v ? v : undefined;
};

/** The item's fields other than its name, as one line. */
export function itemSummary(item: Item): string {
  return (KIND_FIELDS[item.kind] ?? [])
    .slice(1)
    .filter((f) => field(item, f))
    .map((f) => (DATE_FIELDS.has(f) ? `${f} ${field(item, f)}` : field(item, f)))
    .join(' · ');
}
