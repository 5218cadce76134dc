import type { LayoutLine } from './layout.ts';

/**
 * Stage 2 — page furniture: running headers and footers, page numbers, fax header lines and
 * print stamps. They are found by position (a band at the top and bottom of the page), by
 * repetition across pages and by page-number patterns, and dropped before sections and items are
 * read (identity is still read from them: "Clinical Summary — Roe, Jane — MRN …").
 */

const PAGE_NUMBER = [
  /\bpage\s*\d{1,3}\s*(?:of|\/)\s*\d{1,3}\b/i,
  /\bp(?:age|g)?\.?\s*\d{1,3}\s*\/\s*\d{1,3}\b/i,
  /\bP\.\s*\d{3}\s*\/\s*\d{3}\b/,
  /^\s*[-–—]\s*\d{1,3}\s*[-–—]\s*$/,
  /^\s*\d{1,3}\s*(?:\/|of)\s*\d{1,3}\s*$/i,
  /^\s*page\s+\d{1,3}\s*$/i,
];
const STAMP =
  /\b(?:printed|generated|run date|report date|downloaded|exported|page|https?:\/\/|www\.|confidential|fax(?:ed)?\s+(?:from|by)|from\s*:?\s*\+?\(?\d{3})\b/i;
/** A web address, also as OCR reads one ("https.//portal…", "hips /portaLexample.org/…"). */
const URL_RE = /\bh\w{0,3}ps?\s?[:.;]?\s?\/\/?|\bwww\.|\b[a-z0-9-]{2,}\.(?:org|com|net|gov|edu)\/\S/i;

/** Top and bottom bands, as shares of the page height. */
const TOP = 0.05;
const BOTTOM = 0.94;

function key(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/[^a-z#]+/g, ' ')
    .trim();
}

export function isPageNumberLine(text: string): boolean {
  return PAGE_NUMBER.some((re) => re.test(text));
}

/** The lines that are page furniture, as a set. `pageHeight` maps a page number to its height. */
export function furniture(lines: LayoutLine[], pageHeight: (page: number) => number): Set<LayoutLine> {
  const out = new Set<LayoutLine>();
  const band = (l: LayoutLine) => {
    const h = pageHeight(l.page);
    if (!h || l.height === 1) return undefined; // plain text: no geometry
    if (l.top < TOP * h) return 'top';
    if (l.top + l.height > BOTTOM * h) return 'bottom';
    return undefined;
  };
  const pages = new Set(lines.map((l) => l.page));
  const seen = new Map<string, Set<number>>();
  for (const l of lines) {
    if (!band(l)) continue;
    const k = key(l.span.text);
    if (k.length < 4) continue;
    const s = seen.get(k) ?? new Set<number>();
    s.add(l.page);
    seen.set(k, s);
  }
  for (const l of lines) {
    const text = l.span.text;
    const where = band(l);
    // A page number alone on its line, anywhere.
    if (text.length <= 20 && isPageNumberLine(text)) {
      out.add(l);
      continue;
    }
    if (!where) continue;
    const repeated = pages.size > 1 && (seen.get(key(text))?.size ?? 0) > 1;
    if (repeated || isPageNumberLine(text) || STAMP.test(text)) out.add(l);
  }
  // A page's closing lines that are stamps or web addresses ("This summary was exported from …",
  // its address) are its footer wherever the content ends, band or not.
  for (const page of pages) {
    const own = lines.filter((l) => l.page === page && l.height !== 1);
    for (let i = own.length - 1; i >= 0; i--) {
      const l = own[i]!;
      if (out.has(l)) continue;
      if (!(URL_RE.test(l.span.text) || STAMP.test(l.span.text))) break;
      out.add(l);
    }
  }
  return out;
}
