import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { readContainerRecord } from '@intake/arrivals';
import { createLogger, loadCoreConfig } from '@intake/config';
import { MediaType, readDocumentJob, sha256Hex } from '@intake/core';
import { buildEml, buildMsg, buildTnef } from '@intake/documents/testing/containers.ts';
import { makePdf } from '@intake/documents/testing/fixtures.ts';
import { createRedis, ensureRedis, JobProducer, type RedisHandle } from '@intake/queue';
import { openReviewStore, type OpenedStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaxDrop } from './fax-drop.ts';
import { S3PrefixDrop } from './s3-drop.ts';

const pdf = (label: string) => makePdf([{ kind: 'text', lines: [{ text: `${label} 2024-03-01`, x: 72, y: 72 }] }]);

// Real Redis and the project's S3 API (s3rver over HTTP); scans are driven by hand.
describe('arrivals at the fax drop: S3 prefix, gateway metadata, containers', () => {
  let dir: string;
  let opened: OpenedStore;
  let redisHandle: RedisHandle;
  let redis: Redis;
  let producer: JobProducer<typeof readDocumentJob.schema>;
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-arrivals-'));
    const config = loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'arrivals-test' });
    opened = await openReviewStore(config);
    redisHandle = await ensureRedis({ url: process.env.REDIS_URL ?? config.REDIS_URL, autostart: true, dataDir: path.join(dir, 'redis') });
    redis = createRedis(redisHandle.url);
    producer = new JobProducer(readDocumentJob, redis, `arrivals${randomBytes(4).toString('hex')}`);
  });

  afterAll(async () => {
    await producer?.queue.obliterate({ force: true }).catch(() => {});
    await producer?.close();
    redis?.disconnect();
    await redisHandle?.stop();
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const s3 = () => opened.store.s3;
  const bucket = () => opened.store.bucket;
  const keysUnder = async (prefix: string) =>
    ((await s3().send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();
  const put = (key: string, body: Uint8Array | string, metadata?: Record<string, string>) =>
    s3().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, Metadata: metadata }));
  const queued = async (docId: string) => (await producer.queue.getJobs(['waiting'])).filter((j) => j.data.docId === docId).length;

  it('S3 prefix: an object is taken once stable, with its metadata and sidecar as sender hints, then moved to the archive', async () => {
    const drop = new S3PrefixDrop(
      { s3: s3(), bucket: bucket(), prefix: 'fax-inbox/', archivePrefix: 'fax-archive/', pollMs: 60_000, extensions: ['pdf', 'tif', 'xml'], maxFileBytes: 1 << 20 },
      { store: opened.store, readProducer: producer, logger },
    );
    const bytes = pdf('Fax from the old practice');
    const docId = sha256Hex(bytes);
    await put('fax-inbox/2026/03/F0001.pdf', bytes, { 'caller-id': '+1 555 0100', csid: 'RIVERSIDE FP' });
    await put('fax-inbox/2026/03/F0001.json', JSON.stringify({ fax: { from_number: '+15550100', remote_csid: 'RIVERSIDE FP', pages: 1, received_at: '2026-03-02T09:15:00Z' } }));
    await drop.scan(); // first sight
    expect(await opened.store.originals.exists(docId)).toBe(false);
    await drop.scan(); // unchanged: taken
    expect(await opened.store.originals.get(docId)).toEqual(Buffer.from(bytes));
    const [receipt] = await opened.store.arrivals.listReceipts(docId);
    expect(receipt).toMatchObject({ channel: 'fax', fileName: 'F0001.pdf', origin: `s3://${bucket()}/fax-inbox/2026/03/F0001.pdf` });
    expect(receipt!.hints).toMatchObject({ faxFrom: '+15550100', faxStation: 'RIVERSIDE FP', gatewayReceivedAt: '2026-03-02T09:15:00.000Z' });
    expect(receipt!.gateway).toMatchObject({ 's3.caller-id': '+1 555 0100', 'fax.pages': '1' });
    expect(await queued(docId)).toBe(1);
    expect(await keysUnder('fax-inbox/')).toEqual([]);
    const archived = await keysUnder('fax-archive/');
    expect(archived.map((k) => k.replace(/^fax-archive\/\d{4}-\d{2}-\d{2}\//, ''))).toEqual([`${docId.slice(0, 16)}-F0001.json`, `${docId.slice(0, 16)}-F0001.pdf`]);
    const copy = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: archived.find((k) => k.endsWith('.pdf'))! }));
    expect(Buffer.from(await copy.Body!.transformToByteArray()).equals(Buffer.from(bytes))).toBe(true);

    // The same bytes written again (a gateway retry): one document, a second receipt, no second job.
    await put('fax-inbox/2026/03/F0001-retry.pdf', bytes);
    await drop.scan();
    await drop.scan();
    expect(await opened.store.arrivals.listReceipts(docId)).toHaveLength(2);
    expect(await queued(docId)).toBe(1);
    expect(await keysUnder('fax-inbox/')).toEqual([]);
  });

  it('S3 prefix: an object still being rewritten waits, a partial upload is left alone', async () => {
    const drop = new S3PrefixDrop(
      { s3: s3(), bucket: bucket(), prefix: 'fax-inbox/', archivePrefix: 'fax-archive/', pollMs: 60_000, extensions: ['pdf'], maxFileBytes: 1 << 20 },
      { store: opened.store, readProducer: producer, logger },
    );
    await put('fax-inbox/growing.pdf', '%PDF-1.4 first part');
    await put('fax-inbox/upload.pdf.part', '%PDF');
    await drop.scan();
    await put('fax-inbox/growing.pdf', '%PDF-1.4 first part and the rest');
    await drop.scan(); // changed since the last listing: not yet
    expect(await keysUnder('fax-inbox/')).toEqual(['fax-inbox/growing.pdf', 'fax-inbox/upload.pdf.part']);
    await drop.scan();
    expect(await keysUnder('fax-inbox/')).toEqual(['fax-inbox/upload.pdf.part']);
    expect(await opened.store.originals.exists(sha256Hex('%PDF-1.4 first part and the rest'))).toBe(true);
  });

  it('folder: an .eml, an .msg and a winmail.dat are opened and each document inside taken in, naming its container', async () => {
    const inbox = path.join(dir, 'in');
    await mkdir(inbox, { recursive: true });
    const drop = new FaxDrop(
      { dir: inbox, archiveDir: path.join(dir, 'archive'), pollMs: 60_000, extensions: ['pdf', 'eml', 'msg', 'dat'], maxFileBytes: 1 << 20 },
      { store: opened.store, readProducer: producer, logger },
    );
    const fromEml = pdf('Immunization record');
    const fromMsg = pdf('Medication list');
    const fromTnef = pdf('Discharge summary');
    const eml = buildEml({ from: 'A Member <member@example.org>', attachments: [{ name: 'shots.pdf', data: fromEml, mimeType: 'application/pdf' }] });
    const msg = buildMsg({ subject: 'my meds', senderEmail: 'member@example.org', attachments: [{ name: 'meds.pdf', data: fromMsg }] });
    const tnef = buildTnef({ subject: 'records', attachments: [{ name: 'discharge.pdf', data: fromTnef }, { name: 'notes.rtf', data: Buffer.from('{\\rtf1 notes}') }] });
    await writeFile(path.join(inbox, 'saved.eml'), eml);
    await writeFile(path.join(inbox, 'outlook.msg'), msg);
    await writeFile(path.join(inbox, 'winmail.dat'), tnef);
    await drop.scan();
    await drop.scan();
    expect(await readdir(inbox)).toEqual([]);

    for (const [inner, container, kind, fileName] of [
      [fromEml, eml, MediaType.eml, 'shots.pdf'],
      [fromMsg, msg, MediaType.msg, 'meds.pdf'],
      [fromTnef, tnef, MediaType.tnef, 'discharge.pdf'],
    ] as const) {
      const id = sha256Hex(inner);
      const [receipt] = await opened.store.arrivals.listReceipts(id);
      expect(receipt).toMatchObject({ channel: 'fax', fileName, declaredType: MediaType.pdf, container: { docId: sha256Hex(container), mediaType: kind } });
      expect(await queued(id)).toBe(1);
      expect((await readContainerRecord(opened.store, sha256Hex(container)))?.documents.map((d) => d.docId)).toEqual([id]);
    }
    expect((await opened.store.arrivals.listReceipts(sha256Hex(fromEml)))[0]!.hints.senderAddress).toBe('member@example.org');
    // The .eml and .msg held only documents: the wrappers are not documents. The winmail.dat left a part out:
    // it is taken in too, so the read step records why (quarantine with the reason).
    expect(await opened.store.originals.exists(sha256Hex(eml))).toBe(false);
    expect(await opened.store.originals.exists(sha256Hex(msg))).toBe(false);
    expect(await queued(sha256Hex(tnef))).toBe(1);
    expect((await readContainerRecord(opened.store, sha256Hex(tnef)))?.skipped).toEqual([
      expect.objectContaining({ part: '2', fileName: 'notes.rtf', code: 'unsupported-type', reason: expect.stringMatching(/^rich-text file is not a supported record type/) }),
    ]);
  });
});
