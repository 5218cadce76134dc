/** Medication details from a sig: strength, dose, route, frequency, status. */

export interface Sig {
  strength?: string;
  dose?: string;
  route?: string;
  frequency?: string;
  status?: string;
}

const STRENGTH =
  /(\d+(?:[.,]\d+)?(?:\s*[-/]\s*\d+(?:\.\d+)?)?)\s*(mg\/ml|mg\/5\s?ml|mcg\/hr|mcg\/act|mcg\/actuation|mg\/act|units\/ml|mg|mcg|µg|ug|gm?|ml|meq|iu|units?|%)(?![a-z])/i;

const DOSE_UNITS: [RegExp, string][] = [
  [/^tab(let)?s?$|^tbs?$/i, 'tablet'],
  [/^cap(sule)?s?$/i, 'capsule'],
  [/^puffs?$|^inhalations?$/i, 'puff'],
  [/^sprays?$/i, 'spray'],
  [/^drops?$|^gtts?$/i, 'drop'],
  [/^patch(es)?$/i, 'patch'],
  [/^pills?$/i, 'tablet'],
  [/^units?$|^u$/i, 'unit'],
  [/^ml$/i, 'mL'],
  [/^applications?$|^applicators?$/i, 'application'],
  [/^injections?$|^pens?$/i, 'injection'],
  [/^packets?$|^sachets?$/i, 'packet'],
  [/^suppositor(y|ies)$/i, 'suppository'],
  [/^vials?$|^nebs?$|^ampules?$/i, 'vial'],
  [/^lozenges?$|^troches?$/i, 'lozenge'],
];
const NUMBER_WORDS: Record<string, string> = { one: '1', two: '2', three: '3', four: '4', half: '0.5', '1/2': '0.5', '½': '0.5' };
const DOSE =
  /\b(?:take\s+|inhale\s+|use\s+|apply\s+|inject\s+|give\s+|instill\s+)?(\d+(?:\.\d+)?(?:\s*-\s*\d+)?|one|two|three|four|half|1\/2|½)\s*(tabs?|tablets?|tbs?|caps?|capsules?|puffs?|inhalations?|sprays?|drops?|gtts?|patch(?:es)?|pills?|units?|u|ml|applications?|applicators?|injections?|pens?|packets?|sachets?|suppositor(?:y|ies)|vials?|nebs?|ampules?|lozenges?|troches?)\b/i;

const ROUTES: [RegExp, string][] = [
  [/\b(p\.?o\.?|by mouth|orally|oral|per os)\b/i, 'oral'],
  [/\b(s\.?l\.?|sublingual(ly)?|under the tongue)\b/i, 'sublingual'],
  [/\b(subcutaneous(ly)?|subcut|subq|s\.?c\.?|s\.?q\.?)\b/i, 'subcutaneous'],
  [/\b(i\.?m\.?|intramuscular(ly)?)\b/i, 'intramuscular'],
  [/\b(i\.?v\.?|intravenous(ly)?)\b/i, 'intravenous'],
  [/\b(inhaled|inhalation|inhale|inh|via inhaler|nebulized|nebulizer|neb|mdi|hfa)\b/i, 'inhalation'],
  [/\b(topical(ly)?|apply|top\.?)\b/i, 'topical'],
  [/\b(transdermal(ly)?|patch)\b/i, 'transdermal'],
  [/\b(p\.?r\.?|rectal(ly)?|per rectum)\b/i, 'rectal'],
  [/\b(intranasal(ly)?|nasal(ly)?|each nostril|in nostrils?)\b/i, 'nasal'],
  [/\b(ophthalmic|each eye|both eyes|left eye|right eye|o\.?u\.?)\b/i, 'ophthalmic'],
  [/\b(otic|each ear|in ears?)\b/i, 'otic'],
  [/\b(vaginal(ly)?|p\.?v\.?)\b/i, 'vaginal'],
];

