import { type Channel, ReviewState } from '@intake/core';
import { z } from 'zod';

/**
 * A document's state, and the one place that says how it may change. Every write of
 * `documents/{docId}/status.json` goes through `applyTransition` (by way of
 * DocumentStateRepository), so no module sets a stage by hand.
 *
 *   received ──read──► read ──extracted──► extracted ──claimed / saved / approved / rejected / needsMemberAction──► …
 *       │                ▲                 │   │           approved | rejected ──reopened──► in review
 *       │   (no status) ─┘ derived         │   └─rotated / typed──► extracted (same stage, a page turned / the type set)
 *       │                                  └─split / moved / merged──► superseded (its pages are in other documents now)
 *       └──quarantined───┴──► quarantined ──retried──► received | read
 *                                  └──closed──► closed
 */
export const Stage = z.enum(['received', 'read', 'extracted', 'quarantined', 'closed', 'superseded']);
export type Stage = z.infer<typeof Stage>;

export const TransitionName = z.enum([
  'received',
  'read',
  'extracted',
  'quarantined',
  'claimed',
  'saved',
  'approved',
  'rejected',
  'needsMemberAction',
  'reopened',
  'retried',
  'closed',
  'derived',
  'split',
  'moved',
  'merged',
  'rotated',
  'typed',
]);
export type TransitionName = z.infer<typeof TransitionName>;

/** What the document says about its patient, as extracted (searchable in the index). */
export const StatedPatient = z.object({
  name: z.string().optional(),
  birthDate: z.string().optional(),
  mrn: z.string().optional(),
});
export type StatedPatient = z.infer<typeof StatedPatient>;

/** Where a document's pages came from: a document made from another's pages (split, move, merge). */
export const PageSource = z.object({ docId: z.string(), pages: z.array(z.number().int().min(1)) });
export type PageSource = z.infer<typeof PageSource>;

/** A page's view transform: degrees clockwise, applied to the stored page image when shown. */
export const Rotation = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type Rotation = z.infer<typeof Rotation>;

/** The summary the review queue lists, and the row the index holds for a document. */
export const DocumentStatus = z.object({
  docId: z.string(),
  stage: Stage,
  reviewState: ReviewState.default('pending'),
  channel: z.string(),
  receivedAt: z.string(),
  updatedAt: z.string(),
  mediaType: z.string().optional(),
  pages: z.number().int().optional(),
  itemCounts: z.record(z.string(), z.number()).optional(),
  memberId: z.string().optional(),
  latestRevision: z.number().int().default(0),
  quarantineReason: z.string().optional(),
  /** Sender as the channel saw it: an e-mail address or a fax number. */
  sender: z.string().optional(),
  /** The document type: the clerk's when confirmed, else the pipeline's suggestion. */
  documentType: z.string().optional(),
  /** What the pipeline suggested from the extraction result. */
  documentTypeSuggested: z.string().optional(),
  /** The clerk who confirmed or changed the type (unset: only suggested). */
  documentTypeBy: z.string().optional(),
  patient: StatedPatient.optional(),
  /** Its pages name more than one patient (read page by page): the clerk should split it. */
  mixedPatients: z.boolean().optional(),
  /** Made from other documents' pages (split, move, merge): which, in page order. */
  derivedFrom: z.array(PageSource).optional(),
  /** Superseded: the documents its pages went to. */
  supersededBy: z.array(z.string()).optional(),
  /** Page rotations (page number → degrees clockwise), a view transform; pages not listed are 0. */
  rotations: z.record(z.string(), Rotation).optional(),
  /** The clerk who last claimed the record (the live lease is in Redis). */
  claimedBy: z.string().optional(),
  /** Transitions applied so far; the index keeps a row only when it is newer. */
  version: z.number().int().default(0),
  lastTransition: z.object({ name: TransitionName, at: z.string(), actor: z.string() }).optional(),
});
export type DocumentStatus = z.infer<typeof DocumentStatus>;

