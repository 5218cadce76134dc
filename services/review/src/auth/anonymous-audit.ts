import type { Logger } from '@intake/config';
import type { Redis } from 'ioredis';
import type { AuditAction, AuditLog } from '../audit.ts';
import type { KeySpace } from './keys.ts';

const WINDOW_MS = 60_000;

/**
 * One atomic step per event from a request without a session. Written at once when it
 * is the first of its kind from that address this minute and the minute's cap is not
 * reached; otherwise summed into the minute's summary.
 * KEYS: minute total, first-of-kind marker, minute summary hash, pending minutes set.
 * ARGV: cap, summary field, marker ttl s, minute, summary ttl s.
 */
const RECORD = `
local total = redis.call('INCR', KEYS[1])
if total == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
local first = redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3])
if total <= tonumber(ARGV[1]) and first then return 1 end
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
redis.call('EXPIRE', KEYS[3], ARGV[5])
redis.call('SADD', KEYS[4], ARGV[4])
return 0`;

/** Take a minute's summary once (whichever process gets it first writes it). */
const TAKE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return false end
local all = redis.call('HGETALL', KEYS[2])
redis.call('DEL', KEYS[2])
return all`;

const TOP = 50;

/**
 * Audit events nobody signed in for (failed and blocked sign-ins): anyone can cause them,
 * so they must not become a write amplifier into the audit store. At most
 * `perMinute` are written as they happen (and only the first per action and address each
 * minute); every other one is counted in Redis and written as one `login.summary` event
 * per minute with the counts by action, address and name. Nothing is dropped: every
 * event is either written or counted in a summary.
 */
export class AnonymousAudit {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly audit: AuditLog,
    private readonly perMinute: number,
    private readonly logger: Logger,
  ) {}

  private pendingKey() {
    return this.keys.key('anon-audit', 'pending');
  }

  private summaryKey(minute: number) {
    return this.keys.key('anon-audit', `${minute}:summary`);
  }

  async record(actor: string, action: AuditAction, extra: { ip: string; detail?: Record<string, unknown> }): Promise<void> {
    const minute = Math.floor(Date.now() / WINDOW_MS);
    const field = JSON.stringify([action, extra.ip, actor]);
    const written = await this.redis.eval(
      RECORD,
      4,
      this.keys.key('anon-audit', `${minute}:total`),
      this.keys.key('anon-audit', `${minute}:first:${action}:${extra.ip}`),
      this.summaryKey(minute),
      this.pendingKey(),
      String(this.perMinute),
      field,
      String(Math.ceil((WINDOW_MS * 30) / 1000)),
      String(minute),
      // A summary waits for a flush (any process of this deployment, or the next start) for up to a week.
      String(7 * 86_400),
    );
    if (written === 1) await this.audit.record(actor, action, extra);
  }

  /** Write the summary of every finished minute (with `all`, the current one too). */
  async flush(options: { all?: boolean } = {}): Promise<number> {
    const now = Math.floor(Date.now() / WINDOW_MS);
    const minutes = (await this.redis.smembers(this.pendingKey())).map(Number).filter((m) => options.all || m < now);
    let written = 0;
    for (const minute of minutes.sort((a, b) => a - b)) {
      const flat = (await this.redis.eval(TAKE, 2, this.pendingKey(), this.summaryKey(minute), String(minute))) as
        string[] | null;
      if (!flat || flat.length === 0) continue;
      const rows: { action: string; ip: string; actor: string; count: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const [action, ip, actor] = JSON.parse(flat[i]!) as [string, string, string];
        rows.push({ action, ip, actor, count: Number(flat[i + 1]) });
      }
      rows.sort((a, b) => b.count - a.count);
      const byAction: Record<string, number> = {};
      for (const r of rows) byAction[r.action] = (byAction[r.action] ?? 0) + r.count;
      await this.audit.record('-', 'login.summary', {
        detail: {
          from: new Date(minute * WINDOW_MS).toISOString(),
          to: new Date((minute + 1) * WINDOW_MS).toISOString(),
          events: rows.reduce((sum, r) => sum + r.count, 0),
          byAction,
          addresses: new Set(rows.map((r) => r.ip)).size,
          top: rows.slice(0, TOP),
        },
      });
      written++;
    }
    return written;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.flush().catch((error: unknown) =>
        this.logger.warn({ err: { message: (error as Error).message } }, 'anonymous audit summary failed'),
      );
    }, 15_000);
    this.timer.unref();
  }

  /** Stop the timer and write what is pending, the current minute included. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush({ all: true });
  }
}
