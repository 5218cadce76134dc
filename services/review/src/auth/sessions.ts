import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { sha256, type KeySpace } from './keys.ts';
import { Role } from './roles.ts';

export const Session = z.object({
  username: z.string(),
  role: Role,
  /** Synchronizer token: sent back in the X-CSRF-Token header of every mutating request. */
  csrf: z.string(),
  via: z.enum(['local', 'oidc']),
  createdAt: z.iso.datetime(),
  /** The deployment (INTAKE_QUEUE_PREFIX) that issued it; any other refuses it. */
  deployment: z.string(),
  /** Local accounts: a fingerprint of the password hash at sign-in; a changed password ends the session. */
  credential: z.string().optional(),
  /** A local sign-in allowed only by REVIEW_LOCAL_LOGIN_BREAK_GLASS while OIDC is configured. */
  breakGlass: z.boolean().optional(),
});
export type Session = z.infer<typeof Session>;

export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A fingerprint of a stored password hash (not the hash itself): changes whenever the password does. */
export const credentialOf = (passwordHash: string) => sha256(`credential\n${passwordHash}`).slice(0, 32);

export interface SessionTimes {
  /** Ends after this long without a request the person made. */
  idleSeconds: number;
  /** Ends this long after sign-in, however busy. */
  maxSeconds: number;
}

/**
 * Sessions in Redis under the deployment's prefix: random 256-bit ids (Redis holds only
 * their hash, so a dump holds no usable cookie). The key's expiry is the idle timeout,
 * pushed forward only by requests the person made (`touch`), never past the absolute
 * lifetime; background requests (lease renewal) read without renewing.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    readonly times: SessionTimes,
  ) {}

  private key(id: string) {
    return this.keys.key('session', sha256(id));
  }

  private userIndex(username: string) {
    return this.keys.key('user-sessions', sha256(username));
  }

  private expiryMs(session: Session, now = Date.now()): number {
    const left = Date.parse(session.createdAt) + this.times.maxSeconds * 1000 - now;
    return Math.min(this.times.idleSeconds * 1000, left);
  }

  async create(user: {
    username: string;
    role: Role;
    via: Session['via'];
    credential?: string;
    breakGlass?: boolean;
  }): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session: Session = {
      ...user,
      csrf: randomBytes(32).toString('base64url'),
      createdAt: new Date().toISOString(),
      deployment: this.keys.prefix,
    };
    const index = this.userIndex(user.username);
    await this.redis
      .multi()
      .set(this.key(id), JSON.stringify(session), 'PX', this.expiryMs(session))
      .sadd(index, this.key(id))
      .expire(index, this.times.maxSeconds)
      .exec();
    return { id, session };
  }

  /**
   * The session; undefined when unknown, idle too long, past its lifetime or issued by
   * another deployment. `touch` (a request the person made) restarts the idle clock.
   */
  async get(id: string | undefined, options: { touch: boolean }): Promise<Session | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const text = await this.redis.get(this.key(id));
    if (!text) return undefined;
    let parsed: ReturnType<typeof Session.safeParse>;
    try {
      parsed = Session.safeParse(JSON.parse(text));
    } catch {
      return undefined;
    }
    if (!parsed.success || parsed.data.deployment !== this.keys.prefix) return undefined;
    const session = parsed.data;
    const expiry = this.expiryMs(session);
    if (expiry <= 0) {
      await this.destroy(id, session.username);
      return undefined;
    }
    if (options.touch) await this.redis.pexpire(this.key(id), expiry);
    return session;
  }

  async destroy(id: string | undefined, username?: string): Promise<void> {
    if (!id || !SESSION_ID.test(id)) return;
    await this.redis.del(this.key(id));
    if (username) await this.redis.srem(this.userIndex(username), this.key(id));
  }

  /** End every session of a user (password changed, account disabled); returns how many were live. */
  async endAll(username: string): Promise<number> {
    const index = this.userIndex(username);
    const keys = await this.redis.smembers(index);
    const ended = keys.length ? await this.redis.del(...keys) : 0;
    await this.redis.del(index);
    return ended;
  }
}

export function csrfMatches(session: Session, header: unknown): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
