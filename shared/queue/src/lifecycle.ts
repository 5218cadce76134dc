import type { Logger } from '@intake/config';

/**
 * Ordered shutdown: things registered last close first (workers, then queues, then
 * Redis and the store), each under a time limit so a stuck close cannot hang SIGTERM.
 */
export class Lifecycle {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];
  private closing?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  onClose(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  close(timeoutMs = 15_000): Promise<void> {
    this.closing ??= (async () => {
      for (const closer of [...this.closers].reverse()) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            closer.close(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
            }),
          ]);
        } catch (error) {
          this.logger.warn({ part: closer.name, err: { message: (error as Error).message } }, 'close failed');
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.closing;
  }

  /** SIGTERM/SIGINT close everything once, then exit. */
  handleSignals(onDone: () => void = () => process.exit(0)): void {
    const handler = (signal: string) => {
      this.logger.info({ signal }, 'shutting down');
      void this.close().then(onDone);
    };
    process.once('SIGTERM', handler);
    process.once('SIGINT', handler);
  }
}
