import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Failed-login limit per IP and user name, in Redis so it holds across processes.
 * Keys hold a hash of the pair, not the name typed.
 */
export class LoginRateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  private key(ip: string, username: string): string {
    return `review:login-fail:${createHash('sha256').update(`${ip}\n${username.toLowerCase()}`).digest('hex')}`;
  }

  private ipKey(ip: string): string {
    return `review:login-fail-ip:${createHash('sha256').update(ip).digest('hex')}`;
  }

  /** Seconds until another attempt is allowed; 0 when allowed now. */
  async blockedFor(ip: string, username: string): Promise<number> {
    // Per IP + name stops guessing one password; a wider cap per IP stops trying many names.
    for (const [k, max] of [
      [this.key(ip, username), this.maxFailures],
      [this.ipKey(ip), this.maxFailures * 10],
    ] as const) {
      const count = Number((await this.redis.get(k)) ?? 0);
      if (count >= max) return Math.max(1, await this.redis.ttl(k));
    }
    return 0;
  }

  async recordFailure(ip: string, username: string): Promise<void> {
    for (const k of [this.key(ip, username), this.ipKey(ip)]) {
      const count = await this.redis.incr(k);
      if (count === 1) await this.redis.expire(k, this.windowSeconds);
    }
  }

  async reset(ip: string, username: string): Promise<void> {
    await this.redis.del(this.key(ip, username));
  }
}
