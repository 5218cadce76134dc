import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, loadCoreConfig } from '@intake/config';
import { readDocumentJob, sha256Hex } from '@intake/core';
import { createRedis, ensureRedis, JobProducer, type RedisHandle } from '@intake/queue';
import { openReviewStore, type OpenedStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaxDrop } from './fax-drop.ts';

// Real Redis and the S3 API over HTTP; scans are driven by hand to make timing exact.
describe('FaxDrop', () => {
  let dir: string;
  let opened: OpenedStore;
  let redisHandle: RedisHandle;
  let redis: Redis;
  let producer: JobProducer<typeof readDocumentJob.schema>;
  let drop: FaxDrop;
  const inbox = () => path.join(dir, 'in');
  const archive = () => path.join(dir, 'archive');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-faxdrop-'));
    const config = loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'faxdrop-test' });
    opened = await openReviewStore(config);
    redisHandle = await ensureRedis({ url: process.env.REDIS_URL ?? config.REDIS_URL, autostart: true, dataDir: path.join(dir, 'redis') });
    redis = createRedis(redisHandle.url);
    producer = new JobProducer(readDocumentJob, redis, `faxdrop${randomBytes(4).toString('hex')}`);
    await mkdir(inbox(), { recursive: true });
    drop = new FaxDrop(
      { dir: inbox(), archiveDir: archive(), pollMs: 60_000, extensions: ['pdf', 'tif', 'tiff'], maxFileBytes: 1024 * 1024 },
      { store: opened.store, readProducer: producer, logger: createLogger({ level: 'silent' }) },
    );
  });

  afterAll(async () => {
    await drop?.stop();
    await producer?.queue.obliterate({ force: true }).catch(() => {});
    await producer?.close();
    redis?.disconnect();
    await redisHandle?.stop();
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a file only after it has stopped growing, then archives it and queues one read job', async () => {
    const file = path.join(inbox(), 'incoming.pdf');
    await writeFile(file, '%PDF-1.4\n1 0 obj');
    await drop.scan(); // first sight
    await appendFile(file, ' more bytes still arriving');
    await drop.scan(); // changed: not stable yet
    expect(await readdir(inbox())).toContain('incoming.pdf');
    expect(await opened.store.documents.listIds()).toEqual([]);

    await drop.scan(); // unchanged since the last scan: taken
    expect(await readdir(inbox())).not.toContain('incoming.pdf');
    const bytes = Buffer.from('%PDF-1.4\n1 0 obj more bytes still arriving');
    const docId = sha256Hex(bytes);
    expect((await opened.store.originals.get(docId))?.equals(bytes)).toBe(true);
    expect((await opened.store.arrivals.getIntake(docId))?.channel).toBe('fax');
    expect(await producer.queue.getJobCountByTypes('waiting')).toBe(1);
    const day = (await readdir(archive()))[0]!;
    expect(await readdir(path.join(archive(), day))).toEqual([`${docId.slice(0, 16)}-incoming.pdf`]);
  });

  it('leaves other files and partial uploads alone', async () => {
    await writeFile(path.join(inbox(), 'notes.txt'), 'not a document');
    await writeFile(path.join(inbox(), 'fax.pdf.part'), '%PDF');
    await drop.scan();
    await drop.scan();
    expect((await readdir(inbox())).sort()).toEqual(['fax.pdf.part', 'notes.txt']);
  });

  it('makes one document of the same bytes dropped twice, and does not queue it again', async () => {
    const bytes = Buffer.from('%PDF-1.4 same fax twice');
    await writeFile(path.join(inbox(), 'a.pdf'), bytes);
    await drop.scan();
    await drop.scan();
    await writeFile(path.join(inbox(), 'b.pdf'), bytes);
    await drop.scan();
    await drop.scan();
    const docId = sha256Hex(bytes);
    expect(await opened.store.arrivals.listReceipts(docId)).toHaveLength(2);
    const jobs = await producer.queue.getJobs(['waiting']);
    expect(jobs.filter((j) => j.data.docId === docId)).toHaveLength(1);
  });

  it("with '*' takes every file: what cannot be read is quarantined downstream, not left unseen", async () => {
    const all = new FaxDrop(
      { dir: inbox(), archiveDir: archive(), pollMs: 60_000, extensions: ['*'], maxFileBytes: 1024 * 1024 },
      { store: opened.store, readProducer: producer, logger: createLogger({ level: 'silent' }) },
    );
    await all.scan();
    await all.scan();
    expect(await readdir(inbox())).toEqual(['fax.pdf.part']); // partial uploads still wait
    expect(await opened.store.arrivals.getIntake(sha256Hex('not a document'))).toMatchObject({ fileName: 'notes.txt', channel: 'fax' });
  });

  it('quarantines an empty file with a reason, keeping the record', async () => {
    await writeFile(path.join(inbox(), 'empty.tif'), '');
    await drop.scan();
    await drop.scan();
    const docId = sha256Hex('');
    expect((await opened.store.quarantine.get(docId))?.reason).toMatch(/empty file/);
    expect((await opened.store.documents.get(docId))?.stage).toBe('quarantined');
  });
});
