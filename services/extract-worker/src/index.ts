export * from './extract-document.ts';
export * from './worker.ts';
