import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, resolveLogFormat } from './logger.ts';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logger format', () => {
  it('auto: pretty on a terminal outside production, JSON otherwise', () => {
    expect(resolveLogFormat('auto', { NODE_ENV: 'development' }, true)).toBe('pretty');
    expect(resolveLogFormat('auto', { NODE_ENV: 'production' }, true)).toBe('json');
    expect(resolveLogFormat('auto', {}, false)).toBe('json');
    expect(resolveLogFormat('json', {}, true)).toBe('json');
  });

  it('JSON lines carry the app and the redaction', () => {
    const out = sink();
    createLogger({ format: 'json', name: 'test', destination: out.stream }).info(
      { docId: 'abc', patient: 'Jordan Testcase' },
      'read',
    );
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ app: 'test', docId: 'abc', patient: '[redacted]', msg: 'read' });
  });

  it('pretty lines are readable text with the same redaction', () => {
    const out = sink();
    createLogger({ format: 'pretty', name: 'test', destination: out.stream }).info(
      { docId: 'abc', patient: 'Jordan Testcase' },
      'document read',
    );
    const text = out.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/INFO.*document read/);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('Jordan');
  });
});
