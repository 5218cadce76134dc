import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, loadCoreConfig, loadImapConfig, REDACT_PATHS, type CoreConfig, type ImapConfig, type Logger } from '@intake/config';
import { jobId, readDocumentJob } from '@intake/core';
import { createRedis, ensureRedis, JobProducer, type RedisHandle } from '@intake/queue';
import { openReviewStore, type OpenedStore, type ReviewStore } from '@intake/storage';
import { ImapFlow } from 'imapflow';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { EmailRecord } from '../email-record.ts';
import { startDovecot, type TestDovecot } from './dovecot.ts';

/**
 * Everything an IMAP integration test needs, real and private: Dovecot, an S3-compatible
 * store on a temp folder, Redis (the configured one, or a child redis-server), the read
 * job producer, and an IMAP client for the test's own APPENDs and checks.
 */
export interface Harness {
  dir: string;
  dovecot: TestDovecot;
  opened: OpenedStore;
  store: ReviewStore;
  redis: RedisHandle;
  connection: Redis;
  producer: JobProducer<typeof readDocumentJob.schema>;
  coreConfig: CoreConfig;
  imapConfig(overrides?: Record<string, string>): ImapConfig;
  imapEnv(overrides?: Record<string, string>): Record<string, string>;
  append(raw: Buffer, mailbox?: string): Promise<void>;
  uids(mailbox: string): Promise<number[]>;
  createMailbox(mailbox: string): Promise<void>;
  flags(mailbox: string): Promise<string[][]>;
  emailRecords(): Promise<EmailRecord[]>;
  recordFor(messageId: string): Promise<EmailRecord | undefined>;
  readJobExists(docId: string): Promise<boolean>;
  close(): Promise<void>;
}

export const quietLogger = () => createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'imap-test' });

/** A logger like the services' (same redact list) whose lines the test can read. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      if (process.env.TEST_LOG_LEVEL) process.stdout.write(chunk);
      done();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
  return { logger, lines };
}

/**
 * A stand-in for an OAuth2 provider: token introspection (RFC 7662), which Dovecot asks
 * whether a bearer token is valid and whose it is (only `validToken` is active), and a
 * token endpoint that hands out `validToken` for `refreshToken`.
 */
export async function startTokenIntrospection(
  validToken: string,
  username: string,
): Promise<{ url: string; tokenUrl: string; refreshToken: string; requests: number; tokenRequests: number; close(): Promise<void> }> {
  const state = { requests: 0, tokenRequests: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/token') {
        // The provider's token endpoint: the refresh_token grant with the one refresh token it knows.
        state.tokenRequests++;
        const ok = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === `refresh-for-${validToken}`;
        res.statusCode = ok ? 200 : 400;
        res.end(JSON.stringify(ok ? { access_token: validToken, token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_grant' }));
        return;
      }
      state.requests++;
      res.end(JSON.stringify(form.get('token') === validToken ? { active: true, username } : { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/introspect`,
    tokenUrl: `http://127.0.0.1:${address.port}/token`,
    refreshToken: `refresh-for-${validToken}`,
    get requests() {
      return state.requests;
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export async function openHarness(options: { idle?: boolean; tls?: boolean; oauth2IntrospectionUrl?: string } = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-imap-'));
  const dovecot = await startDovecot({ idle: options.idle, tls: options.tls, oauth2IntrospectionUrl: options.oauth2IntrospectionUrl });
  // A queue prefix of its own: a shared Redis holds no jobs of other runs or other tests.
  const queuePrefix = `intake-imap-test-${path.basename(dir).replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const coreConfig = loadCoreConfig({ NODE_ENV: 'test', INTAKE_DATA_DIR: dir, S3_BUCKET: 'imap-test', INTAKE_QUEUE_PREFIX: queuePrefix });
  const opened = await openReviewStore(coreConfig);
  const redis = await ensureRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', autostart: true, dataDir: path.join(dir, 'redis') });
  const connection = createRedis(redis.url);
  const producer = new JobProducer(readDocumentJob, connection, queuePrefix);

  const imapEnv = (overrides: Record<string, string> = {}) => ({
    IMAP_HOST: dovecot.host,
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: dovecot.tls ? 'true' : 'false',
    IMAP_USER: dovecot.user,
    IMAP_PASSWORD: dovecot.password,
    IMAP_POLL_MS: '5000',
    IMAP_RECONNECT_MAX_MS: '1000',
    ...overrides,
  });

  async function withClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: dovecot.tls !== undefined,
      tls: dovecot.tls ? { ca: dovecot.tls.ca } : undefined,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    client.on('error', () => {});
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  const emailRecords = async () => {
    return opened.store.mail.listRecords(EmailRecord);
  };

  return {
    dir,
    dovecot,
    opened,
    store: opened.store,
    redis,
    connection,
    producer,
    coreConfig,
    imapEnv,
    imapConfig: (overrides) => loadImapConfig(imapEnv(overrides)),
    append: (raw, mailbox = 'INBOX') =>
      withClient(async (client) => {
        const ok = await client.append(mailbox, raw);
        if (!ok) throw new Error(`APPEND to ${mailbox} failed`);
      }),
    uids: (mailbox) =>
      withClient(async (client) => {
        const list = await client.list();
        if (!list.some((m) => m.path === mailbox)) return [];
        const lock = await client.getMailboxLock(mailbox);
        try {
          return ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
        } finally {
          lock.release();
        }
      }),
    flags: (mailbox) =>
      withClient(async (client) => {
        const lock = await client.getMailboxLock(mailbox);
        try {
          const out: string[][] = [];
          for await (const m of client.fetch('1:*', { flags: true })) out.push([...(m.flags ?? [])].sort());
          return out;
        } finally {
          lock.release();
        }
      }),
    createMailbox: (mailbox) =>
      withClient(async (client) => {
        await client.mailboxCreate(mailbox).catch(() => {});
      }),
    emailRecords,
    recordFor: async (messageId) => (await emailRecords()).find((r) => r.hints.messageId === messageId && !r.duplicateOf),
    readJobExists: async (docId) => (await producer.queue.getJob(jobId(readDocumentJob.name, docId, readDocumentJob.version))) !== undefined,
    async close() {
      await producer.close().catch(() => {});
      await connection.quit().catch(() => {});
      await redis.stop().catch(() => {});
      await opened.close().catch(() => {});
      await dovecot.dispose().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
