import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLogger, loadCoreConfig } from '@intake/config';
import { readDocumentJob, sha256Hex } from '@intake/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from './ops.ts';
import { openServiceRuntime, type ServiceRuntime } from './runtime.ts';

describe('ops endpoints: /healthz, /readyz, /metrics', () => {
  let dir: string;
  let rt: ServiceRuntime;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-ops-'));
    const env = {
      INTAKE_DATA_DIR: dir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      INTAKE_QUEUE_PREFIX: `ops${randomBytes(4).toString('hex')}`,
      INTAKE_OPS_PORT: '0',
    } as NodeJS.ProcessEnv;
    rt = await openServiceRuntime({ name: 'ops-test', config: loadCoreConfig(env), env });
  });
  afterAll(async () => {
    await rt?.lifecycle.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers health, readiness of Redis, S3, the index and the event loop, and Prometheus metrics with queue depth', async () => {
    expect(rt.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${rt.opsUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${rt.opsUrl}/readyz`);
    expect(await ready.json()).toEqual({ ok: true, checks: { redis: 'ok', store: 'ok', index: 'ok', eventLoop: 'ok' } });
    expect(ready.status).toBe(200);
    const producer = rt.producer(readDocumentJob);
    await producer.add({ docId: sha256Hex(`ops ${Math.random()}`) });
    const text = await (await fetch(`${rt.opsUrl}/metrics`)).text();
    expect(text).toMatch(/intake_queue_jobs\{queue="read",state="wait"\} 1/);
    expect(text).toMatch(/intake_queue_oldest_waiting_seconds\{queue="read"\} \d/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
    await producer.queue.obliterate({ force: true });
  });

  it('is not ready while a dependency does not answer', async () => {
    const ops = await startOpsServer({
      port: 0,
      logger: createLogger({ level: 'silent' }),
      checks: { store: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) },
    });
    try {
      const res = await fetch(`${ops.url}/readyz`);
      expect(res.status).toBe(503);
      expect((await res.json()).checks.store).toMatch(/ECONNREFUSED/);
      expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
    } finally {
      await ops.close();
    }
  });
});
