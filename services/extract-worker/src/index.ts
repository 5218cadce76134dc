export * from './extract-document.ts';
export * from './extract-sandbox.ts';
export * from './worker.ts';
