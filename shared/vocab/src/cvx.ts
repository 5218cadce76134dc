import { createRequire } from 'node:module';
import type { XMLParser as XMLParserType } from 'fast-xml-parser';
import { compiledCvx } from './compiled.ts';
import { lazy, readDataFile } from './data-dir.ts';
import { VACCINE_SYNONYMS } from './synonyms.ts';
import { TermIndex } from './term-index.ts';

export interface Vaccine {
  cvx: string;
  shortName: string;
  fullName: string;
  status: string;
  /** CDC vaccine group(s), e.g. FLU, DTAP, HepB. */
  groups: string[];
}

export interface CvxTable {
  byCode: Map<string, Vaccine>;
  /** Short/full names, trade names and curated abbreviations → vaccine; OCR-tolerant. */
  names: TermIndex<Vaccine>;
}

// Loaded only when the tables are built from the XML files (not in a production build, compiled.ts).
const xmlParser = lazy((): XMLParserType => {
  const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as { XMLParser: typeof XMLParserType };
  return new XMLParser({
    isArray: (name) => ['CVXInfo', 'prodInfo', 'CVXVGInfo', 'Name', 'Value'].includes(name),
    parseTagValue: false,
  });
});

function pairs(node: { Name?: unknown[]; Value?: unknown[] }): Map<string, string> {
  const out = new Map<string, string>();
  const names = node.Name ?? [];
  const values = node.Value ?? [];
  names.forEach((n, i) => out.set(String(n).trim(), String(values[i] ?? '').trim()));
  return out;
}

/** The CVX tables: precompiled in a production build (compiled.ts), else built from the XML files. */
export const loadCvx = lazy((): CvxTable => compiledCvx() ?? buildCvx());

/** Builds the tables from data/cvx.xml, vac2vg.xml, tradename.xml and the curated synonyms. */
export function buildCvx(): CvxTable {
  const parser = xmlParser();
  const byCode = new Map<string, Vaccine>();
  const cvx = parser.parse(readDataFile('cvx.xml')) as { CVXCodes: { CVXInfo: Record<string, unknown>[] } };
  for (const info of cvx.CVXCodes.CVXInfo) {
    const code = String(info['CVXCode'] ?? '').trim();
    if (!code) continue;
    byCode.set(code, {
      cvx: code,
      shortName: String(info['ShortDescription'] ?? '').trim(),
      fullName: String(info['FullVaccinename'] ?? '').trim(),
      status: String(info['Status'] ?? '').trim(),
      groups: [],
    });
  }
  const vg = parser.parse(readDataFile('vac2vg.xml')) as { VGCodes: { CVXVGInfo: { Name?: unknown[]; Value?: unknown[] }[] } };
  for (const node of vg.VGCodes.CVXVGInfo) {
    const p = pairs(node);
    const v = byCode.get(p.get('CVXCode') ?? '');
    const g = p.get('Vaccine Group Name');
    if (v && g && !v.groups.includes(g)) v.groups.push(g);
  }
  const names = new TermIndex<Vaccine>(6, (v) => v.cvx);
  for (const [term, code] of Object.entries(VACCINE_SYNONYMS)) {
    const v = byCode.get(code);
    if (v) names.add(term, v, true);
  }
  const trade = parser.parse(readDataFile('tradename.xml')) as {
    productnames: { prodInfo: { Name?: unknown[]; Value?: unknown[] }[] };
  };
  for (const node of trade.productnames.prodInfo) {
    const p = pairs(node);
    const v = byCode.get(p.get('CVXCode') ?? '');
    const name = p.get('CDC Product Name');
    if (v && name) names.add(name, v);
  }
  // Active codes first so a shared short name resolves to the current product.
  const sorted = [...byCode.values()].sort((a, b) => Number(b.status === 'Active') - Number(a.status === 'Active'));
  for (const v of sorted) {
    names.add(v.shortName, v);
    names.add(v.fullName, v);
  }
  return { byCode, names };
}
