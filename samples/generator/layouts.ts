/** Four document layouts a member's records arrive in, written from a PatientRecord. */
import {
  pick,
  rng,
  type Allergy,
  type Condition,
  type Immunization,
  type Med,
  type PatientRecord,
  type Provider,
  type Screening,
  type Surgery,
} from './records.ts';

export interface Cell {
  text: string;
  x: number;
  bold?: boolean;
}
export interface Row {
  cells: Cell[];
  size?: number;
  gap?: number;
}
export type LayoutName = 'summary' | 'letter' | 'form' | 'table';

export interface Facts {
  meds: Med[];
  allergies: Allergy[] | 'nkda';
  immunizations: (Immunization & { written: string; dateIso: string })[];
  screenings: (Screening & { dateIso: string })[];
  conditions: (Condition & { onsetIso?: string })[];
  surgeries: (Surgery & { dateIso?: string })[];
  providers: Provider[];
}

export interface LayoutOutput {
  rows: Row[];
  facts: Facts;
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
type DateFmt = (iso: string) => [string, string];
const FULL_FORMATS: DateFmt[] = [
  (d) => [`${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}`, d],
  (d) => [d, d],
  (d) => [`${MON[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}, ${d.slice(0, 4)}`, d],
  (d) => [`${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}/${d.slice(0, 4)}`, d],
  (d) => [`${d.slice(8, 10)}-${MON[Number(d.slice(5, 7)) - 1]}-${d.slice(0, 4)}`, d],
];
const MONTH_FORMATS: DateFmt[] = [
  (d) => [`${d.slice(5, 7)}/${d.slice(0, 4)}`, d.slice(0, 7)],
  (d) => [`${MONTH[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`, d.slice(0, 7)],
  (d) => [`${MON[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`, d.slice(0, 7)],
  (d) => [`${Number(d.slice(5, 7))}/${d.slice(0, 4)}`, d.slice(0, 7)],
];
const yearOnly: DateFmt = (d) => [d.slice(0, 4), d.slice(0, 4)];

const VAX_NAMES: Record<string, string[]> = {
  '140': ['Influenza', 'Flu shot', 'Influenza vaccine (PF)', 'Flu vaccine', 'Influenza, seasonal, injectable, preservative free'],
  '141': ['Influenza', 'Flu shot'],
  '88': ['Influenza', 'Flu shot'],
  '113': ['Td', 'Td (adult)', 'Tetanus-diphtheria (Td)', 'Td (adult) preservative free'],
  '115': ['Tdap', 'Tdap (Boostrix)', 'Tdap (Adacel)'],
  '114': ['MCV4', 'Menactra', 'Meningococcal MCV4P'],
  '133': ['PCV13', 'Prevnar 13', 'Pneumococcal conjugate PCV 13'],
  '33': ['PPSV23', 'Pneumovax 23', 'Pneumococcal polysaccharide (PPSV23)'],
  '20': ['DTaP', 'DTaP (Daptacel)'],
  '121': ['Zostavax', 'Zoster (live)', 'zoster'],
  '187': ['Shingrix'],
  '83': ['Hep A', 'Hepatitis A (pediatric)', 'Hep A, ped/adol, 2 dose'],
  '08': ['Hep B', 'Hepatitis B (pediatric)', 'Hep B, adolescent or pediatric'],
  '43': ['Hep B (adult)', 'Engerix-B'],
  '49': ['Hib', 'Hib (PRP-OMP)', 'PedvaxHIB'],
  '10': ['IPV', 'Polio (IPV)'],
  '03': ['MMR', 'M-M-R II'],
  '21': ['Varicella', 'Varivax', 'Chickenpox vaccine'],
  '119': ['Rotavirus', 'Rotarix', 'rotavirus, monovalent'],
  '62': ['HPV', 'Gardasil', 'HPV, quadrivalent'],
  '52': ['Hep A (adult)', 'Havrix'],
};
const SCREEN_NAMES: Record<string, string[]> = {
  colonoscopy: ['Colonoscopy', 'Screening colonoscopy', 'Colonoscopy'],
  'bone-density': ['DXA scan', 'DEXA bone density', 'Bone density scan'],
  'fecal-occult-blood': ['FOBT', 'Fecal occult blood test', 'Hemoccult'],
  psa: ['PSA', 'Prostate specific antigen (PSA)', 'PSA'],
  mammogram: ['Mammogram', 'Screening mammogram'],
};
const HEADINGS = {
  meds: [
    'Current Medications',
    'MEDICATIONS',
    'Med List',
    'Medication List',
    'Active Medications',
    'Home Medications',
    'Current Outpatient Prescriptions',
  ],
  allergies: ['Allergies', 'ALLERGIES/ADVERSE REACTIONS', 'Drug Allergies', 'Allergies & Intolerances', 'ALLERGIES'],
  imms: ['Immunization History', 'IMMUNIZATIONS', 'Vaccines', 'Vaccination Record', 'Immunizations'],
  screens: ['Health Maintenance', 'Preventive Care', 'Cancer Screening', 'HEALTH MAINTENANCE', 'Screenings'],
  conds: ['Problem List', 'PMH', 'Past Medical History', 'Active Problems', 'Medical History', 'PROBLEMS'],
  surgs: ['PSH', 'Past Surgical History', 'Surgical History', 'Procedures', 'Surgeries'],
  providers: ['Care Team', 'Previous Providers', 'Treating Physicians', 'CARE TEAM', 'Providers'],
};

function medText(m: Med, r: () => number): string {
  let t = m.text.replace(/\bMG\b/g, r() < 0.6 ? 'mg' : 'MG').replace(/\bML\b/g, 'mL');
  if (m.brand && r() < 0.3) t = `${m.brand} (${t.replace(/\s*\[[^\]]+\]/, '')})`;
  return t;
}

const pronoun = (rec: PatientRecord) => (rec.gender === 'female' ? ['She', 'she', 'Her', 'her'] : ['He', 'he', 'His', 'his']);
const age = (rec: PatientRecord, at: string) =>
  Number(at.slice(0, 4)) - Number(rec.birthDate.slice(0, 4)) - (at.slice(5) < rec.birthDate.slice(5) ? 1 : 0);

function select(rec: PatientRecord, r: () => number, nImm: number, full: DateFmt, month: DateFmt): Facts {
  const allergies = rec.allergies.length ? rec.allergies : 'nkda';
  return {
    meds: rec.meds,
    allergies,
    immunizations: rec.immunizations.slice(0, nImm).map((i) => {
      const [written] = [pick(r, VAX_NAMES[i.cvx] ?? [i.display])];
      const [t, iso] = r() < 0.75 ? full(i.date) : month(i.date);
      return { ...i, written: `${written}|${t}`, dateIso: iso };
    }),
    screenings: rec.screenings.map((s) => {
      const [t, iso] = r() < 0.7 ? full(s.date) : month(s.date);
      return { ...s, written: `${pick(r, SCREEN_NAMES[s.type] ?? [s.written])}|${t}`, dateIso: iso };
    }),
    conditions: rec.conditions.map((c) => {
      if (!c.onset || r() < 0.3) {
        const { onset: _o, ...rest } = c;
        return rest;
      }
      const [t, iso] = r() < 0.5 ? yearOnly(c.onset) : month(c.onset);
      return { ...c, written: `${c.written}|${t}`, onsetIso: iso };
    }),
    surgeries: rec.surgeries.map((s) => {
      if (!s.date) return s;
      const [t, iso] = s.date.length === 4 ? [s.date, s.date] : r() < 0.5 ? yearOnly(s.date) : month(s.date);
      return { ...s, written: `${s.written}|${t}`, dateIso: iso };
    }),
    providers: rec.providers,
  };
}

const split = (w: string) => w.split('|') as [string, string];
const row = (text: string, o: { x?: number; bold?: boolean; size?: number; gap?: number } = {}): Row => ({
  cells: [{ text, x: o.x ?? 0, ...(o.bold ? { bold: true } : {}) }],
  ...(o.size ? { size: o.size } : {}),
  ...(o.gap ? { gap: o.gap } : {}),
});

function letterhead(rec: PatientRecord, rows: Row[]): void {
  const p = rec.providers[0];
  if (!p) return;
  rows.push(row(p.organization ?? 'Family Practice', { bold: true, size: 14 }));
  if (p.address) rows.push(row(p.address, { size: 9 }));
  rows.push(row(`Tel ${p.phone ?? ''}   Fax ${p.fax ?? ''}`, { size: 9 }));
}

function allergyLine(a: Allergy): string {
  return `${a.written}${a.reaction ? ` - ${a.reaction}` : ''}${a.severity ? ` (${a.severity})` : ''}`;
}

export function summary(rec: PatientRecord, seed: string, docDate: string): LayoutOutput {
  const r = rng(seed);
  const full = pick(r, FULL_FORMATS);
  const month = pick(r, MONTH_FORMATS);
  const facts = select(rec, r, 8, full, month);
  const rows: Row[] = [];
  letterhead(rec, rows);
  rows.push(
    row(pick(r, ['CLINICAL SUMMARY', 'Patient Summary', 'Continuity of Care Summary', 'MEDICAL RECORD SUMMARY']), {
      bold: true,
      size: 13,
      gap: 1,
    }),
  );
  rows.push(
    row(`Patient: ${rec.family.toUpperCase()}, ${rec.given.toUpperCase()}    DOB: ${full(rec.birthDate)[0]}    MRN: ${rec.mrn}`, {
      gap: 0.5,
    }),
  );
  rows.push(row(`Date of summary: ${full(docDate)[0]}`));
  const H = (t: string) => rows.push(row(t, { bold: true, gap: 0.8 }));
  H(pick(r, HEADINGS.meds));
  if (!facts.meds.length) rows.push(row('No current medications'));
  facts.meds.forEach((m, i) =>
    rows.push(
      row(
        `${r() < 0.5 ? `${i + 1}.` : '-'} ${medText(m, r)} - ${m.sig.text}${m.status === 'discontinued' ? ' (discontinued)' : ''}`,
      ),
    ),
  );
  H(pick(r, HEADINGS.allergies));
  if (facts.allergies === 'nkda') rows.push(row(pick(r, ['NKDA', 'No known drug allergies', 'No Known Allergies'])));
  else for (const a of facts.allergies) rows.push(row(allergyLine(a)));
  H(pick(r, HEADINGS.imms));
  for (const i of facts.immunizations) {
    const [n, d] = split(i.written);
    rows.push(row(`${n}  ${d}`));
  }
  if (facts.screenings.length) {
    H(pick(r, HEADINGS.screens));
    for (const s of facts.screenings) {
      const [n, d] = split(s.written);
      rows.push(row(`${n}: ${d}${s.result ? ` - ${s.result}` : ''}`));
    }
  }
  H(pick(r, HEADINGS.conds));
  for (const c of facts.conditions) {
    const [n, d] = split(c.written);
    rows.push(row(`${n}${d ? ` (onset ${d})` : ''}${c.status === 'resolved' ? ' - resolved' : ''}`));
  }
  if (facts.surgeries.length) {
    H(pick(r, HEADINGS.surgs));
    for (const s of facts.surgeries) {
      const [n, d] = split(s.written);
      rows.push(row(`${n}${d ? ` ${d}` : ''}`));
    }
  }
  H(pick(r, HEADINGS.providers));
  for (const p of facts.providers) {
    rows.push(row(`${p.name}, MD - ${p.role ?? ''}`));
    if (p.organization) rows.push(row(p.organization));
    if (p.address) rows.push(row(p.address));
    rows.push(row(`Phone: ${p.phone ?? ''}  Fax: ${p.fax ?? ''}`));
  }
  return { rows, facts };
}

function joinList(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

export function letter(rec: PatientRecord, seed: string, docDate: string): LayoutOutput {
  const r = rng(seed);
  const full = pick(r, FULL_FORMATS);
  const month = MONTH_FORMATS[1]!;
  const facts = select(rec, r, 4, month, month);
  facts.meds = facts.meds.filter((m) => m.status === 'active' || r() < 0.5);
  const [He, , His, his] = pronoun(rec);
  const rows: Row[] = [];
  letterhead(rec, rows);
  rows.push(row(full(docDate)[0], { gap: 1 }));
  rows.push(row(`RE: ${rec.given} ${rec.family}   DOB: ${full(rec.birthDate)[0]}`, { gap: 1 }));
  rows.push(row(pick(r, ['Dear Colleague,', 'To Whom It May Concern,', 'Dear Care Team,']), { gap: 1 }));
  const paras: string[] = [];
  const conds = facts.conditions.filter((c) => c.status === 'active');
  facts.conditions = conds;
  paras.push(
    `I am writing to transfer the care of ${rec.given} ${rec.family}, a ${age(rec, docDate)}-year-old ${rec.gender === 'female' ? 'woman' : 'man'} I have followed in our practice.` +
      (conds.length
        ? ` ${His} medical history is significant for ${joinList(
            conds.map((c) => {
              const [n, d] = split(c.written);
              return `${n.toLowerCase()}${d ? ` (diagnosed ${d})` : ''}`;
            }),
          )}.`
        : ' There are no chronic medical problems.'),
  );
  const act = facts.meds.filter((m) => m.status === 'active');
  const old = facts.meds.filter((m) => m.status !== 'active');
  if (act.length)
    paras.push(`${He} currently takes ${joinList(act.map((m) => `${medText(m, r)} (${m.sig.text.replace(/^take /i, '')})`))}.`);
  else paras.push(`${He} takes no prescription medications at present.`);
  if (old.length)
    paras.push(
      `${He} previously took ${joinList(old.map((m) => medText(m, r)))}, which ${old.length > 1 ? 'were' : 'was'} discontinued.`,
    );
  if (facts.allergies === 'nkda')
    paras.push(pick(r, [`${He} has no known drug allergies.`, `NKDA.`, `${He} reports no known allergies.`]));
  else
    paras.push(
      `${He} is allergic to ${joinList(facts.allergies.map((a) => `${a.written.toLowerCase()}${a.reaction ? ` (${a.reaction})` : ''}`))}.`,
    );
  if (facts.immunizations.length)
    paras.push(
      `Immunizations on file: ${joinList(
        facts.immunizations.map((i) => {
          const [n, d] = split(i.written);
          return `${n} in ${d}`;
        }),
      )}.`,
    );
  for (const s of facts.screenings) {
    const [n, d] = split(s.written);
    paras.push(
      `${His} last ${n.replace(/^Screening /, '').toLowerCase() === 'psa' ? 'PSA' : n} in ${d} ${s.result ? `showed ${s.result}` : 'was completed'}.`,
    );
  }
  if (facts.surgeries.length)
    paras.push(
      `Surgical history: ${joinList(
        facts.surgeries.map((s) => {
          const [n, d] = split(s.written);
          return `${n.toLowerCase()}${d ? ` in ${d}` : ''}`;
        }),
      )}.`,
    );
  paras.push(
    `There is a family history of heart disease in ${his} father. Please do not hesitate to contact me with any questions.`,
  );
  for (const p of paras) wrap(p, 92).forEach((l, i) => rows.push(row(l, i === 0 ? { gap: 0.6 } : {})));
  const p0 = facts.providers[0];
  rows.push(row('Sincerely,', { gap: 1 }));
  if (p0) {
    rows.push(row(`${p0.name.replace(/^Dr\. /, '')}, MD`, { gap: 1.5 }));
    if (p0.organization) rows.push(row(p0.organization));
    if (p0.address) rows.push(row(p0.address));
    rows.push(row(`Phone ${p0.phone ?? ''}  Fax ${p0.fax ?? ''}`));
  }
  facts.providers = p0 ? [p0] : [];
  return { rows, facts };
}

export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (cur && (cur + ' ' + w).length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

export function form(rec: PatientRecord, seed: string, docDate: string): LayoutOutput {
  const r = rng(seed);
  const full = pick(r, FULL_FORMATS);
  const month = pick(r, MONTH_FORMATS);
  const facts = select(rec, r, 6, full, month);
  const rows: Row[] = [];
  const L = 0.04;
  const R = 0.52;
  rows.push(row(`FAX  ${full(docDate)[0]}  FROM: ${rec.providers[0]?.organization ?? 'Clinic'}  PAGE 1`, { size: 8 }));
  rows.push(
    row(pick(r, ['NEW MEMBER HEALTH HISTORY FORM', 'RECORDS TRANSFER - INTAKE FORM', 'PATIENT INTAKE FORM']), {
      bold: true,
      size: 13,
      gap: 0.5,
    }),
  );
  rows.push({
    cells: [
      { text: `Name: ${rec.given} ${rec.family}`, x: L },
      { text: `DOB: ${full(rec.birthDate)[0]}`, x: R },
    ],
    gap: 0.5,
  });
  rows.push({
    cells: [
      { text: `MRN: ${rec.mrn}`, x: L },
      { text: `Phone: ${rec.phone}`, x: R },
    ],
  });
  const left: Row[] = [];
  const right: Row[] = [];
  left.push(row(pick(r, ['MEDICATIONS', 'Current Medications', 'Med List']), { bold: true }));
  if (!facts.meds.length) left.push(row('None'));
  for (const m of facts.meds)
    for (const l of wrap(`${medText(m, r)} ${m.sig.text}${m.status === 'discontinued' ? ' - stopped' : ''}`, 36))
      left.push(row(l));
  right.push(row(pick(r, ['ALLERGIES', 'Allergies/Reactions', 'Drug Allergies']), { bold: true }));
  if (facts.allergies === 'nkda') right.push(row(pick(r, ['NKDA', 'No known allergies'])));
  else for (const a of facts.allergies) for (const l of wrap(allergyLine(a), 36)) right.push(row(l));
  right.push(row(pick(r, ['IMMUNIZATIONS', 'Vaccines']), { bold: true, gap: 0.5 }));
  for (const i of facts.immunizations) {
    const [n, d] = split(i.written);
    for (const l of wrap(`${n} ${d}`, 36)) right.push(row(l));
  }
  const n = Math.max(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const cells: Cell[] = [];
    const a = left[i]?.cells[0];
    const b = right[i]?.cells[0];
    if (a) cells.push({ ...a, x: L });
    if (b) cells.push({ ...b, x: R });
    rows.push({ cells, ...(i === 0 ? { gap: 1 } : {}) });
  }
  if (facts.screenings.length) {
    rows.push(row(pick(r, ['PREVENTIVE CARE', 'HEALTH MAINTENANCE', 'Screenings']), { bold: true, gap: 1, x: L }));
    for (const s of facts.screenings) {
      const [nm, d] = split(s.written);
      rows.push(row(`${nm} ${d}${s.result ? ` ${s.result}` : ''}`, { x: L }));
    }
  }
  const cl: Row[] = [row(pick(r, ['PMH', 'PROBLEMS', 'Medical History']), { bold: true })];
  for (const c of facts.conditions) {
    const [nm, d] = split(c.written);
    for (const l of wrap(`${nm}${d ? ` ${d}` : ''}${c.status === 'resolved' ? ' (resolved)' : ''}`, 36)) cl.push(row(l));
  }
  const sr: Row[] = [row(pick(r, ['PSH', 'SURGERIES', 'Surgical History']), { bold: true })];
  if (!facts.surgeries.length) sr.push(row('None'));
  for (const s of facts.surgeries) {
    const [nm, d] = split(s.written);
    for (const l of wrap(`${nm}${d ? ` ${d}` : ''}`, 36)) sr.push(row(l));
  }
  const m2 = Math.max(cl.length, sr.length);
  for (let i = 0; i < m2; i++) {
    const cells: Cell[] = [];
    const a = cl[i]?.cells[0];
    const b = sr[i]?.cells[0];
    if (a) cells.push({ ...a, x: L });
    if (b) cells.push({ ...b, x: R });
    rows.push({ cells, ...(i === 0 ? { gap: 1 } : {}) });
  }
  const p = facts.providers[0];
  rows.push(row(pick(r, ['PRIMARY CARE PROVIDER', 'Previous Physician', 'Referring Provider']), { bold: true, gap: 1, x: L }));
  if (p) {
    rows.push(row(`${p.name}  ${p.organization ?? ''}`, { x: L }));
    if (p.address) rows.push(row(p.address, { x: L }));
    rows.push(row(`Ph: ${p.phone ?? ''}   Fax: ${p.fax ?? ''}`, { x: L }));
  }
  facts.providers = p ? [p] : [];
  return { rows, facts };
}

export function table(rec: PatientRecord, seed: string, _docDate: string): LayoutOutput {
  const r = rng(seed);
  const full = pick(r, FULL_FORMATS);
  const month = pick(r, MONTH_FORMATS);
  const facts = select(rec, r, 10, full, full);
  const rows: Row[] = [];
  letterhead(rec, rows);
  rows.push(row('Health Record Export', { bold: true, size: 13, gap: 1 }));
  rows.push({
    cells: [
      { text: `Patient Name: ${rec.given} ${rec.family}`, x: 0 },
      { text: `Date of Birth: ${full(rec.birthDate)[0]}`, x: 0.45 },
      { text: `MRN: ${rec.mrn}`, x: 0.75 },
    ],
  });
  const T = (title: string, cols: [string, number][], data: string[][]) => {
    rows.push(row(title, { bold: true, gap: 1 }));
    rows.push({ cells: cols.map(([t, x]) => ({ text: t, x, bold: true })) });
    for (const d of data) rows.push({ cells: d.map((t, i) => ({ text: t, x: cols[i]![1] })).filter((c) => c.text) });
  };
  T(
    pick(r, HEADINGS.meds),
    [
      ['Medication', 0],
      ['Sig', 0.48],
      ['Status', 0.76],
      ['Start', 0.87],
    ],
    facts.meds.map((m) => [
      medText(m, r)
        .replace(/\s+Oral Tablet$/i, ' tab')
        .slice(0, 52),
      m.sig.text.slice(0, 30),
      m.status === 'active' ? 'Active' : 'Stopped',
      month(m.date)[0],
    ]),
  );
  if (facts.allergies === 'nkda')
    T(
      pick(r, HEADINGS.allergies),
      [
        ['Allergen', 0],
        ['Reaction', 0.4],
        ['Severity', 0.7],
      ],
      [['No Known Allergies', '', '']],
    );
  else
    T(
      pick(r, HEADINGS.allergies),
      [
        ['Allergen', 0],
        ['Reaction', 0.4],
        ['Severity', 0.7],
      ],
      facts.allergies.map((a) => [a.written, a.reaction ?? '', a.severity ?? '']),
    );
  T(
    pick(r, HEADINGS.imms),
    [
      ['Vaccine', 0],
      ['Date Given', 0.5],
    ],
    facts.immunizations.map((i) => split(i.written)),
  );
  if (facts.screenings.length)
    T(
      pick(r, HEADINGS.screens),
      [
        ['Test', 0],
        ['Date', 0.4],
        ['Result', 0.62],
      ],
      facts.screenings.map((s) => [...split(s.written), s.result ?? '']),
    );
  T(
    pick(r, HEADINGS.conds),
    [
      ['Problem', 0],
      ['Onset', 0.6],
      ['Status', 0.8],
    ],
    facts.conditions.map((c) => {
      const [n, d] = split(c.written);
      return [n, d ?? '', c.status === 'active' ? 'Active' : 'Resolved'];
    }),
  );
  if (facts.surgeries.length)
    T(
      pick(r, HEADINGS.surgs),
      [
        ['Procedure', 0],
        ['Date', 0.6],
      ],
      facts.surgeries.map((s) => {
        const [n, d] = split(s.written);
        return [n, d ?? ''];
      }),
    );
  T(
    pick(r, HEADINGS.providers),
    [
      ['Provider', 0],
      ['Organization', 0.3],
      ['Phone', 0.66],
      ['Fax', 0.83],
    ],
    facts.providers.map((p) => [p.name, (p.organization ?? '').slice(0, 30), p.phone ?? '', p.fax ?? '']),
  );
  return { rows, facts };
}

export const LAYOUTS: Record<LayoutName, (rec: PatientRecord, seed: string, docDate: string) => LayoutOutput> = {
  summary,
  letter,
  form,
  table,
};
