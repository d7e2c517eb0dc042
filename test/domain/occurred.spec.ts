import { describe, expect, it } from '@jest/globals';
import { anchorMonth, hasBegunBy, isInFuture, occurred, occurredSortKey, parseOccurred } from '../../src/domain/occurred.js';

describe('occurred dates keep their precision', () => {
  it.each([
    ['2004', 'year', '2004-01-01', '2004-12-31'],
    ['2004-Q2', 'quarter', '2004-04-01', '2004-06-30'],
    ['2004-02', 'month', '2004-02-01', '2004-02-29'],
    ['2003-02', 'month', '2003-02-01', '2003-02-28'],
    ['2004-03-15', 'day', '2004-03-15', '2004-03-15'],
  ])('%s is a %s from %s to %s', (text, precision, start, end) => {
    expect(parseOccurred(text)).toEqual({ text, precision, start, end });
  });

  it.each(['2004-00', '2004-13', '2004-Q0', '2004-Q5', '2003-02-29', '2004-3', 'March 2004', ''])('rejects %p', (text) => {
    expect(parseOccurred(text)).toHaveProperty('error');
  });

  it('orders by interval start, then coarser first, so "2004" frames "2004-03" and "2004-03-15"', () => {
    const sorted = ['2004-03-15', '2004-03', '2004-Q1', '2004', '2003-12-31'].sort((a, b) =>
      occurredSortKey(occurred(a)).localeCompare(occurredSortKey(occurred(b))),
    );
    expect(sorted).toEqual(['2003-12-31', '2004', '2004-Q1', '2004-03', '2004-03-15']);
  });

  it('anchors imprecise dates at the middle of their interval for analysis', () => {
    expect(anchorMonth(occurred('2004'))).toBe('2004-07');
    expect(anchorMonth(occurred('2004-Q1'))).toBe('2004-02');
    expect(anchorMonth(occurred('2004-Q4'))).toBe('2004-11');
    expect(anchorMonth(occurred('2004-09-30'))).toBe('2004-09');
  });

  it('is in the future only when its whole interval has not begun', () => {
    const today = new Date('2026-11-23T10:00:00Z');
    expect(isInFuture(occurred('2026'), today)).toBe(false);
    expect(isInFuture(occurred('2026-Q4'), today)).toBe(false);
    expect(isInFuture(occurred('2026-11-23'), today)).toBe(false);
    expect(isInFuture(occurred('2026-11-24'), today)).toBe(true);
    expect(isInFuture(occurred('2027'), today)).toBe(true);
  });

  it('as-of includes events that had begun by the end of the as-of interval', () => {
    expect(hasBegunBy(occurred('2003-12'), occurred('2003'))).toBe(true);
    expect(hasBegunBy(occurred('2004'), occurred('2003'))).toBe(false);
    expect(hasBegunBy(occurred('2003'), occurred('2003-01-01'))).toBe(true);
  });
});
