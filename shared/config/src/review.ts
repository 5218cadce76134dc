import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { CoreEnv, type CoreConfig } from './core-config.ts';
import { ConfigError, envBool, envInt, envOptional, parseEnv } from './env.ts';

/** `a.b.c.d`, `a.b.c.d/n` (n ≤ 32), an IPv6 address or `x::/n` (n ≤ 128). */
export function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The review service (clerk UI + API). Local accounts are the embedded default;
 * OpenID Connect takes over when OIDC_ISSUER is set.
 */
export const ReviewEnv = z.object({
  REVIEW_HOST: z.string().default('127.0.0.1'),
  /** 0 picks a free port. */
  REVIEW_PORT: envInt(8080, 0, 65535),
  /** Local accounts (JSON, scrypt hashes). Default: <INTAKE_DATA_DIR>/users.json. */
  REVIEW_USERS_FILE: envOptional(),
  /** Create a local admin with a random password on first start, printed once to stdout. Default: on unless production. */
  REVIEW_BOOTSTRAP_ADMIN: z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).optional(),
  /** Secure cookies. Default: on in production, off for http on localhost. */
  REVIEW_COOKIE_SECURE: z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).optional(),
  /** Absolute session lifetime in seconds: a session ends this long after sign-in, however busy. */
  REVIEW_SESSION_TTL: envInt(8 * 3600, 60, 7 * 24 * 3600),
  /** Idle logoff in seconds: a session ends after this long without a request the clerk made (background lease renewals do not count). */
  REVIEW_SESSION_IDLE_S: envInt(900, 2, 24 * 3600),
  /** How long a clerk's claim on a record lasts without renewal (ms). */
  REVIEW_LEASE_TTL_MS: envInt(120_000, 5_000, 3_600_000),
  /** Sign-in attempts per account (from any address) within the window before 429; counted before the password is checked. */
  REVIEW_LOGIN_MAX_FAILURES: envInt(5, 1, 1000),
  REVIEW_LOGIN_WINDOW_S: envInt(900, 1, 86_400),
  /** Failed sign-in attempts per client address (any account names) within the window before 429. */
  REVIEW_LOGIN_MAX_PER_ADDRESS: envInt(50, 1, 100_000),
  /**
   * Which X-Forwarded-For entries to believe: unset/`false`/`0` none; a hop count (`1` = one
   * load balancer in front); or the proxies' addresses / CIDRs (`10.0.0.0/8,192.0.2.7`).
   * `true` (believe any header) is refused.
   */
  REVIEW_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): false | number | string[] => {
      const text = (v ?? '').trim().toLowerCase();
      if (text === '' || text === 'false' || text === 'no' || text === '0') return false;
      if (/^\d+$/.test(text)) {
        const hops = Number(text);
        if (hops > 10) ctx.addIssue({ code: 'custom', message: 'at most 10 proxy hops' });
        return hops;
      }
      if (text === 'true' || text === 'yes') {
        ctx.addIssue({
          code: 'custom',
          message:
            "give the number of proxy hops (e.g. 1) or the proxies' addresses/CIDRs; believing every X-Forwarded-For is not allowed",
        });
        return false;
      }
      const entries = text
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      for (const entry of entries) {
        if (!isAddressOrCidr(entry)) ctx.addIssue({ code: 'custom', message: 'not an IP address or CIDR (a.b.c.d/n, x::/n)' });
      }
      return entries;
    }),
  /** With OIDC configured, still allow local password sign-in (break-glass; every such sign-in is audited as such). */
  REVIEW_LOCAL_LOGIN_BREAK_GLASS: envBool(false),
  /** Audit events written straight away per minute for requests without a session (failed/blocked sign-ins); the rest are summed into one event per minute. */
  REVIEW_ANON_AUDIT_PER_MIN: envInt(60, 1, 100_000),
  /** The department's turnaround target: hours from arrival to a finished review (the queue shows each document's age against it). */
  REVIEW_TURNAROUND_HOURS: envInt(48, 1, 24 * 90),

  /** Member roster as CSV: member_id,first_name,last_name,birth_date,mrn,email,phone. */
  MEMBER_ROSTER_CSV: envOptional(),
  /** Member lookup service: POST {query} → {members}. Used instead of the CSV when set. */
  MEMBER_LOOKUP_URL: envOptional(),
  /** Identifier system for member ids in exports. */
  MEMBER_ID_SYSTEM: z.string().default('urn:intake:member-id'),
  /** Without a roster (no MEMBER_ROSTER_CSV / MEMBER_LOOKUP_URL), the form a member id must have (a regular expression, whole id, case-insensitive). */
  MEMBER_ID_PATTERN: z
    .string()
    .default('^[A-Z0-9][A-Z0-9-]{3,19}$')
    .refine((v) => {
      try {
        new RegExp(v);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),

  OIDC_ISSUER: envOptional(),
  OIDC_CLIENT_ID: envOptional(),
  OIDC_CLIENT_SECRET: envOptional(),
  OIDC_REDIRECT_URL: envOptional(),
  /** Claim holding the user's roles (clerk / supervisor / admin). */
  OIDC_ROLES_CLAIM: z.string().default('roles'),
  OIDC_SCOPE: z.string().default('openid profile email'),
});
export type ReviewEnv = z.infer<typeof ReviewEnv>;

export type ReviewConfig = CoreConfig &
  Omit<ReviewEnv, 'REVIEW_BOOTSTRAP_ADMIN' | 'REVIEW_COOKIE_SECURE' | 'REVIEW_USERS_FILE'> & {
    REVIEW_USERS_FILE: string;
    REVIEW_BOOTSTRAP_ADMIN: boolean;
    REVIEW_COOKIE_SECURE: boolean;
  };

const truthy = (v: string | undefined, fallback: boolean) =>
  v === undefined || v === '' ? fallback : v === 'true' || v === '1' || v === 'yes';

export function loadReviewConfig(env: NodeJS.ProcessEnv = process.env): ReviewConfig {
  const core = parseEnv(CoreEnv, env);
  const review = parseEnv(ReviewEnv, env);
  const production = core.NODE_ENV === 'production';
  if (review.OIDC_ISSUER && (!review.OIDC_CLIENT_ID || !review.OIDC_REDIRECT_URL)) {
    throw new ConfigError('invalid configuration:\n  OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_REDIRECT_URL are required');
  }
  return {
    ...core,
    ...review,
    REVIEW_USERS_FILE: review.REVIEW_USERS_FILE ?? path.resolve(core.INTAKE_DATA_DIR, 'users.json'),
    REVIEW_BOOTSTRAP_ADMIN: truthy(review.REVIEW_BOOTSTRAP_ADMIN, !production),
    REVIEW_COOKIE_SECURE: truthy(review.REVIEW_COOKIE_SECURE, production),
  };
}
