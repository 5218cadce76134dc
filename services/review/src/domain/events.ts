import type { Logger } from '@intake/config';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { documentEventsChannel, type DocumentEvent } from '@intake/storage';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * A pipeline job's progress for one document, from the queue's own event stream: a read or
 * extract attempt started (`active`), finished (`completed`) or failed (`failed`: that attempt;
 * a transient failure is retried and shows `active` again). Ids only, no reason.
 */
export interface JobEvent {
  docId: string;
  step: 'read' | 'extract';
  status: 'active' | 'completed' | 'failed';
  at: string;
}

export type LiveEvent = { type: 'document'; data: DocumentEvent } | { type: 'job'; data: JobEvent };

const STEPS = [
  { step: 'read' as const, definition: readDocumentJob },
  { step: 'extract' as const, definition: extractDocumentJob },
];

/** `document.read-v1-{docId}` (the id `jobId` of shared/core gives) → the document id. */
export function docIdOfJob(jobId: string, name: string): string | undefined {
  const m = new RegExp(`^${name.replace(/\./g, '\\.')}-v\\d+-([0-9a-f]{64})$`).exec(jobId);
  return m?.[1];
}

/**
 * The review service's side of live progress: one Redis subscription (a connection of its
 * own, as SUBSCRIBE needs) to the deployment's events channel (every state change), and the
 * pipeline queues' own event streams (a read or extract job started, done or failed),
 * shared by every open event stream of this process; opened with the first listener, closed
 * with the last.
 */
export class DocumentEventHub {
  readonly #listeners = new Set<(event: LiveEvent) => void>();
  #subscriber?: Redis;
  #queueEvents: QueueEvents[] = [];
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
  async listen(listener: (event: LiveEvent) => void): Promise<() => void> {
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

  #emit(event: LiveEvent): void {
    for (const l of this.#listeners) l(event);
  }

  #open(): Promise<void> {
    if (this.#subscriber) return Promise.resolve();
    this.#opening ??= (async () => {
      const sub = this.redis.duplicate();
      const queues: QueueEvents[] = [];
      try {
        sub.on('message', (_channel: string, message: string) => {
          let data: DocumentEvent;
          try {
            data = JSON.parse(message) as DocumentEvent;
          } catch {
            return;
          }
          this.#emit({ type: 'document', data });
        });
        sub.on('error', (error: Error) => this.logger.warn({ err: { message: error.message } }, 'event subscription error'));
        for (const { step, definition } of STEPS) {
          // QueueEvents reads the queue's event stream on a duplicate of the connection (XREAD blocks).
          const events = new QueueEvents(definition.queue, { connection: this.redis, prefix: this.prefix });
          const job = (jobId: string, status: JobEvent['status']) => {
            const docId = docIdOfJob(jobId, definition.name);
            if (docId) this.#emit({ type: 'job', data: { docId, step, status, at: new Date().toISOString() } });
          };
          events.on('active', ({ jobId }) => job(jobId, 'active'));
          events.on('completed', ({ jobId }) => job(jobId, 'completed'));
          // The reason stays with the job and the quarantine record: it is not for the stream.
          events.on('failed', ({ jobId }) => job(jobId, 'failed'));
          events.on('error', (error: Error) => this.logger.warn({ err: { message: error.message } }, 'queue events error'));
          queues.push(events);
        }
        await Promise.all([sub.subscribe(this.channel), ...queues.map((e) => e.waitUntilReady())]);
      } catch (error) {
        await Promise.all(queues.map((q) => q.close().catch(() => {})));
        sub.disconnect();
        throw error;
      }
      this.#subscriber = sub;
      this.#queueEvents = queues;
    })().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async close(): Promise<void> {
    await this.#opening?.catch(() => {});
    const sub = this.#subscriber;
    this.#subscriber = undefined;
    const queues = this.#queueEvents.splice(0);
    await Promise.all(queues.map((q) => q.close().catch(() => {})));
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
