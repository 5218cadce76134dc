import { Queue } from 'bullmq';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';

// What `intake metrics` (main.ts) takes from the workspace with this module.
export { JOBS } from '@intake/core';
export { openServiceRuntime } from '@intake/queue';

/** What one sample says about one queue. */
export interface QueueSample {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  /** Jobs that failed for good and are still kept (BullMQ keeps them 30 days). */
  failed: number;
  /** Age of the oldest job waiting to start, 0 when none waits. */
  oldestWaitingSeconds: number;
}

export interface MetricsSample {
  at: Date;
  queues: QueueSample[];
  /** Quarantine records in the store (one per document or e-mail that could not be read). */
  quarantineRecords: number;
}

export interface MetricsSources {
  connection: Redis;
  prefix: string;
  queues: string[];
  /** Counts the objects under a prefix of the review store. */
  countKeys(prefix: string): Promise<number>;
  now?: () => Date;
}

export async function sampleMetrics(sources: MetricsSources): Promise<MetricsSample> {
  const at = (sources.now ?? (() => new Date()))();
  const queues: QueueSample[] = [];
  for (const name of sources.queues) {
    const queue = new Queue(name, { connection: sources.connection, prefix: sources.prefix });
    try {
      const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
      const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
      queues.push({
        queue: name,
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingSeconds: oldest ? Math.max(0, Math.round((at.getTime() - oldest.timestamp) / 1000)) : 0,
      });
    } finally {
      await queue.close();
    }
  }
  const quarantineRecords = await sources.countKeys('quarantine/');
  return { at, queues, quarantineRecords };
}

/**
 * CloudWatch Embedded Metric Format: one JSON line per queue plus one for the store.
 * Written to stdout of a task whose log driver is awslogs, CloudWatch Logs turns these
 * into metrics (no PutMetricData permission needed); the CDK app's alarms and the
 * read worker's scaling read them.
 */
export function toEmfLines(sample: MetricsSample, namespace: string): string[] {
  const ts = sample.at.getTime();
  const lines = sample.queues.map((q) =>
    JSON.stringify({
      _aws: {
        Timestamp: ts,
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [['Queue']],
            Metrics: [
              { Name: 'QueueWaiting', Unit: 'Count' },
              { Name: 'QueueActive', Unit: 'Count' },
              { Name: 'QueueDelayed', Unit: 'Count' },
              { Name: 'QueueFailed', Unit: 'Count' },
              { Name: 'OldestWaitingSeconds', Unit: 'Seconds' },
            ],
          },
        ],
      },
      Queue: q.queue,
      QueueWaiting: q.waiting,
      QueueActive: q.active,
      QueueDelayed: q.delayed,
      QueueFailed: q.failed,
      OldestWaitingSeconds: q.oldestWaitingSeconds,
    }),
  );
  lines.push(
    JSON.stringify({
      _aws: {
        Timestamp: ts,
        CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: 'QuarantineRecords', Unit: 'Count' }] }],
      },
      QuarantineRecords: sample.quarantineRecords,
    }),
  );
  return lines;
}

/** Objects under `prefix` in `bucket` (ListObjectsV2 pages; nothing is read). */
export function s3KeyCounter(s3: S3Client, bucket: string): (prefix: string) => Promise<number> {
  return async (prefix) => {
    let count = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      count += page.KeyCount ?? page.Contents?.length ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return count;
  };
}
