export * from './keys.ts';
export * from './s3.ts';
export * from './embedded-s3.ts';
export * from './document-state.ts';
export * from './repositories.ts';
export * from './identity.ts';
export * from './review-store.ts';
export * from './open.ts';
export { WriteConflictError } from './object-store.ts';
