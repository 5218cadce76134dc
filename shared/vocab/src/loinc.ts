import { lazy, readDataFile } from './data-dir.ts';
import { TermIndex } from './term-index.ts';

export type ScreeningTypeName =
  | 'colonoscopy'
  | 'sigmoidoscopy'
  | 'fecal-occult-blood'
  | 'fecal-dna'
  | 'mammogram'
  | 'cervical-cytology'
  | 'hpv-test'
  | 'psa'
  | 'lung-ct'
  | 'bone-density'
  | 'skin-exam'
  | 'other';

export interface ScreeningCode {
  type: ScreeningTypeName;
  /** Empty when no LOINC code was verifiable (low-dose lung CT, skin exam). */
  loinc: string;
  display: string;
}

export interface LoincScreenings {
  rows: ScreeningCode[];
  byCode: Map<string, ScreeningCode>;
  /** The first (preferred) row of each type. */
  preferred: Map<ScreeningTypeName, ScreeningCode>;
  /** Synonyms (and displays) → screening row. */
  names: TermIndex<ScreeningCode>;
}

/** Extra lay spellings for screening names (hand-curated). */
const EXTRA_SYNONYMS: Record<string, ScreeningTypeName> = {
  mammogram: 'mammogram',
  mammo: 'mammogram',
  mammography: 'mammogram',
  'breast imaging': 'mammogram',
  'screening mammogram': 'mammogram',
  'diagnostic mammogram': 'mammogram',
  '3d mammogram': 'mammogram',
  tomosynthesis: 'mammogram',
  'cervical cancer screening': 'cervical-cytology',
  'breast cancer screening': 'mammogram',
  'pap smear': 'cervical-cytology',
  pap: 'cervical-cytology',
  'pap test': 'cervical-cytology',
  'cervical cytology': 'cervical-cytology',
  'hpv test': 'hpv-test',
  'hpv co-test': 'hpv-test',
  'hpv cotest': 'hpv-test',
  'hr hpv': 'hpv-test',
  psa: 'psa',
  'prostate specific antigen': 'psa',
  'prostate-specific antigen': 'psa',
  'dexa scan': 'bone-density',
  dexa: 'bone-density',
  dxa: 'bone-density',
  'dxa scan': 'bone-density',
  'bone density': 'bone-density',
  'bone density scan': 'bone-density',
  'bone densitometry': 'bone-density',
  'bone mineral density': 'bone-density',
  'low dose ct': 'lung-ct',
  'low-dose ct': 'lung-ct',
  ldct: 'lung-ct',
  'lung cancer screening': 'lung-ct',
  'lung ct': 'lung-ct',
  'chest ct': 'lung-ct',
  'skin exam': 'skin-exam',
  'skin check': 'skin-exam',
  'full body skin exam': 'skin-exam',
  'total body skin exam': 'skin-exam',
  fit: 'fecal-occult-blood',
  'fit test': 'fecal-occult-blood',
  'fecal immunochemical test': 'fecal-occult-blood',
  ifobt: 'fecal-occult-blood',
  fobt: 'fecal-occult-blood',
  'fecal occult blood': 'fecal-occult-blood',
  'stool card': 'fecal-occult-blood',
  cologuard: 'fecal-dna',
  'stool dna': 'fecal-dna',
  'fit-dna': 'fecal-dna',
  'mt-sdna': 'fecal-dna',
  'multitarget stool dna': 'fecal-dna',
  colonoscopy: 'colonoscopy',
  'flex sig': 'sigmoidoscopy',
  'ct colonography': 'other',
  'virtual colonoscopy': 'other',
  'hemoglobin a1c': 'other',
  hba1c: 'other',
  a1c: 'other',
  'abdominal aortic aneurysm screening': 'other',
};

export const loadLoincScreenings = lazy((): LoincScreenings => {
  const rows: ScreeningCode[] = [];
  const names = new TermIndex<ScreeningCode>(7, (r) => r.type);
  const byCode = new Map<string, ScreeningCode>();
  const preferred = new Map<ScreeningTypeName, ScreeningCode>();
  const synonymRows: [string, ScreeningCode][] = [];
  for (const line of readDataFile('loinc-screenings.tsv').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('type\t')) continue;
    const [type = '', loinc = '', display = '', synonyms = ''] = line.split('\t');
    const row: ScreeningCode = { type: type as ScreeningTypeName, loinc, display };
    rows.push(row);
    if (loinc) byCode.set(loinc, row);
    if (!preferred.has(row.type)) preferred.set(row.type, row);
    for (const s of synonyms.split('|')) if (s.trim()) synonymRows.push([s.trim(), row]);
  }
  for (const [term, type] of Object.entries(EXTRA_SYNONYMS)) {
    const row = preferred.get(type);
    if (row && type !== 'other') names.add(term, row);
  }
  // 'other' rows (A1c, CT colonography) are labs or rarer tests: not matched in free text.
  for (const [s, row] of synonymRows) if (row.type !== 'other') names.add(s, preferred.get(row.type) ?? row);
  return { rows, byCode, preferred, names };
});
