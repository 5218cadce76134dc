import type { ReviewRevision } from '@intake/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { buildCsv } from '../csv.ts';
import { findMember } from '../domain/member-lookup.ts';
import { buildFhirBundle } from '../fhir.ts';
import { checkDocId, HttpError } from '../http.ts';
import { DocParams, ip, who } from './shared.ts';

const ExportQuery = z.object({ revision: z.coerce.number().int().min(1).optional() });

/** FHIR and CSV exports of an approved record's current revision. */
export function registerExportRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  const { store, audit } = ctx;

  async function approvedRevision(docId: string, wanted?: number): Promise<ReviewRevision> {
    const revision = wanted ? await store.revisions.get(docId, wanted) : await store.revisions.latest(docId);
    if (!revision) throw new HttpError(404, 'no review revision for that document');
    if (revision.state !== 'approved') throw new HttpError(409, 'only an approved record can be exported');
    const latest = wanted ? await store.revisions.latestNumber(docId) : revision.revision;
    if (revision.revision !== latest) {
      throw new HttpError(409, `revision ${revision.revision} was superseded by revision ${latest}: export the current one`);
    }
    return revision;
  }

  app.get('/api/documents/:docId/export/fhir', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const revision = await approvedRevision(docId, ExportQuery.parse(request.query).revision);
    const [intake, manifest] = await Promise.all([store.arrivals.getIntake(docId), store.pages.getManifest(docId)]);
    const bundle = buildFhirBundle({
      docId,
      revision,
      intake,
      mediaType: manifest?.mediaType,
      member: await findMember(ctx, revision.memberId),
      memberIdSystem: ctx.config.MEMBER_ID_SYSTEM,
    });
    await audit.record(who(request), 'export.fhir', {
      docId,
      ip: ip(request),
      detail: { revision: revision.revision, resources: bundle.entry.length },
    });
    return reply
      .type('application/fhir+json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${docId.slice(0, 12)}-r${revision.revision}.fhir.json"`)
      .send(JSON.stringify(bundle, null, 2));
  });

  app.get('/api/documents/:docId/export/csv', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const revision = await approvedRevision(docId, ExportQuery.parse(request.query).revision);
    await audit.record(who(request), 'export.csv', { docId, ip: ip(request), detail: { revision: revision.revision } });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${docId.slice(0, 12)}-r${revision.revision}.csv"`)
      .send(buildCsv(docId, revision));
  });
}
