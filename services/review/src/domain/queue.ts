import type { Logger } from '@intake/config';
import type { QueueQuery, QueueState } from '@intake/index';
import type { ReviewStore } from '@intake/storage';
import { z } from 'zod';
import type { Leases } from '../leases.ts';
import type { MemberDirectory } from '../members.ts';

/** A calendar day in search filters, as the UI's date inputs send it. */
export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

/** The saved views: named query presets (the UI lists them from GET /api/queue/views). */
export const SAVED_VIEWS = [
  { id: 'faxes-over-24h', label: 'Faxes over 24 h', description: 'faxes still open, received more than 24 hours ago' },
  { id: 'needs-member-action', label: 'Needs member action', description: 'records waiting for the member' },
  { id: 'mine', label: 'Mine', description: 'open records you last claimed' },
] as const;
export type SavedViewId = (typeof SAVED_VIEWS)[number]['id'];

/** Filters that may travel in a URL: no names, birth dates or MRNs. */
export const QueueFilters = z.object({
  state: z
    .enum(['all', 'open', 'pending', 'in-review', 'approved', 'rejected', 'needs-member-action', 'quarantined', 'closed', 'superseded'])
    .default('all'),
  channel: z.string().max(20).optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  view: z.enum(SAVED_VIEWS.map((v) => v.id) as [SavedViewId, ...SavedViewId[]]).optional(),
  type: z.string().max(40).optional(),
  mixed: flag.optional(),
  overTarget: flag.optional(),
});
/** A search: the filters and the text (name, birth date, MRN, member id, document id prefix), sent in a POST body. */
export const QueueSearch = QueueFilters.extend({ q: z.string().max(200).optional() });
export type QueueSearch = z.infer<typeof QueueSearch>;

export interface QueueDeps {
  store: ReviewStore;
  leases: Pick<Leases, 'holders'>;
  members: MemberDirectory;
  logger: Logger;
  /** The turnaround target in hours (REVIEW_TURNAROUND_HOURS). */
  turnaroundHours: number;
}

export interface QueueRow {
  docId: string;
  stage: string;
  state: string;
  channel: string;
  sender?: string;
  receivedAt: string;
  updatedAt: string;
  /** Hours since arrival. */
  ageHours: number;
  /** Still open and older than the turnaround target. */
  overTarget: boolean;
  /** The patient as the document states it. */
  patient?: { name?: string; birthDate?: string };
  pages?: number;
  items: number;
  memberId?: string;
  documentType?: string;
  documentTypeConfirmed: boolean;
  mixedPatients: boolean;
  derivedFrom?: { docId: string; pages: number[] }[];
  latestRevision: number;
  quarantineReason?: string;
  claimedBy?: string;
  leaseHolder?: string;
}

export interface QueueResult {
  counts: Record<QueueState, number>;
  total: number;
  turnaroundHours: number;
  documents: QueueRow[];
  searched: boolean;
}

const OPEN: ReadonlySet<string> = new Set(['pending', 'in-review', 'needs-member-action']);
const HOUR = 3_600_000;

/** The index query a queue request (and its saved view) comes to, for this clerk now. */
export function indexQuery(
  query: QueueSearch,
  context: { username: string; now: number; turnaroundHours: number },
): Omit<QueueQuery, 'text' | 'memberIds'> {
  const out: Omit<QueueQuery, 'text' | 'memberIds'> = {
    state: query.state,
    channel: query.channel,
    from: query.from,
    to: query.to,
    limit: query.limit,
    documentType: query.type,
    mixedPatients: query.mixed || undefined,
  };
  const olderThan = (hours: number) => new Date(context.now - hours * HOUR).toISOString();
  switch (query.view) {
    case 'faxes-over-24h':
      out.channel = 'fax';
      if (out.state === 'all') out.state = 'open';
      out.receivedBefore = olderThan(24);
      break;
    case 'needs-member-action':
      out.state = 'needs-member-action';
      break;
    case 'mine':
      out.claimedBy = context.username;
      if (out.state === 'all') out.state = 'open';
      break;
    case undefined:
      break;
  }
  if (query.overTarget) {
    const limit = olderThan(context.turnaroundHours);
    out.receivedBefore = out.receivedBefore && out.receivedBefore < limit ? out.receivedBefore : limit;
    if (out.state === 'all') out.state = 'open';
  }
  return out;
}

