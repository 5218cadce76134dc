import type { ReviewStore, AuditEvent } from '@intake/storage';

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
  | 'record.view'
  | 'record.original'
  | 'record.page.text'
  | 'record.page.image'
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
  | 'user.add'
  | 'user.disable';

/**
 * The append-only audit log, kept in the review store: who, what, when. Awaited, so a
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
    await this.store.appendAudit({ at: new Date().toISOString(), actor, action, ...extra });
  }

  /** Events in a date range (UTC days), newest first, filtered. */
  async search(filter: {
    actor?: string;
    action?: string;
    docId?: string;
    from?: string;
    to?: string;
    limit?: number;
  }): Promise<AuditEvent[]> {
    const limit = Math.min(filter.limit ?? 200, 1000);
    const to = filter.to ? new Date(`${filter.to}T00:00:00Z`) : new Date();
    const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : new Date(to.getTime() - 6 * 86_400_000);
    const out: AuditEvent[] = [];
    for (
      let day = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()));
      day >= from && out.length < limit;
      day = new Date(day.getTime() - 86_400_000)
    ) {
      const events = await this.store.listAudit({ day, max: 100_000 });
      for (const e of events.reverse()) {
        if (filter.actor && e.actor !== filter.actor) continue;
        if (filter.action && !e.action.startsWith(filter.action)) continue;
        if (filter.docId && e.docId !== filter.docId) continue;
        out.push(e);
        if (out.length >= limit) break;
      }
    }
    return out;
  }
}
