import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { IsoDay } from '../domain/queue.ts';
import { ip, who } from './shared.ts';

/** Audit search (supervisor), served from the index. */
export function registerAuditRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  app.get('/api/audit', { config: { role: 'supervisor' } }, async (request) => {
    const q = z
      .object({
        actor: z.string().max(64).optional(),
        action: z.string().max(64).optional(),
        docId: z.string().max(64).optional(),
        from: IsoDay.optional(),
        to: IsoDay.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      })
      .parse(request.query);
    const events = await ctx.audit.search({
      ...q,
      actor: q.actor || undefined,
      action: q.action || undefined,
      docId: q.docId || undefined,
    });
    await ctx.audit.record(who(request), 'audit.search', { ip: ip(request), detail: { results: events.length } });
    return { events };
  });
}
