import { existsSync } from 'node:fs';
import { JOBS } from '@intake/core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from './audit.ts';
import { Clerk, startTestEnv, type TestEnv } from './testing/fixtures.ts';

/** The queue dashboard (bull-board) at /admin/queues: admins only, read-only, audited, under the strict CSP. */
describe('admin queue dashboard', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env?.close());

  it('answers 401 without a session, 403 to a clerk and a supervisor, 200 to an admin — page, assets and API alike', async () => {
    const anonymous = await fetch(`${env.url}/admin/queues/api/queues`);
    expect(anonymous.status).toBe(401);
    const clerk = await Clerk.login(env.url, 'clerk1');
    const supervisor = await Clerk.login(env.url, 'super1');
    const admin = await Clerk.login(env.url, 'admin1');

    const page = await admin.send('GET', '/admin/queues', undefined, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.text).toContain('<base href="/admin/queues/"');
    const assets = [...page.text.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    // No inline script that would need the CSP relaxed: only the JSON config block (not executed) and files from this origin.
    const inline = [...page.text.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inline.every((attrs) => /type="application\/json"/.test(attrs))).toBe(true);

    for (const asset of [assets.find((a) => a.endsWith('.js'))!, assets.find((a) => a.endsWith('.css'))!]) {
      expect((await admin.get(`/admin/queues/${asset}`)).status, asset).toBe(200);
      expect((await clerk.get(`/admin/queues/${asset}`)).status, asset).toBe(403);
    }

    const api = await admin.get('/admin/queues/api/queues');
    expect(api.status).toBe(200);
    const names = (api.body.queues as { name: string; readOnlyMode: boolean }[]).map((q) => q.name).sort();
    expect(names).toEqual([...new Set(JOBS.map((j) => j.queue))].sort());
    expect((api.body.queues as { readOnlyMode: boolean }[]).every((q) => q.readOnlyMode)).toBe(true);

    for (const who of [clerk, supervisor]) {
      expect((await who.send('GET', '/admin/queues', undefined, { accept: 'text/html' })).status).toBe(403);
      expect((await who.get('/admin/queues/api/queues')).status).toBe(403);
    }
  });

  it('refuses changes to the queues (read-only), and records opening the dashboard in the audit log', async () => {
    const admin = await Clerk.login(env.url, 'admin1');
    const queue = JOBS[0]!.queue;
    // With the CSRF token the request reaches the dashboard, which refuses it: the queues are read-only.
    const retry = await admin.send('PUT', `/admin/queues/api/queues/${queue}/retry/failed`);
    expect(retry.status).toBeGreaterThanOrEqual(400);
    const withoutCsrf = await fetch(`${env.url}/admin/queues/api/queues/${queue}/pause`, {
      method: 'PUT',
      headers: { cookie: admin.cookie },
    });
    expect(withoutCsrf.status).toBe(403);

    expect((await admin.send('GET', `/admin/queues/queue/${queue}`, undefined, { accept: 'text/html' })).status).toBe(200);
    const events = await new AuditLog(env.store).search({ actor: 'admin1', action: 'queues.view' });
    expect(events.map((e) => e.detail)).toContainEqual({ page: '/queue/:queueName', queue });
  });

  it('renders in a real browser under the CSP with no violation (Chromium)', async () => {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath))
      throw new Error(`Chromium not found at ${executablePath}: run .ci/install-chromium.sh or set CHROMIUM_PATH`);
    const admin = await Clerk.login(env.url, 'admin1');
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext();
      const [name, value] = admin.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: env.url }]);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
      await page.goto(`${env.url}/admin/queues`);
      for (const queue of new Set(JOBS.map((j) => j.queue)))
        await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 30_000 });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
