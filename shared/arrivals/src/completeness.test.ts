import { describe, expect, it } from 'vitest';
import { checkCompleteness } from './completeness.ts';

const cover = (line: string) => `FAX COVER SHEET\nTo: Member Services\nFrom: Riverside Family Practice\n${line}\nCONFIDENTIAL`;

describe('fax completeness', () => {
  it('flags a five-page cover over three received pages, with what is missing', () => {
    const c = checkCompleteness([cover('Pages: 5 including cover'), 'Medications ...', 'Allergies ...']);
    expect(c).toMatchObject({ status: 'incomplete', pagesReceived: 3, pagesExpected: 5, missingPages: [4, 5] });
    expect(c.message).toMatch(/announces 5 pages, 3 received \(2 missing\)/);
    expect(c.evidence[0]).toEqual({ page: 1, text: 'Pages: 5 including cover' });
  });

  it('reads the common ways of saying it', () => {
    expect(checkCompleteness([cover('Total pages: 3'), 'a', 'b']).status).toBe('complete');
    expect(checkCompleteness([cover('Number of pages (not including cover): 3'), 'a', 'b']).pagesExpected).toBe(4);
    expect(checkCompleteness([cover('# of Pages: 2 plus cover'), 'a', 'b']).status).toBe('complete');
    expect(checkCompleteness([cover('4 pages including this cover sheet'), 'a']).status).toBe('incomplete');
  });

  it('checks "page X of Y" footers and fax header lines', () => {
    expect(checkCompleteness(['Summary\nPage 1 of 3', 'Page 2 of 3']).missingPages).toEqual([3]);
    expect(checkCompleteness(['FAX 06/14 P.001/002 x', 'FAX 06/14 P.002/002 y']).status).toBe('complete');
    expect(checkCompleteness(['PAGE 1/2', 'page 2 / 2']).status).toBe('complete');
  });

  it('is unknown when nothing announces a count', () => {
    expect(checkCompleteness(['Visit summary', 'Medications: 3 pages of notes follow']).status).toBe('unknown');
  });
});
