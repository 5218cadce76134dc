import type { Logger } from '@intake/config';
import { MediaType, sha256Hex, shortId, type BadInputCode, type readDocumentJob } from '@intake/core';
import type { JobProducer } from '@intake/queue';
import { ingestArrival } from '@intake/arrivals';
import { keys, type ReviewStore } from '@intake/storage';
import type { Acknowledger } from './ack.ts';
import { EmailRecord, MessageIdIndex, type EmailDocument } from './email-record.ts';
import { analyseMessage, type MessageAnalysis, type MessageLimits } from './mime.ts';

/** Points where a test can make the process die (SIGKILL) to prove a restart loses and doubles nothing. */
export type TakeStep = 'raw-write' | 'document-write' | 'record-write';

export interface TakeDeps {
  store: ReviewStore;
  readProducer: JobProducer<typeof readDocumentJob.schema>;
  logger: Logger;
  limits: MessageLimits;
  maxAttachmentBytes: number;
  maxMessageBytes: number;
  acknowledger?: Acknowledger;
  onStep?: (step: TakeStep) => void;
}

export interface MailboxPosition {
  /** A hash naming the server and account (no address). */
  account: string;
  path: string;
  uidValidity: string;
  uid: number;
  /** The server's INTERNALDATE: stable across re-fetches, so a retried arrival writes the same receipt. */
  internalDate?: Date;
}

