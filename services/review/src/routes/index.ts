import type { FastifyInstance } from 'fastify';
import type { ReviewContext } from '../context.ts';
import { DocumentEventHub } from '../domain/events.ts';
import { pipelineJobs } from '../domain/pipeline-jobs.ts';
import { documentEventPublisher } from '@intake/storage';
import { registerAuditRoutes } from './audit.ts';
import { registerEventRoutes } from './events.ts';
import { registerExportRoutes } from './exports.ts';
import { registerIndexingRoutes } from './indexing.ts';
import { registerMemberRoutes } from './members.ts';
import { registerQuarantineRoutes } from './quarantine.ts';
import { registerQueueRoutes } from './queue.ts';
import { registerRecordRoutes } from './records.ts';
import { registerRevisionRoutes } from './revisions.ts';
import { registerUiSupportRoutes } from './ui-support.ts';
import { registerUploadRoutes } from './upload.ts';
import { registerUserRoutes } from './users.ts';

/** The API, one file per area (sign-in, OIDC and the UI shell are registered by server.ts and auth/). */
export function registerRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  // The pipeline's queues (upload → read job; split/move/merge → extract job) on this deployment's prefix.
  const jobs = pipelineJobs(ctx.redis, ctx.config.INTAKE_QUEUE_PREFIX);
  app.addHook('onClose', () => jobs.close());
  // Live progress: this process's transitions are published (a no-op twice: the runtime registers the same name),
  // and every process's are streamed to clerks.
  ctx.store.documents.observe(
    'document-events',
    documentEventPublisher(ctx.redis, ctx.config.INTAKE_QUEUE_PREFIX, (error) =>
      ctx.logger.warn({ err: { message: (error as Error).message } }, 'document event not published'),
    ),
  );
  const hub = new DocumentEventHub(ctx.redis, ctx.config.INTAKE_QUEUE_PREFIX, ctx.logger);

  registerQueueRoutes(app, ctx);
  registerRecordRoutes(app, ctx);
  registerRevisionRoutes(app, ctx);
  registerExportRoutes(app, ctx);
  registerMemberRoutes(app, ctx);
  registerQuarantineRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerIndexingRoutes(app, ctx, { extract: async (docId) => void (await jobs.extract.add({ docId })) });
  registerUploadRoutes(app, ctx, jobs);
  registerEventRoutes(app, ctx, hub);
  registerUiSupportRoutes(app, ctx);
}
