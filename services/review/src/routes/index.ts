import type { FastifyInstance } from 'fastify';
import type { ReviewContext } from '../context.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerExportRoutes } from './exports.ts';
import { registerMemberRoutes } from './members.ts';
import { registerQuarantineRoutes } from './quarantine.ts';
import { registerQueueRoutes } from './queue.ts';
import { registerRecordRoutes } from './records.ts';
import { registerRevisionRoutes } from './revisions.ts';
import { registerUserRoutes } from './users.ts';

/** The API, one file per area (sign-in, OIDC and the UI shell are registered by server.ts and auth/). */
export function registerRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  registerQueueRoutes(app, ctx);
  registerRecordRoutes(app, ctx);
  registerRevisionRoutes(app, ctx);
  registerExportRoutes(app, ctx);
  registerMemberRoutes(app, ctx);
  registerQuarantineRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerUserRoutes(app, ctx);
}
