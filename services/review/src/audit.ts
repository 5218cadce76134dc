import { AuditEvent, type ReviewStore } from '@intake/storage';

/** Audit actions, one vocabulary for the log and its search. */
export type AuditAction =
  | 'login'
  | 'login.failed'
  | 'login.blocked'
  | 'login.summary'
  | 'lockout.view'
  | 'lockout.clear'
  | 'logout'
  | 'queue.view'
  | 'queue.bulk'
  | 'record.bulk'
  | 'upload'
  | 'record.view'
  | 'record.original'
  | 'record.page.text'
  | 'record.page.image'
  | 'record.page.thumbnail'
  | 'record.split'
  | 'record.pages.move'
  | 'record.merge'
  | 'record.page.rotate'
  | 'record.member.check'
  | 'record.revisions'
  | 'lease.claim'
  | 'lease.release'
  | 'record.save'
  | 'export.fhir'
  | 'export.csv'
  | 'members.search'
  | 'quarantine.view'
  | 'quarantine.retry'
  | 'quarantine.close'
  | 'audit.search'
  | 'queues.view'
  | 'queues.retry'
  | 'queues.clean'
  | 'user.add'
  | 'user.disable';

/**
 * The append-only audit log, kept in the review store (each event an S3 object, then its index row): who, what, when. Awaited, so a
 * view or change is not answered before it is recorded. Details hold ids and counts,
 * never clinical content.
 */
export class AuditLog {
  constructor(private readonly store: ReviewStore) {}

  async record(
    actor: string,
    action: AuditAction,
    extra: { docId?: string; detail?: Record<string, unknown>; ip?: string } = {},
  ): Promise<void> {
    await this.store.audit.append({ at: new Date().toISOString(), actor, action, ...extra });
  }

  /** Events in a date range (UTC days; default the last seven), newest first, filtered: from the index. */
  async search(filter: {
    actor?: string;
    action?: string;
    docId?: string;
    from?: string;
    to?: string;
    limit?: number;
  }): Promise<AuditEvent[]> {
    const limit = Math.min(filter.limit ?? 200, 1000);
    const to = filter.to ?? new Date().toISOString().slice(0, 10);
    const from = filter.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const events = await this.store.index.auditSearch({
      actor: filter.actor,
      action: filter.action,
      docId: filter.docId,
      from,
      to,
      limit,
    });
    return events.map((e) => AuditEvent.parse(e));
  }
}
