import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * One listener per mailbox: a lease in Redis (SET NX PX, renewed by compare-and-extend)
 * with a fencing token (INCR on a counter beside it, so every new holder's token is
 * larger than any before). The holder stamps its token on the mailbox state it writes,
 * and a write carrying a smaller token than the one stored is refused: a listener that
 * lost its lease while stalled (a long GC pause, a partition) cannot move the watermark
 * back over messages a newer holder has since taken. A second listener waits for the
 * lease; messages are taken once either way (content ids), but two would race on moves.
 */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface Lease {
  /** The fencing token: larger for every new holder. */
  token: number;
  /** False once the lease was not renewed in time (another listener may hold it now). */
  readonly held: boolean;
  /** Throws LockLostError when the lease is no longer ours (checked against Redis). */
  check(): Promise<void>;
  release(): Promise<void>;
  /** Called once when a renewal finds the lease gone. */
  onLost(listener: () => void): void;
}

export class MailboxLock {
  private readonly key: string;
  private readonly fenceKey: string;

  constructor(
    private readonly redis: Redis,
    /** A hash naming the mailbox (no address in it). */
    mailboxId: string,
    private readonly options: { prefix?: string; ttlMs?: number; retryMs?: number } = {},
  ) {
    const prefix = options.prefix ?? 'intake';
    this.key = `${prefix}:imap-lock:${mailboxId}`;
    this.fenceKey = `${prefix}:imap-fence:${mailboxId}`;
  }

  private get ttl(): number {
    return this.options.ttlMs ?? 30_000;
  }

  /** Try once. */
  async tryAcquire(): Promise<Lease | undefined> {
    const holder = `${process.pid}-${randomBytes(8).toString('hex')}`;
    const ok = await this.redis.set(this.key, holder, 'PX', this.ttl, 'NX');
    if (ok !== 'OK') return undefined;
    const token = await this.redis.incr(this.fenceKey);
    return this.lease(holder, token);
  }

  /** Wait for the lease (retrying every retryMs) until it is ours or `cancelled()` says stop. */
  async acquire(cancelled: () => boolean, onWait?: () => void): Promise<Lease | undefined> {
    let warned = false;
    while (!cancelled()) {
      const lease = await this.tryAcquire();
      if (lease) return lease;
      if (!warned) {
        warned = true;
        onWait?.();
      }
      await new Promise((r) => setTimeout(r, this.options.retryMs ?? Math.max(100, Math.floor(this.ttl / 3))));
    }
    return undefined;
  }

  private lease(holder: string, token: number): Lease {
    let held = true;
    const lost: (() => void)[] = [];
    const lose = () => {
      if (!held) return;
      held = false;
      clearInterval(timer);
      for (const l of lost) l();
    };
    const timer = setInterval(() => {
      this.redis
        .eval(RENEW, 1, this.key, holder, String(this.ttl))
        .then((r) => {
          if (Number(r) !== 1) lose();
        })
        .catch(() => {
          // Redis unreachable: we cannot prove we still hold it, and cannot renew it.
          lose();
        });
    }, Math.max(50, Math.floor(this.ttl / 3)));
    timer.unref();
    return {
      token,
      get held() {
        return held;
      },
      check: async () => {
        if (!held) throw new LockLostError('the mailbox lease was lost');
        const current = await this.redis.get(this.key);
        if (current !== holder) {
          lose();
          throw new LockLostError('the mailbox lease was lost');
        }
      },
      release: async () => {
        clearInterval(timer);
        held = false;
        await this.redis.eval(RELEASE, 1, this.key, holder).catch(() => {});
      },
      onLost: (listener) => lost.push(listener),
    };
  }
}
