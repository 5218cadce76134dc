import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadReviewConfig } from '@intake/config';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAccountsCli } from './accounts.ts';
import { LocalAccounts } from './auth/users.ts';

describe('local accounts and the accounts CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'review-accounts-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a clerk with a scrypt hash in a 0600 file, authenticates, disables', async () => {
    const env = { INTAKE_DATA_DIR: dir, REVIEW_NEW_PASSWORD: 'a-long-enough-password' };
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await runAccountsCli(['add-user', 'jdoe', 'supervisor'], env)).toBe(0);
    const file = path.join(dir, 'users.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('a-long-enough-password');
    expect(text).toContain('"passwordHash": "scrypt$');
    const accounts = new LocalAccounts(file);
    expect((await accounts.authenticate('jdoe', 'a-long-enough-password'))?.role).toBe('supervisor');
    expect(await accounts.authenticate('jdoe', 'wrong-password-here')).toBeUndefined();
    expect(await runAccountsCli(['disable', 'jdoe'], env)).toBe(0);
    expect(await accounts.authenticate('jdoe', 'a-long-enough-password')).toBeUndefined();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await runAccountsCli(['add-user', 'Bad Name!'], env)).toBe(2);
    expect(await runAccountsCli(['add-user', 'kim', 'boss'], env)).toBe(2);
    log.mockRestore();
    error.mockRestore();
  }, 30_000);
});

describe('review config', () => {
  it('defaults for the embedded default and for production', () => {
    const dev = loadReviewConfig({ INTAKE_DATA_DIR: '/tmp/x' });
    expect(dev).toMatchObject({
      REVIEW_HOST: '127.0.0.1',
      REVIEW_PORT: 8080,
      REVIEW_USERS_FILE: '/tmp/x/users.json',
      REVIEW_BOOTSTRAP_ADMIN: true,
      REVIEW_COOKIE_SECURE: false,
    });
    const prod = loadReviewConfig({ NODE_ENV: 'production' });
    expect(prod).toMatchObject({ REVIEW_BOOTSTRAP_ADMIN: false, REVIEW_COOKIE_SECURE: true });
    expect(loadReviewConfig({ REVIEW_COOKIE_SECURE: 'false', NODE_ENV: 'production' }).REVIEW_COOKIE_SECURE).toBe(false);
  });

  it('reports every bad variable at once, and an incomplete OIDC setup', () => {
    expect(() => loadReviewConfig({ REVIEW_PORT: 'eighty', REVIEW_SESSION_TTL: '1' })).toThrow(
      /REVIEW_PORT[\s\S]*REVIEW_SESSION_TTL/,
    );
    expect(() => loadReviewConfig({ OIDC_ISSUER: 'https://id.example' })).toThrow(ConfigError);
  });
});
