import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Logger, ReviewConfig } from '@intake/config';
import type { ReviewStore } from '@intake/storage';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AuditLog } from './audit.ts';
import { OidcLogin } from './auth/oidc.ts';
import { LoginRateLimit } from './auth/rate-limit.ts';
import { hasRole, type Role } from './auth/roles.ts';
import { csrfMatches, SessionStore, type Session } from './auth/sessions.ts';
import { LocalAccounts } from './auth/users.ts';
import { HttpError } from './http.ts';
import { Leases } from './leases.ts';
import { CsvRoster, HttpMemberLookup, NoDirectory, type MemberDirectory } from './members.ts';
import { registerApi } from './api.ts';
import { WorkflowError } from './workflow.ts';

export interface ReviewServerDeps {
  config: ReviewConfig;
  store: ReviewStore;
  redis: Redis;
  logger: Logger;
  /** Re-queues a quarantined document. */
  retryDocument: (docId: string) => Promise<void>;
  /** Where the bootstrap admin's password is printed once (default: stdout, never the log). */
  print?: (line: string) => void;
  /** Member directory override (tests); default from MEMBER_LOOKUP_URL / MEMBER_ROSTER_CSV. */
  members?: MemberDirectory;
}

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  role: Role;
}

export interface ReviewContext extends ReviewServerDeps {
  accounts: LocalAccounts;
  sessions: SessionStore;
  leases: Leases;
  audit: AuditLog;
  members: MemberDirectory;
  loginLimit: LoginRateLimit;
  oidc?: OidcLogin;
}

/** Only a path on this site: no scheme, no `//host`, no `/\\host` (browsers read it as `//`). */
export function localPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

