import { z } from 'zod';

/**
 * Every job is declared once: queue, name, version and payload schema. Payloads carry
 * ids and keys only, never patient data (BullMQ keeps them in Redis as clear text).
 */
export interface JobDefinition<S extends z.ZodType> {
  queue: string;
  name: string;
  version: number;
  schema: S;
  /** Attempts for transient failures, with a backoff capped at a minute (12: about 7 minutes of outage ridden out). */
  attempts: number;
  /** Queues this job was carried on by earlier versions: a worker moves their waiting jobs to `queue` when it starts. */
  formerQueues?: readonly string[];
}

const DocId = z.string().regex(/^[0-9a-f]{64}$/);

export const readDocumentJob = {
  queue: 'read',
  name: 'document.read',
  version: 1,
  schema: z.object({ docId: DocId }),
  attempts: 12,
  formerQueues: ['intake'],
} satisfies JobDefinition<z.ZodType>;

export const extractDocumentJob = {
  queue: 'extract',
  name: 'document.extract',
  version: 1,
  schema: z.object({ docId: DocId }),
  attempts: 12,
} satisfies JobDefinition<z.ZodType>;

export type ReadDocumentPayload = z.infer<typeof readDocumentJob.schema>;
export type ExtractDocumentPayload = z.infer<typeof extractDocumentJob.schema>;

export const JOBS = [readDocumentJob, extractDocumentJob] as const;
