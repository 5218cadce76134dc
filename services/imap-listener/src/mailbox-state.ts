import { sha256Hex } from '@intake/core';
import type { ReviewStore } from '@intake/storage';
import { MailboxState } from './email-record.ts';

/** One mailbox of one account; the key is a hash, so no address appears in it. */
export function mailboxStateId(host: string, port: number, user: string, mailbox: string): string {
  return sha256Hex(`imap-state\u0000${host.toLowerCase()}\u0000${port}\u0000${user.toLowerCase()}\u0000${mailbox}`);
}

export async function loadMailboxState(store: ReviewStore, id: string): Promise<MailboxState | undefined> {
  return store.mail.getMailboxState(id, MailboxState);
}

export async function saveMailboxState(store: ReviewStore, id: string, state: MailboxState): Promise<void> {
  await store.mail.putMailboxState(id, MailboxState.parse(state));
}

/**
 * The state to sweep with, given what the server says now. A different UIDVALIDITY means
 * the mailbox was rebuilt (or restored): its UIDs mean nothing any more, so every message
 * left in it is looked at again; those already taken are recognised by content and
 * Message-ID and not ingested twice.
 */
export function reconcileUidValidity(previous: MailboxState | undefined, uidValidity: string, now = new Date()): { state: MailboxState; changed: boolean } {
  if (previous && previous.uidValidity === uidValidity) return { state: previous, changed: false };
  const history = previous
    ? [...previous.previous, { uidValidity: previous.uidValidity, lastUid: previous.lastUid, until: now.toISOString() }].slice(-10)
    : [];
  return { state: { uidValidity, lastUid: 0, updatedAt: now.toISOString(), previous: history }, changed: previous !== undefined };
}
