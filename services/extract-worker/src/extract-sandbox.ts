import { ThreadPool } from '@intake/core/thread-pool';
import { computeExtraction, type ExtractOutput, type ExtractTask } from './extract-compute.ts';

/**
 * Extraction in worker threads, a ThreadPool (@intake/core/thread-pool) like the reader's
 * sandbox: the parse of page text or of a C-CDA/FHIR file runs off the worker's event loop, so
 * lock renewal and /healthz go on while it runs; a parse still running `timeoutMs` after it
 * started on its thread is stopped (the thread terminated, the document quarantined
 * `timeout`), one over `maxHeapMb` of heap dies (`too-large`). A stopped thread is replaced at
 * once and a spare one is kept ready, so a document does not wait for a thread to load the
 * extraction code.
 */
export interface ExtractSandboxOptions {
  threads: number;
  timeoutMs: number;
  maxHeapMb: number;
}

export class ExtractSandbox {
  private readonly pool: ThreadPool<ExtractTask, ExtractOutput>;

  constructor(options: ExtractSandboxOptions) {
    this.pool = new ThreadPool({
      name: 'extraction',
      // scripts/build.ts replaces this shim with the bundled dist/extract-thread.js (THREADS).
      entry: new URL('./extract-entry.mjs', import.meta.url),
      threads: options.threads,
      timeLimitMs: options.timeoutMs,
      maxHeapMb: options.maxHeapMb,
      reasons: {
        timeout: (ms) => `extraction took longer than the ${Math.round(ms / 1000)} s limit on this file: an operator has the details`,
        tooLarge: (mb) => `extracting this document needs more than the ${mb} MB memory limit: ask for a smaller or simpler copy`,
      },
    });
    // Threads start with the worker: the first documents do not wait for the lexicons to load.
    this.pool.warm();
  }

  /** Threads stopped at the time limit (for tests). */
  get killed(): number {
    return this.pool.killed;
  }

  run(task: ExtractTask): Promise<ExtractOutput> {
    return this.pool.run(task);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Runs extraction in-process (extract-document.ts when no extractor is given: tests, one-off tools). */
export const inlineExtractor = { run: async (task: ExtractTask): Promise<ExtractOutput> => computeExtraction(task), close: async () => {} };

export type Extractor = Pick<ExtractSandbox, 'run' | 'close'>;

export function createExtractor(options: ExtractSandboxOptions): Extractor {
  return new ExtractSandbox(options);
}
