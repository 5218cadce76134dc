import { describe, expect, it } from 'vitest';
import { applyTransition, canApply, IllegalTransitionError, type DocumentStatus, type Transition } from './document-state.ts';

const docId = 'a'.repeat(64);
const at = '2026-12-01T10:00:00.000Z';
const run = (ts: Transition[], start?: DocumentStatus) =>
  ts.reduce<DocumentStatus | undefined>((s, t) => applyTransition(s, t, { docId, at, actor: 'clerk1' }), start)!;

const extracted = () =>
  run([
    { name: 'received', channel: 'fax', receivedAt: at },
    { name: 'read', mediaType: 'application/pdf', pages: 3 },
    { name: 'extracted', itemCounts: { medication: 2 }, patient: { name: 'Alice Newman' }, documentType: 'medication-list', mixedPatients: true },
  ]);

describe('document state machine: indexing transitions', () => {
  it('extracted carries the pipeline\'s type suggestion and the mixed-patients flag', () => {
    const s = extracted();
    expect(s).toMatchObject({ stage: 'extracted', documentType: 'medication-list', documentTypeSuggested: 'medication-list', mixedPatients: true });
  });

  it('a type the clerk set survives a re-extraction; the suggestion is updated', () => {
    const typed = run([{ name: 'typed', documentType: 'referral-letter' }], extracted());
    expect(typed).toMatchObject({ documentType: 'referral-letter', documentTypeBy: 'clerk1' });
    const again = run([{ name: 'extracted', itemCounts: {}, patient: {}, documentType: 'lab-report' }], typed);
    expect(again).toMatchObject({ documentType: 'referral-letter', documentTypeSuggested: 'lab-report' });
  });

  it('split, moved and merged supersede an open document; a finished or superseded one cannot be split', () => {
    const split = run([{ name: 'split', into: ['b'.repeat(64), 'c'.repeat(64)] }], extracted());
    expect(split).toMatchObject({ stage: 'superseded', supersededBy: ['b'.repeat(64), 'c'.repeat(64)] });
    expect(() => run([{ name: 'moved', into: [] }], split)).toThrow(IllegalTransitionError);
    const approved = run([{ name: 'approved', revision: 1, itemCounts: {} }], extracted());
    expect(canApply(approved, 'split')).toBe(false);
    expect(canApply(approved, 'merged')).toBe(false);
    expect(canApply(approved, 'typed')).toBe(true);
  });

  it('derived starts a document made from other pages at read, with its provenance', () => {
    const s = applyTransition(
      undefined,
      {
        name: 'derived',
        channel: 'fax',
        receivedAt: at,
        mediaType: 'application/pdf',
        pages: 2,
        derivedFrom: [{ docId, pages: [1, 2] }],
        rotations: { '2': 90 },
      },
      { docId: 'b'.repeat(64), at, actor: 'clerk1' },
    );
    expect(s).toMatchObject({ stage: 'read', reviewState: 'pending', pages: 2, derivedFrom: [{ docId, pages: [1, 2] }], rotations: { '2': 90 }, version: 1 });
    expect(canApply(s, 'derived')).toBe(false);
  });

  it('rotated keeps a view transform per page; 0 removes it', () => {
    const r = run([{ name: 'rotated', page: 2, rotation: 180 }], extracted());
    expect(r.rotations).toEqual({ '2': 180 });
    expect(run([{ name: 'rotated', page: 2, rotation: 0 }], r).rotations).toBeUndefined();
  });
});
