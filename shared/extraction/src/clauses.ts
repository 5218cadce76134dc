import { slice } from './evidence.ts';
import type { Run } from './run.ts';
import { sectionOf, type SectionKind } from './sections.ts';

/**
 * Stage 3b — labelled clauses inside prose. A note's narrative often carries its sections as
 * labels within running sentences: "…feels well. Past Medical Hx: chronic sinusitis, appendicitis.
 * Surgical Hx: carpal tunnel release (2016). Allergies: tree pollen (sneezing). FHx: brother with
 * melanoma. Last influenza vaccine 10/31/2020." Each label that names a section (the section
 * vocabulary, with its colon) opens a clause of that kind where it stands — at the start of a line
 * or after a sentence or list end. A clause opened inside a line ends with its sentence, so the
 * sentence after it ("Last influenza vaccine …", "Walk several times daily") is read as the prose it
 * is. A list clause (medications, allergies, conditions …) opened at the start of a line runs on to
 * the next label, a blank line or the paragraph's end, since such lists are also written with full
 * stops between entries; a clause of statements (family, social, narrative, results) ends with its
 * sentence wherever it starts. Table runs are left alone.
 */
export function labelledClauses(run: Run): Run[] {
  if (run.table || run.lines.length === 0) return [run];
  const cuts = run.lines.map(({ span }, i) => labelsIn(span.text, i === 0 && !!run.inline));
  if (!cuts.some((c) => c.length > 0)) return [run];

  // The kind the text returns to when a clause ends: the run's own, or prose when the run itself
  // was opened by an inline label.
  const base: Run = run.inline ? { kind: 'narrative', lines: [] } : { ...run, lines: [] };
  const out: Run[] = [];
  let current: Run = run.inline ? { ...run, lines: [] } : { ...base, lines: [] };
  let clause = !!run.inline;
  // A clause whose label stands after a sentence on its line ends with its own sentence, whatever its kind.
  let midSentence = false;
  out.push(current);
  const open = (next: Run) => {
    current = next;
    out.push(current);
  };

  run.lines.forEach(({ line, span }, li) => {
    // A blank line or a new page ends a list clause too.
    if (clause && li > 0 && (line.gapBefore || line.page !== run.lines[li - 1]!.line.page)) {
      open({ ...base, lines: [] });
      clause = false;
    }
    const labels = cuts[li]!;
    let at = 0;
    const push = (until: number) => {
      // The full stop or semicolon that closed the clause is not part of its text.
      let end = until;
      while (at < end && /\s/.test(span.text[at]!)) at++;
      while (end > at && /[\s.;]/.test(span.text[end - 1]!)) end--;
      if (end <= at) {
        at = until;
        return;
      }
      // After the trims above the piece starts and ends with text.
      const piece = at === 0 && end === span.text.length ? span : slice(span, at, end);
      current.lines.push({
        line: piece === span ? line : { ...line, span: piece, cells: [piece], gapBefore: at === 0 ? line.gapBefore : false },
        span: piece,
      });
      at = until;
    };
    let li2 = 0;
    for (;;) {
      const nextLabel = labels[li2];
      // A statement clause ends at its sentence's end.
      const stop = clause && (midSentence || STATEMENTS.has(current.kind)) ? sentenceEnd(span.text, at) : undefined;
      if (stop !== undefined && (nextLabel === undefined || stop <= nextLabel.start)) {
        push(stop);
        open({ ...base, lines: [] });
        clause = false;
        continue;
      }
      if (nextLabel === undefined) break;
      push(nextLabel.start);
      at = nextLabel.textStart;
      open({ kind: nextLabel.kind, lines: [], heading: nextLabel.label, named: true });
      clause = true;
      midSentence = nextLabel.start > 0;
      li2++;
    }
    push(span.text.length);
  });
  return out.filter((r) => r.lines.length > 0);
}

/** Kinds whose clause is a statement of one sentence rather than a list. */
const STATEMENTS = new Set<SectionKind | undefined>(['family', 'social', 'narrative', 'results', 'patient', 'other']);

interface Label {
  /** Where the label starts. */
  start: number;
  /** Where the clause's text starts, after the colon. */
  textStart: number;
  label: string;
  kind: SectionKind;
}

/** "Label:" at the start (unless the run's own inline label is there) or after a full stop or semicolon. */
const LABEL = /(?:^|(?<=[.;]\s{1,3}))([A-Z][A-Za-z/&' -]{0,30}?[A-Za-z])\s?:(?:\s+|(?=\S)|$)/g;

function labelsIn(text: string, skipStart: boolean): Label[] {
  const out: Label[] = [];
  for (const m of text.matchAll(LABEL)) {
    if (m.index === 0 && skipStart) continue;
    const label = m[1]!;
    if (label.split(/\s+/).length > 4) continue;
    // Inside parentheses a colon is a detail ("(2016, Dr. Okafor: Pioneer Valley)").
    if (depth(text, m.index) > 0) continue;
    const kind = sectionOf(`${label}:`);
    // "DOB:" inside a sentence is an identity detail; "PCP: Dr. Bell" is read with its role by the prose reader.
    if (!kind || kind === 'patient' || kind === 'providers') continue;
    // A label that names a social-history topic ("Alcohol: none") is part of what the clause says.
    const topic = kind === 'social' && SOCIAL_TOPIC.test(label);
    out.push({ start: m.index, textStart: topic ? m.index : m.index + m[0].length, label, kind });
  }
  return out;
}

const SOCIAL_TOPIC = /\b(?:tobacco|smok\w*|alcohol|etoh|drinks?|drugs?|substances?|vap\w*|nicotine|cigarettes?)\b/i;

const ABBREVIATION = /\b(?:dr|mr|mrs|ms|st|jr|sr|vs|no|approx|dept|e\.g|i\.e|etc)$/i;

/** The end (just after the full stop) of the sentence running from `from`, or undefined when the line ends first without one. */
function sentenceEnd(text: string, from: number): number | undefined {
  const re = /[.!?](?=\s|$)/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const before = text.slice(from, m.index);
    if (ABBREVIATION.test(before) || depth(text, m.index, from) > 0) continue;
    return m.index + 1;
  }
  return undefined;
}

function depth(text: string, at: number, from = 0): number {
  let d = 0;
  for (let i = from; i < at; i++) {
    if (text[i] === '(') d++;
    else if (text[i] === ')' && d > 0) d--;
  }
  return d;
}
