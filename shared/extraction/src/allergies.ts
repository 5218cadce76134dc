import { CodeSystem, type AllergyItem } from '@intake/core';
import { normalizeTerm, readDataRows, TermIndex } from '@intake/vocab';
import { evidence, type TextSpan } from './evidence.ts';
import type { Lexicons } from './lexicons.ts';
import { findMentions } from './mentions.ts';
import { drugMentions, round } from './medications.ts';

/** Allergens that are not single drugs: foods, environment, drug classes (substance name as we report it). */
let allergenIndex: TermIndex<string> | undefined;
function allergens(): TermIndex<string> {
  if (!allergenIndex) {
    allergenIndex = new TermIndex<string>(7);
    // Allergen words are data: shared/vocab/data/allergens.tsv.
    for (const [term, substance] of readDataRows('allergens.tsv')) {
      if (term && substance) allergenIndex.add(term.trim(), substance.trim());
    }
  }
  return allergenIndex;
}

/** Reaction words an allergy entry names: data, shared/vocab/data/reactions.tsv. */
const REACTIONS = readDataRows('reactions.tsv').map(([word]) => word!.trim().toLowerCase());
const REACTION_RE = new RegExp(
  `\\b(${REACTIONS.map((r) => r.replace(/[/-]/g, '[-/ ]'))
    .sort((a, b) => b.length - a.length)
    .join('|')})\\b`,
  'gi',
);
export const REACTION_TEST = new RegExp(REACTION_RE.source, 'i');
const SEVERITY_RE = /\b(life[- ]threatening|severe|moderate|mild|serious|high|low)\b/i;

/** "no known allergies" and friends: one negated item. */
export const NKDA_RE =
  /\b(N\.?K\.?D\.?A\.?|N\.?K\.?A\.?|no known (?:drug |medication |food |environmental )?a[l1I]lerg\w{0,4}|no (?:drug |medication )?allergies(?: known| reported| on file)?|allergies\s*:?\s*(?:none|nkda|nka|denied|no known)|denies (?:any )?(?:drug |medication )?allergies|no allergies to medications)\b/i;

export function nkdaItem(span: TextSpan, start: number, end: number, base = 0.95): AllergyItem {
  return {
    kind: 'allergy',
    substance: 'none known',
    display: span.text.slice(start, end).trim(),
    codes: [],
    negated: true,
    confidence: round(base * (0.7 + 0.3 * span.confidence)),
    evidence: evidence(span, start, end),
  };
}

/** Reaction words in a text (joined), and a severity word. */
export function reactionOf(text: string): { reaction?: string; severity?: string } {
  const found = new Set<string>();
  REACTION_RE.lastIndex = 0;
  for (let m = REACTION_RE.exec(text); m; m = REACTION_RE.exec(text)) found.add(m[1]!.toLowerCase());
  const sev = SEVERITY_RE.exec(text)?.[1]?.toLowerCase().replace(/\s+/, '-');
  const out: { reaction?: string; severity?: string } = {};
  if (found.size) out.reaction = [...found].join(', ');
  if (sev) out.severity = sev === 'serious' || sev === 'high' ? 'severe' : sev === 'low' ? 'mild' : sev;
  return out;
}

interface Substance {
  start: number;
  end: number;
  name: string;
  rxcui?: string;
  score: number;
}

/** Substances in a text: drugs (RxNorm), drug classes, foods, environmental allergens. */
export function substancesIn(text: string, lex: Lexicons, fuzzy: boolean): Substance[] {
  const all: Substance[] = [];
  for (const m of drugMentions(text, lex, { fuzzy })) {
    const sub: Substance = { start: m.start, end: m.end, name: m.value.ingredient, score: m.score };
    const code = m.value.ingredientRxcui ?? m.value.rxcui;
    if (code) sub.rxcui = code;
    all.push(sub);
  }
  for (const m of findMentions(text, allergens(), { maxWords: 3, fuzzy, minLength: 3 }))
    all.push({ start: m.start, end: m.end, name: m.value, score: m.score });
  // Overlaps: the longer span, then the surer match, then the drug (it carries a code).
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score);
  const out: Substance[] = [];
  for (const s of all) if (!out.some((o) => s.start < o.end && s.end > o.start)) out.push(s);
  return out.sort((a, b) => a.start - b.start);
}

const NOT_A_SUBSTANCE =
  /^(none|unknown|n\/a|na|reaction|reactions|allergen|substance|severity|type|status|comments?|date|noted|onset|drug|food|environmental|allergy|allergies|intolerance|reviewed|verified|updated|unchanged|no changes)$/i;

/**
 * Allergies on one line of an allergy list. Every line there is an allergy; when the substance is
 * not in any lexicon the text before the reaction is taken as written, with lower confidence.
 */
