import { readFile } from 'node:fs/promises';
import type { ImapConfig } from '@intake/config';
import { z } from 'zod';
import type { RefreshTokenStore } from './token-store.ts';

/**
 * Where the IMAP credential comes from at each connection. Access tokens expire (about an
 * hour at Microsoft 365 and Google), so a token is fetched or re-read for every new
 * session rather than fixed at start.
 */
export type ImapCredential = { user: string; pass: string } | { user: string; accessToken: string };
export type CredentialSource = () => Promise<ImapCredential>;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().optional(),
  token_type: z.string().optional(),
  /** Some providers rotate refresh tokens: the new one is used from then on, and persisted encrypted when a store is given. */
  refresh_token: z.string().optional(),
});

export class OAuthTokenError extends Error {
  override readonly name = 'OAuthTokenError';
}

/** An OAuth2 token endpoint client: refresh_token grant when a refresh token is configured, else client_credentials. Caches until a minute before expiry. */
export function oauthTokenSource(
  options: { tokenUrl: string; clientId: string; clientSecret?: string; refreshToken?: string; scope?: string; persist?: RefreshTokenStore },
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  let refreshToken = options.refreshToken;
  let loaded = !options.persist || !options.refreshToken;
  return async () => {
    if (cached && now() < cached.until) return cached.token;
    if (!loaded) {
      // A token rotated before a restart (or by the listener that held the mailbox before) replaces the configured one.
      refreshToken = (await options.persist!.load()) ?? refreshToken;
      loaded = true;
    }
    const body = new URLSearchParams({ client_id: options.clientId });
    if (options.clientSecret) body.set('client_secret', options.clientSecret);
    if (options.scope) body.set('scope', options.scope);
    if (refreshToken) {
      body.set('grant_type', 'refresh_token');
      body.set('refresh_token', refreshToken);
    } else {
      body.set('grant_type', 'client_credentials');
    }
    const response = await fetchImpl(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    // The body can echo secrets back: report the status only.
    if (!response.ok) throw new OAuthTokenError(`the OAuth2 token endpoint answered HTTP ${response.status}`);
    const parsed = TokenResponse.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new OAuthTokenError('the OAuth2 token endpoint returned no access_token');
    const json = parsed.data;
    if (refreshToken && json.refresh_token && json.refresh_token !== refreshToken) {
      refreshToken = json.refresh_token;
      await options.persist?.save(refreshToken);
    }
    const lifetime = (json.expires_in ?? 3600) * 1000;
    cached = { token: json.access_token, until: now() + Math.max(0, lifetime - 60_000) };
    return cached.token;
  };
}

export function credentialSource(config: ImapConfig & { IMAP_USER: string }, fetchImpl: typeof fetch = fetch, persist?: RefreshTokenStore): CredentialSource {
  const user = config.IMAP_USER;
  if (config.IMAP_OAUTH_TOKEN_URL) {
    const token = oauthTokenSource(
      {
        tokenUrl: config.IMAP_OAUTH_TOKEN_URL,
        clientId: config.IMAP_OAUTH_CLIENT_ID ?? '',
        clientSecret: config.IMAP_OAUTH_CLIENT_SECRET,
        refreshToken: config.IMAP_OAUTH_REFRESH_TOKEN,
        scope: config.IMAP_OAUTH_SCOPE,
        persist,
      },
      fetchImpl,
    );
    return async () => ({ user, accessToken: await token() });
  }
  if (config.IMAP_ACCESS_TOKEN_FILE) {
    const file = config.IMAP_ACCESS_TOKEN_FILE;
    return async () => {
      const accessToken = (await readFile(file, 'utf8')).trim();
      if (!accessToken) throw new OAuthTokenError('IMAP_ACCESS_TOKEN_FILE is empty');
      return { user, accessToken };
    };
  }
  if (config.IMAP_ACCESS_TOKEN) {
    const accessToken = config.IMAP_ACCESS_TOKEN;
    return async () => ({ user, accessToken });
  }
  const pass = config.IMAP_PASSWORD ?? '';
  return async () => ({ user, pass });
}
