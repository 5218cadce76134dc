import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadImapConfig } from '@intake/config';
import { describe, expect, it } from 'vitest';
import { credentialSource, oauthTokenSource } from './oauth.ts';

function fakeFetch(responses: { status: number; body: unknown }[]) {
  const calls: URLSearchParams[] = [];
  const impl = (async (_url: string | URL | Request, init?: RequestInit) => {
    calls.push(new URLSearchParams(String(init?.body)));
    const next = responses.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { impl, calls };
}

describe('OAuth2 access tokens for XOAUTH2', () => {
  it('uses the refresh_token grant, caches until a minute before expiry, and follows a rotated refresh token', async () => {
    let t = 0;
    const f = fakeFetch([
      { status: 200, body: { access_token: 'at-1', expires_in: 3600, refresh_token: 'rt-2' } },
      { status: 200, body: { access_token: 'at-2', expires_in: 3600 } },
    ]);
    const token = oauthTokenSource({ tokenUrl: 'https://login.example.test/token', clientId: 'cid', clientSecret: 's', refreshToken: 'rt-1' }, f.impl, () => t);
    expect(await token()).toBe('at-1');
    t = 3_000_000;
    expect(await token()).toBe('at-1');
    expect(f.calls).toHaveLength(1);
    t = 3_541_000;
    expect(await token()).toBe('at-2');
    expect(f.calls.map((c) => [c.get('grant_type'), c.get('refresh_token')])).toEqual([
      ['refresh_token', 'rt-1'],
      ['refresh_token', 'rt-2'],
    ]);
  });

  it('uses client_credentials without a refresh token (Microsoft 365 app-only)', async () => {
    const f = fakeFetch([{ status: 200, body: { access_token: 'app-token', expires_in: 3599 } }]);
    const token = oauthTokenSource({ tokenUrl: 'https://login.example.test/token', clientId: 'cid', clientSecret: 's', scope: 'https://outlook.office365.com/.default' }, f.impl);
    expect(await token()).toBe('app-token');
    expect(Object.fromEntries(f.calls[0]!)).toMatchObject({ grant_type: 'client_credentials', client_id: 'cid', scope: 'https://outlook.office365.com/.default' });
  });

  it('reports a refused request by status only, never echoing the body', async () => {
    const f = fakeFetch([{ status: 400, body: { error: 'invalid_grant', error_description: 'refresh token rt-secret expired' } }]);
    const token = oauthTokenSource({ tokenUrl: 'https://login.example.test/token', clientId: 'cid', refreshToken: 'rt-secret' }, f.impl);
    await expect(token()).rejects.toThrow(/^the OAuth2 token endpoint answered HTTP 400$/);
  });

  it('picks the credential the configuration names, re-reading a token file at each connection', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'imap-token-'));
    try {
      const file = path.join(dir, 'token');
      await writeFile(file, 'first\n');
      const base = { IMAP_HOST: 'imap.example.test', IMAP_USER: 'records@plan.example.test' };
      const fromFile = credentialSource(loadImapConfig({ ...base, IMAP_ACCESS_TOKEN_FILE: file }) as never);
      expect(await fromFile()).toEqual({ user: 'records@plan.example.test', accessToken: 'first' });
      await writeFile(file, 'second');
      expect(await fromFile()).toEqual({ user: 'records@plan.example.test', accessToken: 'second' });
      expect(await credentialSource(loadImapConfig({ ...base, IMAP_PASSWORD: 'pw' }) as never)()).toEqual({ user: 'records@plan.example.test', pass: 'pw' });
      expect(() => loadImapConfig({ ...base, IMAP_OAUTH_TOKEN_URL: 'https://login.example.test/token' })).toThrow(/IMAP_OAUTH_CLIENT_ID/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
