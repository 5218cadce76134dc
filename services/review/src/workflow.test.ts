import type { ExtractionResult } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { hasRole, highestRole } from './auth/roles.ts';
import { csrfMatches, type Session } from './auth/sessions.ts';
import { hashPassword, verifyPassword } from './auth/passwords.ts';
import { sampleItems } from './testing/fixtures.ts';
import { checkReason, checkTransition, initialItems, reviewItems, WorkflowError, type SaveRequest } from './workflow.ts';

const extraction: ExtractionResult = {
  source: { file: 'a.pdf', sha256: 'a'.repeat(64), mediaType: 'application/pdf', pages: 2, channel: 'fax' },
  patient: {},
  items: sampleItems().slice(0, 3),
};
const save = (over: Partial<SaveRequest>): SaveRequest => ({
  replaces: 0,
  state: 'in-review',
  items: initialItems(extraction).map((i) => ({ id: i.id, decision: 'accepted', item: i.item })),
  ...over,
});

describe('workflow', () => {
  it('derives item ids from the extraction index', () => {
    expect(initialItems(extraction).map((i) => [i.id, i.decision])).toEqual([
      ['x0', 'pending'],
      ['x1', 'pending'],
      ['x2', 'pending'],
    ]);
  });

  it('keeps the extracted original of an edited item (decided by the server)', () => {
    const req = save({});
    req.items[0] = {
      id: 'x0',
      decision: 'edited',
      item: { ...sampleItems()[0]!, strength: '20 mg', display: 'Lisinopril 20 mg tablet' },
    };
    const out = reviewItems(extraction, req);
    expect(out[0]).toMatchObject({ decision: 'edited', item: { strength: '20 mg' }, original: { strength: '10 mg' } });
    expect(out[1]).not.toHaveProperty('original');
  });

  it('refuses a changed item not marked edited, a dropped item, a bad date, and a duplicate', () => {
    const changed = save({});
    changed.items[0] = { id: 'x0', decision: 'accepted', item: { ...sampleItems()[0]!, strength: '20 mg' } };
    expect(() => reviewItems(extraction, changed)).toThrow(/must be "edited"/);
    expect(() => reviewItems(extraction, save({ items: save({}).items.slice(1) }))).toThrow(/x0 is missing/);
    const badDate = save({});
    badDate.items[0] = { id: 'x0', decision: 'edited', item: { ...sampleItems()[0]!, date: '03/01/2019' } };
    expect(() => reviewItems(extraction, badDate)).toThrow(/date/);
    const dup = save({});
    dup.items.push(dup.items[0]!);
    expect(() => reviewItems(extraction, dup)).toThrow(/twice/);
  });

  it('adds missed items with new ids and refuses an "added" extracted item', () => {
    const req = save({});
    req.items.push({
      id: 'a1',
      decision: 'added',
      item: { kind: 'surgery', name: 'appendectomy', display: 'Appendectomy', codes: [], negated: false, confidence: 1 },
    });
    expect(reviewItems(extraction, req).at(-1)).toMatchObject({ id: 'a1', decision: 'added' });
    const bad = save({});
    bad.items[0] = { ...bad.items[0]!, decision: 'added' };
    expect(() => reviewItems(extraction, bad)).toThrow(/extracted, not added/);
  });

  it('approves only when every item is decided and a member is linked', () => {
    const pending = save({ state: 'approved', memberId: 'M1' });
    pending.items[1] = { ...pending.items[1]!, decision: 'pending' };
    expect(() => reviewItems(extraction, pending)).toThrow(/1 item\(s\) still pending/);
    expect(() => reviewItems(extraction, save({ state: 'approved' }))).toThrow(/link the document to a member/);
    expect(reviewItems(extraction, save({ state: 'approved', memberId: 'M1' }))).toHaveLength(3);
  });

  it('lets only a supervisor reopen a finished record', () => {
    expect(() => checkTransition('pending', 'in-review', 'clerk')).not.toThrow();
    expect(() => checkTransition('in-review', 'approved', 'clerk')).not.toThrow();
    expect(() => checkTransition('needs-member-action', 'in-review', 'clerk')).not.toThrow();
    expect(() => checkTransition('approved', 'in-review', 'clerk')).toThrow(WorkflowError);
    expect(() => checkTransition('rejected', 'in-review', 'supervisor')).not.toThrow();
    expect(() => checkTransition('approved', 'rejected', 'admin')).toThrow(/reopen it/);
  });

  it('wants a reason to reject a record or send it for member action, not for a draft or an approval', () => {
    for (const state of ['rejected', 'needs-member-action'] as const) {
      expect(() => checkReason(state, undefined)).toThrow(WorkflowError);
      expect(() => checkReason(state, '  ok ')).toThrow(/3 characters or more/);
      expect(() => checkReason(state, 'wrong patient')).not.toThrow();
    }
    expect(() => checkReason('in-review', undefined)).not.toThrow();
    expect(() => checkReason('approved', undefined)).not.toThrow();
  });
});

describe('roles, CSRF and passwords', () => {
  it('nests roles', () => {
    expect(hasRole('admin', 'supervisor')).toBe(true);
    expect(hasRole('supervisor', 'clerk')).toBe(true);
    expect(hasRole('clerk', 'supervisor')).toBe(false);
    expect(highestRole(['clerk', 'Supervisor', 'other'])).toBe('supervisor');
    expect(highestRole('admin clerk')).toBe('admin');
    expect(highestRole(undefined)).toBeUndefined();
  });

  it('compares the CSRF token exactly', () => {
    const s: Session = {
      username: 'u',
      role: 'clerk',
      csrf: 'token-abc',
      via: 'local',
      createdAt: new Date().toISOString(),
      deployment: 'intake',
    };
    expect(csrfMatches(s, 'token-abc')).toBe(true);
    expect(csrfMatches(s, 'token-abd')).toBe(false);
    expect(csrfMatches(s, undefined)).toBe(false);
    expect(csrfMatches(s, ['token-abc'])).toBe(false);
  });

  it('hashes with scrypt and a salt, verifying only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    await expect(hashPassword('short')).rejects.toThrow(/12 characters/);
  });
});
