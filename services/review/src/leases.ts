import type { Redis } from 'ioredis';

const key = (docId: string) => `lease:${docId}`;

// Renew or release only a lease this clerk holds: compare and act in one step.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export type LeaseResult = { ok: true; holder: string; ttlMs: number } | { ok: false; holder: string | null };

/** A clerk's claim on a record: `SET lease:{docId} clerk NX PX ttl`, renewed while the record is open. */
export class Leases {
  constructor(
    private readonly redis: Redis,
    readonly ttlMs: number,
  ) {}

  /** Claim, or renew when this clerk already holds it. */
  async claim(docId: string, clerk: string): Promise<LeaseResult> {
    const set = await this.redis.set(key(docId), clerk, 'PX', this.ttlMs, 'NX');
    if (set === 'OK') return { ok: true, holder: clerk, ttlMs: this.ttlMs };
    const renewed = await this.redis.eval(RENEW, 1, key(docId), clerk, String(this.ttlMs));
    if (renewed === 1) return { ok: true, holder: clerk, ttlMs: this.ttlMs };
    return { ok: false, holder: await this.redis.get(key(docId)) };
  }

  async holder(docId: string): Promise<string | null> {
    return this.redis.get(key(docId));
  }

  async holds(docId: string, clerk: string): Promise<boolean> {
    return (await this.redis.get(key(docId))) === clerk;
  }

  async release(docId: string, clerk: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, key(docId), clerk)) === 1;
  }
}