export function allergiesInList(span: TextSpan, lex: Lexicons, base = 0.92): AllergyItem[] {
  const text = span.text;
  const nk = NKDA_RE.exec(text) ?? /^\s*(none(?: known| reported| on file)?|no known|nka|nkda|no|denies)\s*\.?\s*$/i.exec(text);
  if (nk) return [nkdaItem(span, nk.index, nk.index + nk[0].length, base)];
  const subs = substancesIn(text, lex, true);
  const items: AllergyItem[] = [];
  if (subs.length === 0) {
    const head = /^\s*(?:[-•*·]|\d{1,2}[.)])?\s*([A-Za-z][A-Za-z0-9 '-]{2,40}?)\s*(?:[:(\-–—,|]|$)/.exec(text);
    const raw = head?.[1]?.trim();
    if (!raw || NOT_A_SUBSTANCE.test(raw) || raw.split(/\s+/).length > 4) return items;
    if (REACTION_TEST.test(raw)) return items;
    const name = normalizeTerm(raw.replace(/^allergy to\s+|\s+allergy$/i, ''));
    if (!name) return items;
    return [allergy(name, undefined, text, span, 0, text.length, base * 0.6)];
  }
  subs.forEach((s, i) => {
    const end = subs[i + 1]?.start ?? text.length;
    // "Penicillin, amoxicillin - hives": substances that share one reaction.
    let reactionText = text.slice(s.end, end);
    if (!REACTION_TEST.test(reactionText)) {
      const later = subs
        .slice(i + 1)
        .find((o) => REACTION_TEST.test(text.slice(o.end, subs[subs.indexOf(o) + 1]?.start ?? text.length)));
      if (
        later &&
        /^[\s,/&and]*$/i.test(
          text
            .slice(s.end, later.start)
            .replace(/\b\w+\b/g, (w) => (subs.some((x) => text.slice(x.start, x.end).includes(w)) ? '' : w)),
        )
      ) {
        reactionText = text.slice(later.end, subs[subs.indexOf(later) + 1]?.start ?? text.length);
      }
    }
    items.push(allergy(s.name, s.rxcui, reactionText, span, s.start, end, base * s.score));
  });
  return items;
}

export function allergy(
  substance: string,
  rxcui: string | undefined,
  reactionText: string,
  span: TextSpan,
  start: number,
  end: number,
  confidence: number,
): AllergyItem {
  const { reaction, severity } = reactionOf(reactionText);
  const item: AllergyItem = {
    kind: 'allergy',
    substance,
    display: span.text
      .slice(start, end)
      .replace(/[\s,;|]+$/, '')
      .trim(),
    codes: rxcui ? [{ system: CodeSystem.rxnorm, code: rxcui, display: substance }] : [],
    negated: false,
    confidence: round(confidence * (0.7 + 0.3 * span.confidence)),
    evidence: evidence(span, start, end),
  };
  if (reaction) item.reaction = reaction;
  if (severity) item.severity = severity;
  return item;
}

/** Allergies stated in prose: "allergic to penicillin (hives) and sulfa", "codeine allergy". */
export function allergiesInProse(span: TextSpan, lex: Lexicons): { items: AllergyItem[]; ranges: [number, number][] } {
  const text = span.text;
  const items: AllergyItem[] = [];
  const ranges: [number, number][] = [];
  const nk = NKDA_RE.exec(text);
  if (nk) {
    items.push(nkdaItem(span, nk.index, nk.index + nk[0].length, 0.9));
    ranges.push([nk.index, nk.index + nk[0].length]);
  }
  const trigger =
    /\b(allergic to|allergy to|allergies to|allergies (?:include|are|:)|allergic reactions? to|intoleran(?:t|ce) (?:of|to)|(?:had|has|developed) (?:a |an )?(?:reaction|rash|hives|anaphylaxis) (?:to|with|from)|sensitivity to|reacts to)\b/gi;
  for (let m = trigger.exec(text); m; m = trigger.exec(text)) {
    const from = m.index + m[0].length;
    const stop =
      /[.;](\s|$)|\b(but|however|she|he|they|takes|taking|is on|currently|has|have|carries|carry|uses|keeps|needs|requires)\b/i.exec(
        text.slice(from),
      );
    const to = stop ? from + stop.index : text.length;
    const clause = text.slice(from, to);
    const subs = substancesIn(clause, lex, true);
    subs.forEach((s, i) => {
      const end = from + (subs[i + 1]?.start ?? clause.length);
      items.push(allergy(s.name, s.rxcui, text.slice(from + s.end, end), span, from + s.start, end, 0.85 * s.score));
    });
    ranges.push([m.index, to]);
  }
  // "Penicillin allergy", "sulfa allergy (rash)"
  const post = /\b([A-Za-z][A-Za-z-]{2,30})\s+(allergy|allergies|intolerance)\b/gi;
  for (let m = post.exec(text); m; m = post.exec(text)) {
    if (ranges.some(([a, b]) => m!.index >= a && m!.index < b)) continue;
    if (/\b(no|denies|without|family)\b[^.]{0,20}$/i.test(text.slice(Math.max(0, m.index - 25), m.index))) continue;
    const subs = substancesIn(m[1]!, lex, false);
    const s = subs[0];
    if (!s) continue;
    const tail = /^\s*\(([^)]*)\)/.exec(text.slice(m.index + m[0].length));
    const end = m.index + m[0].length + (tail ? tail[0].length : 0);
    items.push(allergy(s.name, s.rxcui, tail?.[1] ?? '', span, m.index, end, 0.8 * s.score));
    ranges.push([m.index, end]);
  }
  return { items, ranges };
}
