export * from './keys.ts';
export * from './s3.ts';
export * from './embedded-s3.ts';
export * from './review-store.ts';
export * from './open.ts';
