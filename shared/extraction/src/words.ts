import type { Line, PageText, Word } from '@intake/core';

/**
 * Stage 1 — word repair on a text layer. PDF producers write some words as several text items:
 * a ligature glyph ("In" "fl" "uenza", "o" "ffi" "cial") or letter-spaced headings
 * ("PAT I E N T  I N F O R M AT I O N"). Reading them as words would hide the word from every
 * later stage, so the pieces are joined from their geometry: pieces that touch are one word;
 * in a letter-spaced run, only the wider gaps are spaces. OCR'd pages are left as they are.
 */
export function repairWords(page: PageText): PageText {
  if (page.method !== 'text-layer') return page;
  let changed = false;
  const joined = joinSplitLines(page.lines);
  if (joined !== page.lines) changed = true;
  const lines = joined.map((l) => {
    const words = repairLine(l);
    if (words === l.words) return l;
    changed = true;
    return { ...l, words, text: words.map((w) => w.text).join(' ') };
  });
  return changed ? { ...page, lines, text: lines.map((l) => l.text).join('\n') } : page;
}

const LIGATURE = /^(?:fi|fl|ff|ffi|ffl|ft|st)$/;
/** Short words that stand alone: "on fi le" is "on file", "o ffi cial" is "official". */
const SHORT_WORDS = new Set('a an as at be by do go he if in is it me my no of on or so to up us we'.split(' '));

/**
 * A word the producer wrote as its own text run ("In" before the ligature of "fluenza") can come
 * out as a line of its own at the same height as the rest of its line: such lines are joined.
 */
function joinSplitLines(lines: Line[]): Line[] {
  const out: Line[] = [];
  let changed = false;
  for (const l of lines) {
    const h = l.bbox[3] - l.bbox[1];
    const host = out.find((o) => {
      const oh = o.bbox[3] - o.bbox[1];
      const overlap = Math.min(o.bbox[3], l.bbox[3]) - Math.max(o.bbox[1], l.bbox[1]);
      if (overlap < 0.6 * Math.min(h, oh)) return false;
      // Only pieces that touch a word of the other line.
      const near = 0.2 * Math.min(h, oh);
      return o.words.some((w) =>
        l.words.some((v) => Math.abs(v.bbox[0] - w.bbox[2]) <= near || Math.abs(w.bbox[0] - v.bbox[2]) <= near),
      );
    });
    if (!host || (l.words.length > 3 && host.words.length > 3)) {
      out.push(l);
      continue;
    }
    changed = true;
    const words = [...host.words, ...l.words].sort((a, b) => a.bbox[0] - b.bbox[0]);
    const merged: Line = {
      ...host,
      words,
      text: words.map((w) => w.text).join(' '),
      bbox: [
        Math.min(host.bbox[0], l.bbox[0]),
        Math.min(host.bbox[1], l.bbox[1]),
        Math.max(host.bbox[2], l.bbox[2]),
        Math.max(host.bbox[3], l.bbox[3]),
      ],
    };
    out[out.indexOf(host)] = merged;
  }
  return changed ? out : lines;
}

function merge(a: Word, b: Word): Word {
  return {
    text: a.text + b.text,
    bbox: [
      Math.min(a.bbox[0], b.bbox[0]),
      Math.min(a.bbox[1], b.bbox[1]),
      Math.max(a.bbox[2], b.bbox[2]),
      Math.max(a.bbox[3], b.bbox[3]),
    ],
    confidence: Math.min(a.confidence, b.confidence),
  };
}

function repairLine(line: Line): Word[] {
  const ws = line.words;
  if (ws.length < 2) return ws;
  const height = Math.max(1, line.bbox[3] - line.bbox[1]);
  const out: Word[] = [];
  let changed = false;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const prev = out[out.length - 1];
    const gap = prev ? w.bbox[0] - prev.bbox[2] : Infinity;
    const letters = prev && /\p{L}$/u.test(prev.text) && /^\p{L}/u.test(w.text);
    // Touching pieces, or a ligature glyph and its neighbours ("o ffi cial").
    const touching = letters && gap <= Math.max(1, 0.05 * height);
    const ligature =
      letters &&
      gap < 0.5 * height &&
      ((LIGATURE.test(w.text) &&
        i + 1 < ws.length &&
        ws[i + 1]!.bbox[0] - w.bbox[2] <= 1 &&
        (gap <= 0.2 * height || (/^\p{Ll}{1,3}$/u.test(prev.text) && !SHORT_WORDS.has(prev.text)))) ||
        (LIGATURE.test(prev.text) && gap <= 1));
    if (prev && (touching || ligature)) {
      out[out.length - 1] = merge(prev, w);
      changed = true;
    } else out.push(w);
  }
  const spaced = letterSpaced(changed ? out : ws);
  if (spaced) return spaced;
  return changed ? out : ws;
}

/**
 * "PAT I E N T I N F O R M AT I O N": a run of at least five pieces of one to three capitals;
 * the gaps between letters are alike and the spaces between words wider.
 */
function letterSpaced(ws: Word[]): Word[] | undefined {
  const short = (w: Word) => /^[\p{Lu}/&()]{1,3}$/u.test(w.text);
  const nShort = ws.filter(short).length;
  if (nShort < 5 || nShort < 0.7 * ws.length) return undefined;
  // Lone consonants are not words: at least three of them say the run is letter-spaced.
  if (ws.filter((w) => /^[B-HJ-Z]$/.test(w.text)).length < 3) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < ws.length; i++) gaps.push(ws[i]!.bbox[0] - ws[i - 1]!.bbox[2]);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const out: Word[] = [ws[0]!];
  for (let i = 1; i < ws.length; i++) {
    const w = ws[i]!;
    if (gaps[i - 1]! <= median * 1.25 + 0.5 && short(w) && short(ws[i - 1]!))
      out[out.length - 1] = merge(out[out.length - 1]!, w);
    else out.push(w);
  }
  return out.length < ws.length ? out : undefined;
}