const FREQUENCIES: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/\b(?:1|one)\s+times?\s+(?:(?:a |per |each )?day|daily)\b/i, 'daily'],
  [/\b(?:2|two)\s+times\s+(?:(?:a |per |each )?day|daily)\b/i, 'twice daily'],
  [/\b(?:3|three)\s+times\s+(?:(?:a |per |each )?day|daily)\b/i, 'three times daily'],
  [/\b(?:4|four)\s+times\s+(?:(?:a |per |each )?day|daily)\b/i, 'four times daily'],
  [/\b(q\.?o\.?d\.?|every other day|alternate days|every 2nd day|every second day)\b/i, 'every other day'],
  [
    /\b(b\.?i\.?d\.?|twice (a |per )?day|twice daily|2 ?x ?(a |per |\/ ?)?day|two times (a |per )?day|every 12 hours|q\.? ?12 ?h(ours|rs?)?)\b/i,
    'twice daily',
  ],
  [
    /\b(t\.?i\.?d\.?|three times (a |per )?day|three times daily|3 ?x ?(a |per |\/ ?)?day|every 8 hours|q\.? ?8 ?h(ours|rs?)?)\b/i,
    'three times daily',
  ],
  [/\b(q\.?i\.?d\.?|four times (a |per )?day|four times daily|4 ?x ?(a |per |\/ ?)?day)\b/i, 'four times daily'],
  [
    /\bq\.? ?(\d+(?:\s*-\s*\d+)?)\s*h(?:ours?|rs?|r)?\b|\bevery (\d+(?:\s*(?:-|to)\s*\d+)?) hours?\b/i,
    (m) => `every ${(m[1] ?? m[2] ?? '').replace(/\s*(?:-|to)\s*/, '-')} hours`,
  ],
  [
    /\b(q\.?h\.?s\.?|h\.?s\.?|at bedtime|nightly|at night|every night|each night|before bed|q\.? ?pm|every evening|in the evening)\b/i,
    'at bedtime',
  ],
  [/\b(q\.? ?a\.?m\.?|every morning|in the morning|each morning)\b/i, 'every morning'],
  [/\b(weekly|once (a |per )?week|every week|q\.? ?w(ee)?k|q\.?w\.?|1 ?x ?(a |per |\/ ?)?week)\b/i, 'weekly'],
  [/\b(monthly|once (a |per )?month|every month|q\.? ?month|q\.? ?mo)\b/i, 'monthly'],
  [
    /\b(t\.?i\.?d\.? |three times a day )?(with meals|before meals|a\.?c\.?)\b/i,
    (m) => (m[1] ? 'three times daily' : 'with meals'),
  ],
  [/\b(before|with|after) (breakfast|lunch|supper|dinner)\b/i, 'daily'],
  [
    /\b(q\.?d\.?|daily|once daily|once a day|every day|q\.? ?24 ?h|1 ?x ?(a |per |\/ ?)?day|one time daily|per day|a day|qday)\b/i,
    'daily',
  ],
];
const PRN = /\b(p\.?r\.?n\.?|as needed|as directed prn|if needed|when needed)\b/i;

const STATUSES: [RegExp, string][] = [
  [/\b(discontinued|d\/c'?d|dc'?d|stopped|no longer taking|not taking|inactive)\b/i, 'discontinued'],
  [/\b(on hold|held|holding)\b/i, 'on-hold'],
  [/\b(completed|finished|course complete)\b/i, 'completed'],
  [/\b(active|current|continue|continuing|taking)\b/i, 'active'],
];

