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
});
export type Receipt = z.infer<typeof Receipt>;

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
