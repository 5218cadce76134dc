import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCoreConfig } from '@intake/config';
import { sha256Hex, type Channel } from '@intake/core';
import { openReviewStore, type OpenedStore } from '@intake/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUPLICATE_THRESHOLD, intakeChecksView, readDuplicatedBy, readIntakeChecks, runIntakeChecks } from './checks.ts';

interface CorpusDoc {
  id: string;
  pages: string[];
}
const corpus = JSON.parse(readFileSync(new URL('../fixtures/duplicate-corpus.json', import.meta.url), 'utf8')) as { docs: CorpusDoc[] };
const pagesOf = (id: string) => corpus.docs.find((d) => d.id === id)!.pages;

// The project's S3 API (s3rver over HTTP); page texts as the reader read them (fixtures/duplicate-corpus.json).
describe('intake checks in the store: probable duplicates both ways, completeness', () => {
  let dir: string;
  let opened: OpenedStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-checks-store-'));
    opened = await openReviewStore(loadCoreConfig({ INTAKE_DATA_DIR: dir, S3_BUCKET: 'checks-store-test' }));
  });

  afterAll(async () => {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A document as the read step sees it: its receipt, then the checks on its page text. */
  const arrive = async (id: string, channel: Channel, fileName: string, receivedAt: string) => {
    const docId = sha256Hex(`${id}:${channel}`);
    await opened.store.arrivals.record({ docId, channel, fileName, receivedAt, size: 1, hints: {} });
    const checks = await runIntakeChecks(opened.store, docId, pagesOf(id), { channel, receivedAt });
    return { docId, checks };
  };

  it('links the same record faxed and e-mailed, seen from both records; not different records of one patient, nor one form for two patients', async () => {
    const faxed = await arrive('r2-07-Kerry_Cormier-portal-summary-fax.tiff', 'fax', 'fax-0007.tif', '2026-03-02T09:00:00.000Z');
    expect(faxed.checks.probableDuplicates).toEqual([]);
    const emailed = await arrive('r2-07-Kerry_Cormier-portal-summary.pdf', 'email', 'health-summary.pdf', '2026-03-03T10:00:00.000Z');
    expect(emailed.checks.probableDuplicates).toEqual([expect.objectContaining({ docId: faxed.docId, channel: 'fax', receivedAt: '2026-03-02T09:00:00.000Z' })]);
    expect(emailed.checks.probableDuplicates[0]!.similarity).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);

    // The clerk of either record sees the other one.
    expect((await intakeChecksView(opened.store, emailed.docId)).probableDuplicates).toEqual([
      expect.objectContaining({ docId: faxed.docId, direction: 'earlier', fileName: 'fax-0007.tif', channel: 'fax' }),
    ]);
    expect((await intakeChecksView(opened.store, faxed.docId)).probableDuplicates).toEqual([
      expect.objectContaining({ docId: emailed.docId, direction: 'later', fileName: 'health-summary.pdf', channel: 'email' }),
    ]);

    // Run again (a retried read): the same links, not two.
    await runIntakeChecks(opened.store, emailed.docId, pagesOf('r2-07-Kerry_Cormier-portal-summary.pdf'), { channel: 'email' });
    expect(await readDuplicatedBy(opened.store, faxed.docId)).toHaveLength(1);

    // The hardest negatives of the corpus: two records of one member (same facts, other layout) and one registry form for two patients.
    const summary = await arrive('Micah_Schinner-summary-scan.truth.txt', 'fax', 'summary.png', '2026-03-04T09:00:00.000Z');
    const table = await arrive('Micah_Schinner-table-photo.truth.txt', 'email', 'table.jpg', '2026-03-04T10:00:00.000Z');
    expect(summary.checks.probableDuplicates).toEqual([]);
    expect(table.checks.probableDuplicates).toEqual([]);
    await arrive('r2-03-Gayla_Ferry-iis-record.pdf', 'email', 'registry.pdf', '2026-03-05T09:00:00.000Z');
    const other = await arrive('r2-31-Chad_Quigley-iis-record.pdf', 'email', 'registry.pdf', '2026-03-05T10:00:00.000Z');
    expect(other.checks.probableDuplicates).toEqual([]);
    expect((await readIntakeChecks(opened.store, other.docId))?.probableDuplicates).toEqual([]);
  });

  it('keeps the bands in the index, one row each; an index without them (a new database, an upgrade) is filled from the stored fingerprints', async () => {
    const sql = opened.store.index.sql;
    const faxed = await arrive('r2-01-Israel_Sanford-ehr-summary-fax.tiff', 'fax', 'fax-0001.tif', '2026-03-06T09:00:00.000Z');
    const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM fingerprint_bands WHERE doc_id = $1`, [faxed.docId]);
    expect(rows[0]!.n).toBe(42);
    // The index loses every band (and the row saying it was filled): the fingerprints in S3 are the record.
    await sql.query(`DELETE FROM fingerprint_bands`);
    const emailed = await arrive('r2-01-Israel_Sanford-ehr-summary.pdf', 'email', 'summary.pdf', '2026-03-06T10:00:00.000Z');
    expect(emailed.checks.probableDuplicates.map((d) => d.docId)).toContain(faxed.docId);
    const refilled = await sql.query<{ n: number }>(`SELECT count(DISTINCT doc_id)::int AS n FROM fingerprint_bands WHERE doc_id <> '~'`);
    expect(refilled[0]!.n).toBeGreaterThanOrEqual(8); // every document of this file so far, not only the new one
  });

  it('flags a fax whose cover sheet announces more pages than arrived, for the clerk', async () => {
    const docId = sha256Hex('short fax');
    const pages = [
      'FAX COVER SHEET\nTo: Member Services  Fax (800) 555-0100\nFrom: Riverside Family Practice\nPages: 5 including cover\nDate: 03/02/2026',
      ...pagesOf('r2-07-Kerry_Cormier-portal-summary.pdf'),
      'Problem list\nHypertension since 2015',
    ];
    await runIntakeChecks(opened.store, docId, pages, { channel: 'fax' });
    const view = await intakeChecksView(opened.store, docId);
    expect(view.completeness).toMatchObject({ status: 'incomplete', pagesReceived: 3, pagesExpected: 5, missingPages: [4, 5] });
    expect(view.completeness?.message).toMatch(/cover sheet announces 5 pages, 3 received \(2 missing\)/);
  });
});
