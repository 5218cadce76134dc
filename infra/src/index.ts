export * from './intake-stack.ts';
export * from './services.ts';
export * from './app.ts';
