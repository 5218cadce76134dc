import { describe, expect, it } from 'vitest';
import { keys, revisionFromKey } from './keys.ts';

const id = 'a'.repeat(64);

describe('key layout', () => {
  it('places every document key under its content id', () => {
    expect(keys.original(id)).toBe(`raw/documents/${id}`);
    expect(keys.pageText(id, 3)).toBe(`documents/${id}/pages/0003.json`);
    expect(keys.pageImage(id, 12, 'png')).toBe(`documents/${id}/pages/0012.png`);
    expect(keys.revision(id, 7)).toBe(`documents/${id}/revisions/000007.json`);
    expect(keys.quarantine(id)).toBe(`quarantine/${id}.json`);
  });
  it('sorts revisions and pages lexically in numeric order', () => {
    expect([keys.revision(id, 10), keys.revision(id, 9)].sort()).toEqual([keys.revision(id, 9), keys.revision(id, 10)]);
    expect(revisionFromKey(keys.revision(id, 42))).toBe(42);
  });
  it('refuses ids that are not content hashes (no path tricks)', () => {
    expect(() => keys.original('../etc/passwd')).toThrow();
    expect(() => keys.intake('ABC')).toThrow();
  });
  it('puts audit events under their day', () => {
    expect(keys.audit(new Date('2026-11-29T10:11:12.000Z'), 'x1')).toBe('audit/2026/11/29/2026-11-29T10-11-12-000Z-x1.json');
  });
});
