import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BadInputError, ExtractionResult, MediaType, type Item } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { extractStructured } from '../index.ts';
import { SOURCE } from '../test-helpers.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url))));
const read = (name: string) => {
  const r = extractStructured(fixture(name), MediaType.ccda, { ...SOURCE, mediaType: MediaType.ccda });
  expect(ExtractionResult.safeParse(r).success).toBe(true);
  return r;
};
const of = <K extends Item['kind']>(items: Item[], kind: K) =>
  items.filter((i): i is Extract<Item, { kind: K }> => i.kind === kind);

describe('C-CDA reader (HL7 examples)', () => {
  it('reads "no known allergies" as one negated allergy', () => {
    expect(read('hl7-Allergy-No-Known-Allergies.xml').items).toMatchObject([
      { kind: 'allergy', substance: 'none known', negated: true },
    ]);
  });
  it('reads a coded drug allergy with its reaction', () => {
    const [a] = of(read('hl7-Allergy-specific-drug-Codeine.xml').items, 'allergy');
    expect(a).toMatchObject({ substance: 'codeine', reaction: 'nausea', negated: false });
    expect(a!.codes[0]).toMatchObject({ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2670' });
  });
  it('reads immunizations with CVX, date, and refusals as negated', () => {
    const [flu] = of(read('hl7-Immunization-Influenza-Vaccination.xml').items, 'immunization');
    expect(flu).toMatchObject({ date: '2010-08-15', negated: false, codes: [{ code: '88' }] });
    const [refused] = of(read('hl7-Immunization-not-given-patient-refused.xml').items, 'immunization');
    expect(refused?.negated).toBe(true);
  });
  it('reads a medication with its sig, and "no medications" as nothing', () => {
    const [m] = of(read('hl7-Medication-oral-QID-with-PRN.xml').items, 'medication');
    expect(m).toMatchObject({ name: 'ibuprofen', route: 'oral' });
    expect(m!.frequency).toMatch(/as needed/);
    expect(read('hl7-Medication-No-Medications.xml').items).toEqual([]);
  });
  it('reads a full CCD: patient, every section, care team', () => {
    const r = read('hl7-Documents-CCD1.xml');
    expect(r.patient).toMatchObject({ name: 'Eve Betterhalf', birthDate: '1975-05-01' });
    expect(
      of(r.items, 'allergy')
        .map((a) => a.substance)
        .sort(),
    ).toEqual(['codeine', 'penicillin']);
    expect(
      of(r.items, 'medication')
        .map((m) => m.name)
        .sort(),
    ).toEqual(['albuterol', 'atenolol']);
    expect(of(r.items, 'immunization').length).toBeGreaterThanOrEqual(4);
    expect(of(r.items, 'screening')).toMatchObject([{ type: 'colonoscopy', date: '2012-05-12' }]);
    expect(of(r.items, 'surgery').map((s) => s.name)).toContain('colonic polypectomy');
    expect(of(r.items, 'condition').map((c) => c.name)).toContain('pneumonia');
    expect(of(r.items, 'provider')[0]).toMatchObject({ phone: '(555) 555-1004' });
  });
  it('reads a vendor document (Cerner, CC BY 4.0)', () => {
    const r = read('jmandel-cerner-Transition_of_Care_Referral_Summary.xml');
    expect(r.patient).toMatchObject({ name: 'Steve Williamson', birthDate: '1947-04-07' });
    expect(of(r.items, 'medication').map((m) => m.name)).toEqual(
      expect.arrayContaining(['atorvastatin', 'aspirin', 'insulin glargine']),
    );
    expect(of(r.items, 'condition').map((c) => c.name)).toEqual(
      expect.arrayContaining(['type 2 diabetes mellitus', 'hypercholesterolemia']),
    );
  });
  it('throws BadInputError on unparseable input', () => {
    const bad = new TextEncoder().encode('<ClinicalDocument><component>');
    expect(() => extractStructured(bad, MediaType.ccda, SOURCE)).toThrow(BadInputError);
    expect(() => extractStructured(new TextEncoder().encode('<html><body/></html>'), MediaType.ccda, SOURCE)).toThrow(
      /ClinicalDocument/,
    );
  });
});

const handMade = (name: string) => {
  const bytes = new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));
  const r = extractStructured(bytes, MediaType.ccda, { ...SOURCE, mediaType: MediaType.ccda });
  expect(ExtractionResult.safeParse(r).success).toBe(true);
  return r;
};