const uiFile = (name: string) => readFileSync(new URL(`./ui/${name}`, import.meta.url), 'utf8');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chrome sends "Origin: null" on form posts, defeating the origin check.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

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
  const context: ReviewContext = {
    ...deps,
    accounts: new LocalAccounts(config.REVIEW_USERS_FILE),
    sessions: new SessionStore(deps.redis, config.REVIEW_SESSION_TTL),
    leases: new Leases(deps.redis, config.REVIEW_LEASE_TTL_MS),
    audit: new AuditLog(deps.store),
    members: deps.members ?? (await loadMemberDirectory(config)),
    loginLimit: new LoginRateLimit(deps.redis, config.REVIEW_LOGIN_MAX_FAILURES, config.REVIEW_LOGIN_WINDOW_S),
    oidc: config.OIDC_ISSUER ? new OidcLogin(config) : undefined,
  };

  const app = Fastify({
    // Fastify's own request lines carry URLs with search terms (names): we log outcomes ourselves.
    logger: false,
    trustProxy: config.REVIEW_TRUST_PROXY,
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

  const cookieName = config.REVIEW_COOKIE_SECURE ? '__Host-intake_session' : 'intake_session';
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: config.REVIEW_COOKIE_SECURE,
    path: '/',
    maxAge: config.REVIEW_SESSION_TTL,
  };

  app.addHook('onRequest', async (request, reply) => {
    (request as FastifyRequest & { startedAt?: number }).startedAt = performance.now();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    reply.header('cache-control', 'no-store');
    const routeConfig = request.routeOptions.config ?? {};
    if (routeConfig.public) return;
    const sessionId = request.cookies[cookieName];
    const session = await context.sessions.get(sessionId);
    if (!session || !sessionId) {
      const wantsHtml =
        request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
      if (wantsHtml) return reply.redirect(`/login?next=${encodeURIComponent(request.url.split('?')[0] ?? '/')}`, 303);
      return reply.code(401).send({ error: 'sign in first' });
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !csrfMatches(session, request.headers['x-csrf-token'])) {
      return reply.code(403).send({ error: 'missing or wrong CSRF token' });
    }
    let role = session.role;
    if (session.via === 'local') {
      const account = await context.accounts.current(session.username);
      if (!account || account.disabled) {
        await context.sessions.destroy(sessionId);
        return reply.code(401).send({ error: 'sign in first' });
      }
      role = account.role;
    }
    const needed = routeConfig.role ?? 'clerk';
    if (!hasRole(role, needed)) return reply.code(403).send({ error: `needs the ${needed} role` });
    request.clerk = { ...session, role, sessionId };
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
    if (error instanceof HttpError) return reply.code(error.status).send({ error: error.message, ...error.extra });
    if (error instanceof WorkflowError) return reply.code(error.status).send({ error: error.message });
    if (error instanceof z.ZodError) {
      return reply
        .code(400)
        .send({ error: 'invalid request', issues: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    }
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
    js: uiFile('app.js'),
    shell: uiFile('app.html'),
    login: uiFile('login.html'),
    loginCss: uiFile('login.css'),
  };
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // ---- login ----

  const clientIp = (request: FastifyRequest) => request.ip;
  const sameOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (!origin) return true; // non-browser clients; browsers always send Origin on POST
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  };

  async function startSession(reply: FastifyReply, user: { username: string; role: Role; via: Session['via'] }) {
    const { id, session } = await context.sessions.create(user);
    reply.setCookie(cookieName, id, cookieOptions);
    return session;
  }

  /** Local login; the same checks for the form and the JSON API. */
  async function localLogin(request: FastifyRequest, username: string, password: string) {
    const ip = clientIp(request);
    const name = username.trim().toLowerCase();
    const wait = await context.loginLimit.blockedFor(ip, name);
    if (wait > 0) {
      await context.audit.record(name || '-', 'login.blocked', { ip });
      throw new HttpError(429, 'too many failed sign-ins: try again later', { retryAfter: wait });
    }
    const account = await context.accounts.authenticate(name, password);
    if (!account) {
      await context.loginLimit.recordFailure(ip, name);
      await context.audit.record(name || '-', 'login.failed', { ip });
      throw new HttpError(401, 'wrong user name or password');
    }
    await context.loginLimit.reset(ip, name);
    await context.audit.record(account.username, 'login', { ip, detail: { via: 'local' } });
    return account;
  }

  const LoginBody = z.object({ username: z.string().max(64), password: z.string().max(1024) });

  app.get('/login', { config: { public: true } }, async (request, reply) => {
    const q = request.query as { error?: string; next?: string };
    const message =
      q.error === 'limit' ? 'Too many failed sign-ins. Try again later.' : q.error ? 'Wrong user name or password.' : '';
    const next = localPath(q.next);
    const html = ui.login
      .replace('{{error}}', message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '')
      .replace('{{next}}', escapeHtml(next))
      .replace(
        '{{oidc}}',
        context.oidc ? '<p><a class="button" href="/auth/oidc/login">Sign in with your organisation</a></p>' : '',
      );
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get('/ui/login.css', { config: { public: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css').send(ui.loginCss),
  );

  app.post('/login', { config: { public: true } }, async (request, reply) => {
    if (!sameOrigin(request)) return reply.code(403).send({ error: 'cross-site sign-in refused' });
    const body = LoginBody.extend({ next: z.string().optional() }).safeParse(request.body);
    if (!body.success) return reply.redirect('/login?error=1', 303);
    try {
      const account = await localLogin(request, body.data.username, body.data.password);
      await startSession(reply, { username: account.username, role: account.role, via: 'local' });
      return reply.redirect(localPath(body.data.next), 303);
    } catch (error) {
      if (error instanceof HttpError) return reply.redirect(`/login?error=${error.status === 429 ? 'limit' : '1'}`, 303);
      throw error;
    }
  });

  app.post('/api/login', { config: { public: true } }, async (request, reply) => {
    // JSON only: a cross-site form cannot send it without a CORS preflight (login CSRF).
    if (!(request.headers['content-type'] ?? '').startsWith('application/json') || !sameOrigin(request)) {
      return reply.code(403).send({ error: 'sign in with a same-origin JSON request' });
    }
    const body = LoginBody.parse(request.body);
    try {
      const account = await localLogin(request, body.username, body.password);
      const session = await startSession(reply, { username: account.username, role: account.role, via: 'local' });
      return { username: session.username, role: session.role, csrf: session.csrf };
    } catch (error) {
      if (error instanceof HttpError && error.status === 429) reply.header('retry-after', String(error.extra.retryAfter ?? 60));
      throw error;
    }
  });

  app.post('/api/logout', async (request, reply) => {
    await context.sessions.destroy(request.clerk!.sessionId);
    await context.audit.record(request.clerk!.username, 'logout', { ip: clientIp(request) });
    reply.clearCookie(cookieName, { path: '/' });
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
    await deps.redis.set(`review:oidc:${start.state}`, JSON.stringify(start.pending), 'EX', 600);
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
    const pendingText = await deps.redis.getdel(`review:oidc:${state}`);
    if (!pendingText) return reply.code(400).send({ error: 'sign-in expired: start again' });
    const current = new URL(request.url, config.OIDC_REDIRECT_URL);
    let user: { username: string; role: Role | undefined };
    try {
      user = await context.oidc.finish(current, JSON.parse(pendingText));
    } catch (error) {
      logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'OIDC sign-in failed');
      await context.audit.record('-', 'login.failed', { ip: clientIp(request), detail: { via: 'oidc' } });
      return reply.code(401).send({ error: 'sign-in with the identity provider failed' });
    }
    if (!user.role) {
      await context.audit.record(user.username, 'login.failed', {
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
    const html = ui.shell
      .replace('{{csrf}}', escapeHtml(c.csrf))
      .replace('{{username}}', escapeHtml(c.username))
      .replace('{{role}}', escapeHtml(c.role));
    return reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', shell);
  app.get('/records/:docId', shell);
  app.get('/quarantine', shell);
  app.get('/audit', { config: { role: 'supervisor' } }, shell);
  app.get('/ui/app.js', async (_request, reply) =>
    reply.header('cache-control', 'private, max-age=300').type('text/javascript; charset=utf-8').send(ui.js),
  );
  app.get('/ui/app.css', async (_request, reply) =>
    reply.header('cache-control', 'private, max-age=300').type('text/css; charset=utf-8').send(ui.css),
  );

  registerApi(app, context);

  return { app, routes, context };
}

/** Start the review server (API + clerk UI) on REVIEW_HOST:REVIEW_PORT. */
export async function startReviewServer(deps: ReviewServerDeps): Promise<{ url: string; close(): Promise<void> }> {
  const { app, context } = await buildReviewApp(deps);
  if (deps.config.REVIEW_BOOTSTRAP_ADMIN && !deps.config.OIDC_ISSUER) {
    const created = await context.accounts.bootstrapAdmin();
    if (created) {
      const print = deps.print ?? ((line: string) => process.stdout.write(line + '\n'));
      // Printed once, to the terminal only: the log must never hold a password.
      print(
        `review: created the local admin account "${created.username}" with password ${created.password} (shown once; change it with: npx tsx services/review/src/accounts.ts passwd ${created.username})`,
      );
      deps.logger.info({ user: created.username }, 'created the bootstrap admin account (password printed to stdout)');
    }
  }
  await app.listen({ host: deps.config.REVIEW_HOST, port: deps.config.REVIEW_PORT });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  deps.logger.info({ url }, 'review server listening');
  return { url, close: () => app.close() };
}
