import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { checkDocId, HttpError } from '../http.ts';
import { DocParams, ip, who } from './shared.ts';

/** The quarantine list (from the index), retry (clerk) and close (supervisor). */
export function registerQuarantineRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  const { store, audit } = ctx;

  app.get('/api/quarantine', async (request) => {
    const q = z.object({ status: z.enum(['open', 'retried', 'closed', 'all']).default('open') }).parse(request.query);
    const records = await store.quarantine.list(q.status);
    await audit.record(who(request), 'quarantine.view', { ip: ip(request), detail: { results: records.length } });
    return { records };
  });

  app.post('/api/quarantine/:docId/retry', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const record = await store.quarantine.get(docId);
    if (!record) throw new HttpError(404, 'no quarantine record for that document');
    if (record.status === 'closed') throw new HttpError(409, 'the quarantine record is closed');
    // The store marks the entry retried and applies `retried`; RetryNotPossibleError maps to 409 (errors.ts).
    await ctx.retryDocument(docId, who(request));
    await audit.record(who(request), 'quarantine.retry', { docId, ip: ip(request) });
    return { status: 'retried' };
  });

  app.post('/api/quarantine/:docId/close', { config: { role: 'supervisor' } }, async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = z.object({ note: z.string().max(500).optional() }).parse(request.body ?? {});
    if (!(await store.closeQuarantine(docId, who(request), body.note))) {
      throw new HttpError(404, 'no quarantine record for that document');
    }
    await audit.record(who(request), 'quarantine.close', { docId, ip: ip(request) });
    return { status: 'closed' };
  });
}
