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

  /**
   * SIGTERM/SIGINT close everything once (workers hand running jobs back), then exit. A
   * second signal, or a close still going after `deadlineMs`, exits at once.
   */
  handleSignals(onDone: () => void = () => process.exit(0), deadlineMs = 30_000): void {
    let signalled = false;
    const handler = (signal: string) => {
      if (signalled) {
        this.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      signalled = true;
      this.logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        this.logger.error({ deadlineMs }, 'shutdown did not finish in time: exiting');
        process.exit(1);
      }, deadlineMs);
      timer.unref();
      void this.close().then(onDone);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  }
}
