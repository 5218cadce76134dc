import type { Line, PageText, Word } from '@intake/core';

/**
 * Stage 1b — check marks. On a filled-in form the box is often drawn (no text) and the mark is a
 * glyph of its own ("X", "✓"), written in another font and size, so text order puts it on a line
 * of its own or beside the wrong word. A mark is moved to the option it ticks — the nearest word
 * to its right on the same visual row — as the glyph "☒", so the readers after this stage see
 * "☒ No" and "☒ Asthma". A mark with no option beside it is left alone. Then the unticked
 * options of a form come off their lines (dropUnticked, stage 1d).
 */

export const MARK = '☒';
const MARK_RE = /^[xX✓✔✗☒☑]$/;

interface Ref {
  line: number;
  word: number;
  w: Word;
}

export function attachMarks(page: PageText): PageText {
  const refs: Ref[] = [];
  page.lines.forEach((l, li) => l.words.forEach((w, wi) => refs.push({ line: li, word: wi, w })));
  const marks = refs.filter((r) => MARK_RE.test(r.w.text.trim()) && isolated(r, page.lines[r.line]!));
  if (marks.length === 0) return dropUnticked(page);
  const moves: { mark: Ref; to: Ref }[] = [];
  for (const m of marks) {
    const [x0, y0, x1, y1] = m.w.bbox;
    const h = y1 - y0;
    let best: Ref | undefined;
    for (const r of refs) {
      if (r === m || MARK_RE.test(r.w.text.trim())) continue;
      const cy = (r.w.bbox[1] + r.w.bbox[3]) / 2;
      if (cy < y0 - 0.15 * h || cy > y1 + 0.15 * h) continue;
      const rh = r.w.bbox[3] - r.w.bbox[1];
      const gap = r.w.bbox[0] - x1;
      if (gap < -0.3 * (x1 - x0) || gap > 3 * Math.max(rh, 0.5 * h)) continue;
      if (!best || r.w.bbox[0] < best.w.bbox[0]) best = r;
    }
    if (best) moves.push({ mark: m, to: best });
  }
  if (moves.length === 0) return dropUnticked(page);
  const drop = new Set(moves.map((m) => `${m.mark.line}:${m.mark.word}`));
  const insert = new Map<number, Word[]>();
  for (const { mark, to } of moves) {
    const list = insert.get(to.line) ?? [];
    // The mark sits just before the option, so the option's cell starts with it.
    const bx = Math.max(mark.w.bbox[0], to.w.bbox[0] - (mark.w.bbox[2] - mark.w.bbox[0]) - 2);
    list.push({ text: MARK, bbox: [bx, to.w.bbox[1], to.w.bbox[0] - 1, to.w.bbox[3]], confidence: mark.w.confidence });
    insert.set(to.line, list);
  }
  const lines: Line[] = [];
  page.lines.forEach((l, li) => {
    const words = l.words.filter((_, wi) => !drop.has(`${li}:${wi}`)).concat(insert.get(li) ?? []);
    if (words.length === 0) return;
    words.sort((a, b) => a.bbox[0] - b.bbox[0]);
    lines.push({ ...l, words, text: words.map((w) => w.text).join(' ') });
  });
  return dropUnticked({ ...page, lines, text: lines.map((l) => l.text).join('\n') });
}

/** A mark glyph, not the letter x inside a word or a list ("x-ray", "2 x daily"): alone on its line or set apart. */
function isolated(r: Ref, line: Line): boolean {
  const ws = line.words;
  if (ws.length === 1) return true;
  const h = r.w.bbox[3] - r.w.bbox[1];
  const lineH = line.bbox[3] - line.bbox[1];
  const prev = ws[r.word - 1];
  const next = ws[r.word + 1];
  // Numbers around an "x" make it a multiplication ("2 x 5 mg").
  if ((prev && /\d$/.test(prev.text)) || (next && /^\d/.test(next.text))) return false;
  if (r.w.text !== 'X' && r.w.text !== 'x') return true;
  // A taller glyph than the line's text is handwriting.
  return h > 1.25 * Math.min(lineH, ...ws.filter((w) => w !== r.w).map((w) => w.bbox[3] - w.bbox[1]));
}

