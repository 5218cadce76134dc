/**
 * Synthea FHIR bundle → the facts a member's record would show (PatientRecord), and the expected
 * extraction items for them. Reads only the bundle it is given; nothing else.
 */
import { createHash } from 'node:crypto';

export interface Med {
  text: string; // as Synthea writes it
  ingredient: string; // RxNorm ingredient name(s), " / " joined, lower case
  rxcui: string;
  status: 'active' | 'discontinued';
  date: string;
  sig: { dose: string; route: string; frequency: string; text: string };
  brand?: string;
}
export interface Allergy {
  substance: string;
  written: string;
  reaction?: string;
  severity?: string;
}
export interface Immunization {
  cvx: string;
  display: string;
  date: string;
}
export interface Screening {
  type: string;
  date: string;
  result?: string;
  written: string;
}
export interface Condition {
  name: string;
  written: string;
  onset?: string;
  status: 'active' | 'resolved';
}
export interface Surgery {
  name: string;
  written: string;
  date?: string;
}
export interface Provider {
  name: string;
  organization?: string;
  phone?: string;
  fax?: string;
  address?: string;
  role?: string;
}

export interface PatientRecord {
  id: string;
  name: string;
  given: string;
  family: string;
  birthDate: string;
  gender: string;
  mrn: string;
  address: string;
  phone: string;
  meds: Med[];
  allergies: Allergy[];
  immunizations: Immunization[];
  screenings: Screening[];
  conditions: Condition[];
  surgeries: Surgery[];
  providers: Provider[];
}

/** Deterministic pseudo-random numbers from a seed string. */
export function rng(seed: string): () => number {
  let h = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  return () => {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    return ((h >>> 0) % 1_000_000) / 1_000_000;
  };
}
export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const ALLERGY_SUBSTANCE: Record<string, [string, string[]]> = {
  'Shellfish allergy': ['shellfish', ['Shellfish', 'Shellfish allergy', 'Shellfish (shrimp, crab)']],
  'Dander (animal) allergy': ['animal dander', ['Animal dander', 'Dander (animal)', 'Pet dander']],
  'Allergy to tree pollen': ['tree pollen', ['Tree pollen', 'Tree pollen allergy', 'Pollen - trees']],
  'Allergy to bee venom': ['bee venom', ['Bee venom', 'Bee stings', 'Bee sting']],
  'Allergy to fish': ['fish', ['Fish', 'Fish allergy']],
  'Allergy to nut': ['tree nut', ['Tree nuts', 'Nuts', 'Tree nut']],
  'Allergy to mould': ['mold', ['Mold', 'Mould', 'Mold spores']],
  'House dust mite allergy': ['dust mite', ['Dust mites', 'House dust mite', 'Dust mite']],
  'Allergy to grass pollen': ['grass pollen', ['Grass pollen', 'Grasses (pollen)']],
  'Allergy to wheat': ['wheat', ['Wheat', 'Wheat allergy']],
  'Allergy to peanuts': ['peanut', ['Peanuts', 'Peanut', 'Peanut allergy']],
};
const REACTIONS: Record<string, string[]> = {
  shellfish: ['hives', 'anaphylaxis', 'swelling'],
  'animal dander': ['sneezing', 'watery eyes'],
  'tree pollen': ['rhinitis', 'sneezing'],
  'bee venom': ['anaphylaxis', 'swelling'],
  fish: ['hives', 'vomiting'],
  'tree nut': ['anaphylaxis', 'hives'],
  mold: ['wheezing', 'congestion'],
  'dust mite': ['sneezing', 'congestion'],
  'grass pollen': ['sneezing', 'itchy eyes'],
  wheat: ['diarrhea', 'rash'],
  peanut: ['anaphylaxis', 'hives'],
};

const ACUTE =
  /sinusitis|bronchitis|pharyngitis|otitis|sprain|laceration|concussion|fracture|sore throat|pregnancy|fetus|miscarriage|appendicitis|rupture of appendix|bleeding from anus|diarrhea|cardiac arrest$/i;
const SURGERY_PROCS =
  /appendectomy|tubal ligation|bypass|prostatectomy|polypectomy|colostomy|implantable cardioverter|percutaneous coronary|catheter ablation|tonsillectomy|cesarean|hysterectomy|cholecystectomy|replacement of|arthroplasty/i;
