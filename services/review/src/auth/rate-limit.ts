import type { Redis } from 'ioredis';
import { sha256, type KeySpace } from './keys.ts';

/**
 * Check and count in one step, before any password is verified: refuse when the account
 * or the address is at its limit, otherwise count the attempt against both. Parallel
 * guesses therefore cannot all pass the check before the first one is counted.
 * KEYS: account, address. ARGV: account max, address max, window s, address text.
 * Returns {0,0} (go ahead) or {1|2, seconds left} (1 account, 2 address locked).
 */
const BEGIN = `
local a = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local b = tonumber(redis.call('HGET', KEYS[2], 'n') or '0')
if a >= tonumber(ARGV[1]) then return {1, redis.call('TTL', KEYS[1])} end
if b >= tonumber(ARGV[2]) then return {2, redis.call('TTL', KEYS[2])} end
if redis.call('HINCRBY', KEYS[1], 'n', 1) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
if redis.call('HINCRBY', KEYS[2], 'n', 1) == 1 then
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('HSET', KEYS[2], 'a', ARGV[4])
end
return {0, 0}`;

/** A right password: the account starts afresh and the address gets its attempt back. */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('HINCRBY', KEYS[2], 'n', -1)) <= 0 then redis.call('DEL', KEYS[2]) end
return 1`;

export type LoginGate = { ok: true } | { ok: false; scope: 'account' | 'address'; retryAfter: number };

export interface Lockout {
  attempts: number;
  locked: boolean;
  /** Seconds until the counter expires. */
  retryAfter: number;
}

/**
 * Sign-in attempts per account (any address) and per client address (any name), in
 * Redis under the deployment's prefix so the limit holds across processes and no other
 * deployment's attempts count here. Account keys hold a hash of the name typed (a person
 * may type their password into the name field); address keys hold the address so a
 * supervisor can see which one is locked.
 */
export class LoginRateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    readonly limits: { perAccount: number; perAddress: number; windowSeconds: number },
  ) {}

  private accountKey(username: string): string {
    return this.keys.key('login-account', sha256(username.trim().toLowerCase()));
  }

  private addressKey(address: string): string {
    return this.keys.key('login-address', sha256(address));
  }

  /** Counts this attempt, or refuses it without counting. Call before verifying the password. */
  async begin(address: string, username: string): Promise<LoginGate> {
    const { perAccount, perAddress, windowSeconds } = this.limits;
    const [scope, ttl] = (await this.redis.eval(
      BEGIN,
      2,
      this.accountKey(username),
      this.addressKey(address),
      String(perAccount),
      String(perAddress),
      String(windowSeconds),
      address,
    )) as [number, number];
    if (scope === 0) return { ok: true };
    return { ok: false, scope: scope === 1 ? 'account' : 'address', retryAfter: Math.max(1, ttl) };
  }

  async succeeded(address: string, username: string): Promise<void> {
    await this.redis.eval(SUCCEEDED, 2, this.accountKey(username), this.addressKey(address));
  }

  private async read(key: string, max: number): Promise<Lockout | undefined> {
    const [n, ttl] = await Promise.all([this.redis.hget(key, 'n'), this.redis.ttl(key)]);
    const attempts = Number(n ?? 0);
    if (attempts <= 0) return undefined;
    return { attempts, locked: attempts >= max, retryAfter: Math.max(0, ttl) };
  }

  async account(username: string): Promise<Lockout | undefined> {
    return this.read(this.accountKey(username), this.limits.perAccount);
  }

  /** Every address with attempts counted in the window. */
  async addresses(): Promise<(Lockout & { address: string })[]> {
    const out: (Lockout & { address: string })[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.keys.pattern('login-address'), 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const [state, address] = await Promise.all([this.read(key, this.limits.perAddress), this.redis.hget(key, 'a')]);
        if (state && address) out.push({ ...state, address });
      }
    } while (cursor !== '0');
    return out.sort((a, b) => b.attempts - a.attempts);
  }

  async clearAccount(username: string): Promise<boolean> {
    return (await this.redis.del(this.accountKey(username))) > 0;
  }

  async clearAddress(address: string): Promise<boolean> {
    return (await this.redis.del(this.addressKey(address))) > 0;
  }
}
