import { Item, type ReviewedItem, type ExtractionResult, type ReviewRevision, type ReviewState } from '@intake/core';
import { z } from 'zod';
import { hasRole, type Role } from './auth/roles.ts';

/** Item ids: `x{n}` for the n-th extracted item (0-based), `a{n}` for items a clerk added. */
export function initialItems(extraction: ExtractionResult | undefined): ReviewedItem[] {
  return (extraction?.items ?? []).map((item, n) => ({ id: `x${n}`, decision: 'pending', item }));
}

/** The items a record shows: the latest revision's, else the extraction's, undecided. */
export function currentItems(extraction: ExtractionResult | undefined, latest: ReviewRevision | undefined): ReviewedItem[] {
  return latest ? latest.items : initialItems(extraction);
}

export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';
  constructor(
    readonly status: 403 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Allowed moves. A clerk works pending / in-review / needs-member-action records and
 * finishes them; reopening a finished (approved or rejected) record is a supervisor's call.
 */
export function checkTransition(from: ReviewState, to: ReviewState, role: Role): void {
  const finished = from === 'approved' || from === 'rejected';
  if (finished && !hasRole(role, 'supervisor')) {
    throw new WorkflowError(403, `the record is ${from}: only a supervisor can reopen it`);
  }
  if (finished && to !== 'in-review') {
    throw new WorkflowError(409, `the record is ${from}: reopen it (in review) before changing it`);
  }
  if (to === 'pending' && from !== 'pending') throw new WorkflowError(409, 'a reviewed record cannot go back to pending');
}

/**
 * Rejecting a record or sending it back to the member is never a bare key press: the save
 * says why (the revision's note, 3 characters or more), as the supervisors' bulk actions do.
 */
export function checkReason(state: ReviewState, note: string | undefined): void {
  if (state !== 'rejected' && state !== 'needs-member-action') return;
  if ((note ?? '').trim().length < 3) {
    throw new WorkflowError(422, `say why the record is ${state === 'rejected' ? 'rejected' : 'sent for member action'}: a note of 3 characters or more`);
  }
}

/** What a clerk sends to save: the whole item list, the state and the member link. */
export const SaveRequest = z.object({
  replaces: z.number().int().min(0),
  state: z.enum(['in-review', 'approved', 'rejected', 'needs-member-action']),
  items: z.array(
    z.object({
      id: z.string().regex(/^[xa]\d{1,6}$/),
      decision: z.enum(['pending', 'accepted', 'edited', 'rejected', 'added']),
      item: z.unknown(),
    }),
  ),
  memberId: z.string().trim().min(1).max(64).optional(),
  /** The clerk saw that the linked member does not match the document's patient and approves anyway. */
  confirmMismatch: z.boolean().optional(),
  note: z.string().max(2000).optional(),
});
export type SaveRequest = z.infer<typeof SaveRequest>;

/**
 * Check a save against the extraction and build the revision's items. The server, not
 * the browser, decides `original`: the extracted item for any item a clerk changed.
 */
export function reviewItems(extraction: ExtractionResult | undefined, request: SaveRequest): ReviewedItem[] {
  const extracted = extraction?.items ?? [];
  const seen = new Set<string>();
  const out: ReviewedItem[] = [];
  for (const entry of request.items) {
    if (seen.has(entry.id)) throw new WorkflowError(422, `item ${entry.id} appears twice`);
    seen.add(entry.id);
    const parsed = Item.safeParse(entry.item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new WorkflowError(422, `item ${entry.id}: ${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}`);
    }
    const item = parsed.data;
    if (entry.id.startsWith('x')) {
      const original = extracted[Number(entry.id.slice(1))];
      if (!original) throw new WorkflowError(422, `item ${entry.id} is not in the extraction`);
      if (entry.decision === 'added') throw new WorkflowError(422, `item ${entry.id} was extracted, not added`);
      const changed = canonical(item) !== canonical(original);
      if (changed && entry.decision !== 'edited' && entry.decision !== 'rejected') {
        throw new WorkflowError(422, `item ${entry.id} was changed: its decision must be "edited"`);
      }
      const decision = entry.decision === 'edited' && !changed ? 'accepted' : entry.decision;
      out.push({ id: entry.id, decision, item, ...(changed ? { original } : {}) });
    } else {
      if (entry.decision !== 'added' && entry.decision !== 'rejected') {
        throw new WorkflowError(422, `item ${entry.id} was added by a clerk: its decision is "added" or "rejected"`);
      }
      out.push({ id: entry.id, decision: entry.decision, item });
    }
  }
  for (let n = 0; n < extracted.length; n++) {
    if (!seen.has(`x${n}`)) throw new WorkflowError(422, `item x${n} is missing: reject it rather than drop it`);
  }
  if (request.state === 'approved') {
    const pending = out.filter((i) => i.decision === 'pending').length;
    if (pending > 0)
      throw new WorkflowError(422, `${pending} item(s) still pending: accept, edit or reject each before approving`);
    if (!request.memberId) throw new WorkflowError(422, 'link the document to a member before approving');
  }
  return out;
}

/** JSON with sorted keys: two items are the same whatever order their fields came in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The items an export carries: everything a clerk kept. */
export function keptItems(items: ReviewedItem[]): ReviewedItem[] {
  return items.filter((i) => i.decision === 'accepted' || i.decision === 'edited' || i.decision === 'added');
}
