import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ingestArrival, readIntakeChecks } from '@intake/arrivals';
import { createLogger, loadCoreConfig } from '@intake/config';
import { extractDocumentJob, readDocumentJob, sha256Hex } from '@intake/core';
import { createOcrEngine, type OcrEngine } from '@intake/documents';
import { buildTnef } from '@intake/documents/testing/containers.ts';
import { makePdf } from '@intake/documents/testing/fixtures.ts';
import { createRedis, ensureRedis, ingestDocument, JobProducer, type RedisHandle } from '@intake/queue';
import { openReviewStore, type OpenedStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStoredDocument, type ReadDeps } from './read-document.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/arrivals/fixtures');
const lines = (texts: string[]) => texts.map((text, i) => ({ text, x: 54, y: 60 + i * 16, size: 10 }));

/** One patient, two different records (a medication list, an immunization record): same name, birth date, MRN, phone. */
const header = ['Patient: Quinn Example   DOB: 04/12/1961   MRN: 77310458', 'Phone: (617) 555-0199   Address: 12 Elm Street, Salem, MA 01970'];
const medList = makePdf([
  { kind: 'text', lines: lines([...header, 'MEDICATION LIST  printed 01/15/2024', 'Lisinopril 20 mg tablet daily  started 03/04/2019', 'Metformin 500 mg tablet twice daily  started 11/20/2017', 'Atorvastatin 40 mg tablet nightly  started 06/02/2020', 'Aspirin 81 mg tablet daily  started 01/10/2016', 'Refills: 3   Rx 4471902  filled 12/28/2023']) },
]);
const shots = makePdf([
  { kind: 'text', lines: lines([...header, 'IMMUNIZATION RECORD  printed 02/03/2024', 'Influenza 10/05/2023  lot 88213A', 'Tdap 07/19/2018  lot 30917B', 'Pneumococcal PCV20 09/14/2022  lot 55102C', 'Shingrix dose 1 05/01/2021  dose 2 08/03/2021', 'COVID-19 booster 10/28/2023  lot 71946D']) },
]);

describe('the read step: intake checks and containers', () => {
  let dir: string;
  let opened: OpenedStore;
  let redisHandle: RedisHandle;
  let redis: Redis;
  let readProducer: JobProducer<typeof readDocumentJob.schema>;
  let extractProducer: JobProducer<typeof extractDocumentJob.schema>;
  let ocr: OcrEngine;
  let deps: ReadDeps;
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-checks-'));
    const config = loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'checks-test' });
    opened = await openReviewStore(config);
    redisHandle = await ensureRedis({ url: process.env.REDIS_URL ?? config.REDIS_URL, autostart: true, dataDir: path.join(dir, 'redis') });
    redis = createRedis(redisHandle.url);
    const prefix = `checks${randomBytes(4).toString('hex')}`;
    readProducer = new JobProducer(readDocumentJob, redis, prefix);
    extractProducer = new JobProducer(extractDocumentJob, redis, prefix);
    ocr = createOcrEngine('auto', { size: 1 });
    deps = { store: opened.store, extractProducer, readProducer, maxFileBytes: 1 << 24, ocr, limits: { maxPages: 20, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 120_000 } };
  });

  afterAll(async () => {
    await ocr?.close();
    for (const p of [readProducer, extractProducer]) {
      await p?.queue.obliterate({ force: true }).catch(() => {});
      await p?.close();
    }
    redis?.disconnect();
    await redisHandle?.stop();
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const arrive = async (bytes: Uint8Array, channel: 'fax' | 'email', fileName: string) => {
    const outcome = await ingestArrival({ store: opened.store, readProducer, maxFileBytes: 1 << 24 }, { bytes, channel, fileName, receivedAt: new Date(), origin: `test/${fileName}` });
    const docId = outcome.documents[0]!.docId;
    await readStoredDocument(deps, docId, log);
    return docId;
  };

  it('links the same record faxed (TIFF, OCR) and e-mailed (PDF) as a probable duplicate; different records of one patient are not linked', async () => {
    const faxed = await arrive(await readFile(path.join(fixtures, 'r2-01-Israel_Sanford-ehr-summary-fax.tiff')), 'fax', 'fax-0001.tif');
    expect((await readIntakeChecks(opened.store, faxed))?.probableDuplicates).toEqual([]);
    const emailed = await arrive(await readFile(path.join(fixtures, 'r2-01-Israel_Sanford-ehr-summary.pdf')), 'email', 'summary.pdf');
    const checks = await readIntakeChecks(opened.store, emailed);
    expect(checks?.probableDuplicates).toEqual([expect.objectContaining({ docId: faxed, channel: 'fax' })]);
    expect(checks!.probableDuplicates[0]!.similarity).toBeGreaterThanOrEqual(0.45);
    // Both are kept: the link is for the clerk, nothing is dropped.
    expect((await opened.store.documents.get(faxed))?.stage).toBe('read');
    expect((await opened.store.documents.get(emailed))?.stage).toBe('read');

    const a = await arrive(medList, 'fax', 'meds.pdf');
    const b = await arrive(shots, 'email', 'shots.pdf');
    expect((await readIntakeChecks(opened.store, a))?.probableDuplicates).toEqual([]);
    expect((await readIntakeChecks(opened.store, b))?.probableDuplicates).toEqual([]);
  });

  it('flags a fax whose cover sheet says five pages when three arrived, with what is missing', async () => {
    const fax = makePdf([
      { kind: 'text', lines: lines(['FAX COVER SHEET', 'To: Member Services   Fax: (800) 555-0100', 'From: Riverside Family Practice', 'Pages: 5 including cover', 'Date: 03/02/2026']) },
      { kind: 'text', lines: lines(['Problem list', 'Hypertension since 2015']) },
      { kind: 'text', lines: lines(['Medications', 'Lisinopril 10 mg daily']) },
    ]);
    const docId = await arrive(fax, 'fax', 'short.pdf');
    const checks = await readIntakeChecks(opened.store, docId);
    expect(checks?.completeness).toMatchObject({ status: 'incomplete', pagesReceived: 3, pagesExpected: 5, missingPages: [4, 5] });
    expect(checks?.completeness?.message).toMatch(/cover sheet announces 5 pages, 3 received/);
  });

  it('a container that reaches the reader: its documents are taken in, and it is recorded with what was left out', async () => {
    const inner = makePdf([{ kind: 'text', lines: lines(['Discharge summary 2024-05-06']) }]);
    const tnef = buildTnef({ attachments: [{ name: 'discharge.pdf', data: inner }, { name: 'notes.rtf', data: Buffer.from('{\\rtf1 x}') }] });
    const { docId } = await ingestDocument({ store: opened.store, readProducer, maxFileBytes: 1 << 24 }, { bytes: tnef, channel: 'email', fileName: 'winmail.dat', receivedAt: new Date() });
    await expect(readStoredDocument(deps, docId, log)).rejects.toThrow(/winmail.dat \(TNEF\): 1 document in it taken in as their own records; part 2 left out: rich-text file/);
    const [receipt] = await opened.store.arrivals.listReceipts(sha256Hex(inner));
    expect(receipt).toMatchObject({ channel: 'email', fileName: 'discharge.pdf', container: { docId } });
  });
});
