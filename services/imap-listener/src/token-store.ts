import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bucketOf, getJsonObject, putJsonObject } from '@intake/arrivals';
import type { ReviewStore } from '@intake/storage';
import { z } from 'zod';

/**
 * A rotated OAuth2 refresh token, kept encrypted at rest (AES-256-GCM, a fresh 96-bit IV
 * per write, the account id as additional data so a record cannot be moved to another
 * account) in the review store's bucket under `email/oauth/{account}.json`, so that a
 * restart — or the listener that takes over the mailbox's lease — uses the newest token.
 * The key comes from IMAP_OAUTH_TOKEN_KEY_FILE (a secret file) or IMAP_OAUTH_TOKEN_KEY.
 */
export interface RefreshTokenStore {
  load(): Promise<string | undefined>;
  save(token: string): Promise<void>;
}

const Sealed = z.object({ v: z.literal(1), iv: z.string(), tag: z.string(), data: z.string(), at: z.iso.datetime() });

export class TokenKeyError extends Error {
  override readonly name = 'TokenKeyError';
}

/** The 32-byte key from its text (64 hex or base64), or undefined when neither setting is given. */
export function tokenKey(config: { IMAP_OAUTH_TOKEN_KEY?: string; IMAP_OAUTH_TOKEN_KEY_FILE?: string }): Buffer | undefined {
  const text = config.IMAP_OAUTH_TOKEN_KEY_FILE ? readFileSync(config.IMAP_OAUTH_TOKEN_KEY_FILE, 'utf8').trim() : config.IMAP_OAUTH_TOKEN_KEY?.trim();
  if (!text) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new TokenKeyError('IMAP_OAUTH_TOKEN_KEY(_FILE) must hold 32 bytes (64 hex or 44 base64 characters)');
  return key;
}

export function seal(key: Buffer, account: string, token: string): z.infer<typeof Sealed> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`imap-refresh-token\u0000${account}`));
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64'), at: new Date().toISOString() };
}

export function unseal(key: Buffer, account: string, sealed: z.infer<typeof Sealed>): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(`imap-refresh-token\u0000${account}`));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}

export const tokenRecordKey = (account: string) => `email/oauth/${account}.json`;

/** The store for one account (a hash naming host, port and user). A record that does not decrypt (another key) is ignored. */
export function s3RefreshTokenStore(store: ReviewStore, account: string, key: Buffer): RefreshTokenStore {
  const ref = bucketOf(store);
  return {
    async load() {
      const sealed = await getJsonObject(ref, tokenRecordKey(account), Sealed);
      if (!sealed) return undefined;
      try {
        return unseal(key, account, sealed);
      } catch {
        return undefined; // written with another key (rotated) or tampered with: fall back to the configured token
      }
    },
    async save(token) {
      await putJsonObject(ref, tokenRecordKey(account), seal(key, account, token));
    },
  };
}
