import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { saveRevision } from '../domain/save-revision.ts';
import { checkDocId, HttpError } from '../http.ts';
import { SaveRequest } from '../workflow.ts';
import { DocParams, ip, who } from './shared.ts';

/** Review revisions: read one, save the next. */
export function registerRevisionRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  app.get('/api/documents/:docId/revisions/:revision', async (request) => {
    const params = z.object({ docId: z.string(), revision: z.coerce.number().int().min(1) }).parse(request.params);
    const docId = checkDocId(params.docId);
    const revision = await ctx.store.revisions.get(docId, params.revision);
    if (!revision) throw new HttpError(404, 'no such revision');
    await ctx.audit.record(who(request), 'record.revisions', { docId, ip: ip(request), detail: { revision: params.revision } });
    return revision;
  });

  app.post('/api/documents/:docId/revisions', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const clerk = request.clerk!;
    const outcome = await saveRevision(ctx, { docId, clerk, request: SaveRequest.parse(request.body) });
    switch (outcome.kind) {
      case 'lease-conflict':
        return reply.code(409).send({
          error: outcome.holder ? `${outcome.holder} holds this record` : 'claim the record first (your claim expired)',
          holder: outcome.holder,
          conflict: 'lease',
        });
      case 'revision-conflict':
        return reply.code(409).send({
          error: `revision ${outcome.latest} was saved since you opened the record: reload it`,
          latest: outcome.latest,
          conflict: 'revision',
        });
      case 'member-mismatch':
        return reply.code(409).send({
          error: `member ${outcome.memberId} does not match the document's patient (${outcome.facts.join(', ')} differ): confirm to approve anyway`,
          conflict: 'member-mismatch',
        });
      case 'saved': {
        const { revision } = outcome;
        await ctx.audit.record(clerk.username, 'record.save', {
          docId,
          ip: ip(request),
          detail: {
            revision: revision.revision,
            state: revision.state,
            decisions: outcome.decisions,
            ...(outcome.mismatchConfirmed ? { memberMismatchConfirmed: true } : {}),
          },
        });
        return { revision: revision.revision, state: revision.state, at: revision.at };
      }
    }
  });
}
