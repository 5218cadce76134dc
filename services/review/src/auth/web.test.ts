import { loadReviewConfig, isAddressOrCidr } from '@intake/config';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { fillTemplate, sameOrigin, securityHeaders, sessionCookie, trustedProxies } from './web.ts';

const request = (origin: string | undefined, host = 'review.example:8080', protocol = 'http') =>
  ({ headers: origin === undefined ? {} : { origin }, host, protocol }) as unknown as FastifyRequest;

describe('web security helpers', () => {
  it('fills templates without expanding $ patterns', () => {
    for (const value of ["$'", '$`', '$&', '$$', '$1']) {
      expect(fillTemplate('<a>{{next}}</a>{{other}}', { next: value, other: 'x' })).toBe(`<a>${value}</a>x`);
    }
    expect(fillTemplate('{{unknown}}', {})).toBe('{{unknown}}');
  });

  it('checks the Origin with its scheme, host and port', () => {
    expect(sameOrigin(request('http://review.example:8080'), false)).toBe(true);
    expect(sameOrigin(request('https://review.example:8080'), false)).toBe(false);
    expect(sameOrigin(request('http://review.example:8081'), false)).toBe(false);
    expect(sameOrigin(request('http://evil.example:8080'), false)).toBe(false);
    expect(sameOrigin(request('null'), false)).toBe(false);
    expect(sameOrigin(request(undefined), false)).toBe(true);
    // Secure cookies: the browser is on https, whatever the hop behind the load balancer says.
    expect(sameOrigin(request('https://review.example', 'review.example'), true)).toBe(true);
    expect(sameOrigin(request('http://review.example', 'review.example'), true)).toBe(false);
  });

  it('sends HSTS only with secure cookies, and clears the cookie with the attributes it was set with', () => {
    expect(securityHeaders({ REVIEW_COOKIE_SECURE: false })).not.toHaveProperty('strict-transport-security');
    expect(securityHeaders({ REVIEW_COOKIE_SECURE: true })['strict-transport-security']).toMatch(/^max-age=\d+/);
    const secure = sessionCookie({ REVIEW_COOKIE_SECURE: true, REVIEW_SESSION_TTL: 60 });
    expect(secure.name).toBe('__Host-intake_session');
    expect(secure.clear).toEqual({ httpOnly: true, sameSite: 'strict', secure: true, path: '/' });
  });

  it('trusts a hop count or listed proxies, never every X-Forwarded-For', () => {
    expect(trustedProxies(false)).toBe(false);
    const one = trustedProxies(1) as (address: string, hop: number) => boolean;
    expect([one('10.0.0.1', 0), one('10.0.0.2', 1)]).toEqual([true, false]);
    expect(trustedProxies(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    expect(loadReviewConfig({ REVIEW_TRUST_PROXY: '10.0.0.0/8, 192.0.2.7' }).REVIEW_TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
    ]);
    for (const bad of ['true', 'yes', '11', 'example.com', '10.0.0.0/40']) {
      expect(() => loadReviewConfig({ REVIEW_TRUST_PROXY: bad }), bad).toThrow(/REVIEW_TRUST_PROXY/);
    }
    expect(isAddressOrCidr('2001:db8::/32')).toBe(true);
    expect(isAddressOrCidr('2001:db8::/129')).toBe(false);
  });
});
