import { threadId } from 'node:worker_threads';
import { BadInputError, type BadInputCode } from './errors.ts';
import { callParent, isParentError, serveTasks, threadData } from './thread-pool.ts';

// The thread of thread-pool.test.ts: each task kind is one behaviour the pool must handle.
export type FixtureTask =
  | { kind: 'echo'; value: unknown }
  | { kind: 'spin' }
  | { kind: 'heap' }
  | { kind: 'bad'; code: BadInputCode }
  | { kind: 'fail' }
  | { kind: 'ask'; value: number };

const { warmUpMs } = threadData<{ warmUpMs?: number } | undefined>() ?? {};
const kept: unknown[] = [];

await serveTasks(
  async (task: FixtureTask) => {
    switch (task.kind) {
      case 'echo':
        return { value: task.value, threadId };
      case 'spin':
        for (;;) {
          // Never returns and never yields: only Worker.terminate ends it.
        }
      case 'heap':
        for (;;) kept.push(new Array(1 << 20).fill(kept.length));
      case 'bad':
        throw new BadInputError(task.code, `bad input (${task.code})`);
      case 'fail':
        throw Object.assign(new RangeError('out of range'), { offset: 12 });
      case 'ask':
        try {
          return { value: await callParent<number>('double', task.value), threadId };
        } catch (error) {
          return { parentError: isParentError(error), name: (error as Error).name, code: (error as { code?: string }).code, threadId };
        }
    }
  },
  { warmUp: () => new Promise((resolve) => setTimeout(resolve, warmUpMs ?? 0)) },
);
