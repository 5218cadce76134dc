import type { Redis } from 'ioredis';
import type { KeySpace } from './auth/keys.ts';

// Renew or release only a lease this clerk holds: compare and act in one step.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export type LeaseResult = { ok: true; holder: string; ttlMs: number } | { ok: false; holder: string | null };

/**
 * A clerk's claim on a record: `SET {prefix}:review:lease:{docId} clerk NX PX ttl`, renewed
 * while the record is open; under the deployment's key prefix like every review key.
 */
export class Leases {
  constructor(
    private readonly redis: Redis,
    readonly ttlMs: number,
    private readonly keys: KeySpace,
  ) {}

  private key(docId: string) {
    return this.keys.key('lease', docId);
  }

  /** Claim, or renew when this clerk already holds it. */
  async claim(docId: string, clerk: string): Promise<LeaseResult> {
    const set = await this.redis.set(this.key(docId), clerk, 'PX', this.ttlMs, 'NX');
    if (set === 'OK') return { ok: true, holder: clerk, ttlMs: this.ttlMs };
    const renewed = await this.redis.eval(RENEW, 1, this.key(docId), clerk, String(this.ttlMs));
    if (renewed === 1) return { ok: true, holder: clerk, ttlMs: this.ttlMs };
    return { ok: false, holder: await this.redis.get(this.key(docId)) };
  }

  async holder(docId: string): Promise<string | null> {
    return this.redis.get(this.key(docId));
  }

  /** The holder of each document's lease (null: free), in the order given. */
  async holders(docIds: string[]): Promise<(string | null)[]> {
    return docIds.length ? this.redis.mget(docIds.map((id) => this.key(id))) : [];
  }

  async holds(docId: string, clerk: string): Promise<boolean> {
    return (await this.redis.get(this.key(docId))) === clerk;
  }

  async release(docId: string, clerk: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key(docId), clerk)) === 1;
  }
}
