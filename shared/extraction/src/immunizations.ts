import { CodeSystem, type ImmunizationItem } from '@intake/core';
import type { Vaccine } from '@intake/vocab';
import { findDates } from './dates.ts';
import { withinEdits } from './edits.ts';
import { evidence, type TextSpan } from './evidence.ts';
import type { Lexicons } from './lexicons.ts';
import { findMentions, type Mention } from './mentions.ts';
import { round } from './medications.ts';

const LOT = /\blot\s*(?:#|no\.?|number|num)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{2,15})\b/i;
const NOT_GIVEN = /\b(declined|refused|deferred|not given|due|overdue|recommended|needs|not done|contraindicated|next)\b/i;

/** Vaccine names in a text. Bare abbreviations in prose need a vaccine word nearby. */
export function vaccineMentions(text: string, lex: Lexicons, prose: boolean): Mention<Vaccine>[] {
  const found = findMentions(text, lex.cvx.names, { maxWords: 8, fuzzy: true, minFuzzyLength: 7, minLength: 2 });
  return found.filter((m) => {
    const term = text.slice(m.start, m.end);
    if (
      /^(td|hib|ipv|hpv|mmr|flu|rsv|bcg|covid|polio|rabies|typhoid|tetanus|pneumococcal|influenza|zoster|shingles)$/i.test(
        term,
      ) ||
      term.length <= 3
    ) {
      if (term.length <= 2 && !/^[A-Z][a-z]?$|^[A-Z]+$/.test(term)) return false;
      if (prose) return /\b(vaccine|vaccinat|immuniz|immunis|shot|booster|dose|received|given|administered|series)/i.test(text);
    }
    return true;
  });
}

const QUALIFIER_STOP = new Set([
  'vaccine',
  'vaccines',
  'unspecified',
  'formulation',
  'virus',
  'given',
  'dose',
  'and',
  'the',
  'of',
  'for',
  'im',
  'shot',
]);
const qualifierTokens = (t: string) =>
  new Set(
    t
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .split(' ')
      .filter((w) => w.length > 1 && !QUALIFIER_STOP.has(w)),
  );

/** An OCR-read word for a name's word: one slip in four to seven letters, two from eight; never in numbers. */
const nearWord = (w: string, n: string) =>
  w.length >= 4 && n.length >= 4 && !/\d/.test(w + n) && withinEdits(w, n, Math.min(w.length, n.length) >= 8 ? 2 : 1);

/**
 * "Hepatitis A, adult" names more than the group: when the vaccine found is an unspecified
 * formulation, the vaccine of the same group (or of one of its groups: "pneumococcal" spans the
 * conjugate and polysaccharide groups) whose CVX names share the most of the clause's other words
 * (adult, pediatric, conjugate, 13…) is the one meant. Where several share as many, the one
 * unspecified formulation among them is meant ("pneumococcal conjugate" is PCV, not PCV13 or
 * PCV20); otherwise a tie keeps the vaccine found.
 */
function refine(v: Vaccine, clause: string, lex: Lexicons): Vaccine {
  if (!/unspecified/i.test(v.shortName) || v.groups.length === 0) return v;
  const words = qualifierTokens(clause);
  const own = qualifierTokens(`${v.shortName} ${v.fullName}`);
  const extra = [...words].filter((w) => !own.has(w));
  if (extra.length === 0) return v;
  let best: Vaccine[] = [];
  let bestScore = 0;
  for (const c of lex.cvx.byCode.values()) {
    if (c === v || c.groups.length === 0 || !c.groups.every((g) => v.groups.includes(g))) continue;
    const names = [...qualifierTokens(`${c.shortName} ${c.fullName}`)];
    // OCR-read words count when one or two letters off ("wyectable" for injectable, "tree" for free).
    const score = extra.filter((w) => names.some((n) => n === w || nearWord(w, n))).length;
    if (score > bestScore) [best, bestScore] = [[c], score];
    else if (score === bestScore && score > 0) best.push(c);
  }
  if (best.length === 1) return best[0]!;
  const unspecified = best.filter((c) => /unspecified/i.test(c.shortName));
  return unspecified.length === 1 ? unspecified[0]! : v;
}

/**
 * The vaccine a list entry names in full, read through OCR slips: when the mention found is
 * shorter than the entry's name part (the text before its first date, number, cell border or
 * "Given"), the whole name part is looked up OCR-tolerantly ("Influenza, sedsonal, injectable.
 * preservative free" is CVX 140, not "influenza" alone); a vaccine of the same group wins.
 */
function wholeName(m: Mention<Vaccine>, clause: string, lex: Lexicons, prose: boolean): Vaccine {
  if (prose) return m.value;
  const name = (clause.split(/\s*(?:\||\bgiven\b|\d)/i)[0] ?? '')
    .replace(/(?:\s+[vV✓✔☒]|[\s,;:.])+$/, '')
    .trim();
  if (name.length < m.end - m.start + 4 || name.split(/\s+/).length > 10) return m.value;
  const hit = lex.cvx.names.lookup(name, true);
  return hit && hit.score >= 0.8 && hit.value.groups.some((g) => m.value.groups.includes(g)) ? hit.value : m.value;
}

const SEASON = /\b(?:19|20)\d{2}\s*[–—]\s*(?:19|20)?\d{2}\b|\b(?:19|20)\d{2}\s*[-/]\s*(?:19|20)?\d{2}\s+(?:formula|season)\b/gi;

function itemsFor(
  m0: Mention<Vaccine>,
  span: TextSpan,
  start: number,
  end0: number,
  base: number,
  lex: Lexicons,
  prose = false,
): ImmunizationItem[] {
  // In prose a dose's date is in its own sentence or clause.
  const stop = prose ? /[.;](?=\s|$)|\bbut\b|\bwhile\b/i.exec(span.text.slice(m0.end, end0)) : null;
  const end = stop ? m0.end + stop.index : end0;
  const clause = span.text.slice(start, end);
  const m = { ...m0, value: refine(wholeName(m0, clause, lex, prose), clause, lex) };
  const rel = clause.slice(m.end - start);
  // Dates after "due"/"next" are plans, not doses given.
  const cut = NOT_GIVEN.exec(rel);
  // Lot numbers, expiry and VIS (information sheet) dates are not the date given.
  const given = (cut ? rel.slice(0, cut.index) : rel)
    .replace(LOT, (m) => ' '.repeat(m.length))
    .replace(
      /\b(?:exp(?:\.|ires|iration)?(?:\s+date)?|vis(?:\s+date)?|vis\s+published|published)\s*[:#]?\s*\S+(?:\s+\d{1,2},?\s+\d{4})?/gi,
      (m) => ' '.repeat(m.length),
    )
    // A season or formula ("2025–2026 formula", "2019-20 season") is not a date given.
    .replace(SEASON, (m) => ' '.repeat(m.length));
  const dated = findDates(given, { yearOnly: true });
  const lot = LOT.exec(clause)?.[1];
  // An item's display is its own mention: in prose, the vaccine's name (and "vaccine"/"shot" after it), not the sentence.
  const mentionEnd =
    m0.end + (/^\s*(?:vaccines?|shots?|booster|immunizations?)\b/i.exec(span.text.slice(m0.end))?.[0].length ?? 0);
  const display = (prose ? span.text.slice(m0.start, mentionEnd) : clause).replace(/[\s,;|]+$/, '').trim();
  const make = (date?: string): ImmunizationItem => {
    const item: ImmunizationItem = {
      kind: 'immunization',
      vaccine: m.value.shortName,
      display,
      codes: [{ system: CodeSystem.cvx, code: m.value.cvx, display: m.value.shortName }],
      negated: false,
      confidence: round(base * m.score * (0.6 + 0.4 * span.confidence)),
      evidence: prose ? evidence(span, m0.start, mentionEnd) : evidence(span, start, end),
    };
    if (date) item.date = date;
    if (lot && /\d/.test(lot)) item.lot = lot;
    return item;
  };
  if (cut && dated.length === 0 && /\b(declined|refused|not given|contraindicated)\b/i.test(rel)) {
    return [{ ...make(), negated: true }];
  }
  if (cut && dated.length === 0) return [];
  if (dated.length === 0) return [make()];
  // A dose history on one line ("Hep B: 01/2001, 03/2001, 09/2001") is one item per dose.
  return [...new Set(dated.map((d) => d.iso))].map((d) => make(d));
}

export function immunizationsIn(span: TextSpan, lex: Lexicons, opts: { base: number; prose: boolean }): ImmunizationItem[] {
  const ms = vaccineMentions(span.text, lex, opts.prose);
  // "Pneumococcal (PPSV23) 2020", "Zoster (Shingrix)": one vaccine named twice, the name in
  // parentheses the more precise one unless it is an "unspecified formulation".
  const starts = new Map<Mention<Vaccine>, number>();
  for (let i = ms.length - 2; i >= 0; i--) {
    const a = ms[i]!;
    const b = ms[i + 1]!;
    if (!/^\s*\(\s*$/.test(span.text.slice(a.end, b.start))) continue;
    const aVague = /unspecified/i.test(a.value.shortName);
    const bVague = /unspecified/i.test(b.value.shortName);
    if (bVague && !aVague) ms.splice(i + 1, 1);
    else {
      starts.set(b, starts.get(a) ?? a.start);
      ms.splice(i, 1);
    }
  }
  const out: ImmunizationItem[] = [];
  ms.forEach((m, i) => {
    const next = ms[i + 1];
    const end = next ? (starts.get(next) ?? next.start) : span.text.length;
    out.push(...itemsFor(m, span, starts.get(m) ?? m.start, end, opts.base, lex, opts.prose));
  });
  return out;
}
