import { readFileSync } from 'node:fs';
import { runIntakeChecks } from '@intake/arrivals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clerk, seedDocument, startTestEnv, type TestEnv } from './testing/fixtures.ts';

// Page texts as the reader read them (shared/arrivals/fixtures/duplicate-corpus.json): a records-v2 record faxed and e-mailed.
const corpus = JSON.parse(readFileSync(new URL('../../../shared/arrivals/fixtures/duplicate-corpus.json', import.meta.url), 'utf8')) as {
  docs: { id: string; pages: string[] }[];
};
const pagesOf = (id: string) => corpus.docs.find((d) => d.id === id)!.pages;

describe('the record shows the intake checks: probable duplicates both ways, fax completeness', () => {
  let env: TestEnv;
  let clerk: Clerk;
  beforeAll(async () => {
    env = await startTestEnv();
    clerk = await Clerk.login(env.url, 'clerk1');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('links the faxed and the e-mailed copy in both records, and flags a short fax', async () => {
    const faxed = await seedDocument(env.store, { tag: 'checks-faxed', channel: 'fax' });
    const emailed = await seedDocument(env.store, { tag: 'checks-emailed', channel: 'email' });
    await runIntakeChecks(env.store, faxed, pagesOf('r2-07-Kerry_Cormier-portal-summary-fax.tiff'), { channel: 'fax' });
    await runIntakeChecks(env.store, emailed, pagesOf('r2-07-Kerry_Cormier-portal-summary.pdf'), { channel: 'email' });

    const later = await clerk.get(`/api/documents/${emailed}`);
    expect(later.status).toBe(200);
    expect(later.body.intakeChecks.probableDuplicates).toEqual([
      expect.objectContaining({ docId: faxed, direction: 'earlier', channel: 'fax', fileName: 'checks-faxed.pdf', stage: 'extracted', reviewState: 'pending' }),
    ]);
    expect(later.body.intakeChecks.probableDuplicates[0].similarity).toBeGreaterThanOrEqual(0.65);
    const earlier = await clerk.get(`/api/documents/${faxed}`);
    expect(earlier.body.intakeChecks.probableDuplicates).toEqual([expect.objectContaining({ docId: emailed, direction: 'later', fileName: 'checks-emailed.pdf' })]);
    expect(earlier.body.intakeChecks.completeness).toMatchObject({ status: 'complete' }); // its fax header says PAGE 1/1

    const short = await seedDocument(env.store, { tag: 'checks-short', channel: 'fax', pages: 3 });
    await runIntakeChecks(env.store, short, ['FAX COVER SHEET\nFrom: Riverside Family Practice\nPages: 5 including cover', 'Medications', 'Allergies'], { channel: 'fax' });
    const flagged = await clerk.get(`/api/documents/${short}`);
    expect(flagged.body.intakeChecks.completeness).toMatchObject({ status: 'incomplete', pagesReceived: 3, pagesExpected: 5, missingPages: [4, 5] });
    expect(flagged.body.intakeChecks.completeness.message).toMatch(/announces 5 pages, 3 received/);
    expect(flagged.body.intakeChecks.probableDuplicates).toEqual([]);
  });
});
