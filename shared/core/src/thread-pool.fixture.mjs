// Entry of the test thread of thread-pool.test.ts: TypeScript via tsx's loader, then the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./thread-pool.fixture.ts');
