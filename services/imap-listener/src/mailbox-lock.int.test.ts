import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapListener } from './index.ts';
import { MailboxLock } from './mailbox-lock.ts';
import { buildMessage, nonce, pdf } from './test-support/fixtures.ts';
import { capturingLogger, openHarness, waitFor, type Harness } from './test-support/harness.ts';

// Two listeners on one mailbox, against a real Dovecot and Redis: one holds the lease and
// takes every message once; the other waits, and takes over when the first stops.
describe('one listener per mailbox', () => {
  let h: Harness;
  const run = nonce();
  const lockPrefix = `locktest${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fencing: a new holder gets a larger token and the old lease is refused once it lapsed', async () => {
    const lock = new MailboxLock(h.connection, `fence-${run}`, { prefix: lockPrefix, ttlMs: 60_000 });
    const a = (await lock.tryAcquire())!;
    expect(await lock.tryAcquire()).toBeUndefined();
    await h.connection.del(`${lockPrefix}:imap-lock:fence-${run}`); // a's lease lapsed (it stalled past the TTL)
    const b = (await lock.tryAcquire())!;
    expect(b.token).toBeGreaterThan(a.token);
    await expect(a.check()).rejects.toThrow(/lease was lost/);
    await b.check();
    await a.release(); // does not release b's lease
    await b.check();
    await b.release();
    expect(await lock.tryAcquire()).toBeDefined();
  });

  it('two listeners process each message once; the second waits, then takes over', async () => {
    const logs = [capturingLogger(), capturingLogger()];
    const start = (i: number) =>
      startImapListener({
        config: h.imapConfig({ IMAP_POLL_MS: '1000' }),
        coreConfig: h.coreConfig,
        store: h.store,
        readProducer: h.producer,
        logger: logs[i]!.logger,
        redis: h.connection,
        lockPrefix,
        lockTtlMs: 1500,
      });
    const listeners = [await start(0), await start(1)];
    try {
      await waitFor('one listener active', async () => listeners.some((l) => l.active));
      await new Promise((r) => setTimeout(r, 1000));
      expect(listeners.filter((l) => l.active)).toHaveLength(1);

      const ids = [1, 2, 3, 4, 5].map((n) => `<lock-${run}-${n}@example.test>`);
      for (const [n, messageId] of ids.entries()) {
        await h.append(await buildMessage({ messageId, subject: 'records', attachments: [{ filename: `r${n}.pdf`, content: pdf(`lock ${run} ${n}`) }] }));
      }
      await waitFor('all taken and moved', async () => (await h.uids('INBOX')).length === 0 && (await h.uids('Processed')).length >= 5, 20_000);
      for (const id of ids) await waitFor(`record for ${id}`, () => h.recordFor(id));
      const taken = (i: number) => logs[i]!.lines.filter((l) => l.includes('"msg":"message taken"')).length;
      const already = (i: number) => logs[i]!.lines.filter((l) => l.includes('"msg":"message already taken"')).length;
      expect(taken(0) + taken(1)).toBe(5);
      expect(already(0) + already(1)).toBe(0);
      const active = listeners.findIndex((l) => l.active);
      expect(taken(active)).toBe(5);
      expect(logs[1 - active]!.lines.some((l) => l.includes('another listener holds this mailbox'))).toBe(true);

      // The active one stops: the other takes the lease and the next message.
      await listeners[active]!.close();
      const other = listeners[1 - active]!;
      await waitFor('the waiting listener takes over', async () => other.active, 15_000);
      const next = `<lock-${run}-after@example.test>`;
      await h.append(await buildMessage({ messageId: next, subject: 'records', attachments: [{ filename: 'after.pdf', content: pdf(`lock ${run} after`) }] }));
      await waitFor('taken by the second listener', () => h.recordFor(next), 20_000);
      expect(logs[1 - active]!.lines.filter((l) => l.includes('"msg":"message taken"'))).toHaveLength(1);
    } finally {
      for (const l of listeners) await l.close();
    }
  });
});
