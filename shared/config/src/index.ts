export * from './env.ts';
export * from './core-config.ts';
export * from './logger.ts';
export * from './review.ts';
export * from './imap.ts';