describe('C-CDA reader (hand-made vendor-style documents, issue 9 item 9)', () => {
  const r = handMade('vendor-ccd-quirks.xml');
  it('keeps every date at the precision written, negative UTC offsets included', () => {
    const meds = Object.fromEntries(of(r.items, 'medication').map((m) => [m.name, m.date]));
    expect(meds).toMatchObject({ metformin: '2019-04-12', lisinopril: '2019-03', atorvastatin: '2017' });
    expect(r.patient.birthDate).toBe('1958-04-12');
    const dates = Object.fromEntries(of(r.items, 'surgery').map((s) => [s.name, s.date]));
    expect(dates).toMatchObject({
      'laparoscopic cholecystectomy': '2017-03-05',
      'total knee arthroplasty, right': '2018-11',
      appendectomy: '1998',
      'esophagogastroduodenoscopy with biopsy': '2016-07-20',
    });
  });
  it('takes the readable name over an abbreviation or a junk display name, and keeps distinct drugs apart', () => {
    expect(
      of(r.items, 'medication')
        .map((m) => m.name)
        .sort(),
    ).toEqual(['amoxicillin', 'atorvastatin', 'lisinopril', 'metformin', 'ondansetron']);
    expect(of(r.items, 'medication').find((m) => m.name === 'lisinopril')?.display).toBe('Lisinopril 10 MG Oral Tablet');
    const [a] = of(r.items, 'allergy');
    expect(a).toMatchObject({ display: 'Sulfamethoxazole / Trimethoprim', reaction: expect.stringMatching(/hives/i) });
  });
  it('reads surgeries from abbreviated codes, the entry text and translations, and no lab test as a surgery', () => {
    expect(of(r.items, 'surgery')).toHaveLength(4);
    expect(r.items.some((i) => /microscop/i.test(i.display))).toBe(false);
  });
  it('drops "no information" placeholders: no item from a null flavor, no severe placeholder allergy', () => {
    expect(r.items.some((i) => /no information|unknown|no known medications|no past surgical/i.test(i.display))).toBe(false);
    expect(of(r.items, 'allergy').filter((a) => a.severity === 'severe')).toEqual([]);
    expect(of(r.items, 'immunization')).toHaveLength(2);
  });
  it('reads no status word or generic "Problem" as a condition, and a problem named only in the narrative', () => {
    const conditions = of(r.items, 'condition');
    expect(conditions.map((c) => c.name)).not.toContain('active');
    expect(conditions.some((c) => /^problem$/i.test(c.name))).toBe(false);
    expect(conditions.find((c) => /hypertension/.test(c.name))).toMatchObject({ onset: '2015', status: 'active' });
    expect(conditions.find((c) => /reflux/.test(c.name))).toMatchObject({ onset: '2016-06', status: 'resolved' });
    expect(conditions).toHaveLength(3);
  });
  it('reads discharge medications nested in an act or an organizer', () => {
    expect(of(r.items, 'medication').find((m) => m.name === 'amoxicillin')).toMatchObject({ date: '2019-04-12' });
    expect(of(r.items, 'medication').find((m) => m.name === 'ondansetron')).toBeDefined();
  });
  it('reads CVX under either code-system id', () => {
    const codes = of(r.items, 'immunization').map((i) => i.codes[0]?.code);
    expect(codes.sort()).toEqual(['140', '33']);
    expect(of(r.items, 'immunization').find((i) => i.codes[0]?.code === '33')).toMatchObject({ date: '2017-11' });
  });
  it('strips credentials from a family name, keeps two physicians of one surname apart, emits no placeholder NPI', () => {
    const providers = of(r.items, 'provider');
    expect(providers.map((p) => p.name).sort()).toEqual(['Dr. Alice Seven', 'Dr. Henry Seven']);
    expect(providers.find((p) => p.name === 'Dr. Henry Seven')?.codes).toEqual([]);
    expect(providers.find((p) => p.name === 'Dr. Alice Seven')?.codes).toEqual([
      { system: 'http://hl7.org/fhir/sid/us-npi', code: '1234567893' },
    ]);
  });
  it('reads an operative note: the procedure performed, its date, the postoperative diagnosis and the surgeon', () => {
    const op = handMade('vendor-opnote.xml');
    expect(of(op.items, 'surgery')).toMatchObject([{ name: 'laparoscopic cholecystectomy', date: '2020-01-15' }]);
    expect(of(op.items, 'condition').map((c) => c.name)).toEqual([expect.stringMatching(/cholelithiasis/i)]);
    expect(of(op.items, 'provider')).toMatchObject([{ name: 'Dr. Nadia Cutwell', role: 'surgeon' }]);
    expect(op.patient).toMatchObject({ birthDate: '1967-03', mrn: 'MRN40022' });
  });
});

