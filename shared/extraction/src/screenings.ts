import { CodeSystem, type ScreeningItem, type ScreeningType } from '@intake/core';
import type { ScreeningCode } from '@intake/vocab';
import { findDates } from './dates.ts';
import { evidence, type TextSpan } from './evidence.ts';
import type { Lexicons } from './lexicons.ts';
import { findMentions } from './mentions.ts';
import { round } from './medications.ts';

const RESULT_PATTERNS = [
  /\bbi-?rads\s*(?:category|cat\.?)?\s*:?\s*[0-6][a-c]?\b(?:\s*[-–(,]\s*[a-z ]{3,30}\)?)?/i,
  /\b(?:no|\d+|one|two|three|four|five|several|multiple)\s+(?:small\s+|tubular\s+|adenomatous\s+|hyperplastic\s+)?(?:polyps?|adenomas?)(?:\s+(?:found|removed|seen|noted|resected))?\b/i,
  /\b(?:tubular|villous|tubulovillous|sessile serrated|adenomatous|hyperplastic)\s+(?:adenomas?|polyps?)(?:\s*x\s*\d+)?/i,
  /\bt-?score\s*:?\s*[-−–]?\s*\d+(?:\.\d+)?\b/i,
  /\bT\s*[:=]?\s*[-−–]\s?\d(?:\.\d+)?\b/,
  /\b\d+(?:\.\d+)?\s*ng\/ml\b/i,
  /\b(?:nilm|asc-?us|asc-h|lsil|hsil|agc)\b/i,
  /\b(?:negative for intraepithelial lesion(?: or malignancy)?)\b/i,
  /\b(?:osteopenia|osteoporosis)\b/i,
  /\b(?:within normal limits|wnl|unremarkable|normal|abnormal|negative|positive|benign|no evidence of malignancy|diverticulosis|hemorrhoids|lung-rads\s*\d[a-z]?)\b/i,
];

/** A result phrase ("BI-RADS 1", "2 polyps removed", "normal") in the text after the test name. */
export function resultOf(text: string): string | undefined {
  for (const re of RESULT_PATTERNS) {
    const m = re.exec(text);
    if (m) return m[0].trim().replace(/\s+/g, ' ');
  }
  return undefined;
}

const PLANNED =
  /\b(due|overdue|due soon|soon|next|recommended|scheduled|planned|declined|refused|never had|never done|never|not done|not yet done|to be done|order(?:ed)?|will schedule|repeat in|recall in)\b/i;

export interface ScreeningContext {
  base: number;
  prose: boolean;
}

export function screeningsIn(span: TextSpan, lex: Lexicons, ctx: ScreeningContext): ScreeningItem[] {
  const text = span.text;
  const ms = findMentions(text, lex.loinc.names, { maxWords: 5, fuzzy: true, minFuzzyLength: 7, minLength: 3 }).filter((m) => {
    const t = text.slice(m.start, m.end);
    // Short abbreviations (PSA, FIT, Pap, DXA) must be written as such.
    if (t.length <= 4 && !/^[A-Z]/.test(t)) return false;
    return true;
  });
  // "Pap smear 2020 NILM", "DEXA 2021 T-score -1.8": a second name of the same test right after
  // the first is its result, not another test.
  for (let i = ms.length - 1; i > 0; i--) {
    const m = ms[i]!;
    const own = text.slice(m.end, ms[i + 1]?.start ?? text.length);
    if (
      m.value.type === ms[i - 1]!.value.type &&
      m.value.type !== 'other' &&
      m.start - ms[i - 1]!.end < 25 &&
      findDates(own, { yearOnly: true }).length === 0
    )
      ms.splice(i, 1);
  }
  const out: ScreeningItem[] = [];
  ms.forEach((m, i) => {
    const end = ms[i + 1]?.start ?? text.length;
    const before = text.slice(Math.max(0, m.start - 30), m.start);
    if (/\b(family history|mother|father|sister|brother)\b[^.]*$/i.test(before)) return;
    const clause = text.slice(m.start, end);
    const rel = clause.slice(m.end - m.start);
    const planned = PLANNED.exec(rel);
    const pre = /\b(due for|needs|recommend(?:ed)?|schedule|declined|refused|never had|overdue for)\b[^.]{0,25}$/i.test(before);
    const doneText = planned ? rel.slice(0, planned.index) : rel;
    const dates = findDates(doneText, { yearOnly: true });
    if (pre || (planned && dates.length === 0)) return;
    // A date before the name in prose ("In March 2019 she had a colonoscopy").
    const priorDates = ctx.prose ? findDates(before, { yearOnly: true }) : [];
    const date = dates[0]?.iso ?? priorDates[priorDates.length - 1]?.iso;
    const result = resultOf(dates[0] ? doneText.slice(dates[0].end - 0) || doneText : doneText) ?? resultOf(doneText);
    if (ctx.prose && !date && !result) return;
    out.push(screening(m.value, clause, span, m.start, end, ctx.base * m.score, date, result));
  });
  return out;
}

function screening(
  row: ScreeningCode,
  clause: string,
  span: TextSpan,
  start: number,
  end: number,
  confidence: number,
  date?: string,
  result?: string,
): ScreeningItem {
  const item: ScreeningItem = {
    kind: 'screening',
    type: row.type as ScreeningType,
    display: clause.replace(/[\s,;|]+$/, '').trim(),
    codes: row.loinc ? [{ system: CodeSystem.loinc, code: row.loinc, display: row.display }] : [],
    negated: false,
    confidence: round(confidence * (0.6 + 0.4 * span.confidence)),
    evidence: evidence(span, start, end),
  };
  if (date) item.date = date;
  if (result) item.result = result;
  return item;
}
