import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { HttpError } from '../http.ts';
import { ip, who } from './shared.ts';

const MemberSearch = z.object({ q: z.string().trim().min(1).max(200) });

/** Member directory search: the text (a name) in a POST body, never in the URL. */
export function registerMemberRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  async function search(request: FastifyRequest, text: string) {
    const found = await ctx.members.candidates({ text });
    const shown = found.slice(0, 25);
    await ctx.audit.record(who(request), 'members.search', {
      ip: ip(request),
      detail: { results: found.length, memberIds: shown.map((m) => m.memberId) },
    });
    return { directory: ctx.members.kind, members: shown };
  }

  app.post('/api/members/search', async (request) => search(request, MemberSearch.parse(request.body ?? {}).q));

  app.get('/api/members', async () => {
    throw new HttpError(400, 'search text goes in the body of POST /api/members/search, never in the URL');
  });
}
