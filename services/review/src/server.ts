import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { ReviewConfig } from '@intake/config';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AuditLog } from './audit.ts';
import { AnonymousAudit } from './auth/anonymous-audit.ts';
import { resolveSession } from './auth/guard.ts';
import { KeySpace } from './auth/keys.ts';
import { localSignIn, localSignInAllowed } from './auth/login.ts';
import { OidcLogin } from './auth/oidc.ts';
import { LoginRateLimit } from './auth/rate-limit.ts';
import { hasRole, type Role } from './auth/roles.ts';
import { registerLockoutRoutes } from './auth/routes.ts';
import { csrfMatches, SessionStore, type Session } from './auth/sessions.ts';
import { LocalAccounts } from './auth/users.ts';
import { fillTemplate, sameOrigin, securityHeaders, sessionCookie, trustedProxies } from './auth/web.ts';
import { HttpError } from './http.ts';
import { Leases } from './leases.ts';
import { CsvRoster, HttpMemberLookup, NoDirectory, type MemberDirectory } from './members.ts';
import { toHttp } from './errors.ts';
import { registerRoutes } from './routes/index.ts';
import { ADMIN_QUEUES_PATH, registerAdminQueues } from './admin-queues.ts';
import { uiBundle } from './ui/bundle.ts';

import type { ReviewContext, ReviewServerDeps, RouteInfo } from './context.ts';

export type { ReviewContext, ReviewServerDeps, RouteInfo };

/** Only a path on this site: no scheme, no `//host`, no `/\\host` (browsers read it as `//`). */
export function localPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

const uiFile = (name: string) => readFileSync(new URL(`./ui/${name}`, import.meta.url), 'utf8');

export async function loadMemberDirectory(config: ReviewConfig): Promise<MemberDirectory> {
  if (config.MEMBER_LOOKUP_URL) return new HttpMemberLookup(config.MEMBER_LOOKUP_URL);
  if (config.MEMBER_ROSTER_CSV) return CsvRoster.load(config.MEMBER_ROSTER_CSV);
  return new NoDirectory();
}

