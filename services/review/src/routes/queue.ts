import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ReviewContext } from '../context.ts';
import { queuePage, QueueFilters, QueueSearch, type QueueResult } from '../domain/queue.ts';
import { HttpError } from '../http.ts';
import { ip, who } from './shared.ts';

/** The queue: filters in the URL (GET), search text only in a POST body, so no name lands in a URL or a log line. */
export function registerQueueRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  async function answer(request: FastifyRequest, query: QueueSearch): Promise<Omit<QueueResult, 'searched'>> {
    const result = await queuePage(ctx, query);
    // A search (by name, birth date, MRN or member) shows whose records matched: the audit names them.
    await ctx.audit.record(who(request), 'queue.view', {
      ip: ip(request),
      detail: {
        state: query.state,
        results: result.total,
        ...(result.searched ? { searched: true, docIds: result.documents.slice(0, 200).map((d) => d.docId) } : {}),
      },
    });
    return { counts: result.counts, total: result.total, documents: result.documents };
  }

  app.get('/api/documents', async (request) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    if (raw.q !== undefined || raw.member !== undefined) {
      throw new HttpError(400, 'search text goes in the body of POST /api/documents/search, never in the URL');
    }
    return answer(request, QueueFilters.parse(raw));
  });

  app.post('/api/documents/search', async (request) => answer(request, QueueSearch.parse(request.body ?? {})));
}
