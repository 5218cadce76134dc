import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { createBullBoard } from '@bull-board/api';
import { FastifyAdapter } from '@bull-board/fastify';
import { JOBS } from '@intake/core';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { securityHeaders } from './auth/web.ts';
import type { ReviewContext } from './context.ts';

/** Where the queue dashboard is mounted. */
export const ADMIN_QUEUES_PATH = '/admin/queues';

/**
 * The queue dashboard (bull-board) for operators: the pipeline's BullMQ queues on this
 * deployment's prefix — waiting, running, delayed, failed and completed jobs, their attempts,
 * failure reasons and timings. Jobs carry document ids only, never patient data.
 *
 * - Admins only: every route of the dashboard (page, assets, JSON API) gets `role: 'admin'`,
 *   so the server's session, role and CSRF checks apply as to any other route (a clerk gets 403).
 * - Read-only: retrying, removing or promoting jobs by hand would go around the quarantine
 *   records and the audit log, so the dashboard shows and does not act (and its POST/PUT
 *   routes are refused: they carry no CSRF token). Clerks retry documents from quarantine.
 * - Audited: opening the dashboard, and opening a job, is an audit event (`queues.view`); the
 *   list polling is not (it repeats every few seconds).
 * - Under the service's strict Content-Security-Policy (`default-src 'self'`, no inline
 *   script or style, nothing from another origin): the dashboard's scripts and stylesheet
 *   are files served from here and its JSON config block is not executed. Its page is served
 *   from a copy of bull-board's template without the Google web-font link and the inline
 *   styles of its "Loading" placeholder, and with one change to the policy on that page
 *   only: `base-uri 'self'` (not 'none'), because the dashboard finds its API and its
 *   script chunks through a same-origin `<base href>`.
 */
export async function registerAdminQueues(app: FastifyInstance, ctx: ReviewContext): Promise<void> {
  const prefix = ctx.config.INTAKE_QUEUE_PREFIX;
  const queues = [...new Set(JOBS.map((j) => j.queue))].map((name) => new Queue(name, { connection: ctx.redis, prefix }));
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => q.close().catch(() => {})));
  });

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, description: `intake ${q.name} queue (${prefix})` })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'intake queues', hideRedisDetails: true } },
  });
  const views = await mkdtemp(path.join(os.tmpdir(), 'intake-queues-view-'));
  await writeFile(
    path.join(views, 'index.ejs'),
    strictTemplate(await readFile(path.join(bullBoardUiDist(), 'index.ejs'), 'utf8')),
    { mode: 0o600 },
  );
  serverAdapter.setViewsPath(views);
  app.addHook('onClose', async () => {
    await rm(views, { recursive: true, force: true });
  });
  const pageCsp = securityHeaders(ctx.config)['content-security-policy']!.replace("base-uri 'none'", "base-uri 'self'");

  const audit = async (request: FastifyRequest, what: Record<string, unknown>) => {
    const clerk = request.clerk;
    if (clerk) await ctx.audit.record(clerk.username, 'queues.view', { ip: request.ip, detail: what });
  };

  await app.register(
    async (scope) => {
      // Every route the dashboard adds (page, static assets, API) is an admin route.
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), role: 'admin' };
      });
      scope.addHook('preHandler', async (request, reply) => {
        // The route pattern (not the URL), and the queue and job named in it.
        const url = request.routeOptions.url ?? '';
        const params = request.params as { queueName?: string; jobId?: string };
        const accept = request.headers.accept ?? '';
        const page = request.method === 'GET' && !url.includes('/api/') && !url.includes('/static/');
        if (page) {
          reply.header('content-security-policy', pageCsp);
          if (accept.includes('text/html'))
            await audit(request, {
              page: url.slice(ADMIN_QUEUES_PATH.length) || '/',
              queue: params.queueName,
              job: params.jobId,
            });
        } else if (request.method === 'GET' && /\/api\/queues\/:queueName\/:jobId$/.test(url)) {
          await audit(request, { page: 'job', queue: params.queueName, job: params.jobId });
        }
      });
      await scope.register(serverAdapter.registerPlugin() as Parameters<FastifyInstance['register']>[0]);
    },
    { prefix: ADMIN_QUEUES_PATH },
  );
}

/** bull-board's built UI (template and static files). */
function bullBoardUiDist(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@bull-board/ui/package.json')), 'dist');
}

/** bull-board's page template without what the strict CSP refuses anyway: the Google web-font link and the inline-styled placeholder. */
export function strictTemplate(template: string): string {
  return template
    .replace(/<link[^>]*fonts\.googleapis\.com[^>]*>\s*/g, '')
    .replace(/<div id="root">[\s\S]*?<\/style>\s*<\/div>/, '<div id="root">Loading…</div>');
}
