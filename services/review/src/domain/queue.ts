import type { Logger } from '@intake/config';
import type { QueueState } from '@intake/index';
import type { ReviewStore } from '@intake/storage';
import { z } from 'zod';
import type { Leases } from '../leases.ts';
import type { MemberDirectory } from '../members.ts';

/** A calendar day in search filters, as the UI's date inputs send it. */
export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Filters that may travel in a URL: no names, birth dates or MRNs. */
export const QueueFilters = z.object({
  state: z
    .enum(['all', 'pending', 'in-review', 'approved', 'rejected', 'needs-member-action', 'quarantined', 'closed'])
    .default('all'),
  channel: z.string().max(20).optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
/** A search: the filters and the text (name, birth date, MRN, member id, document id prefix), sent in a POST body. */
export const QueueSearch = QueueFilters.extend({ q: z.string().max(200).optional() });
export type QueueSearch = z.infer<typeof QueueSearch>;

export interface QueueDeps {
  store: ReviewStore;
  leases: Pick<Leases, 'holders'>;
  members: MemberDirectory;
  logger: Logger;
}

export interface QueueRow {
  docId: string;
  stage: string;
  state: string;
  channel: string;
  receivedAt: string;
  updatedAt: string;
  pages?: number;
  items: number;
  memberId?: string;
  latestRevision: number;
  quarantineReason?: string;
  leaseHolder?: string;
}

export interface QueueResult {
  counts: Record<QueueState, number>;
  total: number;
  documents: QueueRow[];
  searched: boolean;
}

/** One page of the queue from the index, oldest first, with the counts per state and who holds each record. */
export async function queuePage(deps: QueueDeps, query: QueueSearch): Promise<QueueResult> {
  const text = (query.q ?? '').trim();
  let memberIds: string[] | undefined;
  if (text && deps.members.kind !== 'none' && !/^[0-9a-f]{6,64}$/i.test(text)) {
    try {
      memberIds = (await deps.members.candidates({ text })).map((m) => m.memberId);
    } catch (error) {
      deps.logger.warn({ err: { message: (error as Error).message } }, 'member lookup failed');
    }
  }
  const page = await deps.store.index.queue({ ...query, text, memberIds });
  const holders = await deps.leases.holders(page.documents.map((d) => d.docId));
  return {
    counts: page.counts,
    total: page.total,
    searched: text !== '',
    documents: page.documents.map((d, i) => ({
      docId: d.docId,
      stage: d.stage,
      state: d.reviewState,
      channel: d.channel,
      receivedAt: d.receivedAt,
      updatedAt: d.updatedAt,
      pages: d.pages,
      items: Object.values(d.itemCounts ?? {}).reduce((a, b) => a + b, 0),
      memberId: d.memberId,
      latestRevision: d.latestRevision,
      quarantineReason: d.quarantineReason,
      leaseHolder: holders[i] ?? undefined,
    })),
  };
}
