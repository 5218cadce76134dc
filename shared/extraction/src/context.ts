import type { ConditionItem } from '@intake/core';
import { lazy, readDataFile } from '@intake/vocab';
import { evidence, type TextSpan } from './evidence.ts';

/**
 * Stage 4 — context, in the ConText style: what the words around a mention say about it
 * (negated, a family member's, hypothetical), and what a section-level statement says about a
 * whole section. The triggers are data (`shared/vocab/data/context-triggers.tsv`,
 * `section-negatives.tsv`); a trigger's scope runs forward to the mention and ends at a clause
 * terminator (punctuation, "but", "however", "except").
 */

export type Context = 'family' | 'hypothetical' | 'negated' | 'affirmed';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const triggers = lazy(() => {
  const by: Record<string, string[]> = { negated: [], family: [], hypothetical: [], terminator: [] };
  for (const line of readDataFile('context-triggers.tsv').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [phrase, category] = line.split('\t');
    if (phrase && category && by[category.trim()]) by[category.trim()]!.push(phrase.trim());
  }
  const re = (list: string[]) =>
    new RegExp(
      `(?:^|[^\\w?])(?:${list
        .sort((a, b) => b.length - a.length)
        .map((p) => (/^\w/.test(p) ? `${escape(p)}${/\w$/.test(p) ? '\\b' : ''}` : escape(p)))
        .join('|')})`,
      'i',
    );
  return {
    negated: re(by.negated!),
    family: re(by.family!),
    hypothetical: re(by.hypothetical!),
    terminator: new RegExp(`[.;:!?]|${by.terminator!.map((t) => `\\b${escape(t)}\\b`).join('|')}`, 'i'),
  };
});

/** Context of a mention from the words before it in its clause (at most 60 characters back). */
export function contextOf(before: string): Context {
  const t = triggers();
  const parts = before.split(t.terminator);
  const w = (parts[parts.length - 1] ?? '').slice(-60);
  if (t.family.test(w)) return 'family';
  if (t.hypothetical.test(w)) return 'hypothetical';
  if (t.negated.test(w)) return 'negated';
  return 'affirmed';
}

const sectionNegatives = lazy(() =>
  readDataFile('section-negatives.tsv')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => new RegExp(l.trim(), 'i')),
);

/** "No past surgical history.", "None recorded.", "No screenings documented.": the section holds nothing. */
export function isSectionNegative(text: string): boolean {
  const t = text
    .trim()
    .replace(/^\s*(?:[-•*·▪►]|\d{1,2}[.)])\s*/, '')
    .replace(/[\s.]+$/, '')
    .trim();
  if (!t || t.length > 80) return false;
  return sectionNegatives().some((re) => re.test(t) || re.test(`${t}.`));
}

/** Social-history topics whose denial is a pertinent negative (OUTPUT.md: a negated condition). */
const TOPICS: [RegExp, string][] = [
  [/\b(tobacco|smok\w*|cigarettes?|nicotine|vap\w*)\b/i, 'tobacco use'],
  [/\b(alcohol|etoh|drinks?|drinking)\b/i, 'alcohol use'],
  [/\b(recreational|illicit|street) drugs?\b|\bdrug use\b|\bsubstance use\b/i, 'drug use'],
];
const DENIAL = /\b(never|no|none|denies|denied|non-?smoker|nonsmoker|does not|doesn't|do not|don't|not a|negative)\b/i;
const AFFIRM = /\b(yes|current|daily|every day|former|quit|smokes|drinks|occasional(?:ly)?|rarely|socially|weekly|packs?|ppd)\b/i;

/** "Tobacco Use | Never — patient denies tobacco use" → a negated "tobacco use" condition. */
export function socialNegative(topic: TextSpan, answer: TextSpan | undefined, base = 0.85): ConditionItem | undefined {
  const name = TOPICS.find(([re]) => re.test(topic.text))?.[1];
  if (!name) return undefined;
  const a = answer?.text ?? topic.text.replace(TOPICS.find(([re]) => re.test(topic.text))![0], '');
  if (!DENIAL.test(a) || AFFIRM.test(a.replace(/\bno\b.*$/i, ''))) return undefined;
  const span = answer ?? topic;
  return {
    kind: 'condition',
    name,
    display: (answer ? `${topic.text.trim()}: ${answer.text.trim()}` : topic.text.trim()).slice(0, 120),
    codes: [],
    negated: true,
    confidence: base,
    evidence: evidence(span),
  };
}
