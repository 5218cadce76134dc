import type { Completeness } from '@intake/core';

/**
 * Did every page arrive? A fax cover sheet announces a count ("Pages: 5 including cover",
 * "Total pages: 5", "No. of pages (excluding cover): 4"), and page footers or the fax
 * header line number the pages ("Page 2 of 5", "P.002/005", "PAGE 2/5"). Either,
 * checked against the pages received, tells a short fax; neither, and completeness is
 * unknown (most documents e-mailed as PDFs).
 */
const COVER_COUNT = [
  // "Pages: 5 including cover", "Number of pages: 4 (not including cover)", "Total pages: 5", "# of pages 3 + cover"
  /\b(?:total\s+(?:number\s+of\s+)?pages?|(?:no\.?|number|num|#)\s+of\s+pages?|page\s+count|pages?(?:\s+sent)?)\s*(?:\(([^)]{0,40})\))?\s*[:#=]?\s*(\d{1,3})\b([^\n]{0,40})/i,
  // "5 pages including cover", "3 pages (plus cover)"
  /\b(\d{1,3})\s+pages?\b\s*(?:\(([^)]{0,40})\)|([^\n]{0,40}))/i,
];
const FOOTER = /\b(?:page|pg\.?|p\.)\s*0*(\d{1,3})\s*(?:of|\/)\s*0*(\d{1,3})\b/gi;

function coverMeaning(qualifier: string): 'including' | 'excluding' | undefined {
  const q = qualifier.toLowerCase();
  if (!/cover/.test(q)) return undefined;
  if (/(excluding|not\s+including|not\s+incl|plus|\+|in\s+addition|w\/o|without)/.test(q)) return 'excluding';
  if (/(including|incl|with|w\/|inc\.)/.test(q)) return 'including';
  return undefined;
}

function looksLikeCover(text: string): boolean {
  return /\b(fax|facsimile|cover\s*sheet|transmittal|fax\s+cover)\b/i.test(text);
}

export function checkCompleteness(pageTexts: string[]): Completeness {
  const received = pageTexts.length;
  const evidence: { page: number; text: string }[] = [];
  let expected: number | undefined;
  let coverIsPage1 = false;

  // 1. The cover sheet's count, on the first two pages.
  for (let p = 0; p < Math.min(2, pageTexts.length) && expected === undefined; p++) {
    const text = pageTexts[p]!;
    if (!looksLikeCover(text)) continue;
    for (const line of text.split(/\n/)) {
      const m1 = COVER_COUNT[0]!.exec(line);
      const m2 = m1 ? undefined : COVER_COUNT[1]!.exec(line);
      const n = Number(m1?.[2] ?? m2?.[1]);
      if (!Number.isFinite(n) || n < 1 || n > 999) continue;
      if (m2 && !/cover|fax|total|sent/i.test(line)) continue; // "3 pages" in prose is not a count
      const meaning = coverMeaning(`${m1?.[1] ?? ''} ${m1?.[3] ?? ''} ${m2?.[2] ?? ''} ${m2?.[3] ?? ''}`);
      expected = meaning === 'excluding' ? n + 1 : n;
      coverIsPage1 = p === 0;
      evidence.push({ page: p + 1, text: line.trim().slice(0, 120) });
      break;
    }
  }

  // 2. Footers and fax header lines: "Page X of Y".
  const seen = new Map<number, Set<number>>(); // total → page numbers seen
  pageTexts.forEach((text, i) => {
    for (const m of text.matchAll(FOOTER)) {
      const x = Number(m[1]);
      const y = Number(m[2]);
      if (x < 1 || y < 1 || x > y || y > 999) continue;
      if (!seen.has(y)) seen.set(y, new Set());
      if (!seen.get(y)!.has(x) && evidence.length < 6) evidence.push({ page: i + 1, text: m[0] });
      seen.get(y)!.add(x);
    }
  });
  // The series with the most pages seen is the document's own numbering.
  let footerTotal: number | undefined;
  let footerSeen = new Set<number>();
  for (const [y, xs] of seen) if (xs.size > footerSeen.size || (xs.size === footerSeen.size && y > (footerTotal ?? 0))) [footerTotal, footerSeen] = [y, xs];

  const missing = new Set<number>();
  if (footerTotal !== undefined) for (let x = 1; x <= footerTotal; x++) if (!footerSeen.has(x)) missing.add(x);
  if (expected !== undefined && received < expected) for (let x = received + 1; x <= expected; x++) missing.add(x);
  const missingPages = [...missing].sort((a, b) => a - b);

  const pagesExpected = Math.max(expected ?? 0, footerTotal !== undefined ? footerTotal + (coverIsPage1 && !footerSeen.has(1) ? 0 : 0) : 0) || undefined;
  if (pagesExpected === undefined) return { status: 'unknown', pagesReceived: received, evidence, missingPages: [] };
  const short = missingPages.length > 0 || (expected !== undefined && received < expected);
  if (!short) return { status: 'complete', pagesReceived: received, pagesExpected, evidence, missingPages: [] };
  const count = expected !== undefined && received < expected ? expected - received : missingPages.length;
  const message =
    expected !== undefined && received < expected
      ? `incomplete fax: the cover sheet announces ${expected} pages, ${received} received (${count} missing): ask the sender to fax the missing pages again`
      : `incomplete: page ${missingPages.join(', ')} of ${footerTotal} not received: ask the sender to send the missing pages`;
  return { status: 'incomplete', pagesReceived: received, pagesExpected, evidence, missingPages, message };
}
