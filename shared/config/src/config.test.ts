import { describe, expect, it } from 'vitest';
import { loadCoreConfig, quietAwsSdkNodeVersionNotice } from './core-config.ts';
import { ConfigError } from './env.ts';
import { createLogger } from './logger.ts';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACT_PATHS } from './logger.ts';

describe('config', () => {
  it('has working defaults for the embedded default', () => {
    const c = loadCoreConfig({});
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.S3_ENDPOINT).toBeUndefined();
    expect(c.S3_SSE).toBe('AES256');
    expect(c.FAX_DROP_DIR).toBe('samples');
    expect(c.INTAKE_REDIS_AUTOSTART).toBe(true);
  });
  it('reports every bad variable at once, without echoing values', () => {
    try {
      loadCoreConfig({ INTAKE_MAX_PAGES: '0', S3_SSE: 'rot13', INTAKE_REDIS_AUTOSTART: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const msg = (error as Error).message;
      expect(msg).toContain('INTAKE_MAX_PAGES');
      expect(msg).toContain('S3_SSE');
      expect(msg).toContain('INTAKE_REDIS_AUTOSTART');
      expect(msg).not.toContain('rot13');
    }
  });
  it('treats empty variables as unset', () => {
    expect(loadCoreConfig({ S3_ENDPOINT: '', FAX_ARCHIVE_DIR: ' ' }).FAX_ARCHIVE_DIR).toBeUndefined();
  });
});

describe('logger', () => {
  it('redacts fields that can hold patient data', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({ doc: 'abc', patient: { name: 'Jordan Testcase' }, text: 'Lisinopril', job: { fileName: 'jordan.pdf' } }, 'x');
    expect(lines.join('')).not.toMatch(/Jordan|Lisinopril|jordan\.pdf/);
    expect(lines.join('')).toContain('"doc":"abc"');
    expect(createLogger({ level: 'silent' }).level).toBe('silent');
  });
});

describe('quietAwsSdkNodeVersionNotice', () => {
  it("turns off only the AWS SDK's Node-version notice, and leaves a value already set alone", () => {
    const env: NodeJS.ProcessEnv = {};
    quietAwsSdkNodeVersionNotice(env);
    expect(env).toEqual({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    const set: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    quietAwsSdkNodeVersionNotice(set);
    expect(set.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });
});
