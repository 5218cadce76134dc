import { createLogger } from '@intake/config';
import type { ExtractionResult, ReviewRevision } from '@intake/core';
import { applyTransition, RevisionConflictError, type DocumentStatus, type ReviewStore, type Transition } from '@intake/storage';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { CsvRoster, NoDirectory, type MemberDirectory } from '../members.ts';
import { sampleItems } from '../testing/fixtures.ts';
import { initialItems, WorkflowError, type SaveRequest } from '../workflow.ts';
import { saveRevision } from './save-revision.ts';

const docId = 'd'.repeat(64);
const extraction: ExtractionResult = {
  source: { file: 'a.pdf', sha256: docId, mediaType: 'application/pdf', pages: 2, channel: 'fax' },
  patient: { name: 'Alice Newman', birthDate: '1970-05-01' },
  items: sampleItems().slice(0, 2),
};

/** An in-memory stand-in for the three repositories saveRevision uses; transitions go through the real state machine. */
function fakeStore(options: { stage?: 'extracted' | 'quarantined'; reviewState?: DocumentStatus['reviewState'] } = {}) {
  let status: DocumentStatus = applyTransition(
    undefined,
    { name: 'received', channel: 'fax', receivedAt: '2026-11-01T00:00:00.000Z' },
    { docId, at: '2026-11-01T00:00:00.000Z', actor: 'pipeline' },
  );
  status = { ...status, stage: options.stage ?? 'extracted', reviewState: options.reviewState ?? 'pending' };
  const revisions: ReviewRevision[] = [];
  const transitions: string[] = [];
  const store = {
    documents: {
      get: async () => status,
      transition: async (_id: string, t: Transition, actor: string) => {
        status = applyTransition(status, t, { docId, at: new Date().toISOString(), actor });
        transitions.push(t.name);
        return status;
      },
    },
    extractions: { get: async () => extraction },
    revisions: {
      latest: async () => revisions.at(-1),
      append: async (r: ReviewRevision) => {
        if (r.replaces !== revisions.length) throw new RevisionConflictError(revisions.length);
        revisions.push(r);
        return r;
      },
    },
  } as unknown as ReviewStore;
  return { store, revisions, transitions, status: () => status };
}

const leases = (holder: string | null) => ({
  holds: async (_d: string, c: string) => c === holder,
  holder: async () => holder,
  release: async () => true,
});
const logger = createLogger({ level: 'silent' });
const clerk = { username: 'clerk1', role: 'clerk' as const };
const request = (over: Partial<SaveRequest> = {}): SaveRequest => ({
  replaces: 0,
  state: 'in-review',
  items: initialItems(extraction).map((i) => ({ id: i.id, decision: 'accepted', item: i.item })),
  ...over,
});
const run = (
  store: ReviewStore,
  req: SaveRequest,
  opts: { holder?: string | null; members?: MemberDirectory; who?: typeof clerk | { username: string; role: 'supervisor' } } = {},
) =>
  saveRevision(
    {
      store,
      leases: leases(opts.holder === undefined ? 'clerk1' : opts.holder),
      members: opts.members ?? new NoDirectory(),
      logger,
    },
    { docId, clerk: opts.who ?? clerk, request: req },
  );

describe('saveRevision (no HTTP)', () => {
  it('saves: the revision, then the matching transition', async () => {
    const f = fakeStore();
    const out = await run(f.store, request());
    expect(out).toMatchObject({ kind: 'saved', revision: { revision: 1, state: 'in-review' }, decisions: { accepted: 2 } });
    expect(f.transitions).toEqual(['saved']);
    expect(f.status()).toMatchObject({ reviewState: 'in-review', latestRevision: 1 });
  });

  it('answers lease-conflict without a lease, revision-conflict for a stale base', async () => {
    const f = fakeStore();
    expect(await run(f.store, request(), { holder: 'clerk2' })).toEqual({ kind: 'lease-conflict', holder: 'clerk2' });
    await run(f.store, request());
    expect(await run(f.store, request({ replaces: 0 }))).toEqual({ kind: 'revision-conflict', latest: 1 });
    expect(f.revisions).toHaveLength(1);
  });

  it('answers member-mismatch when the linked member contradicts the document, unless confirmed', async () => {
    const members = new CsvRoster([{ memberId: 'M2', firstName: 'Bob', lastName: 'Stone', birthDate: '1950-01-01' }]);
    const f = fakeStore();
    const approve = request({ state: 'approved', memberId: 'M2' });
    const out = await run(f.store, approve, { members });
    expect(out).toMatchObject({ kind: 'member-mismatch', memberId: 'M2' });
    expect(f.revisions).toHaveLength(0);
    const confirmed = await run(f.store, { ...approve, confirmMismatch: true }, { members });
    expect(confirmed).toMatchObject({ kind: 'saved', mismatchConfirmed: true });
    expect(f.transitions).toEqual(['approved']);
  });

  it('refuses to reject without a reason, writing nothing; with one, the reason is the note', async () => {
    const f = fakeStore();
    const reject = request({ state: 'rejected', items: initialItems(extraction).map((i) => ({ id: i.id, decision: 'rejected', item: i.item })) });
    await expect(run(f.store, reject)).rejects.toThrow(/say why the record is rejected/);
    await expect(run(f.store, request({ state: 'needs-member-action' }))).rejects.toBeInstanceOf(WorkflowError);
    expect(f.revisions).toHaveLength(0);
    expect(f.transitions).toEqual([]);
    const out = await run(f.store, { ...reject, note: 'not a medical record' });
    expect(out).toMatchObject({ kind: 'saved', revision: { state: 'rejected', note: 'not a medical record' } });
    expect(f.transitions).toEqual(['rejected']);
  });

  it('refuses a quarantined document and a clerk reopening an approved one; a supervisor reopens', async () => {
    await expect(run(fakeStore({ stage: 'quarantined' }).store, request())).rejects.toBeInstanceOf(DomainError);
    const f = fakeStore({ reviewState: 'approved' });
    await expect(run(f.store, request())).rejects.toBeInstanceOf(WorkflowError);
    const out = await run(f.store, request(), { holder: 'super1', who: { username: 'super1', role: 'supervisor' } });
    expect(out.kind).toBe('saved');
    expect(f.transitions).toEqual(['reopened']);
  });
});