/** An empty box as OCR reads it: "[]", "[ ]", "{1", "(1", "[)", "(J", "[(]", "LJ", "C]". */
const EMPTY_BOX = /^[.,:;'‘’"]{0,2}(?:[[({][\])}|1lIJ([{2]{1,2}|LJ|L]|C]|E]|☐|□)[.,:;]{0,2}$/;
/** A ticked box as OCR reads it: "[X]", "[X|", "(x)", "[✓", "X]", "[v]", "[¥]". */
const TICKED_BOX = /^(?:[[({]\s?[xX×✓✔✗vV¥%*]\s?[\])}|]?|[xX×✓✔][\])}]|☑|☒|■)$/;

/**
 * Stage 1c — boxes read by OCR. On a scanned or faxed form OCR reads a box as bracket-like
 * glyphs in front of its option: an empty one becomes "☐", a ticked one "☒", so the readers after
 * this stage see the same marks as on a text layer ("☐ Asthma" is an option nobody ticked).
 * Only on a page with at least two such boxes in front of words (a form), so a stray "(1" in
 * prose is left alone.
 */
export function readBoxes(page: PageText): PageText {
  const found: { line: number; word: number; ticked: boolean; span: number }[] = [];
  page.lines.forEach((l, li) => {
    for (let wi = 0; wi < l.words.length - 1; wi++) {
      // A pen stroke or speck before the box reads as "_", "-" or a quote ("_[X", "'[]").
      let t = l.words[wi]!.text.trim().replace(/^[_'‘’"`~-]{1,2}(?=[[({])/, '');
      let span = 1;
      // "[ ]" read as two words.
      if (/^[[(]$/.test(t) && /^[\])]$/.test(l.words[wi + 1]!.text.trim()) && wi + 2 < l.words.length) {
        t = '[]';
        span = 2;
      }
      const next = l.words[wi + span]?.text ?? '';
      if (!/^[A-Za-z]/.test(next)) continue;
      if (TICKED_BOX.test(t) && /[[({|\]})]|☑|☒|■/.test(t)) found.push({ line: li, word: wi, ticked: true, span });
      else if (EMPTY_BOX.test(t)) found.push({ line: li, word: wi, ticked: false, span });
    }
  });
  if (found.length < 2) return page;
  // On a line of boxes, weaker readings of a box too: "O", "OD", "0" before an option, and a box
  // glued to its option ("[)Cancer", "(Heart disease / heart attack" with no closing bracket).
  const glued = new Map<string, string>();
  for (const li of new Set(found.map((f) => f.line))) {
    const l = page.lines[li]!;
    l.words.forEach((w, wi) => {
      if (found.some((f) => f.line === li && wi >= f.word && wi < f.word + f.span)) return;
      const next = l.words[wi + 1]?.text ?? '';
      if (/^(?:O|OD|0|Oo|D)$/.test(w.text) && /^[A-Z][a-z]/.test(next))
        found.push({ line: li, word: wi, ticked: false, span: 1 });
      const g = /^([[({][\])}|1lIJ([{]{0,2})([A-Z][a-z].*)$/.exec(w.text);
      if (g && !/[\])}]/.test(g[2]!) && !l.words.slice(wi + 1, wi + 6).some((x) => /[)\]]/.test(x.text))) {
        glued.set(`${li}:${wi}`, g[2]!);
        found.push({ line: li, word: wi, ticked: false, span: 1 });
      }
    });
  }
  const at = new Map(found.map((f) => [`${f.line}:${f.word}`, f]));
  const lines: Line[] = page.lines.map((l, li) => {
    if (!found.some((f) => f.line === li)) return l;
    const words: Word[] = [];
    for (let wi = 0; wi < l.words.length; wi++) {
      const f = at.get(`${li}:${wi}`);
      if (!f) {
        words.push(l.words[wi]!);
        continue;
      }
      const first = l.words[wi]!;
      const last = l.words[wi + f.span - 1]!;
      const rest = glued.get(`${li}:${wi}`);
      if (rest) {
        // The box and its option in one word box: split it at the first letter.
        const [x0, y0, x1, y1] = first.bbox;
        const cut = x0 + Math.round(((x1 - x0) * (first.text.length - rest.length)) / first.text.length);
        words.push({ text: EMPTY, bbox: [x0, y0, Math.max(x0, cut - 1), y1], confidence: first.confidence });
        words.push({ text: rest, bbox: [cut, y0, x1, y1], confidence: first.confidence });
        continue;
      }
      words.push({
        text: f.ticked ? MARK : EMPTY,
        bbox: [first.bbox[0], Math.min(first.bbox[1], last.bbox[1]), last.bbox[2], Math.max(first.bbox[3], last.bbox[3])],
        confidence: first.confidence,
      });
      wi += f.span - 1;
    }
    return { ...l, words, text: words.map((w) => w.text).join(' ') };
  });
  return { ...page, lines, text: lines.map((l) => l.text).join('\n') };
}

