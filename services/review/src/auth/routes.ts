import type { FastifyInstance } from 'fastify';
import { isIP } from 'node:net';
import { z } from 'zod';
import { HttpError } from '../http.ts';
import type { ReviewContext } from '../context.ts';

/**
 * Sign-in lockouts, for a supervisor: which accounts and addresses are locked (or
 * counting), and clearing one, e.g. after calling the person who was locked out.
 */
export function registerLockoutRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  app.get('/api/lockouts', { config: { role: 'supervisor' } }, async (request) => {
    const accounts = [];
    for (const user of await ctx.accounts.list()) {
      const state = await ctx.loginLimit.account(user.username);
      if (state) accounts.push({ username: user.username, ...state });
    }
    const addresses = await ctx.loginLimit.addresses();
    await ctx.audit.record(request.clerk!.username, 'lockout.view', {
      ip: request.ip,
      detail: { accounts: accounts.length, addresses: addresses.length },
    });
    return { limits: ctx.loginLimit.limits, accounts, addresses };
  });

  app.post('/api/lockouts/clear', { config: { role: 'supervisor' } }, async (request) => {
    const body = z
      .object({
        username: z.string().trim().toLowerCase().min(1).max(64).optional(),
        address: z
          .string()
          .trim()
          .max(64)
          .refine((a) => isIP(a) !== 0, 'an IP address')
          .optional(),
      })
      .refine((b) => b.username !== undefined || b.address !== undefined, 'give a username or an address')
      .parse(request.body ?? {});
    const cleared = {
      ...(body.username !== undefined ? { username: await ctx.loginLimit.clearAccount(body.username) } : {}),
      ...(body.address !== undefined ? { address: await ctx.loginLimit.clearAddress(body.address) } : {}),
    };
    if (!Object.values(cleared).some(Boolean)) throw new HttpError(404, 'no lockout for that account or address');
    await ctx.audit.record(request.clerk!.username, 'lockout.clear', {
      ip: request.ip,
      detail: { username: body.username, address: body.address },
    });
    return { cleared };
  });
}
