/** The same facts as a C-CDA document and as a FHIR R4 Bundle (structured attachments). */
import type { Facts } from './layouts.ts';
import type { PatientRecord } from './records.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ts = (d: string) => d.replace(/-/g, '');
const SCREEN_CODES: Record<string, { system: 'snomed' | 'loinc'; code: string; display: string }> = {
  colonoscopy: { system: 'snomed', code: '73761001', display: 'Colonoscopy' },
  'bone-density': { system: 'loinc', code: '38265-5', display: 'DXA Radius and Ulna [T-score] Bone density' },
  'fecal-occult-blood': { system: 'loinc', code: '2335-8', display: 'Hemoglobin.gastrointestinal [Presence] in Stool' },
  psa: { system: 'loinc', code: '2857-1', display: 'Prostate specific Ag [Mass/volume] in Serum or Plasma' },
  mammogram: { system: 'loinc', code: '24606-6', display: 'MG Breast Screening' },
};

export function ccdaFor(rec: PatientRecord, f: Facts): string {
  const sec = (code: string, title: string, entries: string[]) =>
    `<component><section><code code="${code}" codeSystem="2.16.840.1.113883.6.1"/><title>${esc(title)}</title><text>${esc(title)}</text>${entries.map((e) => `<entry>${e}</entry>`).join('')}</section></component>`;
  const meds = f.meds.map(
    (m) =>
      `<substanceAdministration classCode="SBADM" moodCode="INT"><templateId root="2.16.840.1.113883.10.20.22.4.16"/><text>${esc(m.sig.text)}</text><statusCode code="${m.status === 'active' ? 'active' : 'completed'}"/><effectiveTime xsi:type="IVL_TS"><low value="${ts(m.date)}"/></effectiveTime><consumable><manufacturedProduct><manufacturedMaterial><code code="${m.rxcui}" codeSystem="2.16.840.1.113883.6.88" displayName="${esc(m.text)}"/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>`,
  );
  const allergies =
    f.allergies === 'nkda'
      ? [
          `<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.30"/><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" negationInd="true"><templateId root="2.16.840.1.113883.10.20.22.4.7"/><value xsi:type="CD" code="419199007" codeSystem="2.16.840.1.113883.6.96" displayName="Allergy to substance"/><participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT"><code nullFlavor="NA"/></playingEntity></participantRole></participant></observation></entryRelationship></act>`,
        ]
      : f.allergies.map(
          (a) =>
            `<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.30"/><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.7"/><value xsi:type="CD" code="419199007" codeSystem="2.16.840.1.113883.6.96" displayName="Allergy to substance"/><participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT"><code nullFlavor="OTH"><originalText>${esc(a.written)}</originalText></code><name>${esc(a.written)}</name></playingEntity></participantRole></participant>${a.reaction ? `<entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.9"/><value xsi:type="CD" nullFlavor="OTH"><originalText>${esc(a.reaction)}</originalText></value></observation></entryRelationship>` : ''}${a.severity ? `<entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.8"/><value xsi:type="CD" nullFlavor="OTH"><originalText>${esc(a.severity)}</originalText></value></observation></entryRelationship>` : ''}</observation></entryRelationship></act>`,
        );
  const imms = f.immunizations.map(
    (i) =>
      `<substanceAdministration classCode="SBADM" moodCode="EVN" negationInd="false"><templateId root="2.16.840.1.113883.10.20.22.4.52"/><statusCode code="completed"/><effectiveTime value="${ts(i.dateIso)}"/><consumable><manufacturedProduct><manufacturedMaterial><code code="${i.cvx}" codeSystem="2.16.840.1.113883.12.292" displayName="${esc(i.display)}"/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>`,
  );
  const problems = f.conditions.map(
    (c) =>
      `<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/><statusCode code="completed"/><effectiveTime>${c.onsetIso ? `<low value="${ts(c.onsetIso)}"/>` : '<low nullFlavor="UNK"/>'}${c.status === 'resolved' ? '<high nullFlavor="UNK"/>' : ''}</effectiveTime><value xsi:type="CD" nullFlavor="OTH"><originalText>${esc(c.written.split('|')[0]!)}</originalText></value></observation></entryRelationship></act>`,
  );
  const procs = [
    ...f.surgeries.map(
      (s) =>
        `<procedure classCode="PROC" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.14"/><code nullFlavor="OTH"><originalText>${esc(s.written.split('|')[0]!)}</originalText></code><statusCode code="completed"/>${s.dateIso ? `<effectiveTime value="${ts(s.dateIso)}"/>` : ''}</procedure>`,
    ),
    ...f.screenings
      .filter((s) => SCREEN_CODES[s.type]?.system === 'snomed')
      .map(
        (s) =>
          `<procedure classCode="PROC" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.14"/><code code="${SCREEN_CODES[s.type]!.code}" codeSystem="2.16.840.1.113883.6.96" displayName="${SCREEN_CODES[s.type]!.display}"/><statusCode code="completed"/><effectiveTime value="${ts(s.dateIso)}"/>${s.result ? `<entryRelationship typeCode="COMP"><observation classCode="OBS" moodCode="EVN"><value xsi:type="ST">${esc(s.result)}</value></observation></entryRelationship>` : ''}</procedure>`,
      ),
  ];
  const results = f.screenings
    .filter((s) => SCREEN_CODES[s.type]?.system === 'loinc')
    .map(
      (s) =>
        `<organizer classCode="BATTERY" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.1"/><statusCode code="completed"/><component><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/><code code="${SCREEN_CODES[s.type]!.code}" codeSystem="2.16.840.1.113883.6.1" displayName="${SCREEN_CODES[s.type]!.display}"/><statusCode code="completed"/><effectiveTime value="${ts(s.dateIso)}"/><value xsi:type="ST">${esc(s.result ?? '')}</value></observation></component></organizer>`,
    );
  const performers = f.providers.map((p) => {
    const [given, ...fam] = p.name.replace(/^Dr\.\s*/, '').split(' ');
    return `<performer typeCode="PRF"><assignedEntity><id nullFlavor="UNK"/>${p.address ? `<addr><streetAddressLine>${esc(p.address)}</streetAddressLine></addr>` : ''}${p.phone ? `<telecom use="WP" value="tel:${esc(p.phone)}"/>` : ''}${p.fax ? `<telecom use="WP" value="fax:${esc(p.fax)}"/>` : ''}<assignedPerson><name><prefix>Dr.</prefix><given>${esc(given!)}</given><family>${esc(fam.join(' '))}</family></name></assignedPerson>${p.organization ? `<representedOrganization><name>${esc(p.organization)}</name></representedOrganization>` : ''}</assignedEntity></performer>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<templateId root="2.16.840.1.113883.10.20.22.1.2"/><code code="34133-9" codeSystem="2.16.840.1.113883.6.1" displayName="Summary of episode note"/>
<title>Continuity of Care Document (synthetic, generated from Synthea)</title><effectiveTime value="20240501"/>
<recordTarget><patientRole><id root="2.16.840.1.113883.19.5" extension="${rec.mrn}"/><patient><name><given>${esc(rec.given)}</given><family>${esc(rec.family)}</family></name><administrativeGenderCode code="${rec.gender === 'female' ? 'F' : 'M'}"/><birthTime value="${ts(rec.birthDate)}"/></patient></patientRole></recordTarget>
<documentationOf><serviceEvent classCode="PCPR">${performers.join('')}</serviceEvent></documentationOf>
<component><structuredBody>
${sec('10160-0', 'Medications', meds)}
${sec('48765-2', 'Allergies', allergies)}
${sec('11369-6', 'Immunizations', imms)}
${sec('11450-4', 'Problems', problems)}
${sec('47519-4', 'Procedures', procs)}
${sec('30954-2', 'Results', results)}
</structuredBody></component>
</ClinicalDocument>
`;
}

export function fhirFor(rec: PatientRecord, f: Facts): string {
  const entries: Record<string, unknown>[] = [];
  const pid = `urn:uuid:${rec.id}`;
  entries.push({
    fullUrl: pid,
    resource: {
      resourceType: 'Patient',
      id: rec.id,
      identifier: [
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: rec.mrn },
      ],
      name: [{ use: 'official', given: [rec.given], family: rec.family }],
      gender: rec.gender,
      birthDate: rec.birthDate,
    },
  });
  const subject = { reference: pid };
  f.meds.forEach((m, i) =>
    entries.push({
      resource: {
        resourceType: 'MedicationRequest',
        id: `med${i}`,
        status: m.status === 'active' ? 'active' : 'stopped',
        intent: 'order',
        subject,
        authoredOn: m.date,
        medicationCodeableConcept: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: m.rxcui, display: m.text }],
          text: m.text,
        },
        dosageInstruction: [{ text: m.sig.text }],
      },
    }),
  );
  if (f.allergies === 'nkda')
    entries.push({
      resource: {
        resourceType: 'AllergyIntolerance',
        id: 'nka',
        patient: subject,
        code: {
          coding: [{ system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' }],
          text: 'No known allergies',
        },
      },
    });
  else
    f.allergies.forEach((a, i) =>
      entries.push({
        resource: {
          resourceType: 'AllergyIntolerance',
          id: `al${i}`,
          patient: subject,
          code: { text: a.written },
          ...(a.reaction
            ? { reaction: [{ manifestation: [{ text: a.reaction }], ...(a.severity ? { severity: a.severity } : {}) }] }
            : {}),
        },
      }),
    );
  f.immunizations.forEach((im, i) =>
    entries.push({
      resource: {
        resourceType: 'Immunization',
        id: `im${i}`,
        status: 'completed',
        patient: subject,
        occurrenceDateTime: im.dateIso,
        vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: im.cvx, display: im.display }], text: im.display },
      },
    }),
  );
  f.conditions.forEach((c, i) =>
    entries.push({
      resource: {
        resourceType: 'Condition',
        id: `c${i}`,
        subject,
        clinicalStatus: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
              code: c.status === 'active' ? 'active' : 'resolved',
            },
          ],
        },
        code: { text: c.written.split('|')[0] },
        ...(c.onsetIso ? { onsetDateTime: c.onsetIso } : {}),
      },
    }),
  );
  f.surgeries.forEach((s, i) =>
    entries.push({
      resource: {
        resourceType: 'Procedure',
        id: `p${i}`,
        status: 'completed',
        subject,
        code: { text: s.written.split('|')[0] },
        ...(s.dateIso ? { performedDateTime: s.dateIso } : {}),
      },
    }),
  );
  f.screenings.forEach((s, i) => {
    const c = SCREEN_CODES[s.type]!;
    if (c.system === 'snomed')
      entries.push({
        resource: {
          resourceType: 'Procedure',
          id: `s${i}`,
          status: 'completed',
          subject,
          code: { coding: [{ system: 'http://snomed.info/sct', code: c.code, display: c.display }], text: c.display },
          performedDateTime: s.dateIso,
          ...(s.result ? { outcome: { text: s.result } } : {}),
        },
      });
    else
      entries.push({
        resource: {
          resourceType: 'Observation',
          id: `s${i}`,
          status: 'final',
          subject,
          code: { coding: [{ system: 'http://loinc.org', code: c.code, display: c.display }] },
          effectiveDateTime: s.dateIso,
          ...(s.result ? { valueString: s.result } : {}),
        },
      });
  });
  f.providers.forEach((p, i) => {
    const [given, ...fam] = p.name.replace(/^Dr\.\s*/, '').split(' ');
    const telecom = [
      ...(p.phone ? [{ system: 'phone', value: p.phone }] : []),
      ...(p.fax ? [{ system: 'fax', value: p.fax }] : []),
    ];
    entries.push({
      fullUrl: `urn:uuid:prac-${i}`,
      resource: {
        resourceType: 'Practitioner',
        id: `prac-${i}`,
        name: [{ prefix: ['Dr.'], given: [given], family: fam.join(' ') }],
        telecom,
        ...(p.address ? { address: [{ text: p.address }] } : {}),
      },
    });
    if (p.organization) {
      entries.push({
        fullUrl: `urn:uuid:org-${i}`,
        resource: { resourceType: 'Organization', id: `org-${i}`, name: p.organization },
      });
      entries.push({
        resource: {
          resourceType: 'PractitionerRole',
          id: `role-${i}`,
          practitioner: { reference: `urn:uuid:prac-${i}` },
          organization: { reference: `urn:uuid:org-${i}` },
          ...(p.role ? { code: [{ text: p.role }] } : {}),
        },
      });
    }
  });
  return JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: entries }, null, 1);
}
