import { isDocumentType } from '@intake/extraction';
import type { Role } from '../auth/roles.ts';
import { z } from 'zod';
import { DomainError, toHttp } from '../errors.ts';
import { currentItems } from '../workflow.ts';
import { saveRevision, type SaveDeps } from './save-revision.ts';

/** A supervisor's action on many documents at once. */
export const BulkRequest = z
  .object({
    docIds: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1).max(200),
    action: z.enum(['set-type', 'needs-member-action', 'reject', 'release']),
    type: z.string().max(40).optional(),
    reason: z.string().trim().min(3).max(500).optional(),
  })
  .refine((b) => b.action !== 'set-type' || (b.type !== undefined && isDocumentType(b.type)), {
    message: 'set-type needs a document type (see GET /api/document-types)',
    path: ['type'],
  })
  .refine((b) => (b.action !== 'reject' && b.action !== 'needs-member-action') || b.reason !== undefined, {
    message: 'a reason is needed (3 to 500 characters)',
    path: ['reason'],
  });
export type BulkRequest = z.infer<typeof BulkRequest>;

export type BulkResult = { docId: string; ok: true } | { docId: string; ok: false; error: string };

export interface BulkDeps extends SaveDeps {
  leases: SaveDeps['leases'] & { claim(docId: string, clerk: string): Promise<{ ok: boolean; holder: string | null }> };
}

/**
 * Each document on its own (one failing does not stop the rest), through the same paths a
 * clerk's action takes: the `typed` transition; a revision saved by the supervisor (with the
 * reason as its note) for reject and needs-member-action, under the supervisor's lease;
 * `release` frees the record from whoever holds it.
 */
export async function bulkAction(
  deps: BulkDeps,
  input: { request: BulkRequest; supervisor: { username: string; role: Role } },
): Promise<BulkResult[]> {
  const { request, supervisor } = input;
  const results: BulkResult[] = [];
  for (const docId of [...new Set(request.docIds)]) {
    try {
      await one(deps, docId, request, supervisor);
      results.push({ docId, ok: true });
    } catch (error) {
      // A known refusal (state, lease, revision, rule) is this document's outcome; anything else fails the request.
      const mapped = toHttp(error);
      if (!mapped) throw error;
      results.push({ docId, ok: false, error: String(mapped.body.error ?? 'refused') });
    }
  }
  return results;
}

async function one(deps: BulkDeps, docId: string, request: BulkRequest, supervisor: { username: string; role: Role }): Promise<void> {
  const { store } = deps;
  const status = await store.documents.get(docId);
  if (!status) throw new DomainError('not-found', 'no such document');
  switch (request.action) {
    case 'set-type':
      await store.documents.transition(docId, { name: 'typed', documentType: request.type! }, supervisor.username);
      return;
    case 'release': {
      const holder = await deps.leases.holder(docId);
      if (holder) await deps.leases.release(docId, holder);
      return;
    }
    case 'reject':
    case 'needs-member-action': {
      const claim = await deps.leases.claim(docId, supervisor.username);
      if (!claim.ok) throw new DomainError('conflict', `${claim.holder ?? 'another clerk'} is working on this record`);
      try {
        const [extraction, latest] = await Promise.all([store.extractions.get(docId), store.revisions.latest(docId)]);
        const outcome = await saveRevision(deps, {
          docId,
          clerk: supervisor,
          request: {
            replaces: latest?.revision ?? 0,
            state: request.action === 'reject' ? 'rejected' : 'needs-member-action',
            items: currentItems(extraction, latest).map((i) => ({ id: i.id, decision: i.decision, item: i.item })),
            memberId: latest?.memberId ?? status.memberId,
            note: request.reason,
          },
        });
        if (outcome.kind !== 'saved') throw new DomainError('conflict', outcome.kind.replace('-', ' '));
      } finally {
        await deps.leases.release(docId, supervisor.username);
      }
      return;
    }
  }
}
