import { intakeChecksView } from '@intake/arrivals';
import { canApply } from '@intake/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { findMember } from '../domain/member-lookup.ts';
import { checkDocId, HttpError } from '../http.ts';
import { matchMember, type Member } from '../members.ts';
import { currentItems } from '../workflow.ts';
import { documentTypeView } from './indexing.ts';
import { DocParams, ip, who } from './shared.ts';

const PageParams = z.object({ docId: z.string(), page: z.coerce.number().int().min(1).max(100_000) });

/** One record: its view, pages, original, and the clerk's lease on it. */
export function registerRecordRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  const { store, leases, audit } = ctx;

  app.get('/api/documents/:docId', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const [status, intake, manifest, extraction, revisions, receipts, holder, identity, checks] = await Promise.all([
      store.documents.get(docId),
      store.arrivals.getIntake(docId),
      store.pages.getManifest(docId),
      store.extractions.get(docId),
      store.revisions.list(docId),
      store.arrivals.listReceipts(docId),
      leases.holder(docId),
      store.identities.get(docId),
      intakeChecksView(store, docId),
    ]);
    if (!status && !intake) throw new HttpError(404, 'no such document');
    const latest = revisions.at(-1);
    const memberId = latest?.memberId ?? status?.memberId;
    const linked = await findMember(ctx, memberId);
    const patient = extraction?.patient ?? {};
    let candidates: Member[] = [];
    try {
      candidates = await ctx.members.candidates({
        name: patient.name,
        birthDate: patient.birthDate,
        mrn: patient.mrn,
        email: receipts[0]?.hints.senderAddress,
        phone: receipts[0]?.hints.faxFrom,
      });
    } catch (error) {
      ctx.logger.warn({ err: { message: (error as Error).message } }, 'member lookup failed');
    }
    const match = matchMember({ patient, hints: receipts.map((r) => r.hints), candidates, linked, linkedId: memberId });
    // Where each page came from, for a document made from other documents' pages.
    const sources = (status?.derivedFrom ?? []).flatMap((f) => f.pages.map((page) => ({ docId: f.docId, page })));
    await audit.record(who(request), 'record.view', { docId, ip: ip(request) });
    return {
      docId,
      state: latest?.state ?? status?.reviewState ?? 'pending',
      stage: status?.stage ?? 'received',
      quarantineReason: status?.quarantineReason,
      intake: intake && {
        fileName: intake.fileName,
        channel: intake.channel,
        receivedAt: intake.receivedAt,
        size: intake.size,
        declaredType: intake.declaredType,
      },
      receipts: receipts.map((r) => ({ channel: r.channel, receivedAt: r.receivedAt, fileName: r.fileName, hints: r.hints })),
      mediaType: manifest?.mediaType ?? extraction?.source.mediaType,
      pages: (manifest?.pages ?? []).map((p) => ({
        page: p.page,
        width: p.width,
        height: p.height,
        image: Boolean(p.image),
        method: p.method,
        confidence: p.confidence,
        // A view transform (degrees clockwise) the UI applies to the image and its boxes.
        rotation: status?.rotations?.[String(p.page)] ?? 0,
        source: sources[p.page - 1],
      })),
      identity: identity
        ? { mixedPatients: identity.mixed, pages: identity.pages, groups: identity.groups }
        : { mixedPatients: status?.mixedPatients ?? false, pages: [], groups: [] },
      documentType: documentTypeView(status),
      provenance: status?.derivedFrom ?? [],
      supersededBy: status?.supersededBy ?? [],
      // Intake checks (shared/arrivals): probable duplicates of this record both ways, and whether every announced page arrived.
      intakeChecks: checks,
      patient,
      items: currentItems(extraction, latest),
      extracted: Boolean(extraction),
      latestRevision: latest?.revision ?? 0,
      revisions: revisions.map((r) => ({ revision: r.revision, state: r.state, by: r.by, at: r.at, note: r.note })),
      memberId,
      member: linked,
      match,
      directory: ctx.members.kind,
      lease: { holder, ttlMs: leases.ttlMs },
    };
  });

  app.get('/api/documents/:docId/pages/:page/image', async (request, reply) => {
    const params = PageParams.parse(request.params);
    const docId = checkDocId(params.docId);
    const manifest = await store.pages.getManifest(docId);
    const entry = manifest?.pages.find((p) => p.page === params.page);
    if (!entry?.image) throw new HttpError(404, 'no image for that page');
    const bytes = await store.pages.getImage(docId, params.page, entry.image);
    if (!bytes) throw new HttpError(404, 'no image for that page');
    await audit.record(who(request), 'record.page.image', { docId, ip: ip(request), detail: { page: params.page } });
    // PHI: no cache (browser or shared) keeps a copy.
    return reply
      .header('cache-control', 'no-store')
      .type(entry.image === 'png' ? 'image/png' : 'image/jpeg')
      .send(bytes);
  });

  app.get('/api/documents/:docId/pages/:page/text', async (request) => {
    const params = PageParams.parse(request.params);
    const docId = checkDocId(params.docId);
    const page = await store.pages.getPage(docId, params.page);
    if (!page) throw new HttpError(404, 'no such page');
    await audit.record(who(request), 'record.page.text', { docId, ip: ip(request), detail: { page: params.page } });
    return page;
  });

  app.get('/api/documents/:docId/original', async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const [bytes, manifest] = await Promise.all([store.originals.get(docId), store.pages.getManifest(docId)]);
    if (!bytes) throw new HttpError(404, 'no original for that document');
    await audit.record(who(request), 'record.original', { docId, ip: ip(request) });
    // The type detected from the bytes, and only types a browser will not run as a page here.
    const safe = ['application/pdf', 'image/tiff', 'image/png', 'image/jpeg', 'image/webp', 'image/heic'];
    return reply
      .type(manifest && safe.includes(manifest.mediaType) ? manifest.mediaType : 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${docId.slice(0, 12)}"`)
      .send(bytes);
  });

  // The UI renews the lease on a timer: background, so an unattended open record still logs off when idle.
  app.post('/api/documents/:docId/lease', { config: { background: true } }, async (request, reply) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const result = await leases.claim(docId, who(request));
    if (!result.ok)
      return reply
        .code(409)
        .send({ error: `${result.holder ?? 'another clerk'} is working on this record`, holder: result.holder });
    // The first claim by this clerk is the document's `claimed` transition (renewals are not).
    const status = await store.documents.get(docId);
    if (status && status.claimedBy !== result.holder && canApply(status, 'claimed')) {
      await store.documents.transition(docId, { name: 'claimed', by: result.holder }, result.holder);
    }
    return result;
  });

  app.delete('/api/documents/:docId/lease', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    return { released: await leases.release(docId, who(request)) };
  });
}
