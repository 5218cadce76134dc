// What the UI knows about items, states and roles, all taken from shared/core, auth/roles.ts
// and workflow.ts: one definition, shared with the server.
import { CodeSystem, escapeRegExp, Item, ITEM_KINDS, PartialDate, ReviewState, ScreeningType, type ItemKind } from '@intake/core';
import { z } from 'zod';
import { hasRole, Role } from '../auth/roles.ts';

export { ITEM_KINDS, hasRole, type ItemKind, type Role };
/** The roles, lowest first (auth/roles.ts). */
export const ROLES: readonly Role[] = Role.options;
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

/** Items below this confidence are marked for the clerk's attention. */
export const LOW_CONFIDENCE = 0.6;

/** The fields of each kind a display names, besides the item's name (the first field). */
const DISPLAY_FIELDS: Record<ItemKind, string[]> = {
  medication: ['strength'],
  allergy: ['reaction'],
  immunization: [],
  screening: ['result'],
  condition: [],
  surgery: [],
  provider: [],
};

const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/**
 * The item's display after its fields changed: each old value the display names is replaced
 * by the new one (a name keeps its capital), a newly filled strength or reaction follows the
 * name, and a display naming none of the old values is composed from the fields.
 */
export function rebuildDisplay(before: Item, after: Record<string, unknown>): string {
  const str = (o: Record<string, unknown>, f: string) => (typeof o[f] === 'string' ? (o[f] as string).trim() : '');
  const old = before as unknown as Record<string, unknown>;
  const fields = KIND_FIELDS[before.kind];
  const nameField = fields[0]!;
  let display = before.display;
  let lost = false;
  for (const f of fields) {
    const o = str(old, f);
    const n = str(after, f);
    if (o === n) continue;
    const at = o ? display.toLowerCase().indexOf(o.toLowerCase()) : -1;
    if (at >= 0) {
      const replaced = display.slice(at, at + o.length);
      const value = replaced[0] && replaced[0] === replaced[0].toUpperCase() && f === nameField ? cap(n) : n;
      display = (display.slice(0, at) + value + display.slice(at + o.length)).replace(/\s{2,}/g, ' ').trim();
    } else if (!o && n && DISPLAY_FIELDS[before.kind].includes(f)) {
      const name = str(after, nameField);
      const nameAt = name ? display.toLowerCase().indexOf(name.toLowerCase()) : -1;
      display =
        nameAt >= 0
          ? `${display.slice(0, nameAt + name.length)} ${n}${display.slice(nameAt + name.length)}`.replace(/\s{2,}/g, ' ')
          : `${display} ${n}`;
    } else if (f === nameField) {
      lost = true;
    }
  }
  if (!lost && display) return display;
  const name = cap(str(after, nameField));
  const extra = DISPLAY_FIELDS[before.kind].map((f) => str(after, f)).filter(Boolean);
  return before.kind === 'allergy' && extra.length ? `${name} — ${extra.join(' ')}` : [name, ...extra].join(' ');
}

/** Dose forms as RxNorm names them and as records write them. */
const FORMS: [string, RegExp][] = [
  ['patch', /\b(patch|transdermal)\b/],
  ['spray', /\bspray\b/],
  ['inhaler', /\b(inhaler|inhalation|inhal\w*|mdi)\b/],
  ['tablet', /\b(tablet|tab|tabs)\b/],
  ['capsule', /\b(capsule|cap|caps)\b/],
  ['injection', /\b(injection|injectable|syringe|auto-injector|pen injector)\b/],
  ['solution', /\b(solution|liquid|syrup|elixir)\b/],
  ['suspension', /\bsuspension\b/],
  ['cream', /\bcream\b/],
  ['ointment', /\bointment\b/],
  ['gel', /\bgel\b/],
  ['drops', /\b(drops|ophthalmic solution|otic)\b/],
  ['suppository', /\bsuppository\b/],
];
const formsOf = (text: string) => FORMS.filter(([, re]) => re.test(text.toLowerCase())).map(([f]) => f);

/** Why an item's first code may not be what the item says (another drug, another dose form), if it may not. */
export function codeConcern(item: Item, meaning: string | undefined): string | undefined {
  if (!meaning) return undefined;
  const m = meaning.toLowerCase();
  const name = String((item as unknown as Record<string, unknown>)[KIND_FIELDS[item.kind][0]!] ?? '').toLowerCase();
  if (item.kind === 'medication' || item.kind === 'allergy') {
    const nameWords = name.split(/[^a-z]+/).filter((w) => w.length > 3);
    if (nameWords.length && !nameWords.some((w) => new RegExp(`\\b${escapeRegExp(w)}`).test(m))) return `the code means “${meaning}”`;
  }
  if (item.kind === 'medication') {
    const said = formsOf(`${item.display} ${item.evidence?.text ?? ''}`);
    const coded = formsOf(meaning);
    if (said.length && coded.length && !said.some((f) => coded.includes(f)))
      return `the item says ${said[0]}, the code is a ${coded[0]} (“${meaning}”)`;
  }
  return undefined;
}

/** Which shipped vocabulary the code picker searches for a kind (none for ICD-10, SNOMED, NPI). */
export const PICKER_VOCAB: Partial<Record<ItemKind, 'rxnorm' | 'cvx' | 'loinc'>> = {
  medication: 'rxnorm',
  allergy: 'rxnorm',
  immunization: 'cvx',
  screening: 'loinc',
};
