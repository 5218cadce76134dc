import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, loadCoreConfig } from '@intake/config';
import { sha256Hex } from '@intake/core';
import type { OcrEngine } from '@intake/documents';
import { openReviewStore, type OpenedStore } from '@intake/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStoredDocument, type ReadDeps } from './read-document.ts';

const log = createLogger({ level: 'silent' });
const limits = { maxPages: 20, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 60_000 };

describe('the read step: damaged results and re-runs', () => {
  let dir: string;
  let opened: OpenedStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-read-'));
    opened = await openReviewStore(loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'read-test' }));
  });
  afterAll(async () => {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const received = async () => {
    const { store } = opened;
    const bytes = Buffer.from(`%PDF-1.4 synthetic ${Math.random()}`);
    const docId = sha256Hex(bytes);
    const receivedAt = new Date().toISOString();
    await store.originals.put(docId, bytes, 'application/pdf');
    await store.arrivals.record({ docId, channel: 'fax', fileName: 'x.pdf', receivedAt, size: bytes.byteLength, hints: {} });
    await store.documents.transition(docId, { name: 'received', channel: 'fax', receivedAt });
    return docId;
  };
  const deps = (read: NonNullable<ReadDeps['reader']>['read']): ReadDeps => ({
    store: opened.store,
    extractProducer: { add: async () => 'never' } as unknown as ReadDeps['extractProducer'],
    ocr: {} as OcrEngine,
    reader: { read },
    limits,
  });

  it('a page with NaN boxes (a damaged text layer) is quarantined corrupt, and nothing of it is written', async () => {
    const docId = await received();
    const page = { page: 1, method: 'text-layer' as const, text: 'Lisinopril', lines: [{ text: 'Lisinopril', bbox: [Number.NaN, 0, 10, 10] as [number, number, number, number], confidence: 1, words: [] }], width: 100, height: 100, rotation: 0, confidence: 1 };
    await expect(readStoredDocument(deps(async () => ({ mediaType: 'application/pdf', pages: [page] }) as never), docId, log)).rejects.toMatchObject({ name: 'BadInputError', code: 'corrupt' });
    expect(await opened.store.pages.getPage(docId, 1)).toBeUndefined();
  });

  it('a read job run again after its document went on (quarantined) does nothing', async () => {
    const docId = await received();
    await opened.store.quarantineDocument({ docId, stage: 'read', code: 'corrupt', reason: 'damaged', attempts: 1 });
    let reads = 0;
    await readStoredDocument(
      deps(async () => {
        reads += 1;
        throw new Error('not read again');
      }),
      docId,
      log,
    );
    expect(reads).toBe(0);
    expect((await opened.store.documents.get(docId))?.stage).toBe('quarantined');
  });
});
