import { describe, expect, it } from 'vitest';
import { findDates, parseDate } from './dates.ts';

describe('dates', () => {
  it.each([
    ['03/14/2019', '2019-03-14'],
    ['3/14/19', '2019-03-14'],
    ['2019-03-14', '2019-03-14'],
    ['2019/03', '2019-03'],
    ['Mar 2019', '2019-03'],
    ['March of 2019', '2019-03'],
    ['March 14th, 2019', '2019-03-14'],
    ['14-Mar-2019', '2019-03-14'],
    ['14 March 2019', '2019-03-14'],
    ['3/2019', '2019-03'],
    ['O3/14/2O19', '2019-03-14'],
    ['Jan.26, 2018', '2018-01-26'],
    ['January.2005', '2005-01'],
    ['May 6,.1981', '1981-05-06'],
    ['preservative freeMay 3, 2016', '2016-05-03'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });
  it('gives a bare year only when asked, and never guesses', () => {
    expect(parseDate('since 2015', { yearOnly: true })).toBe('2015');
    expect(parseDate('since 2015', { yearOnly: false })).toBeUndefined();
    expect(parseDate('02/30/2019')).toBeUndefined();
    expect(parseDate('13/01/2019')).toBeUndefined();
    expect(parseDate('Lot 123456 500 mg')).toBeUndefined();
  });
  it('finds several dates with offsets', () => {
    expect(findDates('Hep B: 01/2001, 03/2001 and Sep 2001').map((d) => d.iso)).toEqual(['2001-01', '2001-03', '2001-09']);
  });
});
