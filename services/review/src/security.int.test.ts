import { createHash, randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createLogger, loadReviewConfig, type ReviewConfig } from '@intake/config';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditLog } from './audit.ts';
import { LocalAccounts } from './auth/users.ts';
import { startReviewServer } from './server.ts';
import { Clerk, recordingLogger, seedDocument, startTestEnv, type TestEnv } from './testing/fixtures.ts';

/**
 * The penetration test's attacks, repeated against a real review server (real HTTP, the
 * embedded S3 API, a real Redis). Each test fails if its attack comes back; docs/security.md
 * names the finding and the safeguard each one keeps closed.
 */
describe('security: the penetration test findings stay closed', () => {
  let env: TestEnv;
  let docId: string;
  const servers: { close(): Promise<void> }[] = [];

  /** Another review server on the same store, users file and Redis, under its own key prefix unless given. */
  async function server(overrides: Partial<ReviewConfig> = {}, print?: (line: string) => void) {
    const config = { ...env.config, INTAKE_QUEUE_PREFIX: `sec${randomBytes(5).toString('hex')}`, ...overrides };
    const started = await startReviewServer({
      config,
      store: env.store,
      redis: env.redis,
      logger: createLogger({ level: 'silent' }),
      retryDocument: async () => {},
      print,
    });
    servers.push(started);
    return { ...started, config };
  }

  const login = (base: string, username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username, password }),
    });

  /** Audit events since `since` (all of today's, filtered), oldest first. */
  async function auditSince(since: string) {
    const events = await new AuditLog(env.store).search({ limit: 1000, from: since.slice(0, 10) });
    return events.filter((e) => e.at >= since).reverse();
  }

  beforeAll(async () => {
    env = await startTestEnv();
    docId = await seedDocument(env.store, { tag: 'security' });
  });
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => {});
    await env?.close();
  });

  it('1. 200 parallel guesses on one account get at most 5 password checks; a supervisor sees and clears the lockout', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => login(env.url, 'clerk2', `wrong-guess-${i}-xx`)));
    const statuses = answers.map((a) => a.status);
    // Only a checked password can answer 401: the rest were refused before any check.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(195);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // Locked: even the right password is not checked now.
    expect((await login(env.url, 'clerk2', 'clerk2-password-123')).status).toBe(429);
    const supervisor = await Clerk.login(env.url, 'super1');
    const lockouts = await supervisor.get('/api/lockouts');
    expect(lockouts.status).toBe(200);
    expect(lockouts.body.accounts).toContainEqual(expect.objectContaining({ username: 'clerk2', locked: true }));
    const clerk = await Clerk.login(env.url, 'clerk1');
    expect((await clerk.get('/api/lockouts')).status).toBe(403);
    expect((await supervisor.post('/api/lockouts/clear', { username: 'clerk2' })).status).toBe(200);
    expect((await login(env.url, 'clerk2', 'clerk2-password-123')).status).toBe(200);
  });

  it('7. one account guessed from 20 addresses is limited per account; one address guessing many names is limited per address', async () => {
    // The test client is the trusted proxy (loopback), so X-Forwarded-For names the "client".
    const s = await server({ REVIEW_TRUST_PROXY: ['127.0.0.1'], REVIEW_LOGIN_MAX_PER_ADDRESS: 10 });
    const spread = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        login(s.url, 'clerk1', `wrong-guess-${i}-xx`, { 'x-forwarded-for': `198.51.100.${i % 20}` }),
      ),
    );
    expect(spread.filter((a) => a.status === 401).length).toBeLessThanOrEqual(5);
    expect(spread.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(75);
    const names: number[] = [];
    for (let i = 0; i < 20; i++) {
      names.push((await login(s.url, `nobody${i}`, 'wrong-guess-xx', { 'x-forwarded-for': '198.51.100.200' })).status);
    }
    expect(names.filter((c) => c === 401)).toHaveLength(10);
    expect(names.slice(10).every((c) => c === 429)).toBe(true);
    // Another address is not locked by that one.
    expect((await login(s.url, 'super1', 'super1-password-123', { 'x-forwarded-for': '198.51.100.201' })).status).toBe(200);
  });

  it('2. deployments sharing one Redis never accept each other’s sessions, counters or leases', async () => {
    const a = await server();
    const b = await server();
    const adminA = await Clerk.login(a.url, 'admin1');
    expect((await adminA.get('/api/users')).status).toBe(200);
    // The same cookie (and CSRF token) on deployment B: refused.
    const onB = new Clerk(b.url, adminA.cookie, adminA.csrf);
    expect((await onB.get('/api/users')).status).toBe(401);
    expect((await onB.post('/api/logout')).status).toBe(401);
    expect((await adminA.get('/api/me')).status).toBe(200);
    // Every key is under the deployment's prefix: the session is stored at A's key, not B's or a global one.
    const hash = createHash('sha256').update(adminA.cookie.split('=')[1]!).digest('hex');
    expect(await env.redis.exists(`${a.config.INTAKE_QUEUE_PREFIX}:review:session:${hash}`)).toBe(1);
    expect(await env.redis.exists(`${b.config.INTAKE_QUEUE_PREFIX}:review:session:${hash}`)).toBe(0);
    expect(await env.redis.exists(`review:session:${hash}`)).toBe(0);
    // A's failed sign-ins do not lock the account out on B.
    for (let i = 0; i < 6; i++) await login(a.url, 'clerk2', `wrong-guess-${i}-xx`);
    expect((await login(a.url, 'clerk2', 'clerk2-password-123')).status).toBe(429);
    expect((await login(b.url, 'clerk2', 'clerk2-password-123')).status).toBe(200);
    // A lease on A is A's.
    const clerkA = await Clerk.login(a.url, 'clerk1');
    expect((await clerkA.post(`/api/documents/${docId}/lease`)).status).toBe(200);
    expect(await env.redis.get(`${a.config.INTAKE_QUEUE_PREFIX}:review:lease:${docId}`)).toBe('clerk1');
    expect(await env.redis.get(`lease:${docId}`)).toBeNull();
    await clerkA.send('DELETE', `/api/documents/${docId}/lease`);
  });

  it('3. a forged X-Forwarded-For neither beats the limit nor reaches the audit log', async () => {
    expect(() => loadReviewConfig({ REVIEW_TRUST_PROXY: 'true' })).toThrow(/REVIEW_TRUST_PROXY/);
    expect(() => loadReviewConfig({ REVIEW_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/REVIEW_TRUST_PROXY/);
    expect(loadReviewConfig({ REVIEW_TRUST_PROXY: '1' }).REVIEW_TRUST_PROXY).toBe(1);
    expect(loadReviewConfig({}).REVIEW_TRUST_PROXY).toBe(false);
    const since = new Date().toISOString();
    // One load balancer in front: it appends the address it saw; whatever the client wrote before is not believed.
    const behindOne = await server({ REVIEW_TRUST_PROXY: 1 });
    const forged = (i: number) => `10.${i}.${i}.${i}, 203.0.113.7`;
    const answers = [];
    for (let i = 0; i < 30; i++) {
      answers.push((await login(behindOne.url, `forged${i % 2}`, 'wrong-guess-xx', { 'x-forwarded-for': forged(i) })).status);
    }
    expect(answers.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    // A proxy list that does not include this client: the header is ignored altogether.
    const cidr = await server({ REVIEW_TRUST_PROXY: ['10.9.9.0/24'] });
    for (let i = 0; i < 3; i++) await login(cidr.url, 'forged-cidr', 'wrong-guess-xx', { 'x-forwarded-for': `10.66.${i}.1` });
    await behindOne.close();
    await cidr.close();
    const events = (await auditSince(since)).filter((e) => e.action.startsWith('login'));
    const seen = new Set<string>();
    for (const e of events) {
      if (e.ip) seen.add(e.ip);
      for (const row of ((e.detail as { top?: { ip: string }[] } | undefined)?.top ?? []) as { ip: string }[]) seen.add(row.ip);
    }
    expect(seen.has('203.0.113.7')).toBe(true);
    for (const ip of seen) expect(['203.0.113.7', '127.0.0.1', '::1', '::ffff:127.0.0.1']).toContain(ip);
  });

  it('6. reading page text, page images, exports and searches adds audit events; PHI answers are no-store', async () => {
    const since = new Date().toISOString();
    const clerk = await Clerk.login(env.url, 'clerk1');
    const text = await clerk.get(`/api/documents/${docId}/pages/1/text`);
    expect(text.status).toBe(200);
    const image = await clerk.get(`/api/documents/${docId}/pages/2/image`);
    expect(image.status).toBe(200);
    expect(image.headers.get('cache-control')).toBe('no-store');
    expect(text.headers.get('cache-control')).toBe('no-store');
    expect((await clerk.get(`/api/documents/${docId}`)).headers.get('cache-control')).toBe('no-store');
    expect((await clerk.post('/api/members/search', { q: 'Newman' })).status).toBe(200);
    expect(
      (await clerk.post('/api/documents/search', { q: 'alice' })).body.documents.map((d: { docId: string }) => d.docId),
    ).toContain(docId);
    // Search text (a patient's name) never travels in a URL.
    expect((await clerk.get('/api/documents?q=alice')).status).toBe(400);
    expect((await clerk.get('/api/members?q=Newman')).status).toBe(400);
    const events = (await auditSince(since)).filter((e) => e.actor === 'clerk1');
    expect(events).toContainEqual(expect.objectContaining({ action: 'record.page.text', docId, detail: { page: 1 } }));
    expect(events).toContainEqual(expect.objectContaining({ action: 'record.page.image', docId, detail: { page: 2 } }));
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'members.search',
        detail: expect.objectContaining({ memberIds: expect.arrayContaining(['M1001']) }),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'queue.view',
        detail: expect.objectContaining({ searched: true, docIds: expect.arrayContaining([docId]) }),
      }),
    );
    // Audit events hold ids and counts, never the search text.
    expect(JSON.stringify(events)).not.toMatch(/alice|newman/i);
  });

  it('8. idle logoff ignores background lease renewal; sessions end at their absolute lifetime, on password change and on disable', async () => {
    const s = await server({ REVIEW_SESSION_IDLE_S: 4 });
    const idle = await Clerk.login(s.url, 'clerk1');
    const busy = await Clerk.login(s.url, 'clerk2');
    expect((await idle.get(`/api/documents/${docId}`)).status).toBe(200);
    expect((await idle.post(`/api/documents/${docId}/lease`)).status).toBe(200);
    // The open record renews its lease in the background (as the UI does) for 6 s while the
    // clerk does nothing; another clerk keeps working.
    const renewals: number[] = [];
    const started = Date.now();
    while (Date.now() - started < 6000) {
      await new Promise((r) => setTimeout(r, 400));
      renewals.push((await idle.post(`/api/documents/${docId}/lease`)).status);
      expect((await busy.get('/api/me')).status).toBe(200);
    }
    expect(renewals[0]).toBe(200);
    expect(renewals.at(-1)).toBe(401);
    expect((await idle.get('/api/me')).status).toBe(401);
    expect((await busy.get('/api/me')).status).toBe(200);

    // Absolute lifetime: however busy, the session ends REVIEW_SESSION_TTL after sign-in.
    const long = await Clerk.login(env.url, 'clerk1');
    expect((await long.get('/api/me')).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + env.config.REVIEW_SESSION_TTL * 1000 + 1000);
      expect((await long.get('/api/me')).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }

    // A password changed by an admin (API) or with the CLI (the users file) ends the other sessions.
    const admin = await Clerk.login(env.url, 'admin1');
    await admin.post('/api/users', { username: 'sec-victim', role: 'clerk', password: 'sec-victim-password-1' });
    const victim = await Clerk.login(env.url, 'sec-victim', 'sec-victim-password-1');
    expect((await victim.get('/api/me')).status).toBe(200);
    expect(
      (await admin.post('/api/users', { username: 'sec-victim', role: 'clerk', password: 'sec-victim-password-2' })).status,
    ).toBe(200);
    expect((await victim.get('/api/me')).status).toBe(401);
    const again = await Clerk.login(env.url, 'sec-victim', 'sec-victim-password-2');
    await new LocalAccounts(env.config.REVIEW_USERS_FILE).upsert('sec-victim', 'clerk', 'sec-victim-password-3');
    expect((await again.get('/api/me')).status).toBe(401);
    const last = await Clerk.login(env.url, 'sec-victim', 'sec-victim-password-3');
    expect((await admin.post('/api/users/sec-victim/disable')).status).toBe(200);
    expect((await last.get('/api/me')).status).toBe(401);
  });

  it('9. with OIDC configured, local password sign-in is refused unless break-glass is on', async () => {
    const oidc = {
      OIDC_ISSUER: 'http://127.0.0.1:9/never-contacted',
      OIDC_CLIENT_ID: 'intake-review',
      OIDC_REDIRECT_URL: 'http://127.0.0.1/auth/oidc/callback',
    };
    const prefix = `sec${randomBytes(5).toString('hex')}`;
    // A local session from before OIDC was switched on, on the same deployment.
    const before = await server({ INTAKE_QUEUE_PREFIX: prefix });
    const earlier = await Clerk.login(before.url, 'clerk1');
    const s = await server({ ...oidc, INTAKE_QUEUE_PREFIX: prefix });
    expect((await login(s.url, 'clerk1', 'clerk1-password-123')).status).toBe(403);
    const form = await fetch(`${s.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=clerk1&password=clerk1-password-123',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('set-cookie')).toBeNull();
    const page = await (await fetch(`${s.url}/login`)).text();
    expect(page).toContain('/auth/oidc/login');
    expect(page).not.toContain('type="password"');
    expect((await new Clerk(s.url, earlier.cookie, earlier.csrf).get('/api/me')).status).toBe(401);

    const since = new Date().toISOString();
    const glass = await server({ ...oidc, REVIEW_LOCAL_LOGIN_BREAK_GLASS: true });
    expect((await login(glass.url, 'admin1', 'admin1-password-123')).status).toBe(200);
    const events = await auditSince(since);
    expect(events).toContainEqual(
      expect.objectContaining({ actor: 'admin1', action: 'login', detail: { via: 'local', breakGlass: true } }),
    );
  });

  it('10. failed sign-ins without a session are capped and summed, not written one by one', async () => {
    const since = new Date().toISOString();
    const s = await server({ REVIEW_LOGIN_MAX_PER_ADDRESS: 50 });
    const tag = `flood${randomBytes(3).toString('hex')}`;
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => login(s.url, `${tag}${batch * 20 + i}`, 'wrong-guess-xx')),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((c) => c === 401)).toHaveLength(50);
    expect(statuses.filter((c) => c === 429)).toHaveLength(150);
    await s.close(); // writes the pending summary
    const events = await auditSince(since);
    const single = events.filter((e) => e.actor.startsWith(tag));
    const summaries = events.filter(
      (e) =>
        e.action === 'login.summary' &&
        ((e.detail as { top: { actor: string }[] }).top ?? []).every((r) => r.actor.startsWith(tag)),
    );
    // At most the first failed and the first blocked event per minute from this address (twice if a minute turned).
    expect(single.length).toBeGreaterThanOrEqual(1);
    expect(single.length).toBeLessThanOrEqual(4);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    const summed = summaries.reduce((n, e) => n + (e.detail as { events: number }).events, 0);
    // Nothing is lost: every attempt is either its own event or counted in a summary.
    expect(single.length + summed).toBe(200);
    // Both kinds are counted (summed over the summaries: a minute may have turned during the flood).
    const byAction: Record<string, number> = {};
    for (const e of summaries) {
      for (const [action, n] of Object.entries((e.detail as { byAction: Record<string, number> }).byAction)) {
        byAction[action] = (byAction[action] ?? 0) + n;
      }
    }
    expect(byAction['login.failed']).toBeGreaterThan(0);
    expect(byAction['login.blocked']).toBeGreaterThan(0);
  });

  it('low: Origin scheme, HSTS, no $ expansion in next=, logout clears the __Host- cookie, bootstrap password not in the log', async () => {
    const host = new URL(env.url).host;
    expect((await login(env.url, 'clerk1', 'clerk1-password-123', { origin: `https://${host}` })).status).toBe(403);
    expect((await login(env.url, 'clerk1', 'clerk1-password-123', { origin: `http://${host}` })).status).toBe(200);
    expect((await fetch(`${env.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();

    for (const next of ['/a$`b', '/a$$b', "/a$'b", '/a$&b']) {
      const html = await (await fetch(`${env.url}/login?next=${encodeURIComponent(next)}`)).text();
      const value = /name="next" value="([^"]*)"/.exec(html)?.[1];
      expect(
        value?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
        next,
      ).toBe(next);
    }

    const secure = await server({ REVIEW_COOKIE_SECURE: true });
    expect((await fetch(`${secure.url}/healthz`)).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    // With secure cookies the browser is on https: an http Origin is another site.
    expect(
      (await login(secure.url, 'clerk1', 'clerk1-password-123', { origin: `http://${new URL(secure.url).host}` })).status,
    ).toBe(403);
    const res = await login(secure.url, 'clerk1', 'clerk1-password-123', { origin: `https://${new URL(secure.url).host}` });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrf } = (await res.json()) as { csrf: string };
    const out = await fetch(`${secure.url}/api/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(200);
    // A browser only drops a __Host- cookie when the clearing Set-Cookie is Secure with Path=/.
    const cleared = out.headers.get('set-cookie') ?? '';
    expect(cleared).toMatch(/^__Host-intake_session=;/);
    expect(cleared).toContain('Secure');
    expect(cleared).toContain('Path=/');
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);

    // The bootstrap password goes to stderr as a plain line, never into the JSON log (stdout).
    const logged: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let outText = '';
    let errLines: string[] = [];
    try {
      const boot = await startReviewServer({
        config: { ...env.config, REVIEW_BOOTSTRAP_ADMIN: true, REVIEW_USERS_FILE: `${env.dir}/boot-users.json` },
        store: env.store,
        redis: env.redis,
        logger: recordingLogger(logged),
        retryDocument: async () => {},
      });
      servers.push(boot);
    } finally {
      outText = stdout.mock.calls.map((c) => String(c[0])).join('');
      errLines = stderr.mock.calls.map((c) => String(c[0]));
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const line = errLines.find((l) => l.includes('with password'));
    const password = /with password (\S+)/.exec(line ?? '')?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(outText).not.toContain(password);
    expect(logged.join('\n')).not.toContain(password);
  });
  it('4, 5. the embedded S3 refuses unsigned reads, writes and deletes; nothing in the data folder is readable by other users', async () => {
    const endpoint = env.opened.embedded?.endpoint;
    expect(endpoint).toBeTruthy();
    const auditKeys: string[] = [];
    for await (const key of env.store.audit.walkKeys()) auditKeys.push(key);
    const [auditKey] = auditKeys;
    expect(auditKey).toBeTruthy();
    const object = `${endpoint}/${env.config.S3_BUCKET}/${auditKey}`;
    expect((await fetch(object)).status).toBe(403);
    expect((await fetch(`${endpoint}/${env.config.S3_BUCKET}?list-type=2`)).status).toBe(403);
    const forged = `${endpoint}/${env.config.S3_BUCKET}/audit/2026/01/01/forged.json`;
    expect((await fetch(forged, { method: 'PUT', body: '{"actor":"nobody","action":"login"}' })).status).toBe(403);
    expect((await fetch(object, { method: 'DELETE' })).status).toBe(403);
    // A made-up signature is no better than none.
    const fake = 'AWS4-HMAC-SHA256 Credential=AKIAFAKE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
    expect((await fetch(object, { headers: { authorization: fake } })).status).toBe(403);
    const after: string[] = [];
    for await (const key of env.store.audit.walkKeys()) after.push(key);
    expect(after.filter((k) => k.startsWith('audit/2026/01/01/'))).toEqual([]);
    expect(after).toContain(auditKey);

    const open: string[] = [];
    async function walk(dir: string): Promise<void> {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if ((await stat(full)).mode & 0o077) open.push(path.relative(env.dir, full));
        if (entry.isDirectory()) await walk(full);
      }
    }
    await walk(env.dir);
    expect((await stat(env.dir)).mode & 0o077).toBe(0);
    expect(open).toEqual([]);
  });
});