async function memberIdsFor(deps: QueueDeps, text: string): Promise<string[] | undefined> {
  if (!text || deps.members.kind === 'none' || /^[0-9a-f]{6,64}$/i.test(text)) return undefined;
  try {
    return (await deps.members.candidates({ text })).map((m) => m.memberId);
  } catch (error) {
    deps.logger.warn({ err: { message: (error as Error).message } }, 'member lookup failed');
    return undefined;
  }
}

/** One page of the queue from the index, oldest first, with the counts per state and who holds each record. */
export async function queuePage(
  deps: QueueDeps,
  query: QueueSearch,
  clerk: { username: string } = { username: '' },
  now = Date.now(),
): Promise<QueueResult> {
  const text = (query.q ?? '').trim();
  const memberIds = await memberIdsFor(deps, text);
  const page = await deps.store.index.queue({
    ...indexQuery(query, { username: clerk.username, now, turnaroundHours: deps.turnaroundHours }),
    text,
    memberIds,
  });
  const holders = await deps.leases.holders(page.documents.map((d) => d.docId));
  return {
    counts: page.counts,
    total: page.total,
    turnaroundHours: deps.turnaroundHours,
    searched: text !== '',
    documents: page.documents.map((d, i) => {
      const ageHours = Math.max(0, (now - Date.parse(d.receivedAt)) / HOUR);
      const open = OPEN.has(d.reviewState) && (d.stage === 'extracted' || d.stage === 'read' || d.stage === 'received');
      return {
        docId: d.docId,
        stage: d.stage,
        state: d.reviewState,
        channel: d.channel,
        sender: d.sender,
        receivedAt: d.receivedAt,
        updatedAt: d.updatedAt,
        ageHours: Math.round(ageHours * 10) / 10,
        overTarget: open && ageHours > deps.turnaroundHours,
        patient: d.patient && (d.patient.name || d.patient.birthDate) ? { name: d.patient.name, birthDate: d.patient.birthDate } : undefined,
        pages: d.pages,
        items: Object.values(d.itemCounts ?? {}).reduce((a, b) => a + b, 0),
        memberId: d.memberId,
        documentType: d.documentType,
        documentTypeConfirmed: Boolean(d.documentTypeBy),
        mixedPatients: d.mixedPatients === true,
        derivedFrom: d.derivedFrom,
        latestRevision: d.latestRevision,
        quarantineReason: d.quarantineReason,
        claimedBy: d.claimedBy,
        leaseHolder: holders[i] ?? undefined,
      };
    }),
  };
}

/**
 * "Save and next": the first open, extracted record after `after` in queue order (oldest
 * first) that no other clerk holds, within the same filters or view. Wraps to the start once.
 */
export async function nextDocument(
  deps: QueueDeps,
  query: QueueSearch,
  clerk: { username: string },
  after: string | undefined,
  now = Date.now(),
): Promise<string | null> {
  const base = indexQuery({ ...query, limit: 100 }, { username: clerk.username, now, turnaroundHours: deps.turnaroundHours });
  if (base.state === 'all') base.state = 'open';
  let cursor: QueueQuery['after'];
  if (after) {
    const doc = await deps.store.index.getDocument(after);
    if (doc) cursor = { receivedAt: doc.receivedAt, docId: doc.docId };
  }
  for (const start of cursor ? [cursor, undefined] : [undefined]) {
    let position = start;
    for (let pages = 0; pages < 20; pages++) {
      const page = await deps.store.index.queue({ ...base, after: position });
      if (page.documents.length === 0) break;
      const holders = await deps.leases.holders(page.documents.map((d) => d.docId));
      const found = page.documents.find(
        (d, i) => d.stage === 'extracted' && d.docId !== after && (!holders[i] || holders[i] === clerk.username),
      );
      if (found) return found.docId;
      const last = page.documents.at(-1)!;
      position = { receivedAt: last.receivedAt, docId: last.docId };
      if (page.documents.length < base.limit) break;
    }
  }
  return null;
}
