// Entry of an extraction thread (extract-sandbox.ts): TypeScript via tsx's loader, then the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./extract-thread.ts');