export const EMPTY = '☐';
const EMPTY_GLYPH = /^[☐□]$/;
const BOX_GLYPH = /^[☐□☒☑■]$/;

/** A yes/no answer: before a capitalised word its option is that one word ("☐ No If yes, how much:"), not "☐ No allergies". */
const ANSWER_WORD = /^(?:yes|no|n\/a|unsure|unknown)[.:;]?$/i;
/** A ticked "Yes" with nothing of its own to say ("☒ Yes, list below:"): the list follows it. */
const BARE_YES = /^☒\s*yes\b[\s,.:;()-]*(?:(?:please\s+)?(?:list|explain|describe|specify|give)\b[^:]*:?)?\s*$/i;

/**
 * Stage 1d (run by attachMarks) — an unticked option is no answer. On a form (a page with at
 * least two box glyphs in front of words: boxes the reader found drawn in a PDF or on an image,
 * "☐"/"☒" in a text layer, marks attachMarks moved), the words of an empty box's option — up to the next box or a gap between cells, or
 * one word for a yes/no answer before a new capitalised phrase — come off the line with their box: "☐ Asthma ☒ Stroke" reads
 * "☒ Stroke", "Allergies ☐ None" reads "Allergies", "Smoke? ☐ Yes ☒ No If yes, how much:" reads
 * "Smoke? ☒ No If yes, how much:", and a line of unticked options goes. A line left with only a ticked
 * "Yes" ("☒ Yes, list below:") goes too: what was ticked is the list under it. A box with no
 * words after it stays.
 */
export function dropUnticked(page: PageText): PageText {
  const boxed = page.lines.reduce(
    (n, l) => n + l.words.filter((w, i) => BOX_GLYPH.test(w.text) && i + 1 < l.words.length && /\p{L}/u.test(l.words[i + 1]!.text)).length,
    0,
  );
  if (boxed < 2) return page;
  let changed = false;
  const lines: Line[] = [];
  for (const l of page.lines) {
    if (!l.words.some((w) => BOX_GLYPH.test(w.text))) {
      lines.push(l);
      continue;
    }
    const hs = l.words.map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
    const h = hs[Math.floor(hs.length / 2)]!;
    const keep: Word[] = [];
    for (let i = 0; i < l.words.length; i++) {
      const w = l.words[i]!;
      if (!EMPTY_GLYPH.test(w.text) || i + 1 >= l.words.length || BOX_GLYPH.test(l.words[i + 1]!.text)) {
        keep.push(w);
        continue;
      }
      // The option: up to the next box or a gap wider than a cell gap; a yes/no answer is one word.
      let j = i + 1;
      if (!ANSWER_WORD.test(l.words[j]!.text) || !/^[A-Z]/.test(l.words[j + 1]?.text ?? 'A'))
        while (j + 1 < l.words.length && !BOX_GLYPH.test(l.words[j + 1]!.text) && l.words[j + 1]!.bbox[0] - l.words[j]!.bbox[2] <= 1.2 * h) j++;
      changed = true;
      i = j;
    }
    if (keep.every((w) => BOX_GLYPH.test(w.text)) || BARE_YES.test(keep.map((w) => w.text).join(' '))) {
      changed = true;
      continue;
    }
    if (keep.length === l.words.length) {
      lines.push(l);
      continue;
    }
    lines.push(lineOf(l, keep));
  }
  if (!changed) return page;
  return { ...page, lines, text: lines.map((l) => l.text).join('\n') };
}

function lineOf(l: Line, words: Word[]): Line {
  const bbox: Line['bbox'] = [
    Math.min(...words.map((w) => w.bbox[0])),
    Math.min(...words.map((w) => w.bbox[1])),
    Math.max(...words.map((w) => w.bbox[2])),
    Math.max(...words.map((w) => w.bbox[3])),
  ];
  return { ...l, words, bbox, text: words.map((w) => w.text).join(' ') };
}