const SCREEN_PROCS: [RegExp, string][] = [
  [/^colonoscopy/i, 'colonoscopy'],
  [/bone density/i, 'bone-density'],
  [/fecal occult blood/i, 'fecal-occult-blood'],
  [/mammogra/i, 'mammogram'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped FHIR JSON, read defensively
type Res = Record<string, any>;

function clean(display: string): string {
  return display.replace(/\s*\((disorder|finding|situation|procedure)\)\s*/gi, '').trim();
}
const day = (s?: string) => (s ? s.slice(0, 10) : undefined);

export function recordFromBundle(bundle: Res, drugs: Map<string, string[]>): PatientRecord {
  const entries: Res[] = (bundle.entry ?? []).map((e: Res) => e.resource);
  const byRef = new Map<string, Res>();
  for (const r of entries) byRef.set(`urn:uuid:${r.id}`, r);
  const pt = entries.find((r) => r.resourceType === 'Patient')!;
  const name = (pt.name ?? []).find((n: Res) => n.use === 'official') ?? pt.name[0];
  const given = (name.given ?? []).join(' ').replace(/\d+/g, '');
  const family = String(name.family ?? '').replace(/\d+/g, '');
  const r = rng(pt.id);
  const mrn = String((createHash('sha256').update(pt.id).digest().readUInt32LE(0) % 90_000_000) + 10_000_000);
  const addr = pt.address?.[0];

  const meds = new Map<string, Med>();
  for (const m of entries
    .filter((x) => x.resourceType === 'MedicationRequest')
    .sort((a, b) => String(b.authoredOn).localeCompare(String(a.authoredOn)))) {
    const c = m.medicationCodeableConcept?.coding?.[0];
    if (!c || meds.has(c.code)) continue;
    const text: string = m.medicationCodeableConcept.text ?? c.display;
    const ings = drugs.get(c.code) ?? [text.split(/\s+\d/)[0]!.replace(/\[.*$/, '').trim().toLowerCase()];
    const brand = /\[([^\]]+)\]/.exec(text)?.[1];
    const sig = sigFor(text, r);
    meds.set(c.code, {
      text,
      ingredient: [...new Set(ings)].sort().join(' / '),
      rxcui: c.code,
      status: m.status === 'active' ? 'active' : 'discontinued',
      date: day(m.authoredOn)!,
      sig,
      ...(brand ? { brand } : {}),
    });
  }
  const medList = [...meds.values()];
  const active = medList.filter((m) => m.status === 'active');
  const stopped = medList.filter((m) => m.status !== 'active').slice(0, Math.max(0, 6 - active.length));

  const allergies: Allergy[] = [];
  for (const a of entries.filter((x) => x.resourceType === 'AllergyIntolerance')) {
    const d = a.code?.coding?.[0]?.display ?? '';
    const [substance, written] = ALLERGY_SUBSTANCE[d] ?? [clean(d).toLowerCase(), [clean(d)]];
    if (allergies.some((x) => x.substance === substance)) continue;
    const al: Allergy = { substance, written: pick(r, written) };
    if (r() < 0.6) al.reaction = pick(r, REACTIONS[substance] ?? ['rash']);
    if (al.reaction && r() < 0.5) al.severity = al.reaction === 'anaphylaxis' ? 'severe' : pick(r, ['mild', 'moderate']);
    allergies.push(al);
  }

  const imms = entries
    .filter((x) => x.resourceType === 'Immunization' && x.status !== 'not-done')
    .map((i) => ({
      cvx: String(i.vaccineCode.coding[0].code),
      display: String(i.vaccineCode.coding[0].display),
      date: day(i.occurrenceDateTime)!,
    }))
    .sort((a, b) => b.date.localeCompare(a.date));

  const screenings: Screening[] = [];
  for (const p of entries.filter((x) => x.resourceType === 'Procedure')) {
    const d = p.code?.coding?.[0]?.display ?? '';
    const t = SCREEN_PROCS.find(([re]) => re.test(d))?.[1];
    if (!t) continue;
    const date = day(p.performedPeriod?.start ?? p.performedDateTime)!;
    const result =
      t === 'colonoscopy'
        ? pick(r, ['normal', 'no polyps', '2 polyps removed', '1 polyp removed', 'diverticulosis'])
        : t === 'fecal-occult-blood'
          ? pick(r, ['negative', 'negative', 'positive'])
          : undefined;
    screenings.push({ type: t, date, written: d, ...(result ? { result } : {}) });
  }
  for (const o of entries.filter((x) => x.resourceType === 'Observation')) {
    const code = o.code?.coding?.[0]?.code;
    const date = day(o.effectiveDateTime)!;
    if (code === '2857-1')
      screenings.push({ type: 'psa', date, result: `${(o.valueQuantity?.value ?? 0).toFixed(1)} ng/mL`, written: 'PSA' });
    if (code === '38265-5') {
      const t = `T-score ${(o.valueQuantity?.value ?? 0).toFixed(1)}`;
      const same = screenings.find((s) => s.type === 'bone-density' && s.date === date);
      if (same) same.result = t;
      else screenings.push({ type: 'bone-density', date, result: t, written: 'DXA scan' });
    }
  }
  // Keep the two most recent of each type.
  screenings.sort((a, b) => b.date.localeCompare(a.date));
  const perType = new Map<string, number>();
  const keptScreens = screenings.filter((s) => {
    const n = (perType.get(s.type) ?? 0) + 1;
    perType.set(s.type, n);
    return n <= 2;
  });

  const conditions: Condition[] = [];
  const surgeries: Surgery[] = [];
  for (const c of entries.filter((x) => x.resourceType === 'Condition')) {
    const d = clean(c.code?.coding?.[0]?.display ?? '');
    if (!d) continue;
    const hist = /^History of (appendectomy)/i.exec(d);
    if (hist) {
      if (!surgeries.some((s) => s.name === 'appendectomy'))
        surgeries.push({ name: 'appendectomy', written: 'Appendectomy', date: day(c.onsetDateTime)!.slice(0, 4) });
      continue;
    }
    if (/^History of /i.test(d)) continue;
    const resolved = !!c.abatementDateTime;
    if (resolved && ACUTE.test(d)) continue;
    if (/pregnancy|fetus|miscarriage/i.test(d)) continue;
    const name = d.toLowerCase();
    if (conditions.some((x) => x.name === name)) continue;
    conditions.push({ name, written: d, onset: day(c.onsetDateTime)!, status: resolved ? 'resolved' : 'active' });
  }
  for (const p of entries.filter((x) => x.resourceType === 'Procedure')) {
    const d = clean(p.code?.coding?.[0]?.display ?? '');
    if (!SURGERY_PROCS.test(d)) continue;
    const name = d.toLowerCase();
    if (surgeries.some((s) => s.name === name)) continue;
    surgeries.push({ name, written: d, date: day(p.performedPeriod?.start ?? p.performedDateTime)! });
  }

  const practitionerCount = new Map<string, { n: number; org?: string }>();
  for (const e of entries.filter((x) => x.resourceType === 'Encounter')) {
    for (const part of e.participant ?? []) {
      const ref = part.individual?.reference;
      if (!ref) continue;
      const cur = practitionerCount.get(ref) ?? { n: 0, org: e.serviceProvider?.reference };
      cur.n++;
      practitionerCount.set(ref, cur);
    }
  }
  const providers: Provider[] = [];
  for (const [ref, info] of [...practitionerCount.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 2)) {
    const pr = byRef.get(ref);
    if (!pr) continue;
    const pn = pr.name?.[0];
    const pname =
      `Dr. ${(pn?.given ?? []).join(' ').replace(/\d+/g, '')} ${String(pn?.family ?? '').replace(/\d+/g, '')}`.replace(
        /\s+/g,
        ' ',
      );
    const org = info.org ? byRef.get(info.org) : undefined;
    const oa = org?.address?.[0];
    const phoneDigits = String(org?.telecom?.find((t: Res) => t.system === 'phone')?.value ?? '').replace(/\D/g, '');
    const phone =
      phoneDigits.length === 10 ? `(${phoneDigits.slice(0, 3)}) ${phoneDigits.slice(3, 6)}-${phoneDigits.slice(6)}` : undefined;
    const fax = phone
      ? `(${phoneDigits.slice(0, 3)}) ${phoneDigits.slice(3, 6)}-${String((Number(phoneDigits.slice(6)) + 1) % 10000).padStart(4, '0')}`
      : undefined;
    const orgName = org?.name ? titleCase(String(org.name).replace(/[-,\s]+$/, '')) : undefined;
    providers.push({
      name: pname,
      ...(orgName ? { organization: orgName } : {}),
      ...(phone ? { phone } : {}),
      ...(fax ? { fax } : {}),
      ...(oa
        ? { address: `${titleCase(oa.line?.[0] ?? '')}, ${titleCase(oa.city ?? '')}, ${oa.state} ${oa.postalCode ?? ''}`.trim() }
        : {}),
      role:
        providers.length === 0 ? 'primary care' : pick(r, ['cardiology', 'internal medicine', 'urgent care', 'family medicine']),
    });
  }

  return {
    id: pt.id,
    name: `${given} ${family}`,
    given,
    family,
    birthDate: pt.birthDate,
    gender: pt.gender,
    mrn,
    address: addr
      ? `${titleCase(addr.line?.[0] ?? '')}, ${titleCase(addr.city ?? '')}, ${addr.state} ${addr.postalCode ?? ''}`.trim()
      : '',
    phone: `(${pick(r, ['413', '508', '617', '781', '978'])}) 555-${String(Math.floor(r() * 9000) + 1000)}`,
    meds: [...active, ...stopped],
    allergies,
    immunizations: imms,
    screenings: keptScreens,
    conditions: conditions.slice(0, 10),
    surgeries,
    providers,
  };
}

export function titleCase(s: string): string {
  return s.toLowerCase().replace(/\b([a-z])/g, (c) => c.toUpperCase());
}

export const SIGS: Med['sig'][] = [
  { dose: '1 tablet', route: 'oral', frequency: 'daily', text: 'Take 1 tablet by mouth once daily' },
  { dose: '1 tablet', route: 'oral', frequency: 'twice daily', text: '1 tab PO BID' },
  { dose: '1 tablet', route: 'oral', frequency: 'at bedtime', text: '1 tab PO qHS' },
  { dose: '2 tablets', route: 'oral', frequency: 'every 6 hours as needed', text: '2 tabs PO q6h prn' },
  { dose: '1 tablet', route: 'oral', frequency: 'every other day', text: 'take one tablet by mouth every other day' },
  { dose: '1 tablet', route: 'oral', frequency: 'three times daily', text: '1 tablet orally three times a day' },
  { dose: '1 capsule', route: 'oral', frequency: 'daily', text: '1 cap PO QD' },
  { dose: '1 tablet', route: 'oral', frequency: 'weekly', text: '1 tablet by mouth once a week' },
];

function sigFor(text: string, r: () => number): Med['sig'] {
  if (/injection|injectable|syringe|auto-injector/i.test(text))
    return {
      dose: '',
      route: /auto-injector/i.test(text) ? 'intramuscular' : 'intramuscular',
      frequency: /auto-injector/i.test(text) ? 'as needed' : 'monthly',
      text: /auto-injector/i.test(text) ? 'inject IM as needed for anaphylaxis' : 'IM injection monthly',
    };
  if (/cream|ointment|topical/i.test(text))
    return { dose: '', route: 'topical', frequency: 'twice daily', text: 'apply topically twice daily' };
  if (/patch/i.test(text)) return { dose: '1 patch', route: 'transdermal', frequency: 'daily', text: 'apply 1 patch daily' };
  if (/spray/i.test(text))
    return { dose: '1 spray', route: 'sublingual', frequency: 'as needed', text: '1 spray SL prn chest pain' };
  if (/inhaler|actuat/i.test(text))
    return pick(r, [
      { dose: '2 puffs', route: 'inhalation', frequency: 'every 4 hours as needed', text: '2 puffs inhaled q4h prn' },
      { dose: '2 puffs', route: 'inhalation', frequency: 'twice daily', text: 'inhale 2 puffs twice daily' },
    ]);
  if (/ring/i.test(text)) return { dose: '', route: 'vaginal', frequency: 'monthly', text: 'insert vaginally, replace monthly' };
  if (/implant/i.test(text)) return { dose: '', route: 'subcutaneous', frequency: '', text: 'subdermal implant' };
  if (/solution|suspension|syrup/i.test(text))
    return { dose: '5 mL', route: 'oral', frequency: 'every 6 hours as needed', text: '5 mL PO q6h prn' };
  return pick(r, SIGS);
}
