import { CodeSystem, type Code, type MedicationItem } from '@intake/core';
import { findClinicalDrug, type DrugConcept } from '@intake/vocab';
import { findDates } from './dates.ts';
import { evidence, type TextSpan } from './evidence.ts';
import { DRUG_STOPWORDS, type Lexicons } from './lexicons.ts';
import { findMentions, type Mention } from './mentions.ts';
import { parseSig, parseStrength } from './sig.ts';

/** Drug names in a text, OCR-tolerant; common-word names only when a strength or sig follows. */
export function drugMentions(text: string, lex: Lexicons, opts: { fuzzy: boolean }): Mention<DrugConcept>[] {
  const found = findMentions(text, lex.rx.names, { maxWords: 4, fuzzy: opts.fuzzy, minFuzzyLength: 6, minLength: 3 });
  return found.filter((m, i) => {
    const term = text.slice(m.start, m.end);
    // Vaccines are immunizations, not medications (Shingrix is also an RxNorm brand).
    if (
      /vaccine|virus|toxoid|antigen|globulin|glycoprotein|pneumococcal|meningococcal/i.test(m.value.ingredient) ||
      lex.cvx.names.get(term)
    )
      return false;
    const single = !/\s/.test(term);
    const next = found[i + 1]?.start ?? text.length;
    const tail = text.slice(m.end, Math.min(next, m.end + 40));
    const hasStrength = /^\W{0,3}\d+(?:\.\d+)?\s*(mg|mcg|g|ml|units?|%|meq)\b/i.test(tail);
    const hasSig = hasStrength || /\b\d+(\.\d+)?\s*(mg|mcg|g|ml|units?|%)\b|\b(tab|cap|po|bid|tid|qd|daily|prn)\b/i.test(tail);
    // A common word that is also a drug name ("Active" ~ Factive, "Today") needs a strength right after it.
    if (single && (DRUG_STOPWORDS.has(term.toLowerCase()) || (m.score < 1 && DRUG_STOPWORDS.has(m.term))) && !hasStrength)
      return false;
    if (
      m.score < 1 &&
      /^(topical(ly)?|active|inactive|orally|daily|nightly|weekly|monthly|hourly|tablets?|capsules?|inhaled|injection|solution|stopped|started|current|chronic|history|allergic|reaction|screening|negative|positive|normal|patient|provider|physician|medical|surgical|vaccine|influenza|tetanus)$/i.test(
        term,
      )
    )
      return false;
    // Short all-caps abbreviations (ASA, HCTZ) are fine; other short words need a sig.
    if (term.length <= 4 && !/^[A-Z0-9]+$/.test(term) && m.score < 1) return false;
    if (m.score < 1 && !hasSig && term.length < 8) return false;
    return true;
  });
}

/** Dose forms and routes a page names → the words of RxNorm clinical-drug names that carry them. */
const PAGE_FORMS: [RegExp, string][] = [
  [/\bsublingual\b|\bSL\b/, 'sublingual'],
  [/\btransdermal\b|\bpatch(?:es)?\b/i, 'transdermal|patch'],
  [/\bnasal\b/i, 'nasal'],
  [/\bophthalmic\b|\beye drops?\b/i, 'ophthalmic'],
  [/\binhal\w*|\bHFA\b|\bpuffs?\b|\bactuat\w*/i, 'inhal'],
  [/\binject\w*|\bsyringe\b|\bauto-?injector\b|\bvial\b|\bsubcut\w*|\bintramuscular\b/i, 'inject|syringe|pen'],
  [/\b(?:IM|SC|SQ)\b|\bpen\b/, 'inject|syringe|pen'],
  [/\bspray\b/i, 'spray'],
  [/\bcream\b/i, 'cream'],
  [/\bointment\b/i, 'ointment'],
  [/\bgel\b/i, 'gel'],
  [/\bcap(?:sule)?s?\b/i, 'capsule'],
  [/\btab(?:let)?s?\b/i, 'tablet'],
  [/\bsuspension\b/i, 'suspension'],
  [/\b(?:oral )?solution\b|\bsyrup\b|\belixir\b|\bliquid\b/i, 'solution'],
];

