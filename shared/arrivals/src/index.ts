export * from './ingest-arrival.ts';
export * from './fingerprint.ts';
export * from './completeness.ts';
export * from './checks.ts';
export * from './objects.ts';
