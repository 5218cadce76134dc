export * from './redis.ts';
export * from './queues.ts';
export * from './lifecycle.ts';
export { UnrecoverableError } from 'bullmq';
export * from './ingest.ts';
export * from './quarantine.ts';
export * from './retry.ts';
export * from './runtime.ts';
export * from './sweeper.ts';
