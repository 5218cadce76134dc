export * from './pipeline.ts';
export * from './extract-files.ts';
