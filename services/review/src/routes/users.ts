import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Role } from '../auth/roles.ts';
import { UserName } from '../auth/users.ts';
import type { ReviewContext } from '../context.ts';
import { HttpError } from '../http.ts';
import { ip, who } from './shared.ts';

/** Local accounts (admin). */
export function registerUserRoutes(app: FastifyInstance, ctx: ReviewContext): void {
  app.get('/api/users', { config: { role: 'admin' } }, async () => ({
    users: (await ctx.accounts.list()).map((u) => ({
      username: u.username,
      role: u.role,
      disabled: u.disabled,
      createdAt: u.createdAt,
    })),
  }));

  app.post('/api/users', { config: { role: 'admin' } }, async (request) => {
    const body = z.object({ username: UserName, role: Role, password: z.string().min(12).max(1024) }).parse(request.body);
    await ctx.accounts.upsert(body.username, body.role, body.password);
    // A replaced password ends every session of that account.
    const ended = await ctx.sessions.endAll(body.username);
    await ctx.audit.record(who(request), 'user.add', {
      ip: ip(request),
      detail: { username: body.username, role: body.role, sessionsEnded: ended },
    });
    return { username: body.username, role: body.role };
  });

  app.post('/api/users/:username/disable', { config: { role: 'admin' } }, async (request) => {
    const { username } = z.object({ username: UserName }).parse(request.params);
    if (!(await ctx.accounts.setDisabled(username, true))) throw new HttpError(404, 'no such user');
    const ended = await ctx.sessions.endAll(username);
    await ctx.audit.record(who(request), 'user.disable', { ip: ip(request), detail: { username, sessionsEnded: ended } });
    return { username, disabled: true };
  });
}
