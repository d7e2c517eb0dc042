import { describe, expect, it } from '@jest/globals';
import { goalAmbiguity as allSignals, raisesAmbiguity } from '../../src/analysis/ambiguity.js';
import { routine } from './entries.js';
import { decision, demandShift, profit } from './entries.js';

/** Round numbers for hand arithmetic; the defaults are tested through the hand-made case. */
const P = {
  ambiguityFromDemandShift: 0.4,
  ambiguityFromIrregularProfit: 0.4,
  ambiguityFromDecliningProfit: 0.3,
  ambiguityFromConflictingDecisions: 0.3,
  ambiguityHalfLifePeriods: 6,
};
const withP = (entries: Parameters<typeof allSignals>[0], overrides: Parameters<typeof allSignals>[1] = {}) =>
  allSignals(entries, { ...P, ...overrides });

/** The series with only the signals that raise ambiguity (commitments are tested on their own). */
const goalAmbiguity = (entries: Parameters<typeof allSignals>[0], overrides: Parameters<typeof allSignals>[1] = {}) => {
  const a = withP(entries, overrides);
  return { ...a, signals: a.signals.filter(raisesAmbiguity) };
};

describe('goal ambiguity', () => {
  it('is raised by a demand shift and halves after the half-life when nothing new happens', () => {
    // Given a demand shift in January and nothing until July (the 6-month half-life)
    const a = goalAmbiguity([demandShift('2000-01', 'shift'), profit('2000-07', 'stable')]);
    // Then ambiguity jumps by the demand-shift contribution and decays to half of it.
    expect(a.values[0]).toBeCloseTo(0.4, 10);
    expect(a.values[6]).toBeCloseTo(0.2, 10);
    for (let i = 1; i < a.values.length; i++) expect(a.values[i]!).toBeLessThan(a.values[i - 1]!);
    expect(a.signals).toEqual([{ id: 'shift', slot: 0, reason: 'demand-shift', amount: 0.4, conflictsWith: [] }]);
  });

  it('combines signals as independent sources of doubt, staying within [0, 1]', () => {
    const a = goalAmbiguity([demandShift('2000-01'), profit('2000-01', 'irregular')]);
    // 1 − (1 − 0.4)(1 − 0.4)
    expect(a.values[0]).toBeCloseTo(0.64, 10);
    const many = goalAmbiguity(Array.from({ length: 30 }, () => demandShift('2000-01')));
    expect(many.values[0]).toBeLessThanOrEqual(1);
    expect(many.values[0]).toBeGreaterThan(0.99);
  });

  it('counts declining and irregular profitability, not stable or improving', () => {
    const a = goalAmbiguity([profit('2000-01', 'improving'), profit('2000-01', 'stable'), profit('2000-02', 'declining')]);
    expect(a.values[0]).toBe(0);
    expect(a.signals.map((s) => s.reason)).toEqual(['declining-profit']);
    expect(a.values[1]).toBeCloseTo(0.3, 10);
  });

  it('is raised by opposite-signed decisions within the window, citing both', () => {
    const a = goalAmbiguity([decision('2000-01', 2, 'custom'), decision('2000-04', -2, 'cost')]);
    expect(a.signals).toEqual([
      { id: 'cost', slot: 3, reason: 'conflicting-decisions', amount: 0.3, conflictsWith: ['custom'] },
    ]);
    expect(a.values[3]).toBeCloseTo(0.3, 10);
  });

  it('counts one reversal once, however many decisions confirm it, but each switch of talk going back and forth', () => {
    const reversal = goalAmbiguity([decision('2000-01', 2, 'a'), decision('2000-02', -2, 'b'), decision('2000-03', -2, 'c'), decision('2000-03', -1, 'd')]);
    expect(reversal.signals.map((s) => [s.id, s.conflictsWith])).toEqual([['b', ['a']]]);
    const wavering = goalAmbiguity([decision('2000-01', 2, 'a'), decision('2000-02', -2, 'b'), decision('2000-03', 2, 'c')]);
    expect(wavering.signals.map((s) => [s.id, s.conflictsWith])).toEqual([['b', ['a']], ['c', ['b']]]);
    // 0.3 decayed one month, then combined with another 0.3
    expect(wavering.values[2]).toBeCloseTo(1 - (1 - 0.3 * Math.pow(0.5, 1 / 6)) * 0.7, 10);
  });

  it('ignores opposite-signed decisions further apart than the window, and same-signed ones', () => {
    expect(goalAmbiguity([decision('2000-01', 2), decision('2000-08', -2)]).signals).toEqual([]);
    expect(goalAmbiguity([decision('2000-01', 2), decision('2000-02', 1)]).signals).toEqual([]);
    expect(goalAmbiguity([decision('2000-01', 2), decision('2000-08', -2)], { conflictWindowPeriods: 7 }).signals).toHaveLength(1);
  });

  it('is partly resolved by a commitment: an act agreeing with its track’s recent acts', () => {
    // Given ambiguity 0.64 in January, then a routine change in February (the track's first act)
    const a = withP([demandShift('2000-01'), profit('2000-01', 'irregular'), routine('2000-02', -2, 'modified', 'frozen')]);
    // Then February's level is the decayed level halved.
    expect(a.values[1]).toBeCloseTo(0.64 * Math.pow(0.5, 1 / 6) * 0.5, 10);
    expect(a.signals.filter((s) => !raisesAmbiguity(s)).map((s) => [s.id, s.reason])).toEqual([['frozen', 'commitment']]);
  });

  it('is not resolved by a resisted routine change, a lone act against its track, or a switching decision', () => {
    const base = [routine('1999-11', 2), routine('1999-12', 2), demandShift('2000-01'), profit('2000-01', 'irregular')];
    const february = (extra: ReturnType<typeof routine>) => {
      const a = withP([...base, extra]);
      return a.values[a.grid.keys.indexOf('2000-02')]!;
    };
    const decayed = 0.64 * Math.pow(0.5, 1 / 6);
    expect(february(routine('2000-02', -2, 'resisted'))).toBeCloseTo(decayed, 10);
    // The last three routine acts are +2, +2, −2: the median (+1) is not this act's orientation.
    expect(february(routine('2000-02', -2, 'modified'))).toBeCloseTo(decayed, 10);
    expect(february(routine('2000-02', 2, 'modified'))).toBeCloseTo(decayed / 2, 10);
    const switching = withP([...base, decision('2000-01', 2, 'a'), decision('2000-02', -2, 'b')]);
    expect(switching.signals.filter((s) => s.id === 'b').map((s) => s.reason)).toEqual(['conflicting-decisions']);
  });
});
