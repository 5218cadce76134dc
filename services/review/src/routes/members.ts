import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { checkMemberLink, memberIdPattern } from '../domain/member-check.ts';
import { checkDocId, HttpError } from '../http.ts';
import { DocParams, ip, who } from './shared.ts';

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

  // The link checked the moment it is made: the document's patient against the member, field by field.
  const pattern = memberIdPattern(ctx.config.MEMBER_ID_PATTERN);
  app.post('/api/documents/:docId/member/check', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = z.object({ memberId: z.string().trim().min(1).max(64) }).parse(request.body ?? {});
    const [status, extraction] = await Promise.all([ctx.store.documents.get(docId), ctx.store.extractions.get(docId)]);
    if (!status) throw new HttpError(404, 'no such document');
    const check = await checkMemberLink(
      { members: ctx.members, logger: ctx.logger, memberIdPattern: pattern },
      { memberId: body.memberId, patient: extraction?.patient ?? status.patient ?? {} },
    );
    await ctx.audit.record(who(request), 'record.member.check', {
      docId,
      ip: ip(request),
      detail: { memberId: body.memberId, verdict: check.verdict },
    });
    return check;
  });

  app.get('/api/members', async () => {
    throw new HttpError(400, 'search text goes in the body of POST /api/members/search, never in the URL');
  });
}
