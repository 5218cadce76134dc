import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { JobProducer } from '@intake/queue';
import type { Redis } from 'ioredis';

/**
 * The pipeline's queues as the review service adds to them: the read job (an upload, the
 * same durable step as the fax and mail channels) and the extract job (documents made by a
 * split, move or merge: their pages are read already). Same queue names and deployment
 * prefix as the workers, so `intake start` and separate worker processes take them.
 */
export interface PipelineJobs {
  read: JobProducer<typeof readDocumentJob.schema>;
  extract: JobProducer<typeof extractDocumentJob.schema>;
  close(): Promise<void>;
}

export function pipelineJobs(redis: Redis, prefix: string): PipelineJobs {
  const read = new JobProducer(readDocumentJob, redis, prefix);
  const extract = new JobProducer(extractDocumentJob, redis, prefix);
  return {
    read,
    extract,
    async close() {
      await Promise.all([read.close(), extract.close()]);
    },
  };
}
