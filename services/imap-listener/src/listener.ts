import { readFileSync } from 'node:fs';
import type { ImapConfig, Logger } from '@intake/config';
import { sha256Hex } from '@intake/core';
import { ImapFlow, type ImapFlowOptions, type SearchObject } from 'imapflow';
import type { Redis } from 'ioredis';
import { LockLostError, MailboxLock, type Lease } from './mailbox-lock.ts';
import { s3RefreshTokenStore, tokenKey } from './token-store.ts';
import { credentialSource, type CredentialSource } from './oauth.ts';
import { loadMailboxState, mailboxStateId, reconcileUidValidity, saveMailboxState } from './mailbox-state.ts';
import { takeMessage, type TakeDeps } from './take-message.ts';

/**
 * The thin loop around imapflow: connect, sweep the mailbox, then wait in IDLE (or the
 * poll timer, for servers without IDLE) for the next message; reconnect with backoff
 * when the server drops us. All the deciding is in takeMessage and mime.ts.
 */
export interface ListenerOptions {
  config: ImapConfig & { IMAP_HOST: string; IMAP_USER: string };
  take: TakeDeps;
  logger: Logger;
  /** Called after each sweep (tests wait on it). */
  onSweep?: (result: { taken: number; failed: number }) => void;
  /** One listener per mailbox: a lease in this Redis (a second listener waits for it). */
  lock?: { redis: Redis; prefix?: string; ttlMs?: number; retryMs?: number };
}

export function backoffDelay(attempt: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base / 2 + random() * (base / 2));
}

export class MailboxListener {
  private client?: ImapFlow;
  private closing = false;
  private sweepWanted = false;
  private sweeping?: Promise<void>;
  private pollTimer?: NodeJS.Timeout;
  private wake?: () => void;
  private running?: Promise<void>;
  private readonly stateId: string;
  private readonly account: string;
  private readonly log: Logger;
  private readonly credentials: CredentialSource;
  private readonly lock?: MailboxLock;
  private lease?: Lease;

  constructor(private readonly options: ListenerOptions) {
    const c = options.config;
    this.stateId = mailboxStateId(c.IMAP_HOST, c.IMAP_PORT, c.IMAP_USER, c.IMAP_MAILBOX);
    this.account = sha256Hex(`imap-account\u0000${c.IMAP_HOST.toLowerCase()}\u0000${c.IMAP_PORT}\u0000${c.IMAP_USER.toLowerCase()}`).slice(0, 16);
    const key = c.IMAP_OAUTH_TOKEN_URL && c.IMAP_OAUTH_REFRESH_TOKEN ? tokenKey(c) : undefined;
    this.credentials = credentialSource(c, fetch, key ? s3RefreshTokenStore(options.take.store, this.account, key) : undefined);
    this.log = options.logger.child({ component: 'imap-listener', account: this.account });
    if (options.lock) this.lock = new MailboxLock(options.lock.redis, this.stateId.slice(0, 32), options.lock);
  }

  /** Whether this listener holds the mailbox's lease now (always true without a lock). */
  get active(): boolean {
    return this.lock ? this.lease?.held === true : true;
  }

