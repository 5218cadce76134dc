import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ReviewContext } from '../context.ts';
import type { PipelineJobs } from '../domain/pipeline-jobs.ts';
import { cleanFileName, uploadFiles, type UploadedFile, type UploadResult } from '../domain/upload.ts';
import { HttpError } from '../http.ts';
import { ip, who } from './shared.ts';

/** At most this many files in one upload request. */
export const MAX_UPLOAD_FILES = 20;

/** Upload (paper brought to the first appointment): multipart, several files, each through the durable intake step. */
export function registerUploadRoutes(app: FastifyInstance, ctx: ReviewContext, jobs: PipelineJobs): void {
  const maxFileBytes = ctx.config.INTAKE_MAX_FILE_BYTES;
  void app.register(async (scope) => {
    await scope.register(multipart, {
      // One byte over the limit tells a file that is too large from one that is exactly at it.
      limits: { fileSize: maxFileBytes + 1, files: MAX_UPLOAD_FILES, fields: 10, parts: MAX_UPLOAD_FILES + 10 },
      throwFileSizeLimit: false,
    });

    scope.post('/api/uploads', async (request) => {
      if (!request.isMultipart()) throw new HttpError(415, 'send the files as multipart/form-data');
      const files: UploadedFile[] = [];
      const tooLarge: UploadResult[] = [];
      for await (const part of request.files()) {
        const bytes = await part.toBuffer();
        if (part.file.truncated) {
          // The uploader is at the screen: a file over the limit is refused, not stored cut short.
          tooLarge.push({
            fileName: cleanFileName(part.filename),
            outcome: 'refused',
            reason: `file is larger than the ${Math.round(maxFileBytes / 1048576)} MB limit: split it or scan fewer pages`,
          });
          continue;
        }
        files.push({ fileName: part.filename, bytes, mediaType: part.mimetype });
      }
      if (files.length === 0 && tooLarge.length === 0) throw new HttpError(400, 'no file in the upload');
      const results = files.length
        ? await uploadFiles({ store: ctx.store, readProducer: jobs.read, maxFileBytes }, { files, uploader: who(request) })
        : [];
      const all = [...results, ...tooLarge];
      for (const r of all) {
        await ctx.audit.record(who(request), 'upload', {
          docId: r.docId,
          ip: ip(request),
          detail: { outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}), ...(r.documents !== undefined ? { documents: r.documents } : {}) },
        });
        // Each document taken out of a container is audited too, so its own audit trail names the uploader.
        for (const docId of r.docIds ?? []) {
          if (docId === r.docId) continue;
          await ctx.audit.record(who(request), 'upload', { docId, ip: ip(request), detail: { outcome: r.outcome, container: r.docId } });
        }
      }
      return { files: all };
    });
  });
}