export interface TakeOutcome {
  emailId: string;
  record: EmailRecord;
  /** False when the message had been taken before (a restart, a second copy of the same bytes). */
  fresh: boolean;
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(Object.values(MediaType));

function summarise(status: EmailRecord['status'], docs: EmailDocument[], skippedCount: number, duplicateOf?: string): string {
  const parts: string[] = [];
  if (status === 'unreadable') parts.push('the message could not be read (malformed MIME); the original is kept');
  else if (status === 'too-large') parts.push('the message is larger than the limit and was not unpacked; the original is kept');
  else if (docs.length === 0) parts.push('no usable attachment: the sender may need a reply');
  else parts.push(`${docs.length} ${docs.length === 1 ? 'document' : 'documents'} taken`);
  const quarantined = docs.filter((d) => d.quarantined).length;
  if (quarantined) parts.push(`${quarantined} quarantined at intake`);
  if (skippedCount) parts.push(`${skippedCount} ${skippedCount === 1 ? 'part' : 'parts'} left out`);
  if (duplicateOf) parts.push('another delivery of a message already received');
  return parts.join('; ');
}

const QUIET_SKIPS = new Set(['inline-logo', 'tracking-pixel', 'signature-image', 'duplicate-in-message', 'not-a-document']);

const SKIP_TO_CODE: Record<string, BadInputCode> = {
  'zip-encrypted': 'encrypted',
  'zip-limit': 'too-large',
  'zip-corrupt': 'corrupt',
  'zip-nested-too-deep': 'too-large',
  'forward-too-deep': 'too-large',
  'forward-unreadable': 'corrupt',
  'unsupported-type': 'unsupported-type',
};

/** One line for the quarantine list: generic reasons only, never names or subjects. */
export function emailQuarantine(status: EmailRecord['status'], skipped: { code: string; reason: string }[]): { code: BadInputCode; reason: string } {
  if (status === 'unreadable') return { code: 'corrupt', reason: 'e-mail could not be read (malformed MIME): open the original e-mail; the sender may need to send it again' };
  if (status === 'too-large') return { code: 'too-large', reason: 'e-mail is larger than the limit and was not unpacked: open the original e-mail' };
  const loud = skipped.filter((x) => !QUIET_SKIPS.has(x.code));
  if (status === 'no-documents' && loud.length === 0) return { code: 'no-content', reason: 'e-mail with no usable attachment: the sender may need a reply' };
  const first = loud[0]!;
  const more = loud.length > 1 ? ` (and ${loud.length - 1} more ${loud.length === 2 ? 'part' : 'parts'} left out)` : '';
  const prefix = status === 'no-documents' ? 'e-mail with no usable attachment' : 'e-mail part left out';
  return { code: SKIP_TO_CODE[first.code] ?? 'other', reason: `${prefix}: ${first.reason}${more}` };
}

/**
 * Take one message, durably and idempotently: the raw message to S3 first, then each
 * document through ingestDocument (original, receipt, status, read job), then the
 * per-message record. The caller moves or flags the message only after this returns, so
 * a crash anywhere before that leaves it in the mailbox to be taken again; every write
 * here is keyed by content and lands on the same keys the second time.
 */
export async function takeMessage(deps: TakeDeps, raw: Uint8Array, position: MailboxPosition): Promise<TakeOutcome> {
  const { store } = deps;
  const emailId = sha256Hex(raw);
  const log = deps.logger.child({ email: shortId(emailId), uid: position.uid });

  const existing = await store.mail.getRecord(emailId, EmailRecord);
  if (existing) {
    log.info({ status: existing.status }, 'message already taken');
    return { emailId, record: existing, fresh: false };
  }

  const started = Date.now();
  await store.mail.putRaw(emailId, raw);
  deps.onStep?.('raw-write');
  const rawKey = keys.rawEmail(emailId);
  const receivedAt = position.internalDate && !Number.isNaN(position.internalDate.getTime()) ? position.internalDate : new Date();

  let status: EmailRecord['status'] = 'taken';
  let analysis: MessageAnalysis | undefined;
  if (raw.byteLength > deps.maxMessageBytes) {
    status = 'too-large';
  } else {
    try {
      analysis = await analyseMessage(raw, deps.limits);
    } catch (error) {
      // mailparser gives up only on structure it cannot walk (header blocks or part counts past its limits).
      log.warn({ err: { name: (error as Error).name } }, 'message could not be parsed');
      status = 'unreadable';
    }
  }

  // Another delivery of a message already taken (same Message-ID, different bytes: other
  // Received headers, a second mailbox): files it already gave are not ingested again.
  let duplicateOf: string | undefined;
  const alreadyTaken = new Set<string>();
  if (analysis?.messageIdHash) {
    const index = await store.mail.getMessageId(analysis.messageIdHash, MessageIdIndex);
    if (index && index.emailId !== emailId) {
      const first = await store.mail.getRecord(index.emailId, EmailRecord);
      if (first) {
        duplicateOf = index.emailId;
        for (const d of first.documents) alreadyTaken.add(d.docId);
      }
    }
  }

  const documents: EmailDocument[] = [];
  for (const doc of analysis?.documents ?? []) {
    const base = {
      docId: doc.sha256,
      part: doc.part,
      fileName: doc.fileName,
      nameGenerated: doc.nameGenerated,
      kind: doc.kind,
      source: doc.source,
      size: doc.bytes.byteLength,
    };
    if (alreadyTaken.has(doc.sha256)) {
      documents.push({ ...base, isNew: false, alreadyTaken: true });
      continue;
    }
    // ingestArrival: a document as it is; a .msg or winmail.dat is opened and each document inside taken in on its own.
    const arrived = await ingestArrival(
      { store, readProducer: deps.readProducer, maxFileBytes: deps.maxAttachmentBytes },
      {
        bytes: doc.bytes,
        channel: 'email',
        fileName: doc.fileName,
        declaredType: KNOWN_KINDS.has(doc.kind) ? doc.kind : doc.declaredType,
        receivedAt,
        origin: rawKey,
        hints: analysis!.hints,
      },
    );
    deps.onStep?.('document-write');
    const outcome = arrived.documents.find((d) => d.docId === doc.sha256) ?? arrived.documents[0]!;
    documents.push({
      ...base,
      isNew: arrived.container ? arrived.documents.some((d) => d.isNew) : outcome.isNew,
      alreadyTaken: false,
      quarantined: arrived.container ? undefined : outcome.quarantined,
    });
  }

  const skipped = analysis?.skipped ?? [];
  const problems = analysis?.problems ?? [];
  if (status === 'taken' && documents.length === 0) status = 'no-documents';
  const needsAttention =
    status !== 'taken' || documents.some((d) => d.quarantined) || skipped.some((s) => !QUIET_SKIPS.has(s.code)) || problems.some((p) => p.code === 'no-sender');

  // What needs a clerk, in the clerks' quarantine list too (stage 'email', keyed by the
  // e-mail id): nothing usable, unreadable, too large, or parts left out for a real reason.
  // Documents quarantined at intake have their own entries; a repeat delivery adds none.
  const attention = status !== 'taken' || skipped.some((x) => !QUIET_SKIPS.has(x.code));
  if (attention && !duplicateOf) {
    const outcome = emailQuarantine(status, skipped);
    await store.quarantine.open({
      docId: emailId,
      stage: 'email',
      code: outcome.code,
      reason: outcome.reason,
      channel: 'email',
      attempts: 0,
    });
  }

  const ackWanted = deps.acknowledger !== undefined && !duplicateOf && analysis?.replyAddress !== undefined && status !== 'unreadable';
  const record: EmailRecord = EmailRecord.parse({
    version: 1,
    emailId,
    rawKey,
    size: raw.byteLength,
    messageIdHash: analysis?.messageIdHash,
    status,
    summary: summarise(status, documents, skipped.length, duplicateOf),
    needsAttention,
    duplicateOf,
    receivedAt: receivedAt.toISOString(),
    takenAt: new Date().toISOString(),
    mailbox: { account: position.account, path: position.path, uidValidity: position.uidValidity, uid: position.uid },
    hints: analysis?.hints ?? {},
    documents,
    skipped,
    problems: status === 'unreadable' ? [{ code: 'unparseable', reason: 'the MIME structure could not be read; open the original e-mail' }] : problems,
    // Written as 'sending' before the reply goes out: after a crash the record exists and
    // the reply is not sent twice (at most once is right for a courtesy message).
    ack: deps.acknowledger ? (ackWanted ? { state: 'sending' } : { state: 'not-sent', reason: duplicateOf ? 'duplicate' : 'no reply address or automatic mail' }) : undefined,
  });

  if (analysis?.messageIdHash && !duplicateOf) {
    await store.mail.createMessageId(
      analysis.messageIdHash,
      MessageIdIndex.parse({ messageIdHash: analysis.messageIdHash, emailId, at: new Date().toISOString() }),
    );
  }
  await store.mail.putRecord(emailId, record);
  deps.onStep?.('record-write');
  log.info(
    {
      status,
      documents: documents.length,
      newDocuments: documents.filter((d) => d.isNew).length,
      quarantined: documents.filter((d) => d.quarantined).length,
      skipped: skipped.length,
      duplicate: duplicateOf !== undefined,
      ms: Date.now() - started,
    },
    'message taken',
  );

  if (ackWanted && analysis?.replyAddress) {
    try {
      await deps.acknowledger!.send({ to: analysis.replyAddress, count: documents.length, receivedAt, inReplyTo: analysis.messageId });
      record.ack = { state: 'sent', at: new Date().toISOString(), count: documents.length };
    } catch (error) {
      log.warn({ err: { name: (error as Error).name, code: (error as { code?: string }).code } }, 'acknowledgement not sent');
      record.ack = { state: 'failed', at: new Date().toISOString(), reason: 'the SMTP server refused or could not be reached' };
    }
    await store.mail.putRecord(emailId, EmailRecord.parse(record));
  }
  return { emailId, record, fresh: true };
}
