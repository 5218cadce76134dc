import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCoreConfig } from '@intake/config';
import { documentId } from '@intake/core';
import { makePdf } from '@intake/documents/testing/fixtures.ts';
import { ingestDocument } from '@intake/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from './pipeline.ts';

/**
 * `intake start` (the all-in-one embedded default) runs the deployment's sweeper, as the
 * separate read worker does: a document whose job was lost (an original and a `received`
 * status, no job in Redis) is queued again and read.
 */
describe('intake start: the sweeper', () => {
  let dir: string;
  let pipeline: Pipeline;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-pipeline-sweep-'));
    const config = loadCoreConfig({
      ...process.env,
      LOG_LEVEL: 'silent',
      INTAKE_DATA_DIR: dir,
      S3_ENDPOINT: '',
      S3_BUCKET: 'sweep-test',
      FAX_DROP_DIR: path.join(dir, 'drop'),
      INTAKE_QUEUE_PREFIX: `pls${randomBytes(4).toString('hex')}`,
    });
    // Judge every document at once (the deployment default waits 10 minutes).
    pipeline = await startPipeline({ config, env: {}, review: false, imap: false, faxDrop: false, sweep: { minAgeMs: 0 } });
  });

  afterAll(async () => {
    await pipeline?.readProducer.queue.obliterate({ force: true }).catch(() => {});
    await pipeline?.extractProducer.queue.obliterate({ force: true }).catch(() => {});
    await pipeline?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('re-queues a document whose job was lost, and it is read and extracted', async () => {
    const bytes = makePdf([
      {
        kind: 'text',
        lines: ['Current Medications', 'Lisinopril 10 mg tablet daily', `ref ${randomBytes(6).toString('hex')}`].map((text, k) => ({
          text,
          x: 54,
          y: 60 + k * 16,
        })),
      },
    ]);
    const docId = documentId(bytes);
    const { store } = pipeline;
    // A channel that stored the original, the receipt and the status, then died before queueing the job.
    const dying = {
      add: async () => {
        throw new Error('killed before the job was queued');
      },
    } as unknown as Pipeline['readProducer'];
    await expect(
      ingestDocument(
        { store, readProducer: dying, maxFileBytes: 10_000_000 },
        { bytes, channel: 'fax', fileName: 'lost.pdf', declaredType: 'application/pdf', receivedAt: new Date() },
      ),
    ).rejects.toThrow(/killed/);
    expect((await store.documents.get(docId))?.stage).toBe('received');
    expect(await pipeline.readProducer.queue.getJob(`document.read-v1-${docId}`)).toBeUndefined();

    const report = await pipeline.sweeper.sweep();
    expect(report?.orphans).toEqual([{ docId, stage: 'received', job: 'missing', action: 'requeued' }]);

    const deadline = Date.now() + 40_000;
    let stage: string | undefined;
    while (Date.now() < deadline) {
      stage = (await store.documents.get(docId))?.stage;
      if (stage === 'extracted' || stage === 'quarantined') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const extractJob = await pipeline.extractProducer.queue.getJob(`document.extract-v1-${docId}`);
    expect(stage, `extract job ${extractJob ? await extractJob.getState() : 'missing'} ${extractJob?.failedReason ?? ''}`).toBe('extracted');
  });
});