/** OCR letters inside an amount before a unit: "1O mg", "5OO mg", "l0 mg" → digits. */
function ocrDigits(raw: string): string {
  // "1,000 unit", "50,000 units": a thousands separator, not a list.
  const text = raw.replace(/\b(\d{1,3}),(\d{3})(?=\s*(?:units?|iu|mg|mcg)\b)/gi, '$1$2');
  if (!/[OoIl]/.test(text)) return text;
  return text.replace(/(?<![A-Za-z\d])(?=[\dOoIl.]*\d)[\dOoIl]+(?:\.[\dOo]+)?(?=\s*(?:mg|mcg|meq|ml|units?|iu)\b)/gi, (m) =>
    m.replace(/[Oo]/g, '0').replace(/[Il]/g, '1'),
  );
}

export function parseStrength(raw: string): string | undefined {
  const text = ocrDigits(raw);
  const m = STRENGTH.exec(text);
  if (!m) return undefined;
  const unit = m[2]!
    .toLowerCase()
    .replace(/^ug$|^µg$/, 'mcg')
    .replace(/^gm$/, 'g')
    .replace(/^ml$/, 'mL')
    .replace(/^iu$/, 'units')
    .replace(/^unit$/, 'units')
    .replace(/^meq$/, 'mEq')
    .replace(/\/ml$/, '/mL');
  const first = `${m[1]!.replace(/\s+/g, '').replace(',', '.')} ${unit}`;
  // A combination product's second strength right after the first ("250 mg / 125 mg", "5-325 mg").
  const rest = text.slice(m.index + m[0].length);
  const second = /^\s*[/-]\s*(\d+(?:\.\d+)?)\s*(mg|mcg|g|mL|units?)\b/i.exec(rest);
  return second ? `${first} / ${second[1]} ${second[2]!.toLowerCase() === 'ml' ? 'mL' : second[2]!.toLowerCase()}` : first;
}

export function parseSig(raw: string): Sig {
  // "2 (two) times a day", "Take 1 tablet (10 mg total)": drop the spelled-out echoes.
  const text = ocrDigits(raw)
    .replace(/(\d)\s*(?:rng|mq|m9|rnq|rn9)\b/g, '$1 mg') // OCR: "20 rng"
    .replace(/\((?:one|two|three|four|five|six)\)/gi, ' ')
    .replace(/\(\s*[\d.]+\s*(?:mg|mcg|g|units?)\s+total\s*\)/gi, ' ');
  const sig: Sig = {};
  // Strength: an amount with a mass/concentration unit, not a count of tablets.
  const strengthText = text.replace(DOSE, ' ');
  const strength = parseStrength(strengthText);
  if (strength && !/^\d+(\.\d+)? (mL|units)$/.test(strength)) sig.strength = strength;
  else if (strength && !DOSE.test(text)) sig.strength = strength;
  // "1,000 unit tablet, Take 1 tablet": the amount before the form is the strength; the count taken is the dose.
  const doses = [...text.matchAll(new RegExp(DOSE.source, 'gi'))];
  const d = (doses.length > 1 ? doses.find((x) => !/^units?$|^u$/i.test(x[2]!)) : undefined) ?? doses[0];
  if (d) {
    const n = NUMBER_WORDS[d[1]!.toLowerCase()] ?? d[1]!.replace(/\s+/g, '');
    const unit = DOSE_UNITS.find(([re]) => re.test(d[2]!))?.[1] ?? d[2]!.toLowerCase();
    const plural = n !== '1' && n !== '0.5' && !unit.endsWith('L') ? (unit.endsWith('ch') ? 'es' : 's') : '';
    sig.dose = `${n} ${unit}${plural}`;
  }
  for (const [re, route] of ROUTES) {
    if (re.test(text)) {
      sig.route = route;
      break;
    }
  }
  let freq: string | undefined;
  for (const [re, f] of FREQUENCIES) {
    const m = re.exec(text);
    if (m) {
      freq = typeof f === 'string' ? f : f(m);
      break;
    }
  }
  if (PRN.test(text)) freq = freq ? `${freq} as needed` : 'as needed';
  if (freq) sig.frequency = freq;
  for (const [re, status] of STATUSES) {
    if (re.test(text)) {
      sig.status = status;
      break;
    }
  }
  return sig;
}
