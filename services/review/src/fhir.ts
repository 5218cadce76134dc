import { createHash } from 'node:crypto';
import { CodeSystem, type Code, type IntakeRecord, type Item, type ReviewRevision, type ReviewedItem } from '@intake/core';
import { z } from 'zod';
import type { Member } from './members.ts';
import { keptItems } from './workflow.ts';

/**
 * The approved record as a FHIR R4 Bundle (type collection), built by hand. Every
 * resource is referenced by a urn:uuid fullUrl derived from the document and item ids,
 * so exporting the same revision twice gives the same bundle.
 */

const Coding = z.object({
  system: z.string().url().or(z.string().startsWith('urn:')),
  code: z.string().min(1),
  display: z.string().optional(),
});
const CodeableConcept = z.object({ coding: z.array(Coding).optional(), text: z.string().optional() });
const Reference = z.object({ reference: z.string().optional(), display: z.string().optional() });
const FhirDateTime = z.string().regex(/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/);

const Resource = z.object({ resourceType: z.string(), id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/) }).loose();
export const FhirBundle = z.object({
  resourceType: z.literal('Bundle'),
  id: z.string(),
  type: z.literal('collection'),
  timestamp: z.string(),
  entry: z.array(z.object({ fullUrl: z.string().startsWith('urn:uuid:'), resource: Resource })),
});
export type FhirBundle = z.infer<typeof FhirBundle>;

// Per-resource shapes for the elements R4 requires (1..1) and the ones we set.
const shapes = {
  MedicationStatement: z.object({
    status: z.enum(['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken']),
    medicationCodeableConcept: CodeableConcept,
    subject: Reference,
    effectiveDateTime: FhirDateTime.optional(),
  }),
  AllergyIntolerance: z.object({
    patient: Reference,
    code: CodeableConcept,
    clinicalStatus: CodeableConcept,
    verificationStatus: CodeableConcept,
  }),
  Immunization: z
    .object({
      status: z.enum(['completed', 'entered-in-error', 'not-done']),
      vaccineCode: CodeableConcept,
      patient: Reference,
      occurrenceDateTime: FhirDateTime.optional(),
      occurrenceString: z.string().optional(),
    })
    .refine((r) => Boolean(r.occurrenceDateTime) !== Boolean(r.occurrenceString), 'Immunization needs one occurrence[x]'),
  Procedure: z.object({
    status: z.enum(['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown']),
    subject: Reference,
    code: CodeableConcept,
    performedDateTime: FhirDateTime.optional(),
  }),
  Observation: z.object({
    status: z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
    code: CodeableConcept,
    subject: Reference,
  }),
  Condition: z.object({ subject: Reference, code: CodeableConcept }),
  Practitioner: z.object({ name: z.array(z.object({ text: z.string() })).min(1) }),
  Patient: z.object({}),
  DocumentReference: z.object({
    status: z.literal('current'),
    content: z.array(z.object({ attachment: z.object({}).loose() })).min(1),
  }),
  Provenance: z.object({
    target: z.array(Reference).min(1),
    recorded: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/),
    agent: z.array(z.object({ who: Reference })).min(1),
    entity: z.array(z.object({ role: z.literal('source'), what: Reference })).min(1),
  }),
} as const;

