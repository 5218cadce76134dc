export * from './extraction-result.ts';
export * from './pages.ts';
export * from './records.ts';
export * from './jobs.ts';
export * from './ids.ts';
export * from './errors.ts';
export * from './media-types.ts';
export * from './util.ts';
