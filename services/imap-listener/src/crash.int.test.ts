import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '@intake/core';
import { keys } from '@intake/storage';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage, nonce, pdf, zip } from './test-support/fixtures.ts';
import { openHarness, waitFor, type Harness } from './test-support/harness.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const mainTs = 'services/imap-listener/src/main.ts';

/**
 * The listener as its own process (src/main.ts), killed with SIGKILL at durable steps of
 * one message: after the raw e-mail reached S3, then after the first document (each time
 * before the message was moved). Restarted without the hook, it must finish the job:
 * every file exactly once, the message moved.
 */
describe('imap listener killed mid-message (SIGKILL) and restarted', () => {
  let h: Harness;
  const run = nonce();

  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  function startChild(extra: Record<string, string> = {}) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      INTAKE_DATA_DIR: path.join(h.dir, 'child'),
      S3_ENDPOINT: h.opened.embedded!.endpoint,
      S3_BUCKET: 'imap-test',
      AWS_ACCESS_KEY_ID: h.opened.embedded!.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: h.opened.embedded!.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      REDIS_URL: h.redis.url,
      INTAKE_REDIS_AUTOSTART: 'false',
      INTAKE_QUEUE_PREFIX: h.coreConfig.INTAKE_QUEUE_PREFIX,
      // A killed listener keeps the mailbox's lease until it lapses: short here, so the restart does not wait long.
      ...h.imapEnv({ IMAP_POLL_MS: '2000', IMAP_LOCK_TTL_MS: '1500' }),
      ...extra,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', mainTs], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    child.stdout.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    child.stderr.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    return { child, lines, exited };
  }

  async function crashAt(step: string) {
    const c = startChild({ INTAKE_TEST_CRASH_AFTER: step });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      c.child.kill('SIGKILL');
    }, 30_000);
    const result = await c.exited;
    clearTimeout(timer);
    expect(timedOut, c.lines.slice(-20).join('\n')).toBe(false);
    expect(result.signal, c.lines.slice(-20).join('\n')).toBe('SIGKILL');
    expect(c.lines.some((l) => l.includes(`test hook: SIGKILL after ${step}`)), c.lines.slice(-20).join('\n')).toBe(true);
  }

  it('loses nothing and doubles nothing', async () => {
    const files = [pdf(`crash one ${run}`), pdf(`crash two ${run}`), pdf(`crash zipped ${run}`)];
    const messageId = `<crash-${run}@example.test>`;
    const raw = await buildMessage({
      messageId,
      attachments: [
        { filename: 'one.pdf', content: files[0]! },
        { filename: 'two.pdf', content: files[1]! },
        { filename: 'more.zip', content: zip({ 'zipped.pdf': files[2]! }) },
      ],
    });
    await h.append(raw);
    const docIds = files.map((f) => sha256Hex(f));
    const emailId = sha256Hex(raw);
    const started = Date.now();

    // 1. Killed right after the raw e-mail reached S3.
    await crashAt('raw-write');
    expect(await h.store.mail.getRaw(emailId)).toBeDefined();
    expect(await h.store.mail.getRecord(emailId, z.unknown())).toBeUndefined();
    expect(await h.uids('INBOX')).toHaveLength(1);

    // 2. Killed after the first document's original, receipt, status and read job.
    await crashAt('document-write');
    expect(await h.store.arrivals.getIntake(docIds[0]!)).toBeDefined();
    expect(await h.store.arrivals.getIntake(docIds[1]!)).toBeUndefined();
    expect(await h.uids('INBOX')).toHaveLength(1);

    // (A crash after the per-message record and before the move — 'record-write' — leaves a
    // message that is only moved on the next sweep; the duplicate-delivery and mailbox-rebuild
    // tests cover that path in-process, which keeps this suite's child processes to three.)

    // 3. Restarted without the hook: it finishes, and stops cleanly on SIGTERM.
    const c = startChild();
    await waitFor('the message moved', async () => (await h.uids('INBOX')).length === 0 && (await h.uids('Processed')).length === 1, 30_000);
    c.child.kill('SIGTERM');
    const exit = await c.exited;
    expect(exit, c.lines.slice(-20).join('\n')).toEqual({ code: 0, signal: null });
    console.info(`three runs of the listener process (two killed): ${Date.now() - started} ms`);

    const records = (await h.emailRecords()).filter((r) => r.hints.messageId === messageId);
    expect(records).toHaveLength(1);
    expect(records[0]!.documents.map((d) => d.docId).sort()).toEqual([...docIds].sort());
    for (const docId of docIds) {
      expect(await h.store.arrivals.getIntake(docId)).toMatchObject({ channel: 'email', origin: keys.rawEmail(emailId) });
      // The same arrival retried writes the same receipt: one, not one per attempt.
      expect(await h.store.arrivals.listReceipts(docId)).toHaveLength(1);
      expect(await h.readJobExists(docId)).toBe(true);
    }
    const waiting = await h.producer.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
    expect(waiting.filter((j) => docIds.includes((j.data as { docId: string }).docId))).toHaveLength(3);
    // Nothing in the process output is patient data.
    for (const phi of ['one.pdf', 'zipped', 'Testa', 'testa.synthetic', 'My records']) expect(c.lines.join('\n')).not.toContain(phi);
  });
});
