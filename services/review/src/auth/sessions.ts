import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { Role } from './roles.ts';

export const Session = z.object({
  username: z.string(),
  role: Role,
  /** Synchronizer token: sent back in the X-CSRF-Token header of every mutating request. */
  csrf: z.string(),
  via: z.enum(['local', 'oidc']),
  createdAt: z.iso.datetime(),
});
export type Session = z.infer<typeof Session>;

/** Redis holds a hash of the session id, so a Redis dump holds no usable cookie. */
const key = (id: string) => `review:session:${createHash('sha256').update(id).digest('hex')}`;

export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Sessions in Redis: random 256-bit ids, sliding expiry. */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async create(user: { username: string; role: Role; via: Session['via'] }): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session: Session = { ...user, csrf: randomBytes(32).toString('base64url'), createdAt: new Date().toISOString() };
    await this.redis.set(key(id), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { id, session };
  }

  /** The session, renewing its expiry; undefined when unknown or expired. */
  async get(id: string | undefined): Promise<Session | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const text = await this.redis.getex(key(id), 'EX', this.ttlSeconds);
    if (!text) return undefined;
    const parsed = Session.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id && SESSION_ID.test(id)) await this.redis.del(key(id));
  }
}

export function csrfMatches(session: Session, header: unknown): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
