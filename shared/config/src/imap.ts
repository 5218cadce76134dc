import { z } from 'zod';
import { envBool, envInt, envOptional, parseEnv } from './env.ts';

/**
 * The e-mail channel (services/imap-listener). The listener runs only when IMAP_HOST is
 * set; the other variables then describe the mailbox, what to do with a message once it
 * is taken, the limits on what is unpacked, and the optional acknowledgement by SMTP.
 */
export const ImapEnv = z
  .object({
    IMAP_HOST: envOptional(),
    IMAP_PORT: envInt(993, 1, 65535),
    /** Implicit TLS (993). When false, STARTTLS is used if the server offers it. */
    IMAP_SECURE: envBool(true),
    /** Verify the server's certificate. Turn off only for a test server you trust by other means. */
    IMAP_TLS_REJECT_UNAUTHORIZED: envBool(true),
    /** A PEM file with extra CA certificates to trust (a private CA or a test server's self-signed certificate). */
    IMAP_TLS_CA_FILE: envOptional(),
    IMAP_USER: envOptional(),
    IMAP_PASSWORD: envOptional(),
    /** OAuth2 access token: XOAUTH2, as Microsoft 365 and Gmail require. Takes precedence over the password. Expires: prefer one of the two below. */
    IMAP_ACCESS_TOKEN: envOptional(),
    /** A file holding the current access token, re-read at every connection (kept fresh by an agent or sidecar). */
    IMAP_ACCESS_TOKEN_FILE: envOptional(),
    /**
     * Fetch access tokens from this OAuth2 token endpoint (refreshed before they expire):
     * with IMAP_OAUTH_REFRESH_TOKEN the refresh_token grant (Gmail), else client_credentials
     * (Microsoft 365 app-only, scope https://outlook.office365.com/.default).
     */
    IMAP_OAUTH_TOKEN_URL: envOptional(),
    IMAP_OAUTH_CLIENT_ID: envOptional(),
    IMAP_OAUTH_CLIENT_SECRET: envOptional(),
    IMAP_OAUTH_REFRESH_TOKEN: envOptional(),
    IMAP_OAUTH_SCOPE: envOptional(),
    /**
     * Where a rotated refresh token is kept, encrypted (AES-256-GCM): the key, 32 bytes as
     * 64 hex or 44 base64 characters, given directly or (better) in a secret file. Unset:
     * a rotated refresh token lives in memory only and the configured one is used after a restart.
     */
    IMAP_OAUTH_TOKEN_KEY: envOptional(),
    IMAP_OAUTH_TOKEN_KEY_FILE: envOptional(),
    /** One listener per mailbox: the lease's lifetime in Redis, renewed every third of it; a listener that dies holds the mailbox this long at most. */
    IMAP_LOCK_TTL_MS: envInt(30_000, 500, 600_000),
    IMAP_MAILBOX: z.string().min(1).default('INBOX'),
    IMAP_PROCESSED_MAILBOX: z.string().min(1).default('Processed'),
    /** After a message is taken: move it to IMAP_PROCESSED_MAILBOX, or leave it and set a keyword. */
    IMAP_AFTER_PROCESS: z.enum(['move', 'flag']).default('move'),
    /** The keyword set in flag mode. */
    IMAP_PROCESSED_FLAG: z.string().regex(/^\$?[A-Za-z0-9_-]+$/).default('$IntakeTaken'),
    /** A full sweep of the mailbox every so often, in addition to IDLE (and instead of it where the server has none). */
    IMAP_POLL_MS: envInt(60_000, 200),
    /** Longest wait between reconnect attempts (the backoff doubles up to this). */
    IMAP_RECONNECT_MAX_MS: envInt(60_000, 100),
    /** A whole message larger than this is recorded and moved without being unpacked (the original is kept). */
    IMAP_MAX_MESSAGE_BYTES: envInt(150 * 1024 * 1024, 1024),

    /** One attachment (or unpacked file) larger than this is quarantined at intake, the original kept. */
    INTAKE_MAX_ATTACHMENT_BYTES: envInt(50 * 1024 * 1024, 1024),
    /** Inline images smaller than this (bytes) or narrower than INLINE_IMAGE_MIN_PX are logos or pixels, not pages. */
    INTAKE_INLINE_IMAGE_MIN_BYTES: envInt(20 * 1024, 0),
    INTAKE_INLINE_IMAGE_MIN_PX: envInt(400, 0),

    ZIP_MAX_ENTRIES: envInt(200, 1),
    ZIP_MAX_ENTRY_BYTES: envInt(50 * 1024 * 1024, 1024),
    ZIP_MAX_TOTAL_BYTES: envInt(200 * 1024 * 1024, 1024),
    ZIP_MAX_DEPTH: envInt(2, 0, 5),

    ACK_ENABLED: envBool(false),
    SMTP_HOST: envOptional(),
    SMTP_PORT: envInt(587, 1, 65535),
    SMTP_SECURE: envBool(false),
    SMTP_TLS_REJECT_UNAUTHORIZED: envBool(true),
    SMTP_USER: envOptional(),
    SMTP_PASSWORD: envOptional(),
    SMTP_FROM: envOptional(),
  })
  .superRefine((env, ctx) => {
    if (env.IMAP_HOST) {
      if (!env.IMAP_USER) ctx.addIssue({ code: 'custom', path: ['IMAP_USER'], message: 'required when IMAP_HOST is set' });
      if (!env.IMAP_PASSWORD && !env.IMAP_ACCESS_TOKEN && !env.IMAP_ACCESS_TOKEN_FILE && !env.IMAP_OAUTH_TOKEN_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['IMAP_PASSWORD'],
          message: 'one of IMAP_PASSWORD, IMAP_ACCESS_TOKEN, IMAP_ACCESS_TOKEN_FILE or IMAP_OAUTH_TOKEN_URL is required when IMAP_HOST is set',
        });
      }
      if (env.IMAP_OAUTH_TOKEN_URL && !env.IMAP_OAUTH_CLIENT_ID) {
        ctx.addIssue({ code: 'custom', path: ['IMAP_OAUTH_CLIENT_ID'], message: 'required with IMAP_OAUTH_TOKEN_URL' });
      }
      if (env.IMAP_AFTER_PROCESS === 'move' && env.IMAP_PROCESSED_MAILBOX === env.IMAP_MAILBOX) {
        ctx.addIssue({ code: 'custom', path: ['IMAP_PROCESSED_MAILBOX'], message: 'must differ from IMAP_MAILBOX in move mode' });
      }
    }
    if (env.ACK_ENABLED) {
      if (!env.SMTP_HOST) ctx.addIssue({ code: 'custom', path: ['SMTP_HOST'], message: 'required when ACK_ENABLED is on' });
      if (!env.SMTP_FROM) ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'required when ACK_ENABLED is on' });
    }
  });
export type ImapConfig = z.infer<typeof ImapEnv>;

export function loadImapConfig(env: NodeJS.ProcessEnv = process.env): ImapConfig {
  return parseEnv(ImapEnv, env);
}

/** The listener is enabled only when a mail server is configured. */
export function imapEnabled(config: ImapConfig): config is ImapConfig & { IMAP_HOST: string; IMAP_USER: string } {
  return config.IMAP_HOST !== undefined;
}