const SAVE_STATE = {
  saved: 'in-review',
  approved: 'approved',
  rejected: 'rejected',
  needsMemberAction: 'needs-member-action',
  reopened: 'in-review',
} as const;

export type ReviewTransitionName = keyof typeof SAVE_STATE;

export type Transition =
  | { name: 'received'; channel: Channel | string; receivedAt: string; sender?: string; mediaType?: string }
  | { name: 'read'; mediaType: string; pages: number }
  | {
      name: 'extracted';
      itemCounts: Record<string, number>;
      patient: StatedPatient;
      /** The pipeline's suggested type; a type a clerk already confirmed is kept. */
      documentType?: string;
      mixedPatients?: boolean;
    }
  | { name: 'quarantined'; reason: string }
  | { name: 'retried'; to: 'received' | 'read' }
  | { name: 'claimed'; by: string }
  | { name: ReviewTransitionName; revision: number; memberId?: string; itemCounts: Record<string, number> }
  | { name: 'closed' }
  | {
      name: 'derived';
      channel: Channel | string;
      receivedAt: string;
      sender?: string;
      mediaType: string;
      pages: number;
      derivedFrom: PageSource[];
      memberId?: string;
      rotations?: Record<string, Rotation>;
    }
  | { name: 'split' | 'moved' | 'merged'; into: string[] }
  | { name: 'rotated'; page: number; rotation: Rotation }
  | { name: 'typed'; documentType: string };

/** The transition a clerk's save is: by the state saved and the state before it. */
export function saveTransition(from: ReviewState, to: Exclude<ReviewState, 'pending'>): ReviewTransitionName {
  if ((from === 'approved' || from === 'rejected') && to === 'in-review') return 'reopened';
  switch (to) {
    case 'in-review':
      return 'saved';
    case 'approved':
      return 'approved';
    case 'rejected':
      return 'rejected';
    case 'needs-member-action':
      return 'needsMemberAction';
  }
}

/** A transition that the document's state does not allow; the message is safe to show. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly transition: TransitionName,
    readonly from: { stage?: Stage; reviewState?: ReviewState },
  ) {
    super(
      from.stage === undefined
        ? `cannot apply "${transition}": the document has no state yet`
        : `cannot apply "${transition}" to a document that is ${from.stage === 'extracted' ? from.reviewState : from.stage}`,
    );
  }
}

const OPEN_REVIEW: ReadonlySet<ReviewState> = new Set(['pending', 'in-review', 'needs-member-action']);

/** Whether `transition` may be applied now (without applying it). */
export function canApply(current: DocumentStatus | undefined, transition: TransitionName): boolean {
  if (!current) return transition === 'received' || transition === 'derived';
  const { stage, reviewState } = current;
  switch (transition) {
    case 'received':
      return false;
    case 'read':
      // A re-run of the same read (a job retried after its write) is allowed.
      return stage === 'received' || stage === 'read';
    case 'extracted':
      return stage === 'read' || stage === 'extracted';
    case 'quarantined':
      return stage === 'received' || stage === 'read' || stage === 'quarantined';
    case 'retried':
      return stage === 'quarantined';
    case 'closed':
      return stage === 'quarantined';
    case 'claimed':
    case 'saved':
    case 'approved':
    case 'rejected':
    case 'needsMemberAction':
      return stage === 'extracted' && OPEN_REVIEW.has(reviewState);
    case 'reopened':
      return stage === 'extracted' && (reviewState === 'approved' || reviewState === 'rejected');
    case 'derived':
      return false; // only a document without a state (see applyTransition)
    case 'split':
    case 'moved':
    case 'merged':
    case 'rotated':
      // Pages change only while the review is open: a finished record is reopened first.
      return stage === 'extracted' && OPEN_REVIEW.has(reviewState);
    case 'typed':
      return stage === 'extracted';
  }
}