describe('C-CDA encodings a member’s software writes', () => {
  const doc = (name: string, decl = 'UTF-8') =>
    `<?xml version="1.0" encoding="${decl}"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><patient><name><given>${name}</given><family>Testperson</family></name><birthTime value="19700101"/></patient></patientRole></recordTarget><component><structuredBody/></component></ClinicalDocument>`;
  const name = (bytes: Uint8Array) => extractStructured(bytes, MediaType.ccda, SOURCE).patient.name;
  it('reads UTF-16 with and without a byte-order mark, both byte orders', async () => {
    const { detectMediaType } = await import('../../../documents/src/detect.ts'); // the upload step's detector, which picks this reader
    const le = Buffer.from(doc('Zoë', 'UTF-16'), 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const b of [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), le, Buffer.concat([Buffer.from([0xfe, 0xff]), be]), be]) {
      expect(detectMediaType(new Uint8Array(b))).toBe(MediaType.ccda);
      expect(name(new Uint8Array(b))).toBe('Zoë Testperson');
    }
  });
  it('reads windows-1252 as declared, and blank lines before <?xml', async () => {
    const { detectMediaType } = await import('../../../documents/src/detect.ts'); // the upload step's detector, which picks this reader
    const cp = Buffer.from(doc('Zoë', 'windows-1252'), 'latin1');
    expect(detectMediaType(new Uint8Array(cp))).toBe(MediaType.ccda);
    expect(name(new Uint8Array(cp))).toBe('Zoë Testperson');
    // windows-1252 bytes under a UTF-8 prolog (or none): not valid UTF-8, so read as windows-1252.
    const mislabelled = Buffer.from(doc('Zoë'), 'latin1');
    expect(name(new Uint8Array(mislabelled))).toBe('Zoë Testperson');
    const blank = Buffer.from(`\n\n  \r\n${doc('Ana')}`);
    expect(detectMediaType(new Uint8Array(blank))).toBe(MediaType.ccda);
    expect(name(new Uint8Array(blank))).toBe('Ana Testperson');
  });
});

describe('C-CDA dates and procedure names written other ways', () => {
  const section = (code: string, entry: string) =>
    `<component><section><code code="${code}" codeSystem="2.16.840.1.113883.6.1"/><text/><entry>${entry}</entry></section></component>`;
  const doc = (...sections: string[]) =>
    new TextEncoder().encode(
      `<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>${sections.join('')}</structuredBody></component></ClinicalDocument>`,
    );
  it('takes a single effectiveTime value as a medication start or a problem onset, at its precision', () => {
    const r = extractStructured(
      doc(
        section(
          '10160-0',
          '<substanceAdministration classCode="SBADM" moodCode="EVN"><effectiveTime value="201906"/><consumable><manufacturedProduct><manufacturedMaterial><code displayName="Metoprolol tartrate 25 MG Oral Tablet"/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>',
        ),
        section(
          '11450-4',
          '<act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><effectiveTime value="20040717083000-0600"/><value code="195967001" codeSystem="2.16.840.1.113883.6.96" displayName="Asthma"/></observation></entryRelationship></act>',
        ),
      ),
      MediaType.ccda,
      SOURCE,
    );
    expect(of(r.items, 'medication')).toMatchObject([{ name: 'metoprolol', date: '2019-06' }]);
    expect(of(r.items, 'condition')).toMatchObject([{ name: 'asthma', onset: '2004-07-17' }]);
  });
  it('reads operations the page vocabulary misses (extraction, open reduction, curettage)', () => {
    const proc = (name: string, when: string) =>
      `<procedure classCode="PROC" moodCode="EVN"><code nullFlavor="OTH"><originalText>${name}</originalText></code><effectiveTime value="${when}"/></procedure>`;
    const r = extractStructured(
      doc(
        section('47519-4', proc('Cataract extraction, left eye', '2012')),
        section('47519-4', proc('Open reduction internal fixation of left radius', '201405')),
        section('47519-4', proc('Dilation and curettage', '19990302')),
      ),
      MediaType.ccda,
      SOURCE,
    );
    expect(of(r.items, 'surgery').map((s) => [s.name, s.date])).toEqual([
      ['cataract extraction, left eye', '2012'],
      ['open reduction internal fixation of left radius', '2014-05'],
      ['dilation and curettage', '1999-03-02'],
    ]);
  });
});

describe('C-CDA that is not quite well-formed, as vendors export it', () => {
  it("reads a bare '&' or '<' in text and attributes, and an attribute written twice", () => {
    const xml = `<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>
<component><section><code code="10160-0" codeSystem="2.16.840.1.113883.6.1"/><text>Tylenol & Codeine #3, if pain < 5 skip</text>
<entry><substanceAdministration classCode="SBADM" moodCode="EVN"><effectiveTime value="20180201"/><consumable><manufacturedProduct><manufacturedMaterial>
<code code="993781" codeSystem="2.16.840.1.113883.6.88" displayName="Acetaminophen 300 MG & Codeine Phosphate 30 MG Oral Tablet"/>
</manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration></entry></section></component>
<component><section><code code="48765-2" codeSystem="2.16.840.1.113883.6.1"/><text/>
<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" moodCode="EVN">
<participant typeCode="CSM"><participantRole><playingEntity><code displayName="Latex"/></playingEntity></participantRole></participant>
</observation></entryRelationship></act></entry></section></component>
</structuredBody></component></ClinicalDocument>`;
    const r = extractStructured(new TextEncoder().encode(xml), MediaType.ccda, SOURCE);
    expect(of(r.items, 'medication')).toMatchObject([
      { date: '2018-02-01', display: 'Acetaminophen 300 MG & Codeine Phosphate 30 MG Oral Tablet' },
    ]);
    expect(of(r.items, 'allergy')).toMatchObject([{ substance: 'latex' }]);
  });
});
