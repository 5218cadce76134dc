import { z } from 'zod';
import { Channel, ExtractionResult, Item } from './extraction-result.ts';

/** What the channel knew about the sender, kept for matching the document to a member in review. */
export const MemberHints = z.object({
  senderAddress: z.string().optional(),
  senderName: z.string().optional(),
  mrn: z.string().optional(),
  subject: z.string().optional(),
  messageId: z.string().optional(),
  faxFrom: z.string().optional(),
  /** The fax gateway's station id (CSID/TSID) of the sending machine. */
  faxStation: z.string().optional(),
  /** The number the fax was sent to (the plan's line), when the gateway says. */
  faxTo: z.string().optional(),
  /** The time the gateway says it received the fax (ISO 8601), which can differ from when the file appeared. */
  gatewayReceivedAt: z.string().optional(),
});
export type MemberHints = z.infer<typeof MemberHints>;

/** One arrival of a document. The same bytes arriving twice is one document with two receipts. */
export const Receipt = z.object({
  docId: z.string(),
  channel: Channel,
  fileName: z.string(),
  declaredType: z.string().optional(),
  receivedAt: z.iso.datetime(),
  size: z.number().int().min(0),
  /** Where this arrival came from: a fax-drop path, or the S3 key of the raw e-mail. */
  origin: z.string().optional(),
  hints: MemberHints.default({}),
  /** What the fax gateway said about this arrival (its sidecar file, the S3 object's metadata), field by field as sent. */
  gateway: z.record(z.string(), z.string()).optional(),
  /** Set when this document came out of a container (a saved e-mail, .msg, winmail.dat): which one, and where in it. */
  container: z.object({ docId: z.string(), part: z.string(), mediaType: z.string() }).optional(),
});
export type Receipt = z.infer<typeof Receipt>;

/** An earlier document whose page text matches this one's: probably the same record sent again by another route. */
export const ProbableDuplicate = z.object({
  docId: z.string(),
  /** Page-text similarity, 0–1: the smaller of the text and data shingle containments (shared/arrivals/src/fingerprint.ts). */
  similarity: z.number().min(0).max(1),
  channel: z.string().optional(),
  receivedAt: z.string().optional(),
});
export type ProbableDuplicate = z.infer<typeof ProbableDuplicate>;

/** Whether every page a fax announced arrived: the cover sheet's count and "page X of Y" footers against the pages received. */
export const Completeness = z.object({
  status: z.enum(['complete', 'incomplete', 'unknown']),
  pagesReceived: z.number().int().min(0),
  /** The page count the document itself announces, when it does. */
  pagesExpected: z.number().int().min(1).optional(),
  /** Where the expected count came from. */
  evidence: z.array(z.object({ page: z.number().int().min(1), text: z.string() })).default([]),
  /** Announced page numbers that are not among the pages received. */
  missingPages: z.array(z.number().int().min(1)).default([]),
  /** One line for the clerk when incomplete. */
  message: z.string().optional(),
});
export type Completeness = z.infer<typeof Completeness>;

/** What the intake checks found once a document's pages were read: shown with the record. */
export const DocumentChecks = z.object({
  docId: z.string(),
  at: z.iso.datetime(),
  probableDuplicates: z.array(ProbableDuplicate).default([]),
  completeness: Completeness.optional(),
});
export type DocumentChecks = z.infer<typeof DocumentChecks>;

/** The document as first taken in; written once, never overwritten. */
export const IntakeRecord = Receipt.extend({
  sha256: z.string(),
});
export type IntakeRecord = z.infer<typeof IntakeRecord>;

export const QuarantineRecord = z.object({
  docId: z.string(),
  /** Which step gave up. */
  stage: z.enum(['intake', 'read', 'extract', 'email']),
  code: z.string(),
  /** One line a clerk can act on; never patient data. */
  reason: z.string(),
  fileName: z.string().optional(),
  channel: Channel.optional(),
  at: z.iso.datetime(),
  attempts: z.number().int().min(0).default(1),
  status: z.enum(['open', 'retried', 'closed']).default('open'),
  closedBy: z.string().optional(),
  closedAt: z.iso.datetime().optional(),
  note: z.string().optional(),
});
export type QuarantineRecord = z.infer<typeof QuarantineRecord>;

export const ReviewState = z.enum(['pending', 'in-review', 'approved', 'rejected', 'needs-member-action']);
export type ReviewState = z.infer<typeof ReviewState>;

export const ItemDecision = z.enum(['pending', 'accepted', 'edited', 'rejected', 'added']);
export type ItemDecision = z.infer<typeof ItemDecision>;

export const ReviewedItem = z.object({
  /** Stable id within the record (index-derived at first extraction, or new for added items). */
  id: z.string(),
  decision: ItemDecision,
  item: Item,
  /** The item as extracted, kept when a clerk edited it. */
  original: Item.optional(),
});
export type ReviewedItem = z.infer<typeof ReviewedItem>;

/**
 * One revision of a review record. Revisions are never overwritten: revision N+1 names
 * the revision it replaces, and a write whose `replaces` is not the latest is refused.
 */
export const ReviewRevision = z.object({
  docId: z.string(),
  revision: z.number().int().min(1),
  replaces: z.number().int().min(0),
  state: ReviewState,
  items: z.array(ReviewedItem),
  memberId: z.string().optional(),
  by: z.string(),
  at: z.iso.datetime(),
  note: z.string().optional(),
});
export type ReviewRevision = z.infer<typeof ReviewRevision>;

export { ExtractionResult };