/** The review app (API + UI) without listening; `routes` lists every route registered. */
export async function buildReviewApp(
  deps: ReviewServerDeps,
): Promise<{ app: FastifyInstance; routes: RouteInfo[]; context: ReviewContext }> {
  const { config, logger } = deps;
  const keys = new KeySpace(config.INTAKE_QUEUE_PREFIX);
  const audit = new AuditLog(deps.store);
  const context: ReviewContext = {
    ...deps,
    keys,
    accounts: new LocalAccounts(config.REVIEW_USERS_FILE),
    sessions: new SessionStore(deps.redis, keys, {
      idleSeconds: config.REVIEW_SESSION_IDLE_S,
      maxSeconds: config.REVIEW_SESSION_TTL,
    }),
    leases: new Leases(deps.redis, config.REVIEW_LEASE_TTL_MS, keys),
    audit,
    anonymousAudit: new AnonymousAudit(deps.redis, keys, audit, config.REVIEW_ANON_AUDIT_PER_MIN, logger),
    members: deps.members ?? (await loadMemberDirectory(config)),
    loginLimit: new LoginRateLimit(deps.redis, keys, {
      perAccount: config.REVIEW_LOGIN_MAX_FAILURES,
      perAddress: config.REVIEW_LOGIN_MAX_PER_ADDRESS,
      windowSeconds: config.REVIEW_LOGIN_WINDOW_S,
    }),
    oidc: config.OIDC_ISSUER ? new OidcLogin(config) : undefined,
  };
  const localAllowed = localSignInAllowed({ oidc: Boolean(context.oidc), breakGlass: config.REVIEW_LOCAL_LOGIN_BREAK_GLASS });

  const app = Fastify({
    // Fastify's own request lines carry URLs with search terms (names): we log outcomes ourselves.
    logger: false,
    // A hop count or the proxies' addresses/CIDRs, never "believe any X-Forwarded-For".
    trustProxy: trustedProxies(config.REVIEW_TRUST_PROXY),
    bodyLimit: 2 * 1024 * 1024,
  });
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method, url: route.url, public: route.config?.public === true, role: route.config?.role ?? 'clerk' });
    }
  });

  await app.register(cookie);
  await app.register(formbody);

  const sessionCookieSpec = sessionCookie(config);
  const cookieName = sessionCookieSpec.name;
  const headers = securityHeaders(config);

  app.addHook('onRequest', async (request, reply) => {
    (request as FastifyRequest & { startedAt?: number }).startedAt = performance.now();
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.header('cache-control', 'no-store');
    const routeConfig = request.routeOptions.config ?? {};
    if (routeConfig.public) return;
    const sessionId = request.cookies[cookieName];
    // Background requests (lease renewal) do not keep an unattended session alive.
    const session = await resolveSession({ sessions: context.sessions, accounts: context.accounts, localAllowed }, sessionId, {
      touch: routeConfig.background !== true,
    });
    if (!session || !sessionId) {
      const wantsHtml =
        request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
      if (wantsHtml) return reply.redirect(`/login?next=${encodeURIComponent(request.url.split('?')[0] ?? '/')}`, 303);
      return reply.code(401).send({ error: 'sign in first' });
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !csrfMatches(session, request.headers['x-csrf-token'])) {
      return reply.code(403).send({ error: 'missing or wrong CSRF token' });
    }
    const needed = routeConfig.role ?? 'clerk';
    if (!hasRole(session.role, needed)) return reply.code(403).send({ error: `needs the ${needed} role` });
    request.clerk = session;
  });

  app.addHook('onResponse', async (request, reply) => {
    const started = (request as FastifyRequest & { startedAt?: number }).startedAt ?? performance.now();
    // Route pattern, not the URL: query strings can hold a member's name.
    logger.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(performance.now() - started),
        user: request.clerk?.username,
      },
      'request',
    );
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    const mapped = toHttp(error);
    if (mapped) return reply.code(mapped.status).send(mapped.body);
    const e = error as { statusCode?: number; name?: string; message?: string; code?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply
        .code(e.statusCode)
        .send({ error: e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'request too large' : 'bad request' });
    }
    logger.error({ err: { name: e.name, message: e.message }, route: request.routeOptions.url }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  const ui = {
    css: uiFile('app.css'),
    // The TypeScript UI (ui/main.ts and its modules), bundled once per process (ui/bundle.ts).
    js: uiBundle(),
    shell: uiFile('app.html'),
    login: uiFile('login.html'),
    loginCss: uiFile('login.css'),
  };
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // ---- login ----

  const clientIp = (request: FastifyRequest) => request.ip;
  const sameSite = (request: FastifyRequest) => sameOrigin(request, config.REVIEW_COOKIE_SECURE);

  async function startSession(
    reply: FastifyReply,
    user: { username: string; role: Role; via: Session['via']; credential?: string; breakGlass?: boolean },
  ) {
    const { id, session } = await context.sessions.create(user);
    reply.setCookie(cookieName, id, sessionCookieSpec.set);
    return session;
  }

  /** Local login (auth/login.ts); the same checks for the form and the JSON API. */
  async function localLogin(request: FastifyRequest, username: string, password: string) {
    const { account, credential, breakGlass } = await localSignIn(
      {
        accounts: context.accounts,
        limit: context.loginLimit,
        audit: context.audit,
        anonymousAudit: context.anonymousAudit,
        oidc: Boolean(context.oidc),
        breakGlass: config.REVIEW_LOCAL_LOGIN_BREAK_GLASS,
      },
      clientIp(request),
      username,
      password,
    );
    return {
      username: account.username,
      role: account.role,
      via: 'local' as const,
      credential,
      breakGlass: breakGlass || undefined,
    };
  }

  const LoginBody = z.object({ username: z.string().max(64), password: z.string().max(1024) });

  app.get('/login', { config: { public: true } }, async (request, reply) => {
    const q = request.query as { error?: string; next?: string };
    const message =
      q.error === 'limit' ? 'Too many failed sign-ins. Try again later.' : q.error ? 'Wrong user name or password.' : '';
    const next = localPath(q.next);
    const html = fillTemplate(localAllowed ? ui.login : ui.login.replace(/<form[\s\S]*<\/form>/, ''), {
      error: message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '',
      next: escapeHtml(next),
      oidc: context.oidc ? '<p><a class="button" href="/auth/oidc/login">Sign in with your organisation</a></p>' : '',
    });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get('/ui/login.css', { config: { public: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css').send(ui.loginCss),
  );

  app.post('/login', { config: { public: true } }, async (request, reply) => {
    if (!sameSite(request)) return reply.code(403).send({ error: 'cross-site sign-in refused' });
    const body = LoginBody.extend({ next: z.string().optional() }).safeParse(request.body);
    if (!body.success) return reply.redirect('/login?error=1', 303);
    try {
      await startSession(reply, await localLogin(request, body.data.username, body.data.password));
      return reply.redirect(localPath(body.data.next), 303);
    } catch (error) {
      if (error instanceof HttpError) return reply.redirect(`/login?error=${error.status === 429 ? 'limit' : '1'}`, 303);
      throw error;
    }
  });

  app.post('/api/login', { config: { public: true } }, async (request, reply) => {
    // JSON only: a cross-site form cannot send it without a CORS preflight (login CSRF).
    if (!(request.headers['content-type'] ?? '').startsWith('application/json') || !sameSite(request)) {
      return reply.code(403).send({ error: 'sign in with a same-origin JSON request' });
    }
    const body = LoginBody.parse(request.body);
    try {
      const session = await startSession(reply, await localLogin(request, body.username, body.password));
      return { username: session.username, role: session.role, csrf: session.csrf };
    } catch (error) {
      if (error instanceof HttpError && error.status === 429) reply.header('retry-after', String(error.extra.retryAfter ?? 60));
      throw error;
    }
  });

  app.post('/api/logout', async (request, reply) => {
    await context.sessions.destroy(request.clerk!.sessionId, request.clerk!.username);
    await context.audit.record(request.clerk!.username, 'logout', { ip: clientIp(request) });
    reply.clearCookie(cookieName, sessionCookieSpec.clear);
    return { ok: true };
  });

  app.get('/api/me', async (request) => {
    const c = request.clerk!;
    return { username: c.username, role: c.role, csrf: c.csrf, via: c.via };
  });

  // ---- OpenID Connect ----

  app.get('/auth/oidc/login', { config: { public: true } }, async (_request, reply) => {
    if (!context.oidc) return reply.code(404).send({ error: 'OpenID Connect is not configured' });
    const start = await context.oidc.start();
    await deps.redis.set(keys.key('oidc', start.state), JSON.stringify(start.pending), 'EX', 600);
    // Binds the flow to this browser; Lax because the IdP's redirect back is a cross-site navigation.
    reply.setCookie('intake_oidc', start.state, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.REVIEW_COOKIE_SECURE,
      path: '/auth/oidc',
      maxAge: 600,
    });
    return reply.redirect(start.url.href, 302);
  });

  app.get('/auth/oidc/callback', { config: { public: true } }, async (request, reply) => {
    if (!context.oidc) return reply.code(404).send({ error: 'OpenID Connect is not configured' });
    const state = (request.query as { state?: string }).state;
    if (!state || state !== request.cookies.intake_oidc)
      return reply.code(400).send({ error: 'sign-in state does not match: start again' });
    const pendingText = await deps.redis.getdel(keys.key('oidc', state));
    if (!pendingText) return reply.code(400).send({ error: 'sign-in expired: start again' });
    const current = new URL(request.url, config.OIDC_REDIRECT_URL);
    let user: { username: string; role: Role | undefined };
    try {
      user = await context.oidc.finish(current, JSON.parse(pendingText));
    } catch (error) {
      logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'OIDC sign-in failed');
      await context.anonymousAudit.record('-', 'login.failed', { ip: clientIp(request), detail: { via: 'oidc' } });
      return reply.code(401).send({ error: 'sign-in with the identity provider failed' });
    }
    if (!user.role) {
      await context.anonymousAudit.record(user.username, 'login.failed', {
        ip: clientIp(request),
        detail: { via: 'oidc', reason: 'no role' },
      });
      return reply.code(403).send({ error: 'your account has no review role (clerk, supervisor or admin)' });
    }
    await startSession(reply, { username: user.username, role: user.role, via: 'oidc' });
    await context.audit.record(user.username, 'login', { ip: clientIp(request), detail: { via: 'oidc' } });
    reply.clearCookie('intake_oidc', { path: '/auth/oidc' });
    // A same-site hop, so the SameSite=Strict session cookie is sent on the next request.
    return reply
      .type('text/html; charset=utf-8')
      .send('<!doctype html><meta http-equiv="refresh" content="0;url=/"><title>Signed in</title><a href="/">Continue</a>');
  });

  app.get('/healthz', { config: { public: true } }, async () => ({ ok: true }));
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  // ---- UI shell and assets ----

  const shell = async (request: FastifyRequest, reply: FastifyReply) => {
    const c = request.clerk!;
    const html = fillTemplate(ui.shell, { csrf: escapeHtml(c.csrf), username: escapeHtml(c.username), role: escapeHtml(c.role) });
    return reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', shell);
  app.get('/records/:docId', shell);
  app.get('/quarantine', shell);
  app.get('/audit', { config: { role: 'supervisor' } }, shell);
  app.get('/admin/users', { config: { role: 'admin' } }, shell);
  app.get(ADMIN_QUEUES_PATH, { config: { role: 'admin' } }, shell);
  ui.js.catch((error: unknown) => logger.error({ err: { message: (error as Error).message } }, 'review UI bundle failed'));
  app.get('/ui/app.js', async (_request, reply) =>
    reply.header('cache-control', 'private, max-age=300').type('text/javascript; charset=utf-8').send(await ui.js),
  );
  app.get('/ui/app.css', async (_request, reply) =>
    reply.header('cache-control', 'private, max-age=300').type('text/css; charset=utf-8').send(ui.css),
  );

  registerRoutes(app, context);
  registerAdminQueues(app, context);
  registerLockoutRoutes(app, context);
  context.anonymousAudit.start();
  app.addHook('onClose', () => context.anonymousAudit.close());

  return { app, routes, context };
}

/** Start the review server (API + clerk UI) on REVIEW_HOST:REVIEW_PORT. */
export async function startReviewServer(deps: ReviewServerDeps): Promise<{ url: string; close(): Promise<void> }> {
  const { app, context } = await buildReviewApp(deps);
  if (deps.config.REVIEW_BOOTSTRAP_ADMIN && !deps.config.OIDC_ISSUER) {
    const created = await context.accounts.bootstrapAdmin();
    if (created) {
      // Printed once as a plain line on stderr: the JSON log (stdout, shipped to a log store) must never hold a password.
      const print = deps.print ?? ((line: string) => process.stderr.write(line + '\n'));
      print(
        `review: created the local admin account "${created.username}" with password ${created.password} (shown once; change it with: npx tsx services/review/src/accounts.ts passwd ${created.username})`,
      );
      deps.logger.info({ user: created.username }, 'created the bootstrap admin account (password printed once on stderr)');
    }
  }
  await app.listen({ host: deps.config.REVIEW_HOST, port: deps.config.REVIEW_PORT });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  deps.logger.info({ url }, 'review server listening');
  return { url, close: () => app.close() };
}
