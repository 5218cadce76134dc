import { createLogger } from '@intake/config';
import { describe, expect, it } from 'vitest';
import { NoDirectory, type Member, type MemberDirectory } from '../members.ts';
import { checkMemberLink, memberIdPattern } from './member-check.ts';
import { indexQuery, QueueFilters } from './queue.ts';
import { cleanFileName, uploadFiles } from './upload.ts';

// Synthetic members only.
const logger = createLogger({ level: 'silent' });
const roster = (members: Member[]): MemberDirectory => ({
  kind: 'csv',
  get: async (id) => members.find((m) => m.memberId === id),
  candidates: async () => members,
});
const alice: Member = { memberId: 'M1001', firstName: 'Alice', lastName: 'Newman', birthDate: '1970-05-01', mrn: '12345678' };
const pattern = memberIdPattern('^[A-Z0-9][A-Z0-9-]{3,19}$');

describe('member link check', () => {
  it('says match or mismatch per field the moment the link is made', async () => {
    const deps = { members: roster([alice]), logger, memberIdPattern: pattern };
    const same = await checkMemberLink(deps, { memberId: 'M1001', patient: { name: 'NEWMAN, ALICE', birthDate: '1970-05-01', mrn: '0012345678' } });
    expect(same).toMatchObject({ verdict: 'match', found: true, fields: { name: 'match', birthDate: 'match', mrn: 'match' } });
    const sameName = await checkMemberLink(deps, { memberId: 'M1001', patient: { name: 'Alice Newman', birthDate: '1971-02-03' } });
    expect(sameName).toMatchObject({ verdict: 'mismatch', fields: { name: 'match', birthDate: 'mismatch', mrn: 'unknown' } });
    const initial = await checkMemberLink(deps, { memberId: 'M1001', patient: { name: 'A. Newman' } });
    expect(initial.verdict).toBe('partial');
    expect(await checkMemberLink(deps, { memberId: 'M9999', patient: {} })).toMatchObject({ verdict: 'not-found', found: false });
  });

  it('without a roster only an id of the configured form is accepted', async () => {
    const deps = { members: new NoDirectory(), logger, memberIdPattern: pattern };
    expect((await checkMemberLink(deps, { memberId: 'm-20931', patient: {} })).verdict).toBe('partial');
    expect((await checkMemberLink(deps, { memberId: 'Alice Newman', patient: {} })).verdict).toBe('invalid-format');
    expect((await checkMemberLink(deps, { memberId: 'x', patient: {} })).verdict).toBe('invalid-format');
  });
});

describe('queue presets', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const ctx = { username: 'clerk1', now, turnaroundHours: 48 };
  it('a saved view is the filters it names, for this clerk now', () => {
    expect(indexQuery(QueueFilters.parse({ view: 'faxes-over-24h' }), ctx)).toMatchObject({
      channel: 'fax',
      state: 'open',
      receivedBefore: '2026-12-01T12:00:00.000Z',
    });
    expect(indexQuery(QueueFilters.parse({ view: 'mine' }), ctx)).toMatchObject({ claimedBy: 'clerk1', state: 'open' });
    expect(indexQuery(QueueFilters.parse({ view: 'needs-member-action', state: 'all' }), ctx).state).toBe('needs-member-action');
    expect(indexQuery(QueueFilters.parse({ overTarget: 'true', type: 'lab-report', mixed: '1' }), ctx)).toMatchObject({
      receivedBefore: '2026-11-30T12:00:00.000Z',
      documentType: 'lab-report',
      mixedPatients: true,
      state: 'open',
    });
    expect(() => QueueFilters.parse({ view: 'everything' })).toThrow();
  });
});

describe('upload admission', () => {
  it('keeps a file name without folders or control characters', () => {
    expect(cleanFileName('C:\\scans\\visit\u0007 1.pdf')).toBe('visit 1.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('')).toBe('upload');
  });

  it('refuses a file that is not a document type before storing anything', async () => {
    const deps = { store: undefined as never, readProducer: undefined as never, maxFileBytes: 1000 };
    const out = await uploadFiles(deps, { files: [{ fileName: 'setup.exe', bytes: new Uint8Array([77, 90]) }], uploader: 'clerk1' });
    expect(out).toEqual([{ fileName: 'setup.exe', outcome: 'refused', reason: expect.stringContaining('not a document type') }]);
  });
});