function codesFor(concept: DrugConcept, strength: string | undefined, lex: Lexicons, text: string): Code[] {
  const forms = [...new Set(PAGE_FORMS.filter(([re]) => re.test(text)).map(([, f]) => f))];
  if (/\b(?:ER|XR|XL|SR|CR|LA|extended[- ]release|24 ?hr?)\b/.test(text) || /\bextended\b/i.test(text)) forms.push('extended');
  const form = forms.length ? forms.join(';') : undefined;
  const scd = concept.ingredient.includes(' / ') ? undefined : findClinicalDrug(lex.rx, concept.ingredient, strength, form);
  if (scd) return [{ system: CodeSystem.rxnorm, code: scd.rxcui, display: scd.name }];
  const code = concept.ingredientRxcui ?? (concept.tty === 'MIN' ? concept.rxcui : undefined);
  return code ? [{ system: CodeSystem.rxnorm, code, display: concept.ingredient }] : [];
}

/**
 * "Lipitor 20, Norvasc 5", "ASA 81": a bare number right after the drug is its strength when the
 * drug is marketed in that many mg (or mcg).
 */
function bareStrength(concept: DrugConcept, after: string, lex: Lexicons): string | undefined {
  const m =
    /^\s*(\d+(?:\.\d+)?)(?![\d.]|\s*(?:%|\/|-\s*\d|x\b|(?:mg|mcg|ug|g|gm|ml|units?|u|iu|meq|tabs?|tablets?|caps?|capsules?|puffs?|sprays?|drops?|pills?|doses?)\b))/i.exec(
      after,
    );
  if (!m || concept.ingredient.includes(' / ')) return undefined;
  for (const unit of ['mg', 'mcg']) {
    const strength = `${m[1]} ${unit}`;
    if (findClinicalDrug(lex.rx, concept.ingredient, strength, undefined)) return strength;
  }
  return undefined;
}

let combinations: Set<string> | undefined;
function knownCombination(lex: Lexicons, ingredients: string): boolean {
  combinations ??= new Set([...lex.rx.ingredientsOf.values()].filter((v) => v.includes(' / ')));
  return combinations.has(ingredients);
}

export interface MedicationContext {
  /** Base confidence for where the text was found (a medication list, a table, prose). */
  base: number;
  fuzzy: boolean;
  /** In a list section a line without a known drug may still be a drug (name + strength). */
  list: boolean;
}

/**
 * Medications in one span: each drug mention starts an item that runs to the next mention. A
 * parenthesised generic right after a brand ("Norvasc (amlodipine)") belongs to the brand's item.
 */
