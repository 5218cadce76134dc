import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, loadCoreConfig } from '@intake/config';
import { sha256Hex } from '@intake/core';
import { openReviewStore, type OpenedStore } from '@intake/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStoredDocument } from './extract-document.ts';

const log = createLogger({ level: 'silent' });
const text = ['Patient: Quinn Example   DOB: 04/12/1961', 'MEDICATION LIST', 'Lisinopril 20 mg tablet daily', 'Metformin 500 mg tablet twice daily'];

// The chaos run's `duplicated 1` (a document with two document.extracted events): an extract
// job that runs again after its extraction was stored — its process SIGKILLed on that store
// write, before the job completed, so BullMQ runs the stalled job again.
describe('the extract step is idempotent per document', () => {
  let dir: string;
  let opened: OpenedStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-extract-'));
    opened = await openReviewStore(loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'extract-test' }));
  });
  afterAll(async () => {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a job run again after its extraction was stored records one extraction (one document.extracted event, same version)', async () => {
    const { store } = opened;
    const bytes = Buffer.from(`%PDF-1.4 synthetic ${Math.random()}`);
    const docId = sha256Hex(bytes);
    const receivedAt = new Date().toISOString();
    await store.originals.put(docId, bytes, 'application/pdf');
    await store.arrivals.record({ docId, channel: 'fax', fileName: 'meds.pdf', receivedAt, size: bytes.byteLength, hints: {} });
    await store.documents.transition(docId, { name: 'received', channel: 'fax', receivedAt });
    await store.pages.putPage(docId, {
      page: 1,
      method: 'text-layer',
      text: text.join('\n'),
      lines: [],
      width: 0,
      height: 0,
      rotation: 0,
      confidence: 1,
    });
    await store.pages.putManifest({ docId, mediaType: 'application/pdf', pages: [{ page: 1, method: 'text-layer', confidence: 1, width: 0, height: 0 }], readAt: receivedAt, ms: 1 });
    await store.documents.transition(docId, { name: 'read', mediaType: 'application/pdf', pages: 1 });

    await extractStoredDocument({ store }, docId, log);
    const first = await store.documents.get(docId);
    expect(first).toMatchObject({ stage: 'extracted' });
    // The stalled job's second run.
    await extractStoredDocument({ store }, docId, log);
    const again = await store.documents.get(docId);
    expect(again?.version).toBe(first!.version);
    const events = await store.index.auditSearch({ docId, from: '2000-01-01', limit: 20 });
    expect(events.filter((e) => e.action === 'document.extracted')).toHaveLength(1);
  });
});
