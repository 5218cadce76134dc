// Entry of a reader thread (sandbox.ts): TypeScript via tsx's loader, then the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./sandbox-thread.ts');
