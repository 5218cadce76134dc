import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oauthTokenSource } from './oauth.ts';
import { seal, tokenKey, unseal, type RefreshTokenStore } from './token-store.ts';

describe('rotated refresh token, encrypted at rest', () => {
  const key = randomBytes(32);

  it('seals with AES-256-GCM: the token is not in the record, another account or key cannot open it', () => {
    const sealed = seal(key, 'acct1', 'refresh-SECRET-1');
    expect(JSON.stringify(sealed)).not.toContain('SECRET');
    expect(unseal(key, 'acct1', sealed)).toBe('refresh-SECRET-1');
    expect(() => unseal(key, 'acct2', sealed)).toThrow();
    expect(() => unseal(randomBytes(32), 'acct1', sealed)).toThrow();
    expect(seal(key, 'acct1', 'refresh-SECRET-1').iv).not.toBe(sealed.iv);
  });

  it('takes the key from a secret file or the setting, 32 bytes as hex or base64', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-key-'));
    try {
      await writeFile(path.join(dir, 'key'), `${key.toString('hex')}\n`);
      expect(tokenKey({ IMAP_OAUTH_TOKEN_KEY_FILE: path.join(dir, 'key') })?.equals(key)).toBe(true);
      expect(tokenKey({ IMAP_OAUTH_TOKEN_KEY: key.toString('base64') })?.equals(key)).toBe(true);
      expect(tokenKey({})).toBeUndefined();
      expect(() => tokenKey({ IMAP_OAUTH_TOKEN_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a rotated token is saved, and after a restart the saved one is used instead of the configured one', async () => {
    let saved: ReturnType<typeof seal> | undefined;
    const persist: RefreshTokenStore = {
      load: async () => (saved ? unseal(key, 'a', saved) : undefined),
      save: async (token) => {
        saved = seal(key, 'a', token);
      },
    };
    const sent: string[] = [];
    let n = 0;
    const fetchImpl = (async (_url: string, init: { body: URLSearchParams }) => {
      sent.push(init.body.get('refresh_token') ?? '');
      n++;
      return new Response(JSON.stringify({ access_token: `at${n}`, expires_in: 0, refresh_token: `rt${n}` }), { status: 200 });
    }) as unknown as typeof fetch;
    const options = { tokenUrl: 'https://login.example.test/token', clientId: 'c', refreshToken: 'configured', persist };
    const first = oauthTokenSource(options, fetchImpl);
    expect(await first()).toBe('at1');
    expect(await first()).toBe('at2');
    const restarted = oauthTokenSource(options, fetchImpl);
    expect(await restarted()).toBe('at3');
    expect(sent).toEqual(['configured', 'rt1', 'rt2']);
    expect(unseal(key, 'a', saved!)).toBe('rt3');
  });
});
