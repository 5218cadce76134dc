import { z } from 'zod';

/**
 * The extraction result: the public contract of ../../../docs/output.md (from
 * shared/design/OUTPUT.md). Change it only by adding fields.
 */

/** ISO 8601 date, possibly partial: 2019, 2019-03, 2019-03-01. Never guessed. */
export const PartialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'ISO 8601 date, possibly partial');

export const Code = z.object({
  system: z.string(),
  code: z.string(),
  display: z.string().optional(),
});
export type Code = z.infer<typeof Code>;

export const CodeSystem = {
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  loinc: 'http://loinc.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  snomed: 'http://snomed.info/sct',
  npi: 'http://hl7.org/fhir/sid/us-npi',
} as const;

/** Pixel box in the page image: [x0, y0, x1, y1]. */
export const BBox = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type BBox = z.infer<typeof BBox>;

export const Evidence = z.object({
  page: z.number().int().min(1),
  text: z.string(),
  bbox: BBox.optional(),
});
export type Evidence = z.infer<typeof Evidence>;

const common = {
  display: z.string(),
  codes: z.array(Code).default([]),
  negated: z.boolean().default(false),
  confidence: z.number().min(0).max(1),
  evidence: Evidence.optional(),
};

export const MedicationItem = z.object({
  kind: z.literal('medication'),
  ...common,
  name: z.string(),
  strength: z.string().optional(),
  dose: z.string().optional(),
  route: z.string().optional(),
  frequency: z.string().optional(),
  date: PartialDate.optional(),
  status: z.string().optional(),
});

export const AllergyItem = z.object({
  kind: z.literal('allergy'),
  ...common,
  substance: z.string(),
  reaction: z.string().optional(),
  severity: z.string().optional(),
});

export const ImmunizationItem = z.object({
  kind: z.literal('immunization'),
  ...common,
  vaccine: z.string(),
  date: PartialDate.optional(),
  lot: z.string().optional(),
});

export const ScreeningType = z.enum([
  'colonoscopy',
  'sigmoidoscopy',
  'fecal-occult-blood',
  'fecal-dna',
  'mammogram',
  'cervical-cytology',
  'hpv-test',
  'psa',
  'lung-ct',
  'bone-density',
  'skin-exam',
  'other',
]);
export type ScreeningType = z.infer<typeof ScreeningType>;

export const ScreeningItem = z.object({
  kind: z.literal('screening'),
  ...common,
  type: ScreeningType,
  date: PartialDate.optional(),
  result: z.string().optional(),
});

export const ConditionItem = z.object({
  kind: z.literal('condition'),
  ...common,
  name: z.string(),
  onset: PartialDate.optional(),
  status: z.string().optional(),
});

export const SurgeryItem = z.object({
  kind: z.literal('surgery'),
  ...common,
  name: z.string(),
  date: PartialDate.optional(),
});

export const ProviderItem = z.object({
  kind: z.literal('provider'),
  ...common,
  name: z.string(),
  organization: z.string().optional(),
  phone: z.string().optional(),
  fax: z.string().optional(),
  address: z.string().optional(),
  role: z.string().optional(),
});

export const Item = z.discriminatedUnion('kind', [
  MedicationItem,
  AllergyItem,
  ImmunizationItem,
  ScreeningItem,
  ConditionItem,
  SurgeryItem,
  ProviderItem,
]);
export type Item = z.infer<typeof Item>;
export type ItemKind = Item['kind'];
export const ITEM_KINDS = [
  'medication',
  'allergy',
  'immunization',
  'screening',
  'condition',
  'surgery',
  'provider',
] as const satisfies readonly ItemKind[];

export type MedicationItem = z.infer<typeof MedicationItem>;
export type AllergyItem = z.infer<typeof AllergyItem>;
export type ImmunizationItem = z.infer<typeof ImmunizationItem>;
export type ScreeningItem = z.infer<typeof ScreeningItem>;
export type ConditionItem = z.infer<typeof ConditionItem>;
export type SurgeryItem = z.infer<typeof SurgeryItem>;
export type ProviderItem = z.infer<typeof ProviderItem>;

export const Channel = z.enum(['fax', 'email', 'upload', 'cli']);
export type Channel = z.infer<typeof Channel>;

export const Source = z.object({
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mediaType: z.string(),
  pages: z.number().int().min(0),
  channel: Channel,
});
export type Source = z.infer<typeof Source>;

export const Patient = z.object({
  name: z.string().optional(),
  birthDate: PartialDate.optional(),
  mrn: z.string().optional(),
});
export type Patient = z.infer<typeof Patient>;

export const ExtractionResult = z.object({
  source: Source,
  patient: Patient,
  items: z.array(Item),
});
export type ExtractionResult = z.infer<typeof ExtractionResult>;
