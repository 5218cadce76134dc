export * from './read-document.ts';
export * from './worker.ts';