/** The next state, or IllegalTransitionError. Pure: the repository does the conditional write. */
export function applyTransition(
  current: DocumentStatus | undefined,
  transition: Transition,
  meta: { docId: string; at: string; actor: string },
): DocumentStatus {
  if (!canApply(current, transition.name)) {
    throw new IllegalTransitionError(transition.name, { stage: current?.stage, reviewState: current?.reviewState });
  }
  const stamp = {
    updatedAt: meta.at,
    version: (current?.version ?? 0) + 1,
    lastTransition: { name: transition.name, at: meta.at, actor: meta.actor },
  };
  if (transition.name === 'received') {
    return DocumentStatus.parse({
      docId: meta.docId,
      stage: 'received',
      reviewState: 'pending',
      channel: transition.channel,
      receivedAt: transition.receivedAt,
      sender: transition.sender,
      mediaType: transition.mediaType,
      latestRevision: 0,
      ...stamp,
    });
  }
  if (transition.name === 'derived') {
    return DocumentStatus.parse({
      docId: meta.docId,
      stage: 'read',
      reviewState: 'pending',
      channel: transition.channel,
      receivedAt: transition.receivedAt,
      sender: transition.sender,
      mediaType: transition.mediaType,
      pages: transition.pages,
      derivedFrom: transition.derivedFrom,
      memberId: transition.memberId,
      rotations: transition.rotations && Object.keys(transition.rotations).length ? transition.rotations : undefined,
      latestRevision: 0,
      ...stamp,
    });
  }
  const base = current!;
  switch (transition.name) {
    case 'read':
      return DocumentStatus.parse({ ...base, ...stamp, stage: 'read', mediaType: transition.mediaType, pages: transition.pages });
    case 'extracted':
      return DocumentStatus.parse({
        ...base,
        ...stamp,
        stage: 'extracted',
        itemCounts: transition.itemCounts,
        patient: transition.patient,
        mixedPatients: transition.mixedPatients ?? base.mixedPatients,
        documentTypeSuggested: transition.documentType ?? base.documentTypeSuggested,
        // A type the clerk set stands; otherwise the latest suggestion.
        documentType: base.documentTypeBy ? base.documentType : (transition.documentType ?? base.documentType),
      });
    case 'quarantined':
      return DocumentStatus.parse({ ...base, ...stamp, stage: 'quarantined', quarantineReason: transition.reason });
    case 'retried':
      return DocumentStatus.parse({ ...base, ...stamp, stage: transition.to, quarantineReason: undefined });
    case 'closed':
      return DocumentStatus.parse({ ...base, ...stamp, stage: 'closed' });
    case 'split':
    case 'moved':
    case 'merged':
      return DocumentStatus.parse({ ...base, ...stamp, stage: 'superseded', supersededBy: transition.into, claimedBy: undefined });
    case 'rotated': {
      const rotations = { ...(base.rotations ?? {}) };
      if (transition.rotation === 0) delete rotations[String(transition.page)];
      else rotations[String(transition.page)] = transition.rotation;
      return DocumentStatus.parse({ ...base, ...stamp, rotations: Object.keys(rotations).length ? rotations : undefined });
    }
    case 'typed':
      return DocumentStatus.parse({ ...base, ...stamp, documentType: transition.documentType, documentTypeBy: meta.actor });
    case 'claimed':
      return DocumentStatus.parse({ ...base, ...stamp, claimedBy: transition.by });
    case 'saved':
    case 'approved':
    case 'rejected':
    case 'needsMemberAction':
    case 'reopened': {
      const reviewState = SAVE_STATE[transition.name];
      return DocumentStatus.parse({
        ...base,
        ...stamp,
        reviewState,
        latestRevision: transition.revision,
        memberId: transition.memberId,
        itemCounts: transition.itemCounts,
        // A finished record is no longer claimed; one still in review keeps its clerk.
        claimedBy: reviewState === 'in-review' ? (base.claimedBy ?? meta.actor) : undefined,
      });
    }
  }
}
