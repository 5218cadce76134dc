import { documentTypeLabels, isDocumentType } from '@intake/extraction';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { z } from 'zod';
import type { ReviewContext } from '../context.ts';
import { mergeInto, movePages, rotatePage, splitDocument, type DeriveDeps } from '../domain/derive.ts';
import { DomainError } from '../errors.ts';
import { checkDocId, HttpError } from '../http.ts';
import { DocParams, ip, who } from './shared.ts';

const PageParams = z.object({ docId: z.string(), page: z.coerce.number().int().min(1).max(100_000) });
const PageNumber = z.number().int().min(1).max(100_000);
const DocId = z.string().regex(/^[0-9a-f]{64}$/, 'a document id');

/** Indexing: thumbnails, split, move, merge, rotate; and the document type. */
export function registerIndexingRoutes(
  app: FastifyInstance,
  ctx: ReviewContext,
  deps: { extract: (docId: string) => Promise<void> },
): void {
  const { store, audit } = ctx;
  const derive: DeriveDeps = { store, leases: ctx.leases, extract: deps.extract };

  app.get('/api/documents/:docId/pages/:page/thumbnail', async (request, reply) => {
    const params = PageParams.parse(request.params);
    const docId = checkDocId(params.docId);
    const q = z.object({ width: z.coerce.number().int().min(40).max(400).default(160) }).parse(request.query ?? {});
    const [manifest, status] = await Promise.all([store.pages.getManifest(docId), store.documents.get(docId)]);
    const entry = manifest?.pages.find((p) => p.page === params.page);
    if (!entry?.image) throw new HttpError(404, 'no image for that page');
    const bytes = await store.pages.getImage(docId, params.page, entry.image);
    if (!bytes) throw new HttpError(404, 'no image for that page');
    const rotation = status?.rotations?.[String(params.page)] ?? 0;
    const png = await sharp(bytes)
      .rotate(rotation)
      .resize({ width: q.width, withoutEnlargement: true })
      .png({ palette: true })
      .toBuffer();
    // A page image, however small, is PHI: audited, never cached.
    await audit.record(who(request), 'record.page.thumbnail', { docId, ip: ip(request), detail: { page: params.page } });
    return reply.header('cache-control', 'no-store').type('image/png').send(png);
  });

  app.post('/api/documents/:docId/split', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = z.object({ groups: z.array(z.array(PageNumber).max(1000)).min(1).max(100) }).parse(request.body);
    const documents = await splitDocument(derive, { docId, groups: body.groups, actor: who(request) });
    await audit.record(who(request), 'record.split', {
      docId,
      ip: ip(request),
      detail: { into: documents.map((d) => ({ docId: d.docId, pages: d.pages.map((p) => p.page) })) },
    });
    return { documents: documents.map((d) => ({ docId: d.docId, pages: d.pages.map((p) => p.page) })) };
  });

  app.post('/api/documents/:docId/move', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = z.object({ pages: z.array(PageNumber).min(1).max(1000), to: DocId }).parse(request.body);
    const moved = await movePages(derive, { docId, pages: body.pages, to: body.to, actor: who(request) });
    await audit.record(who(request), 'record.pages.move', {
      docId,
      ip: ip(request),
      detail: { pages: body.pages, to: body.to, source: moved.source?.docId ?? null, target: moved.target.docId },
    });
    return { source: moved.source ? { docId: moved.source.docId } : null, target: { docId: moved.target.docId } };
  });

  app.post('/api/documents/:docId/merge', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = z.object({ into: DocId }).parse(request.body);
    const merged = await mergeInto(derive, { docId, into: body.into, actor: who(request) });
    await audit.record(who(request), 'record.merge', {
      docId,
      ip: ip(request),
      detail: { into: body.into, result: merged.docId },
    });
    return { docId: merged.docId };
  });

  app.post('/api/documents/:docId/pages/:page/rotate', async (request) => {
    const params = PageParams.parse(request.params);
    const docId = checkDocId(params.docId);
    const body = z
      .object({ rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]) })
      .parse(request.body);
    const turned = await rotatePage(derive, { docId, page: params.page, rotation: body.rotation, actor: who(request) });
    await audit.record(who(request), 'record.page.rotate', { docId, ip: ip(request), detail: turned });
    return turned;
  });

  app.get('/api/document-types', async () => ({ types: documentTypeLabels() }));

  app.post('/api/documents/:docId/type', async (request) => {
    const docId = checkDocId(DocParams.parse(request.params).docId);
    const body = z.object({ type: z.string().max(40) }).parse(request.body);
    if (!isDocumentType(body.type)) throw new DomainError('invalid', 'not a document type (see GET /api/document-types)');
    const status = await store.documents.get(docId);
    if (!status) throw new HttpError(404, 'no such document');
    const next = await store.documents.transition(docId, { name: 'typed', documentType: body.type }, who(request));
    return { documentType: documentTypeView(next) };
  });
}

/** The document type as the record shows it. */
export function documentTypeView(
  status: { documentType?: string; documentTypeSuggested?: string; documentTypeBy?: string } | undefined,
) {
  const labels = new Map(documentTypeLabels().map((t) => [t.id as string, t.label]));
  const value = status?.documentType;
  return {
    value: value ?? null,
    label: value ? (labels.get(value) ?? value) : null,
    suggested: status?.documentTypeSuggested ?? null,
    confirmed: Boolean(status?.documentTypeBy),
    by: status?.documentTypeBy ?? null,
  };
}
