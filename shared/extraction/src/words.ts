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
  const lines = page.lines.map((l) => {
    const words = repairLine(l);
    if (words === l.words) return l;
    changed = true;
    return { ...l, words, text: words.map((w) => w.text).join(' ') };
  });
  return changed ? { ...page, lines, text: lines.map((l) => l.text).join('\n') } : page;
}

const LIGATURE = /^(?:fi|fl|ff|ffi|ffl|ft|st)$/;

function merge(a: Word, b: Word): Word {
  return {
    text: a.text + b.text,
    bbox: [Math.min(a.bbox[0], b.bbox[0]), Math.min(a.bbox[1], b.bbox[1]), Math.max(a.bbox[2], b.bbox[2]), Math.max(a.bbox[3], b.bbox[3])],
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
      ((LIGATURE.test(w.text) && /^\p{Ll}{1,3}$/u.test(prev.text) && i + 1 < ws.length && ws[i + 1]!.bbox[0] - w.bbox[2] <= 1) ||
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
    if (gaps[i - 1]! <= median * 1.25 + 0.5 && short(w) && short(ws[i - 1]!)) out[out.length - 1] = merge(out[out.length - 1]!, w);
    else out.push(w);
  }
  return out.length < ws.length ? out : undefined;
}
