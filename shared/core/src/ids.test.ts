import { describe, expect, it } from 'vitest';
import { documentId, jobId, sha256Hex } from './ids.ts';

describe('content-derived ids', () => {
  it('are the sha-256 of the bytes, the same every time', () => {
    const bytes = new TextEncoder().encode('abc');
    expect(documentId(bytes)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(documentId(bytes)).toBe(sha256Hex('abc'));
  });
  it('make BullMQ job ids without colons', () => {
    const id = jobId('document.read', 'f'.repeat(64));
    expect(id).toBe(`document.read-v1-${'f'.repeat(64)}`);
    expect(id).not.toContain(':');
    expect(() => jobId('Bad:Step', 'f'.repeat(64))).toThrow();
    expect(() => jobId('document.read', 'not-a-hash')).toThrow();
  });
});
