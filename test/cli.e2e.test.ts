import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExtractionResult, sha256Hex } from '@intake/core';
import { createS3Client, embeddedS3Credentials, ReviewStore } from '@intake/storage';
import { ReviewIndex } from '@intake/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf, truncatedPdf } from './support/fixtures.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const intake = path.join(root, 'services/cli/bin/intake.js');

/** The `intake` command as a user runs it: a real process, its stdout, stderr and exit code. */
describe('intake command', () => {
  let dir: string;
  let text: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-cli-'));
    text = await textPdf();
    await writeFile(path.join(dir, 'summary.pdf'), text);
    await writeFile(path.join(dir, 'broken.pdf'), await truncatedPdf());
    await writeFile(path.join(dir, 'empty.pdf'), '');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [intake, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 120_000 });

  it('extract --json prints one extraction result for one file', () => {
    const out = run('extract', path.join(dir, 'summary.pdf'), '--json');
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.status).toBe(0);
    const result = ExtractionResult.parse(JSON.parse(out.stdout));
    expect(result.source).toMatchObject({ file: 'summary.pdf', sha256: sha256Hex(text), mediaType: 'application/pdf', pages: 1, channel: 'cli' });
    const meds = result.items.filter((i) => i.kind === 'medication').map((i) => (i.kind === 'medication' ? i.name : ''));
    expect(meds).toEqual(expect.arrayContaining(['lisinopril', 'metformin', 'atorvastatin']));
    expect(result.patient.birthDate).toBe('1961-04-12');
  });

  it('prints a JSON array for several files, and fails with a one-line reason for unreadable ones', () => {
    const out = run('extract', path.join(dir, 'summary.pdf'), path.join(dir, 'broken.pdf'), path.join(dir, 'empty.pdf'), '--json');
    expect(out.status).toBe(1);
    const results = JSON.parse(out.stdout) as unknown[];
    expect(results).toHaveLength(1);
    const lines = out.stderr.split('\n').filter((l) => l.startsWith(dir));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/broken\.pdf: .+/);
    expect(lines[1]).toMatch(/empty\.pdf: empty file/);
  });

  it('exits non-zero with usage for a bad command line', () => {
    expect(run('extract').status).toBe(2);
    expect(run('frobnicate').status).toBe(2);
    expect(run('extract', path.join(dir, 'missing.pdf')).stderr).toMatch(/missing\.pdf: no such file/);
  });

  it('start runs the pipeline on the embedded default, serves the review UI and stops on SIGTERM', async () => {
    const data = path.join(dir, 'data');
    const drop = path.join(dir, 'drop');
    await mkdir(drop, { recursive: true });
    await writeFile(path.join(drop, 'fax.pdf'), text);
    const child = spawn(process.execPath, [intake, 'start'], {
      cwd: root,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        INTAKE_DATA_DIR: data,
        FAX_DROP_DIR: drop,
        FAX_POLL_MS: '200',
        REVIEW_PORT: '0',
        S3_ENDPOINT: '',
        INTAKE_QUEUE_PREFIX: `cli${randomBytes(4).toString('hex')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!/review UI:\s+http/.test(stdout)) {
        if (Date.now() > deadline) throw new Error(`intake start did not come up:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The bootstrap password is a plain line on stderr, never in the JSON log stream (stdout).
      expect(stderr).toMatch(/created the local admin account "admin" with password \S{20} /);
      expect(stdout).not.toMatch(/with password/);
      const url = /review UI:\s+(http\S+)/.exec(stdout)![1]!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // Every other route wants a clerk.
      expect((await fetch(`${url}/api/queue`)).status).toBe(401);
      // The dropped fax reaches the store: read its extraction result over the S3 API the process printed.
      const endpoint = /review store:\s+(http\S+)/.exec(stdout)![1]!;
      const store = new ReviewStore(
        createS3Client({ endpoint, bucket: 'intake-review', region: 'us-east-1', forcePathStyle: true, sse: 'AES256', credentials: await embeddedS3Credentials(path.join(data, 's3')) }),
        { bucket: 'intake-review', region: 'us-east-1', forcePathStyle: true, sse: 'AES256' },
        // Only S3 is read here; the process keeps its own index (PGlite under the data folder).
        await ReviewIndex.open({}),
      );
      const until = Date.now() + 90_000;
      let result = await store.extractions.get(sha256Hex(text));
      while (!result) {
        if (Date.now() > until) throw new Error('the dropped fax was not extracted');
        await new Promise((r) => setTimeout(r, 300));
        result = await store.extractions.get(sha256Hex(text));
      }
      expect(result.items.some((i) => i.kind === 'medication')).toBe(true);
      store.s3.destroy();
      await store.index.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
