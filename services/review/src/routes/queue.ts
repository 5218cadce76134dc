import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { bulkAction, BulkRequest } from '../domain/bulk.ts';
import { nextDocument, queuePage, QueueFilters, QueueSearch, SAVED_VIEWS, type QueueResult } from '../domain/queue.ts';
import { HttpError } from '../http.ts';
import { ip, who } from './shared.ts';

/** The queue: filters in the URL (GET), search text only in a POST body, so no name lands in a URL or a log line. */
export function registerQueueRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  const deps = { ...ctx, turnaroundHours: ctx.config.REVIEW_TURNAROUND_HOURS };

  async function answer(request: FastifyRequest, query: QueueSearch): Promise<Omit<QueueResult, 'searched'>> {
    const result = await queuePage(deps, query, { username: who(request) });
    // A search (by name, birth date, MRN or member) shows whose records matched: the audit names them.
    await ctx.audit.record(who(request), 'queue.view', {
      ip: ip(request),
      detail: {
        state: query.state,
        ...(query.view ? { view: query.view } : {}),
        results: result.total,
        ...(result.searched ? { searched: true, docIds: result.documents.slice(0, 200).map((d) => d.docId) } : {}),
      },
    });
    return { counts: result.counts, total: result.total, turnaroundHours: result.turnaroundHours, documents: result.documents };
  }

  const refuseText = (raw: Record<string, unknown>) => {
    if (raw.q !== undefined || raw.member !== undefined) {
      throw new HttpError(400, 'search text goes in the body of POST /api/documents/search, never in the URL');
    }
  };

  app.get('/api/documents', async (request) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    refuseText(raw);
    return answer(request, QueueFilters.parse(raw));
  });

  app.post('/api/documents/search', async (request) => answer(request, QueueSearch.parse(request.body ?? {})));

  app.get('/api/queue/views', async () => ({ views: SAVED_VIEWS, turnaroundHours: ctx.config.REVIEW_TURNAROUND_HOURS }));

  // "Save and next": the next open record in queue order that no other clerk holds.
  app.get('/api/documents/next', async (request) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    refuseText(raw);
    const { after, ...filters } = z
      .object({ after: z.string().regex(/^[0-9a-f]{64}$/).optional() })
      .passthrough()
      .parse(raw);
    const docId = await nextDocument(deps, QueueFilters.parse(filters), { username: who(request) }, after);
    return { docId };
  });

  app.post('/api/documents/bulk', { config: { role: 'supervisor' } }, async (request) => {
    const body = BulkRequest.parse(request.body);
    const results = await bulkAction(ctx, { request: body, supervisor: request.clerk! });
    await ctx.audit.record(who(request), 'queue.bulk', {
      ip: ip(request),
      detail: {
        action: body.action,
        ...(body.type ? { type: body.type } : {}),
        docIds: body.docIds,
        ok: results.filter((r) => r.ok).length,
        failed: results.filter((r) => !r.ok).length,
      },
    });
    // And one event per document, so each record's own audit trail shows the supervisor's action and its outcome.
    for (const r of results) {
      await ctx.audit.record(who(request), 'record.bulk', {
        docId: r.docId,
        ip: ip(request),
        detail: { action: body.action, ...(body.type ? { type: body.type } : {}), ok: r.ok, ...(r.ok ? {} : { error: r.error }) },
      });
    }
    return { results };
  });
}
