import { describe, expect, it } from 'vitest';
import { compare, CsvRoster, matchMember, parseCsv, rosterFromCsv, splitName } from './members.ts';
import { ROSTER_CSV } from './testing/fixtures.ts';

const roster = rosterFromCsv(ROSTER_CSV);
const alice = { name: 'Alice Newman', birthDate: '1970-05-01', mrn: '12345678' };

describe('member roster', () => {
  it('parses RFC 4180 CSV with quotes, commas and CRLF', () => {
    expect(parseCsv('a,"b, c","d ""e"""\r\n1,2,3\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ]);
    expect(roster.map((m) => m.memberId)).toEqual(['M1001', 'M1002', 'M1003']);
    expect(roster[0]).toMatchObject({ firstName: 'Alice', lastName: 'Newman', birthDate: '1970-05-01', mrn: '12345678' });
    expect(() => rosterFromCsv('name,dob\nx,y\n')).toThrow(/member_id/);
  });

  it('searches by name, id and date of birth', async () => {
    const csv = new CsvRoster(roster);
    expect((await csv.candidates({ text: 'newman' })).map((m) => m.memberId)).toEqual(['M1001', 'M1003']);
    expect((await csv.candidates({ text: 'M1002' })).map((m) => m.memberId)).toEqual(['M1002']);
    expect(await csv.get('M1003')).toMatchObject({ firstName: 'Carla' });
  });

  it('splits names written either way', () => {
    expect(splitName('Newman, Alice B.')).toEqual({ first: 'alice', last: 'newman' });
    expect(splitName('Mrs. Alice B Newman')).toEqual({ first: 'alice', last: 'newman' });
  });
});

describe('member matching', () => {
  it('suggests the member whose name, DOB and MRN match', () => {
    const m = matchMember({ patient: alice, hints: [], candidates: roster });
    expect(m.suggested?.member.memberId).toBe('M1001');
    expect(m.suggested?.score).toBe(100);
    expect(m.warnings).toEqual([]);
  });

  it('tells apart relatives with the same last name by date of birth', () => {
    const m = matchMember({ patient: { name: 'Carla Newman', birthDate: '1998-02-14' }, hints: [], candidates: roster });
    expect(m.suggested?.member.memberId).toBe('M1003');
    expect(compare({ name: 'Carla Newman', birthDate: '1998-02-14' }, roster[0]!)).toMatchObject({
      name: 'last-only',
      birthDate: 'different',
    });
  });

  it('flags loudly when the sender is a member but the document is about someone else', () => {
    // Alice e-mails her daughter's record.
    const m = matchMember({
      patient: { name: 'Carla Newman', birthDate: '1998-02-14' },
      hints: [{ senderAddress: 'Alice.Newman@example.org' }],
      candidates: roster,
    });
    expect(m.suggested?.member.memberId).toBe('M1003');
    expect(m.warnings.join(' ')).toMatch(/Sent by member M1001 .*sender e-mail.*may belong to someone else/);
  });

  it('flags a linked member who does not match the document', () => {
    const m = matchMember({ patient: alice, hints: [], candidates: roster, linked: roster[1], linkedId: 'M1002' });
    expect(m.warnings.join(' ')).toMatch(/linked member M1002 does not match.*name differs.*date of birth differs/);
  });

  it('uses the sender hints when the document names no patient, without warnings', () => {
    const m = matchMember({ patient: {}, hints: [{ faxFrom: '555 0142' }], candidates: roster });
    expect(m.candidates[0]?.member.memberId).toBe('M1002');
    expect(m.candidates[0]?.senderReasons).toEqual(['sender fax/phone']);
    expect(m.suggested).toBeUndefined();
    expect(m.warnings).toEqual([]);
  });

  it('accepts a partial date of birth that agrees', () => {
    expect(compare({ name: 'Newman, Alice', birthDate: '1970' }, roster[0]!)).toEqual({
      name: 'exact',
      birthDate: 'same',
      mrn: 'unknown',
    });
  });

  it('warns when a linked id is not in the roster', () => {
    expect(matchMember({ patient: alice, hints: [], candidates: roster, linkedId: 'M9999' }).warnings.join(' ')).toMatch(
      /not in the member roster/,
    );
  });
});