/** A stable UUID (v5-style layout) from a name: same input, same id. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const SCREENING_AS_OBSERVATION = new Set(['fecal-occult-blood', 'fecal-dna', 'cervical-cytology', 'hpv-test', 'psa']);
const SCREENING_TEXT: Record<string, string> = {
  colonoscopy: 'Colonoscopy',
  sigmoidoscopy: 'Sigmoidoscopy',
  'fecal-occult-blood': 'Fecal occult blood test',
  'fecal-dna': 'Fecal DNA test',
  mammogram: 'Mammogram',
  'cervical-cytology': 'Cervical cytology (Pap)',
  'hpv-test': 'HPV test',
  psa: 'Prostate specific antigen',
  'lung-ct': 'Low-dose CT of the chest',
  'bone-density': 'Bone density scan',
  'skin-exam': 'Skin examination',
  other: 'Screening',
};

function concept(codes: Code[], text: string | undefined): z.infer<typeof CodeableConcept> {
  const coding = codes
    .filter((c) => c.system && c.code)
    .map((c) => ({ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) }));
  return { ...(coding.length ? { coding } : {}), ...(text ? { text } : {}) };
}

const medicationStatus = (status: string | undefined, negated: boolean) => {
  if (negated) return 'not-taken';
  const s = (status ?? '').toLowerCase();
  if (/(stop|discontinu|d\/c)/.test(s)) return 'stopped';
  if (/(complet|finish)/.test(s)) return 'completed';
  if (/hold/.test(s)) return 'on-hold';
  if (/(active|current|taking)/.test(s) || s === '') return 'active';
  return 'unknown';
};

const conditionClinical = (status: string | undefined) => {
  const s = (status ?? '').toLowerCase();
  if (/resolved/.test(s)) return 'resolved';
  if (/(inactive|history|past)/.test(s)) return 'inactive';
  if (/remission/.test(s)) return 'remission';
  return 'active';
};

const severity = (s: string | undefined) => {
  const v = (s ?? '').toLowerCase();
  return v.includes('severe') ? 'severe' : v.includes('moderate') ? 'moderate' : v.includes('mild') ? 'mild' : undefined;
};

const isoDate = (d: string | undefined) => (d && FhirDateTime.safeParse(d).success ? d : undefined);
const nonEmpty = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as T;

export interface ExportInput {
  docId: string;
  revision: ReviewRevision;
  intake?: IntakeRecord;
  mediaType?: string;
  member?: Member;
  memberIdSystem: string;
}

type Entry = { fullUrl: string; resource: Record<string, unknown> & { resourceType: string; id: string } };

export function buildFhirBundle(input: ExportInput): FhirBundle {
  const { docId, revision } = input;
  const entries: Entry[] = [];
  const add = (key: string, resource: Record<string, unknown> & { resourceType: string }) => {
    const id = stableUuid(`${docId}/${revision.revision}/${key}`);
    const entry: Entry = { fullUrl: `urn:uuid:${id}`, resource: nonEmpty({ ...resource, id }) as Entry['resource'] };
    const shape = shapes[resource.resourceType as keyof typeof shapes];
    if (shape) shape.parse(entry.resource);
    entries.push(entry);
    return { reference: entry.fullUrl };
  };

  const memberId = revision.memberId ?? input.member?.memberId;
  const member = input.member;
  const patientRef = add('patient', {
    resourceType: 'Patient',
    identifier: memberId ? [{ system: input.memberIdSystem, value: memberId }] : undefined,
    name: member
      ? [nonEmpty({ family: member.lastName || undefined, given: member.firstName ? [member.firstName] : undefined })]
      : undefined,
    birthDate: member?.birthDate && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(member.birthDate) ? member.birthDate : undefined,
  });
  const subject = { ...patientRef, ...(memberId ? { display: `Member ${memberId}` } : {}) };

  const documentRef = add('document', {
    resourceType: 'DocumentReference',
    status: 'current',
    masterIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:sha256:${docId}` },
    subject,
    date: input.intake?.receivedAt,
    description: input.intake ? `Received by ${input.intake.channel}` : undefined,
    content: [
      { attachment: nonEmpty({ contentType: input.mediaType ?? 'application/octet-stream', url: `urn:sha256:${docId}` }) },
    ],
  });

  const targets: { reference: string }[] = [];
  for (const reviewed of keptItems(revision.items)) {
    const ref = add(`item/${reviewed.id}`, itemResource(reviewed, subject));
    targets.push(ref);
  }
  if (targets.length === 0) targets.push(patientRef);

  add('provenance', {
    resourceType: 'Provenance',
    target: targets,
    recorded: revision.at,
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE', display: 'revise' }],
      text: 'Abstracted from a member-submitted document and reviewed by HIM',
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'verifier',
              display: 'Verifier',
            },
          ],
        },
        who: { display: revision.by },
      },
    ],
    entity: [{ role: 'source', what: documentRef }],
  });

  return FhirBundle.parse({
    resourceType: 'Bundle',
    id: stableUuid(`${docId}/${revision.revision}/bundle`),
    type: 'collection',
    timestamp: revision.at,
    entry: entries,
  });
}

function itemResource(
  reviewed: ReviewedItem,
  subject: { reference: string; display?: string },
): Record<string, unknown> & { resourceType: string } {
  const item: Item = reviewed.item;
  const note = item.evidence ? [{ text: `Source page ${item.evidence.page}` }] : undefined;
  switch (item.kind) {
    case 'medication': {
      const dosageText = [item.strength, item.dose, item.route, item.frequency].filter(Boolean).join(' ');
      return {
        resourceType: 'MedicationStatement',
        status: medicationStatus(item.status, item.negated),
        medicationCodeableConcept: concept(item.codes, item.display || item.name),
        subject,
        effectiveDateTime: isoDate(item.date),
        dosage: dosageText
          ? [
              nonEmpty({
                text: dosageText,
                route: item.route ? { text: item.route } : undefined,
                timing: item.frequency ? { code: { text: item.frequency } } : undefined,
              }),
            ]
          : undefined,
        note,
      };
    }
    case 'allergy': {
      const none = item.negated || /^none known$/i.test(item.substance);
      const code = none
        ? {
            coding: [{ system: CodeSystem.snomed, code: '716186003', display: 'No known allergy' }],
            text: item.display || 'No known allergies',
          }
        : concept(item.codes, item.display || item.substance);
      return {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
        },
        verificationStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }],
        },
        code,
        patient: subject,
        reaction:
          !none && item.reaction
            ? [nonEmpty({ manifestation: [{ text: item.reaction }], severity: severity(item.severity) })]
            : undefined,
        note,
      };
    }
    case 'immunization': {
      const date = isoDate(item.date);
      return {
        resourceType: 'Immunization',
        status: item.negated ? 'not-done' : 'completed',
        vaccineCode: concept(item.codes, item.display || item.vaccine),
        patient: subject,
        ...(date ? { occurrenceDateTime: date } : { occurrenceString: 'date not stated' }),
        lotNumber: item.lot,
        primarySource: false,
        note,
      };
    }
    case 'screening': {
      const code = concept(item.codes, item.display || SCREENING_TEXT[item.type]);
      if (SCREENING_AS_OBSERVATION.has(item.type)) {
        return {
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code,
          subject,
          effectiveDateTime: isoDate(item.date),
          valueString: item.result,
          note,
        };
      }
      return {
        resourceType: 'Procedure',
        status: item.negated ? 'not-done' : 'completed',
        code,
        subject,
        performedDateTime: isoDate(item.date),
        outcome: item.result ? { text: item.result } : undefined,
        note,
      };
    }
    case 'condition':
      return {
        resourceType: 'Condition',
        ...(item.negated
          ? {}
          : {
              clinicalStatus: {
                coding: [
                  { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: conditionClinical(item.status) },
                ],
              },
            }),
        verificationStatus: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
              code: item.negated ? 'refuted' : 'confirmed',
            },
          ],
        },
        code: concept(item.codes, item.display || item.name),
        subject,
        onsetDateTime: isoDate(item.onset),
        note,
      };
    case 'surgery':
      return {
        resourceType: 'Procedure',
        status: item.negated ? 'not-done' : 'completed',
        code: concept(item.codes, item.display || item.name),
        subject,
        performedDateTime: isoDate(item.date),
        note,
      };
    case 'provider': {
      const npi = item.codes.find((c) => c.system === CodeSystem.npi);
      const telecom = [
        item.phone ? { system: 'phone', value: item.phone, use: 'work' } : undefined,
        item.fax ? { system: 'fax', value: item.fax, use: 'work' } : undefined,
      ].filter(Boolean);
      return {
        resourceType: 'Practitioner',
        identifier: npi ? [{ system: CodeSystem.npi, value: npi.code }] : undefined,
        name: [{ text: item.name || item.display }],
        telecom,
        address: item.address ? [{ text: item.address }] : undefined,
        qualification:
          item.role || item.organization
            ? [{ code: { text: [item.role, item.organization].filter(Boolean).join(', ') } }]
            : undefined,
      };
    }
  }
}
