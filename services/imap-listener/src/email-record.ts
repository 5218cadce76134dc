import { MemberHints } from '@intake/core';
import { keys } from '@intake/storage';
import { z } from 'zod';

/**
 * What the mail channel took from one message, at `email/{emailId}.json` (emailId: the
 * sha-256 of the raw message). It is what a clerk sees for a message with no usable
 * attachment (so someone can reply), and what a second delivery of the same message is
 * recognised by. File names and hints are kept here as on the intake records: this is the
 * review store. None of it goes to logs or job payloads.
 */
export const EmailDocument = z.object({
  docId: z.string(),
  part: z.string(),
  fileName: z.string(),
  nameGenerated: z.boolean().default(false),
  kind: z.string(),
  source: z.enum(['attachment', 'inline', 'forwarded', 'zip']),
  size: z.number().int().min(0),
  /** First time these bytes were seen by the pipeline. */
  isNew: z.boolean(),
  /** Already taken from another delivery of this message (same Message-ID): not ingested again. */
  alreadyTaken: z.boolean().default(false),
  /** Quarantined at intake (empty, over the size limit): the reason, as the clerk sees it. */
  quarantined: z.string().optional(),
});
export type EmailDocument = z.infer<typeof EmailDocument>;

export const EmailSkipped = z.object({
  part: z.string(),
  fileName: z.string().optional(),
  contentType: z.string().optional(),
  size: z.number().int().min(0).optional(),
  code: z.string(),
  reason: z.string(),
});

export const EmailRecord = z.object({
  version: z.literal(1),
  emailId: z.string(),
  rawKey: z.string(),
  size: z.number().int().min(0),
  /** sha-256 of the normalised Message-ID; the header itself is in hints.messageId. */
  messageIdHash: z.string().optional(),
  /**
   * taken: at least one document; no-documents: nothing usable (a clerk may reply);
   * unreadable: the MIME could not be parsed (original kept); too-large: not unpacked.
   */
  status: z.enum(['taken', 'no-documents', 'unreadable', 'too-large']),
  /** One line for the clerk's list. */
  summary: z.string(),
  /** True when a clerk should look: nothing taken, something skipped for a reason other than logos, or a problem. */
  needsAttention: z.boolean(),
  /** The first message with the same Message-ID, when this is another delivery of it. */
  duplicateOf: z.string().optional(),
  receivedAt: z.iso.datetime(),
  takenAt: z.iso.datetime(),
  mailbox: z.object({
    account: z.string(),
    path: z.string(),
    uidValidity: z.string(),
    uid: z.number().int(),
  }),
  hints: MemberHints,
  documents: z.array(EmailDocument),
  skipped: z.array(EmailSkipped),
  problems: z.array(z.object({ code: z.string(), reason: z.string() })),
  ack: z
    .object({
      state: z.enum(['sending', 'sent', 'failed', 'not-sent']),
      at: z.iso.datetime().optional(),
      count: z.number().int().optional(),
      reason: z.string().optional(),
    })
    .optional(),
});
export type EmailRecord = z.infer<typeof EmailRecord>;

/** Message-ID index: `email/message-id/{sha-256 of the Message-ID}.json` → the first message that carried it. */
export const MessageIdIndex = z.object({
  messageIdHash: z.string(),
  emailId: z.string(),
  at: z.iso.datetime(),
});
export type MessageIdIndex = z.infer<typeof MessageIdIndex>;

/** Where the listener is in one mailbox: `email/state/{sha-256 of host, user, mailbox}.json`. */
export const MailboxState = z.object({
  uidValidity: z.string(),
  /** Every message with a UID up to this one was taken and moved or flagged. */
  lastUid: z.number().int().min(0),
  updatedAt: z.iso.datetime(),
  /** Earlier UIDVALIDITY values seen (a mailbox rebuilt or restored). */
  previous: z.array(z.object({ uidValidity: z.string(), lastUid: z.number().int(), until: z.iso.datetime() })).default([]),
  /** The fencing token of the listener that wrote it (mailbox-lock.ts): a smaller one may not overwrite it. */
  fence: z.number().int().min(0).optional(),
});
export type MailboxState = z.infer<typeof MailboxState>;

/** The mail channel's keys, as listed in shared/storage's keys.ts. */
export const emailKeys = {
  messageId: keys.emailMessageId,
  state: keys.mailboxState,
};
