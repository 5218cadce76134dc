/**
 * The review store's key layout. Every key below a document starts with its content id
 * (sha-256 of the original bytes), so a retry or a second delivery writes the same keys.
 *
 *   raw/documents/{docId}                      the original bytes, as received (write-once)
 *   raw/email/{emailId}.eml                    a raw e-mail message, as received (write-once)
 *   documents/{docId}/intake.json              IntakeRecord: first arrival (write-once)
 *   documents/{docId}/receipts/{receiptId}.json  every arrival, including repeats
 *   documents/{docId}/status.json              DocumentStatus: the summary the queue view lists
 *   documents/{docId}/read.json                ReadManifest: media type, pages and how each was read
 *   documents/{docId}/pages/{nnnn}.json        PageText for page n (1-based, zero-padded)
 *   documents/{docId}/pages/{nnnn}.png|.jpg    the rendered page image for the review UI
 *   documents/{docId}/extraction.json          ExtractionResult (OUTPUT.md)
 *   documents/{docId}/identity.json            what each page says about the patient, pages grouped by patient
 *   documents/{docId}/revisions/{nnnnnn}.json  ReviewRevision n, never overwritten
 *   quarantine/{docId}.json                    QuarantineRecord: why it could not be read
 *   email/{emailId}.json                       what the mail channel took from one message
 *   email/message-id/{hash}.json               sha-256 of a Message-ID → the first message that carried it
 *   email/state/{stateId}.json                 one mailbox's sync state (UIDVALIDITY, last UID taken)
 *   audit/{yyyy}/{mm}/{dd}/{iso-time}-{id}.json  append-only audit events (id: random, or document + version for a transition)
 *
 * `.probe/…` is written and deleted once at start (does the server enforce conditional writes?).
 */
const DOC_ID = /^[0-9a-f]{64}$/;

function checkId(id: string): string {
  if (!DOC_ID.test(id)) throw new Error('invalid document id');
  return id;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const keys = {
  original: (docId: string) => `raw/documents/${checkId(docId)}`,
  rawEmail: (emailId: string) => `raw/email/${checkId(emailId)}.eml`,
  emailRecord: (emailId: string) => `email/${checkId(emailId)}.json`,
  emailMessageId: (messageIdHash: string) => `email/message-id/${checkId(messageIdHash)}.json`,
  mailboxState: (stateId: string) => `email/state/${checkId(stateId)}.json`,
  documentPrefix: (docId: string) => `documents/${checkId(docId)}/`,
  intake: (docId: string) => `documents/${checkId(docId)}/intake.json`,
  receipt: (docId: string, receiptId: string) => `documents/${checkId(docId)}/receipts/${checkId(receiptId)}.json`,
  receiptsPrefix: (docId: string) => `documents/${checkId(docId)}/receipts/`,
  status: (docId: string) => `documents/${checkId(docId)}/status.json`,
  readManifest: (docId: string) => `documents/${checkId(docId)}/read.json`,
  pageText: (docId: string, page: number) => `documents/${checkId(docId)}/pages/${pad(page, 4)}.json`,
  pageImage: (docId: string, page: number, ext: 'png' | 'jpg') => `documents/${checkId(docId)}/pages/${pad(page, 4)}.${ext}`,
  extraction: (docId: string) => `documents/${checkId(docId)}/extraction.json`,
  identity: (docId: string) => `documents/${checkId(docId)}/identity.json`,
  revision: (docId: string, revision: number) => `documents/${checkId(docId)}/revisions/${pad(revision, 6)}.json`,
  revisionsPrefix: (docId: string) => `documents/${checkId(docId)}/revisions/`,
  quarantine: (docId: string) => `quarantine/${checkId(docId)}.json`,
  quarantinePrefix: () => 'quarantine/',
  documentsPrefix: () => 'documents/',
  audit: (at: Date, suffix: string) => {
    if (!/^[0-9a-z-]{1,40}$/.test(suffix)) throw new Error('invalid audit id');
    const iso = at.toISOString();
    return `audit/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.replace(/[:.]/g, '-')}-${suffix}.json`;
  },
  auditPrefix: (day?: Date) => {
    if (!day) return 'audit/';
    const iso = day.toISOString();
    return `audit/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/`;
  },
} as const;

/** Parse a revision number out of its key. */
export function revisionFromKey(key: string): number | undefined {
  const m = /\/revisions\/(\d{6})\.json$/.exec(key);
  return m ? Number(m[1]) : undefined;
}
