import { escapeRegExp, isStructuredMediaType, type ExtractionResult, type ItemKind, type PageText } from '@intake/core';
import { lazy, readDataFile } from '@intake/vocab';
import { sectionOf } from './sections.ts';

/** The document types a clerk files records under; `other` when nothing points anywhere. */
export const DOCUMENT_TYPES = [
  'referral-letter',
  'immunization-record',
  'medication-list',
  'lab-report',
  'discharge-summary',
  'problem-list',
  'structured-summary',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

interface Rule {
  type: DocumentType;
  where: 'title' | 'text' | 'section' | 'item';
  phrase: string;
  weight: number;
  pattern?: RegExp;
}

const WIN_AT = 3;
/** Lines of a page read as its title region. */
const TITLE_LINES = 6;

const table = lazy(() => {
  const rules: Rule[] = [];
  const labels = new Map<DocumentType, string>();
  for (const raw of readDataFile('document-types.tsv').split('\n')) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    const [type, where, phrase, weight] = raw.split('\t');
    if (!DOCUMENT_TYPES.includes(type as DocumentType)) throw new Error(`document-types.tsv: unknown type ${type}`);
    if (where === 'label') {
      labels.set(type as DocumentType, phrase!);
      continue;
    }
    if (where !== 'title' && where !== 'text' && where !== 'section' && where !== 'item') {
      throw new Error(`document-types.tsv: unknown column "${where}"`);
    }
    const rule: Rule = { type: type as DocumentType, where, phrase: phrase!, weight: Number(weight) };
    if (where === 'title' || where === 'text') {
      rule.pattern = new RegExp(`\\b${escapeRegExp(phrase!).replace(/ /g, '\\s+')}\\b`);
    }
    rules.push(rule);
  }
  return { rules, labels };
});

/** Each type with the label a clerk sees. */
export function documentTypeLabels(): { id: DocumentType; label: string }[] {
  const { labels } = table();
  return DOCUMENT_TYPES.map((id) => ({ id, label: labels.get(id) ?? id }));
}

export function isDocumentType(value: string): value is DocumentType {
  return (DOCUMENT_TYPES as readonly string[]).includes(value);
}

/** Scores per type and the winner, so a caller (or a test) can see why. */
export function scoreDocumentType(
  result: Pick<ExtractionResult, 'items' | 'source'>,
  pages: Pick<PageText, 'text' | 'method'>[],
): { type: DocumentType; scores: Partial<Record<DocumentType, number>> } {
  if (isStructuredMediaType(result.source.mediaType)) return { type: 'structured-summary', scores: { 'structured-summary': 1 } };
  const { rules } = table();
  const scores: Partial<Record<DocumentType, number>> = {};
  const add = (type: DocumentType, n: number) => {
    scores[type] = (scores[type] ?? 0) + n;
  };
  const titleText: string[] = [];
  const allText: string[] = [];
  const sections = new Set<string>();
  for (const p of pages) {
    if (p.method === 'skipped-blank' || p.method === 'skipped-separator') continue;
    const lines = p.text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    titleText.push(...lines.slice(0, TITLE_LINES).map((l) => l.toLowerCase()));
    for (const l of lines) {
      allText.push(l.toLowerCase());
      const kind = sectionOf(l);
      if (kind) sections.add(kind);
    }
  }
  const title = titleText.join('\n');
  const text = allText.join('\n');
  const kinds = new Map<ItemKind, number>();
  const clinical = result.items.filter((i) => i.kind !== 'provider');
  for (const i of clinical) kinds.set(i.kind, (kinds.get(i.kind) ?? 0) + 1);
  for (const rule of rules) {
    switch (rule.where) {
      case 'title':
        if (rule.pattern!.test(title)) add(rule.type, rule.weight);
        break;
      case 'text':
        if (rule.pattern!.test(text)) add(rule.type, rule.weight);
        break;
      case 'section':
        if (sections.has(rule.phrase)) add(rule.type, rule.weight);
        break;
      case 'item':
        // The share of the clinical items that are of this kind: a list that is all immunizations.
        if (clinical.length) add(rule.type, (rule.weight * (kinds.get(rule.phrase as ItemKind) ?? 0)) / clinical.length);
        break;
    }
  }
  let best: DocumentType = 'other';
  let bestScore = WIN_AT - 1e-9;
  for (const type of DOCUMENT_TYPES) {
    const s = scores[type] ?? 0;
    if (s > bestScore) {
      best = type;
      bestScore = s;
    }
  }
  return { type: best, scores };
}

/** The type the pipeline suggests for a document from its extraction result and its pages. */
export function suggestDocumentType(
  result: Pick<ExtractionResult, 'items' | 'source'>,
  pages: Pick<PageText, 'text' | 'method'>[],
): DocumentType {
  return scoreDocumentType(result, pages).type;
}
