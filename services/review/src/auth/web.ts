import type { ReviewConfig } from '@intake/config';
import type { FastifyRequest } from 'fastify';

/** Headers on every answer. HSTS only when cookies are secure (the site is served over https). */
export function securityHeaders(config: Pick<ReviewConfig, 'REVIEW_COOKIE_SECURE'>): Record<string, string> {
  return {
    'content-security-policy':
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // same-origin, not no-referrer: with no-referrer Chrome sends "Origin: null" on form posts, defeating the origin check.
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    ...(config.REVIEW_COOKIE_SECURE ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * Fill `{{name}}` placeholders with already-escaped values. A replacer function, so `$&`,
 * `$'` and friends in a value (a `next=` path) are inserted as typed, never expanded.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? values[name]! : whole));
}

/**
 * A browser POST from this site: the Origin's scheme, host and port must be this
 * server's (https when cookies are secure). No Origin: a non-browser client.
 */
export function sameOrigin(request: FastifyRequest, secure: boolean): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const scheme = secure ? 'https' : request.protocol;
    return new URL(origin).origin === new URL(`${scheme}://${request.host}`).origin;
  } catch {
    return false;
  }
}

/** The session cookie's name and attributes; clearing must repeat them or a browser keeps a `__Host-` cookie. */
export function sessionCookie(config: Pick<ReviewConfig, 'REVIEW_COOKIE_SECURE' | 'REVIEW_SESSION_TTL'>) {
  const attributes = {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: config.REVIEW_COOKIE_SECURE,
    path: '/',
  };
  return {
    name: config.REVIEW_COOKIE_SECURE ? '__Host-intake_session' : 'intake_session',
    set: { ...attributes, maxAge: config.REVIEW_SESSION_TTL },
    clear: attributes,
  };
}

/**
 * Fastify's trustProxy from REVIEW_TRUST_PROXY: off, the nearest `hops` proxies (the
 * client is the address the outermost trusted proxy saw), or the proxies' addresses/CIDRs.
 */
export function trustedProxies(
  setting: false | number | string[],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false || setting === 0) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}
