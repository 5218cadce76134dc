export { extractFromPages } from './extract.ts';
export { extractStructured } from './structured/index.ts';
export { findDates, parseDate } from './dates.ts';
export { parseSig, type Sig } from './sig.ts';
export { sectionOf, type SectionKind } from './sections.ts';
export * from './page-identity.ts';
export * from './document-type.ts';