export function medicationsIn(span: TextSpan, lex: Lexicons, ctx: MedicationContext): MedicationItem[] {
  const text = span.text;
  let mentions = drugMentions(text, lex, { fuzzy: ctx.fuzzy });
  // Combination products ("Amoxicillin 250 MG / Clavulanate 125 MG") become one item; a generic
  // in brackets after a brand ("Norvasc (amlodipine)") belongs to the brand's item.
  const merged: Mention<DrugConcept>[] = [];
  for (const m of mentions) {
    const prev = merged[merged.length - 1];
    if (prev) {
      const between = text.slice(prev.end, m.start);
      if (
        /^\s*[([]\s*$/.test(between) ||
        (/^[\s\w.]*\(\s*$/.test(between) && between.length < 25) ||
        // The same drug named again in the same clause ("metFORMIN (GLUCOPHAGE)"), not in the next sentence.
        (prev.value.ingredient === m.value.ingredient && !/[.;!?](?:\s|$)/.test(between))
      )
        continue;
      if (
        /^[\s.,:;'’]*(?:\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|%|units?|meq)(?:\/ml)?[\s.,]*)?(?:\/|\+|&|-|and|with)[\s.,'’]*(?:\d+(?:\.\d+)?\s*(?:mg|mcg|ml)\s*)?$/i.test(
          between,
        ) &&
        between.length < 30
      ) {
        const names = [...new Set([...prev.value.ingredient.split(' / '), ...m.value.ingredient.split(' / ')])].sort();
        // "lisinopril and metformin" is two drugs; "amlodipine and benazepril" is one product.
        if (
          /\b(?:and|with)\b/i.test(between) &&
          !knownCombination(lex, names.join(' / ')) &&
          !/^\s*\d+(?:\.\d+)?\s*[-/]\s*\d+(?:\.\d+)?\s*(?:mg|mcg)\b/i.test(text.slice(m.end))
        ) {
          merged.push(m);
          continue;
        }
        merged[merged.length - 1] = {
          ...prev,
          end: m.end,
          value: { ingredient: names.join(' / '), tty: 'MIN', name: text.slice(prev.start, m.end) },
          score: Math.min(prev.score, m.score),
        };
        continue;
      }
    }
    merged.push(m);
  }
  mentions = merged;
  const items: MedicationItem[] = [];
  if (!ctx.list) {
    // Prose: an unknown drug name written with a strength ("takes Terfenadine 60 mg").
    const re = /\b([A-Z][a-z]{4,}(?:\s+[a-z]{4,})?)\s+\d+(?:\.\d+)?\s*(?:mg|mcg)\b/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (mentions.some((x) => m!.index < x.end && m!.index + m![0].length > x.start)) continue;
      const word = m[1]!.toLowerCase();
      if (
        DRUG_STOPWORDS.has(word.split(' ')[0]!) ||
        /^(takes?|taking|uses?|using|given|started|prescribed|about|total|daily|every)$/.test(word.split(' ')[0]!)
      )
        continue;
      const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 60).split(/[.;](?:\s|$)/)[0]!;
      items.push(
        build(
          word.split(' ')[0]!,
          `${m[0]}${rest}`,
          [],
          parseSig(m[0] + rest),
          m[0] + rest,
          span,
          m.index,
          m.index + m[0].length + rest.length,
          ctx.base * 0.55,
        ),
      );
    }
  }
  if (mentions.length === 0) {
    if (!ctx.list) return items;
    // An unknown drug in a medication list: "Xyzzimab 40 mg SC every 2 weeks".
    const m =
      /^\s*(?:[-•*·]|\d{1,2}[.)])?\s*([A-Za-z][A-Za-z-]{3,}(?:\s+[A-Za-z][A-Za-z-]{2,}){0,2})\s+\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|units?|%)\b/i.exec(
        text,
      );
    if (!m) return items;
    const name = m[1]!.toLowerCase();
    if (DRUG_STOPWORDS.has(name.split(' ')[0]!)) return items;
    const sig = parseSig(text);
    items.push(build(name, m[1]!, [], sig, text, span, 0, text.length, ctx.base * 0.6));
    return items;
  }
  mentions.forEach((m, i) => {
    // A drug's clause runs to the next drug or the end of its sentence.
    const next = mentions[i + 1]?.start ?? text.length;
    const stop = /[.;!?](?=\s|$)|\s(?:and|but|also|she|he|they)\s(?=[a-z]+ )/.exec(text.slice(m.end, next));
    const end = stop && /[.;!?]/.test(stop[0]) ? m.end + stop.index : next;
    const clause = text.slice(m.start, end);
    const sig = parseSig(clause.slice(m.end - m.start));
    const strength = sig.strength ?? parseStrength(clause) ?? bareStrength(m.value, text.slice(m.end, end), lex);
    // In prose a name read only approximately (OCR) is a drug when its clause says how it is taken.
    if (!ctx.list && m.score < 0.95 && !strength && !sig.frequency && !sig.route && !sig.dose) return;
    const codes = codesFor(m.value, strength, lex, clause);
    // The text before the first drug (a bullet, "She takes") is not part of the display.
    const display = clause.replace(/[\s,;|]+$/, '').trim();
    items.push(
      build(
        m.value.ingredient,
        display,
        codes,
        { ...sig, ...(strength ? { strength } : {}) },
        clause,
        span,
        m.start,
        end,
        ctx.base * m.score,
        ctx.list,
      ),
    );
  });
  return items;
}

function build(
  name: string,
  display: string,
  codes: Code[],
  sig: ReturnType<typeof parseSig>,
  clause: string,
  span: TextSpan,
  start: number,
  end: number,
  confidence: number,
  list = true,
): MedicationItem {
  let dates = findDates(clause, { yearOnly: /\b(since|started|start|began|from|initiated|in)\b/i.test(clause) });
  // In prose a date is the start date only when the text says so ("started in 2019").
  if (!list)
    dates = dates.filter((d) =>
      /\b(since|started|start(?:ed)? on|began|initiated|from|in)\s*$/i.test(clause.slice(Math.max(0, d.start - 16), d.start)),
    );
  const item: MedicationItem = {
    kind: 'medication',
    name,
    display: display.length > 160 ? display.slice(0, 160) : display,
    codes,
    negated: false,
    confidence: round(confidence * (0.6 + 0.4 * span.confidence)),
    evidence: evidence(span, start, end),
  };
  if (sig.strength) item.strength = sig.strength;
  if (sig.dose) item.dose = sig.dose;
  if (sig.route) item.route = sig.route;
  if (sig.frequency) item.frequency = sig.frequency;
  if (sig.status) item.status = sig.status;
  if (dates[0]) item.date = dates[0].iso;
  return item;
}

export function round(n: number): number {
  return Math.max(0, Math.min(1, Math.round(n * 100) / 100));
}
