import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPipeline, type Pipeline } from '@intake/cli';
import { loadCoreConfig } from '@intake/config';
import { sha256Hex } from '@intake/core';
import type { DocumentStatus } from '@intake/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scannedPdf, textPdf, truncatedPdf } from './support/fixtures.ts';

/**
 * The whole path on the embedded default, with real parts: a real Redis (the one at
 * REDIS_URL, or a redis-server the pipeline starts), the S3 API over HTTP (the embedded
 * S3-compatible server, driven by the AWS SDK), BullMQ workers, tesseract OCR.
 */
describe('fax drop → queue → OCR → extraction → review store', () => {
  let dir: string;
  let drop: string;
  let archive: string;
  let pipeline: Pipeline;
  // pdf-lib stamps creation dates: make each fixture once so "the same bytes" really are.
  let text: Buffer;
  let scan: Buffer;

  async function waitForStage(docId: string, stages: DocumentStatus['stage'][], timeoutMs = 150_000): Promise<DocumentStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await pipeline.store.documents.get(docId);
      if (status && stages.includes(status.stage)) return status;
      if (Date.now() > deadline) throw new Error(`document did not reach ${stages.join('/')} (now ${status?.stage ?? 'absent'})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function waitUntilTaken(name: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await readdir(drop)).includes(name)) {
      if (Date.now() > deadline) throw new Error(`${name} was not taken from the drop`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-e2e-'));
    drop = path.join(dir, 'drop');
    archive = path.join(dir, 'archive');
    await mkdir(drop, { recursive: true });
    const config = loadCoreConfig({
      ...process.env,
      LOG_LEVEL: 'warn',
      INTAKE_DATA_DIR: dir,
      S3_ENDPOINT: '',
      S3_BUCKET: 'e2e-review',
      FAX_DROP_DIR: drop,
      FAX_ARCHIVE_DIR: archive,
      FAX_POLL_MS: '150',
      INTAKE_QUEUE_PREFIX: `e2e${randomBytes(4).toString('hex')}`,
    });
    text = await textPdf();
    scan = await scannedPdf();
    pipeline = await startPipeline({ config, env: {}, review: false, imap: false });
  });

  afterAll(async () => {
    await pipeline?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a text PDF and a scanned PDF into extraction results with evidence', async () => {
    await writeFile(path.join(drop, 'fax-0001.pdf'), text);
    await writeFile(path.join(drop, 'fax-0002.pdf'), scan);

    for (const [bytes, method] of [
      [text, 'text-layer'],
      [scan, 'ocr'],
    ] as const) {
      const docId = sha256Hex(bytes);
      const status = await waitForStage(docId, ['extracted', 'quarantined']);
      expect(status.stage, status.quarantineReason).toBe('extracted');
      const manifest = await pipeline.store.pages.getManifest(docId);
      expect(manifest?.pages[0]?.method).toBe(method);
      expect(manifest?.pages[0]?.image).toBeDefined();

      const result = await pipeline.store.extractions.get(docId);
      expect(result?.source.sha256).toBe(docId);
      expect(result?.source.channel).toBe('fax');
      const meds = result!.items.filter((i) => i.kind === 'medication');
      const names = meds.map((m) => (m.kind === 'medication' ? m.name : ''));
      expect(names).toEqual(expect.arrayContaining(['lisinopril', 'metformin']));
      for (const med of meds) {
        expect(med.evidence?.page).toBe(1);
        expect(med.evidence?.bbox).toHaveLength(4);
      }
      expect(result!.items.some((i) => i.kind === 'allergy' && i.substance.toLowerCase().includes('penicillin'))).toBe(true);
    }
    // The originals were archived after they were safely in the store.
    expect(await readdir(drop)).toEqual([]);
    const archivedDays = await readdir(archive);
    expect((await readdir(path.join(archive, archivedDays[0]!))).length).toBe(2);
  });

  it('makes no second record when the same bytes are dropped again', async () => {
    const docId = sha256Hex(text);
    const before = await pipeline.store.documents.listIds();
    const manifestBefore = await pipeline.store.pages.getManifest(docId);

    await writeFile(path.join(drop, 'fax-0001-resent.pdf'), text);
    await waitUntilTaken('fax-0001-resent.pdf');
    await new Promise((r) => setTimeout(r, 1000));

    expect(await pipeline.store.documents.listIds()).toEqual(before);
    expect(await pipeline.store.arrivals.listReceipts(docId)).toHaveLength(2);
    // Not read again: the read manifest is the one from the first arrival.
    expect((await pipeline.store.pages.getManifest(docId))?.readAt).toBe(manifestBefore?.readAt);
    expect(await pipeline.readProducer.queue.getJobCounts('waiting', 'active', 'delayed')).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
  });

  it('puts a corrupt file in quarantine with a reason and keeps the original', async () => {
    const broken = await truncatedPdf();
    const docId = sha256Hex(broken);
    await writeFile(path.join(drop, 'fax-0003.pdf'), broken);
    const status = await waitForStage(docId, ['quarantined', 'extracted'], 60_000);
    expect(status.stage).toBe('quarantined');
    const q = await pipeline.store.quarantine.get(docId);
    expect(q?.reason).toMatch(/\w+/);
    expect(q?.reason).not.toMatch(/Lisinopril|Jordan/);
    expect(q?.fileName).toBe('fax-0003.pdf');
    expect((await pipeline.store.originals.get(docId))?.equals(broken)).toBe(true);

    // A clerk's retry runs the read again (still corrupt: back in quarantine, not lost).
    const firstAt = (await pipeline.store.quarantine.get(docId))!.at;
    await pipeline.retryDocument(docId);
    const again = await waitForStage(docId, ['quarantined', 'extracted'], 60_000);
    expect(again.stage).toBe('quarantined');
    const after = await pipeline.store.quarantine.get(docId);
    expect(after?.status).toBe('open');
    expect(after!.at > firstAt).toBe(true);
    // Something with no document behind it cannot be re-run.
    await expect(pipeline.retryDocument(sha256Hex('no such document'))).rejects.toThrow(/no document to read again/);
  });
});
