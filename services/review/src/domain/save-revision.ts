import type { Logger } from '@intake/config';
import type { ReviewRevision } from '@intake/core';
import { canApply, RevisionConflictError, saveTransition, type ReviewStore } from '@intake/storage';
import { hasRole, type Role } from '../auth/roles.ts';
import { DomainError } from '../errors.ts';
import type { Leases } from '../leases.ts';
import { compare, contradicts, type MemberDirectory } from '../members.ts';
import { checkReason, checkTransition, reviewItems, type SaveRequest } from '../workflow.ts';
import { memberIdPattern } from './member-check.ts';
import { findMember } from './member-lookup.ts';

export interface SaveDeps {
  store: ReviewStore;
  leases: Pick<Leases, 'holds' | 'holder' | 'release'>;
  members: MemberDirectory;
  logger: Logger;
  /** Without a roster, a member id must have this form (MEMBER_ID_PATTERN). */
  config?: { MEMBER_ID_PATTERN?: string };
}

/** What a save came to; each outcome but `saved` leaves the record as it was. */
export type SaveOutcome =
  | { kind: 'saved'; revision: ReviewRevision; decisions: Record<string, number>; mismatchConfirmed: boolean }
  | { kind: 'lease-conflict'; holder: string | null }
  | { kind: 'revision-conflict'; latest: number }
  | { kind: 'member-mismatch'; memberId: string; facts: string[] };

/**
 * A clerk saves a record: the whole item list, its state and its member link. Checked
 * against the lease, the latest revision, the state machine and the member directory; on
 * success the revision is written once (`If-None-Match`) and the document takes the
 * matching transition (saved, approved, rejected, needsMemberAction or reopened).
 */
export async function saveRevision(
  deps: SaveDeps,
  input: { docId: string; clerk: { username: string; role: Role }; request: SaveRequest },
): Promise<SaveOutcome> {
  const { store } = deps;
  const { docId, clerk, request } = input;
  if (!(await deps.leases.holds(docId, clerk.username)))
    return { kind: 'lease-conflict', holder: await deps.leases.holder(docId) };
  const [status, extraction, latest] = await Promise.all([
    store.documents.get(docId),
    store.extractions.get(docId),
    store.revisions.latest(docId),
  ]);
  if (!status) throw new DomainError('not-found', 'no such document');
  if (status.stage === 'quarantined' || status.stage === 'closed')
    throw new DomainError('conflict', `the document is ${status.stage}`);
  const latestNumber = latest?.revision ?? 0;
  if (request.replaces !== latestNumber) return { kind: 'revision-conflict', latest: latestNumber };
  const from = latest?.state ?? status.reviewState;
  checkTransition(from, request.state, clerk.role);
  checkReason(request.state, request.note);
  const transition = saveTransition(from, request.state);
  if (!canApply(status, transition))
    throw new DomainError('conflict', `the document cannot be ${request.state} now (it is ${status.stage})`);
  if (transition === 'reopened' && !hasRole(clerk.role, 'supervisor'))
    throw new DomainError('forbidden', 'only a supervisor can reopen a record');
  const items = reviewItems(extraction, request);

  if (request.memberId && deps.members.kind === 'none' && deps.config?.MEMBER_ID_PATTERN) {
    if (!memberIdPattern(deps.config.MEMBER_ID_PATTERN).test(request.memberId)) {
      throw new DomainError('invalid', 'that is not a member id (it does not have the form MEMBER_ID_PATTERN sets)');
    }
  }

  let mismatchConfirmed = false;
  if (request.memberId && request.state === 'approved' && deps.members.kind !== 'none') {
    const linked = await findMember(deps, request.memberId);
    if (!linked) throw new DomainError('invalid', 'the linked member is not in the member roster');
    // Never approve someone else's record silently: a contradiction needs the clerk's explicit confirmation.
    const evidence = compare(extraction?.patient ?? {}, linked);
    if (contradicts(evidence)) {
      if (!request.confirmMismatch) {
        const facts = [
          evidence.name === 'different' && 'name',
          evidence.birthDate === 'different' && 'date of birth',
          evidence.mrn === 'different' && 'MRN',
        ].filter((f): f is string => Boolean(f));
        return { kind: 'member-mismatch', memberId: linked.memberId, facts };
      }
      mismatchConfirmed = true;
    }
  }

  const revision: ReviewRevision = {
    docId,
    revision: latestNumber + 1,
    replaces: latestNumber,
    state: request.state,
    items,
    memberId: request.memberId,
    by: clerk.username,
    at: new Date().toISOString(),
    note:
      request.note ??
      (mismatchConfirmed ? 'approved although the member does not match the document (confirmed by the clerk)' : undefined),
  };
  try {
    await store.revisions.append(revision);
  } catch (error) {
    if (error instanceof RevisionConflictError) return { kind: 'revision-conflict', latest: error.latest };
    throw error;
  }
  const itemCounts: Record<string, number> = {};
  for (const i of items) if (i.decision !== 'rejected') itemCounts[i.item.kind] = (itemCounts[i.item.kind] ?? 0) + 1;
  await store.documents.transition(
    docId,
    { name: transition, revision: revision.revision, memberId: request.memberId, itemCounts },
    clerk.username,
  );
  const decisions: Record<string, number> = {};
  for (const i of items) decisions[i.decision] = (decisions[i.decision] ?? 0) + 1;
  if (request.state !== 'in-review') await deps.leases.release(docId, clerk.username);
  return { kind: 'saved', revision, decisions, mismatchConfirmed };
}