  /** Wait for the mailbox's lease; false when closing first. */
  private async holdLease(): Promise<boolean> {
    if (!this.lock || this.lease?.held) return true;
    const lease = await this.lock.acquire(
      () => this.closing,
      () => this.log.info('another listener holds this mailbox: waiting for it'),
    );
    if (!lease) return false;
    this.lease = lease;
    this.log.info({ fence: lease.token }, 'mailbox lease taken');
    lease.onLost(() => {
      this.log.warn('mailbox lease lost: disconnecting, waiting for it again');
      this.client?.close();
    });
    return true;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stop taking new messages, let the one in hand finish, log out. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pollTimer);
    this.wake?.();
    await this.sweeping?.catch(() => {});
    const client = this.client;
    if (client && client.usable) await client.logout().catch(() => client.close());
    else client?.close();
    await this.running;
    await this.lease?.release();
  }

  private async clientOptions(): Promise<ImapFlowOptions> {
    const c = this.options.config;
    const auth = await this.credentials();
    return {
      host: c.IMAP_HOST,
      port: c.IMAP_PORT,
      secure: c.IMAP_SECURE,
      tls: {
        rejectUnauthorized: c.IMAP_TLS_REJECT_UNAUTHORIZED,
        minVersion: 'TLSv1.2',
        ca: c.IMAP_TLS_CA_FILE ? readFileSync(c.IMAP_TLS_CA_FILE) : undefined,
      },
      auth,
      // imapflow's own log lines can carry mailbox names and server text; we log outcomes ourselves.
      logger: false,
      // IDLE starts one second after the last command, so a new message is announced within seconds.
      autoIdleDelay: 1000,
      // Restart IDLE every few minutes: some servers and NAT boxes drop sessions silent for longer.
      maxIdleTime: Math.min(c.IMAP_POLL_MS, 5 * 60_000),
      missingIdleCommand: 'STATUS',
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      socketTimeout: 10 * 60_000,
      clientInfo: { name: 'intake imap-listener' },
    };
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closing) {
      if (!(await this.holdLease())) break;
      let options: ImapFlowOptions;
      try {
        // Fetched per connection: OAuth2 access tokens expire.
        options = await this.clientOptions();
      } catch (error) {
        const e = error as Error & { code?: string };
        this.log.error({ err: { name: e.name, code: e.code, message: e.name === 'OAuthTokenError' ? e.message : undefined } }, 'no IMAP credential');
        await this.pause(backoffDelay(attempt++, this.options.config.IMAP_RECONNECT_MAX_MS));
        continue;
      }
      const client = new ImapFlow(options);
      this.client = client;
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.on('error', (error: Error & { code?: string }) => {
        this.log.warn({ err: { name: error.name, code: error.code } }, 'imap connection error');
      });
      try {
        await client.connect();
        this.log.info({ idle: client.capabilities.has('IDLE'), secure: client.secureConnection }, 'imap connected');
        await this.ensureProcessedMailbox(client);
        await client.mailboxOpen(this.options.config.IMAP_MAILBOX);
        // Only a session that got as far as its mailbox resets the backoff: a server that
        // accepts logins and then fails (a missing mailbox) is not hammered.
        attempt = 0;
        client.on('exists', () => this.requestSweep());
        this.pollTimer = setInterval(() => this.requestSweep(), this.options.config.IMAP_POLL_MS);
        this.requestSweep();
        await Promise.race([closed, new Promise<void>((resolve) => (this.wake = resolve))]);
      } catch (error) {
        const e = error as Error & { code?: string; authenticationFailed?: boolean; serverResponseCode?: string };
        const level = e.authenticationFailed || e.serverResponseCode === 'NONEXISTENT' ? 'error' : 'warn';
        this.log[level]({ err: { name: e.name, code: e.code, serverResponseCode: e.serverResponseCode, authenticationFailed: e.authenticationFailed } }, 'imap session failed');
      } finally {
        clearInterval(this.pollTimer);
        this.pollTimer = undefined;
        await this.sweeping?.catch(() => {});
        if (!this.closing) client.close();
      }
      if (this.closing) break;
      const delay = backoffDelay(attempt++, this.options.config.IMAP_RECONNECT_MAX_MS);
      this.log.info({ attempt, delayMs: delay }, 'imap disconnected: reconnecting');
      await this.pause(delay);
    }
  }

  /** A wait that close() cuts short. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.closing) return resolve();
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async ensureProcessedMailbox(client: ImapFlow): Promise<void> {
    const c = this.options.config;
    if (c.IMAP_AFTER_PROCESS !== 'move') return;
    const list = await client.list();
    if (list.some((m) => m.path === c.IMAP_PROCESSED_MAILBOX)) return;
    try {
      await client.mailboxCreate(c.IMAP_PROCESSED_MAILBOX);
      this.log.info('created the processed mailbox');
    } catch (error) {
      // Another listener may have created it in between; a real failure shows on the first move.
      this.log.warn({ err: { name: (error as Error).name } }, 'could not create the processed mailbox');
    }
  }

  /** Sweeps run one at a time; a request during a sweep runs one more after it. */
  private requestSweep(): void {
    if (this.closing) return;
    this.sweepWanted = true;
    if (this.sweeping) return;
    this.sweeping = (async () => {
      try {
        while (this.sweepWanted && !this.closing) {
          this.sweepWanted = false;
          const client = this.client;
          if (!client?.usable) break;
          try {
            const result = await this.sweep(client);
            this.options.onSweep?.(result);
          } catch (error) {
            const e = error as Error & { code?: string };
            this.log.warn({ err: { name: e.name, code: e.code } }, 'sweep failed');
            if (!client.usable) break;
          }
        }
      } finally {
        this.sweeping = undefined;
      }
    })();
  }

  private async sweep(client: ImapFlow): Promise<{ taken: number; failed: number }> {
    const c = this.options.config;
    const lock = await client.getMailboxLock(c.IMAP_MAILBOX);
    let taken = 0;
    let failed = 0;
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new Error('mailbox not open');
      const uidValidity = mailbox.uidValidity.toString();
      await this.lease?.check();
      const stored = await loadMailboxState(this.options.take.store, this.stateId);
      // Fencing: a state written by a later holder of the lease means ours is stale.
      if (this.lease && (stored?.fence ?? 0) > this.lease.token) throw new LockLostError('a newer listener holds this mailbox');
      const reconciled = reconcileUidValidity(stored, uidValidity);
      const state = reconciled.state;
      if (reconciled.changed) this.log.warn({ uidValidity }, 'UIDVALIDITY changed (mailbox rebuilt): re-scanning; messages already taken are recognised by content');
      let dirty = reconciled.changed || state.lastUid === 0;

      const query: SearchObject = c.IMAP_AFTER_PROCESS === 'flag' ? this.unflaggedQuery() : { all: true };
      const found = (await client.search(query, { uid: true })) || [];
      const uids = [...found].filter((uid) => uid > state.lastUid).sort((a, b) => a - b);
      // The watermark only passes messages that were taken and moved or flagged, in order:
      // anything that failed stays in reach of the next sweep.
      let contiguous = true;
      for (const uid of uids) {
        if (this.closing) break;
        await this.lease?.check(); // stop at once when the lease is gone: the new holder takes the rest
        try {
          const done = await this.takeOne(client, uid, uidValidity);
          if (done) taken++;
          if (contiguous) {
            state.lastUid = uid;
            dirty = true;
          }
        } catch (error) {
          failed++;
          contiguous = false;
          const e = error as Error & { code?: string };
          this.log.warn({ uid, err: { name: e.name, code: e.code } }, 'message not taken: will retry on the next sweep');
          if (!client.usable) throw error;
        }
      }
      if (dirty) {
        state.updatedAt = new Date().toISOString();
        if (this.lease) {
          await this.lease.check();
          const latest = await loadMailboxState(this.options.take.store, this.stateId);
          if ((latest?.fence ?? 0) > this.lease.token) throw new LockLostError('a newer listener holds this mailbox');
          state.fence = this.lease.token;
        }
        await saveMailboxState(this.options.take.store, this.stateId, state);
      }
    } finally {
      lock.release();
    }
    return { taken, failed };
  }

  private unflaggedQuery(): SearchObject {
    const flag = this.options.config.IMAP_PROCESSED_FLAG;
    if (flag === '\\Flagged') return { flagged: false };
    if (flag === '\\Seen') return { seen: false };
    return { unKeyword: flag };
  }

  /** Returns false when the message vanished before it could be fetched (moved by someone else). */
  private async takeOne(client: ImapFlow, uid: number, uidValidity: string): Promise<boolean> {
    const c = this.options.config;
    const message = await client.fetchOne(String(uid), { uid: true, source: true, internalDate: true, size: true }, { uid: true });
    if (!message || !message.source) return false;
    const internalDate = message.internalDate ? new Date(message.internalDate) : undefined;
    await takeMessage(this.options.take, message.source, { account: this.account, path: c.IMAP_MAILBOX, uidValidity, uid, internalDate });
    if (c.IMAP_AFTER_PROCESS === 'move') {
      const moved = await client.messageMove(String(uid), c.IMAP_PROCESSED_MAILBOX, { uid: true });
      if (!moved) throw new Error('move to the processed mailbox failed');
    } else {
      const flagged = await client.messageFlagsAdd(String(uid), [c.IMAP_PROCESSED_FLAG], { uid: true });
      if (!flagged) throw new Error('setting the processed flag failed');
    }
    return true;
  }
}
