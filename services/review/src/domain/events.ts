import type { Logger } from '@intake/config';
import { documentEventsChannel, type DocumentEvent } from '@intake/storage';
import type { Redis } from 'ioredis';

/**
 * The review service's side of live progress: one Redis subscription (a connection of its
 * own, as SUBSCRIBE needs) to the deployment's events channel, shared by every open
 * event stream of this process; opened with the first listener, closed with the last.
 */
export class DocumentEventHub {
  readonly #listeners = new Set<(event: DocumentEvent) => void>();
  #subscriber?: Redis;
  #opening?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  get channel(): string {
    return documentEventsChannel(this.prefix);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  /** Listen; resolves once the subscription is live. Returns the unsubscribe function. */
  async listen(listener: (event: DocumentEvent) => void): Promise<() => void> {
    this.#listeners.add(listener);
    try {
      await this.#open();
    } catch (error) {
      this.#listeners.delete(listener);
      throw error;
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) void this.close();
    };
  }

  #open(): Promise<void> {
    if (this.#subscriber) return Promise.resolve();
    this.#opening ??= (async () => {
      const sub = this.redis.duplicate();
      sub.on('message', (_channel: string, message: string) => {
        let event: DocumentEvent;
        try {
          event = JSON.parse(message) as DocumentEvent;
        } catch {
          return;
        }
        for (const l of this.#listeners) l(event);
      });
      sub.on('error', (error: Error) => this.logger.warn({ err: { message: error.message } }, 'event subscription error'));
      await sub.subscribe(this.channel);
      this.#subscriber = sub;
    })().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async close(): Promise<void> {
    await this.#opening?.catch(() => {});
    const sub = this.#subscriber;
    this.#subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
