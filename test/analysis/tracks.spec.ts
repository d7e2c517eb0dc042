import { describe, expect, it } from '@jest/globals';
import { orientationTracks } from '../../src/analysis/tracks.js';
import { decision, entry, routine } from './entries.js';

/** Plain exponential steps of 0.6 (no median damping) for easy hand arithmetic. */
const PLAIN = { declaredStepWeight: 0.6, enactedStepWeight: 0.6, trackMedianOf: 1 };

const series = (t: ReturnType<typeof orientationTracks>) =>
  t.grid.keys.map((period, i) => ({ period, declared: t.declared[i]!, enacted: t.enacted[i]! }));

describe('orientation tracks', () => {
  // Founder builds to order (talk and routines at +2), a new owner talks cost (−2) in March,
  // planners resist in April, a context event in May, the routine finally changes in July.
  const events = [
    decision('2000-01', 2, 'talk-custom'),
    routine('2000-01', 2, 'introduced', 'routine-custom'),
    decision('2000-03', -2, 'talk-cost'),
    routine('2000-04', -2, 'resisted', 'resisted'),
    entry({ kind: 'demand-shift', occurred: '2000-05', orientation: -2, dimension: 'volume', id: 'context' }),
    routine('2000-07', -2, 'modified', 'routine-cost'),
  ];
  const t = orientationTracks(events, PLAIN);
  const s = series(t);

  it('covers every month from the first to the last event', () => {
    expect(t.grid.keys).toEqual(['2000-01', '2000-02', '2000-03', '2000-04', '2000-05', '2000-06', '2000-07']);
  });

  it('steps each track 0.6 of the way towards the event (orientation ±2 → ±1)', () => {
    expect(s[0]!.declared).toBeCloseTo(0.6, 10);
    expect(s[0]!.enacted).toBeCloseTo(0.6, 10);
    // 0.6 + 0.6 · (−1 − 0.6)
    expect(s[2]!.declared).toBeCloseTo(-0.36, 10);
  });

  it('moves declared only on interactive events and enacted only on procedural ones', () => {
    // March: talk moved, routines did not.
    expect(s[2]!.enacted).toBeCloseTo(0.6, 10);
    // July: routines moved, talk did not.
    expect(s[6]!.declared).toBeCloseTo(-0.36, 10);
    expect(s[6]!.enacted).toBeCloseTo(-0.36, 10);
    expect(t.declaredMoves.map((m) => m.id)).toEqual(['talk-custom', 'talk-cost']);
    expect(t.enactedMoves.map((m) => m.id)).toEqual(['routine-custom', 'routine-cost']);
  });

  it('keeps enacted where it was on a resisted routine change and records the resistance', () => {
    expect(s[3]!.enacted).toBeCloseTo(0.6, 10);
    expect(t.resisted).toEqual([{ id: 'resisted', slot: 3, enacted: expect.closeTo(0.6, 10), declared: expect.closeTo(-0.36, 10) }]);
  });

  it('lets context events move neither track, whatever their orientation', () => {
    expect(s[4]).toEqual({ period: '2000-05', declared: s[3]!.declared, enacted: s[3]!.enacted });
  });

  it('carries levels forward through months without events', () => {
    expect(s[1]).toEqual({ period: '2000-02', declared: s[0]!.declared, enacted: s[0]!.enacted });
    expect(s[5]!.enacted).toBe(s[4]!.enacted);
  });

  it('keeps both tracks in [−1, 1] even for many extreme or out-of-range codings', () => {
    const many = Array.from({ length: 40 }, (_, i) => decision(`2001-${String((i % 12) + 1).padStart(2, '0')}`, i % 2 ? 5 : -5));
    const tt = orientationTracks(many);
    const plain = orientationTracks(many, PLAIN);
    for (const v of [...plain.declared, ...plain.enacted]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    for (const v of [...tt.declared, ...tt.enacted]) {
      expect(v).toBeGreaterThanOrEqual(-1);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('mirrors the other track until a track has seen its own first event (configurable)', () => {
    const onlyTalk = [decision('2000-01', 2)];
    expect(orientationTracks(onlyTalk, PLAIN).enacted[0]).toBeCloseTo(0.6, 10);
    expect(orientationTracks(onlyTalk, { ...PLAIN, unobservedTrackMirrorsOther: false }).enacted[0]).toBe(0);
  });

  it('weights a low-confidence event by half by default', () => {
    const low = [entry({ kind: 'strategy-decision', occurred: '2000-01', orientation: 2, confidence: 'low' })];
    expect(orientationTracks(low, PLAIN).declared[0]).toBeCloseTo(0.3, 10);
  });

  it('extends the grid to `until` and groups months into quarters when asked', () => {
    const t2 = orientationTracks([decision('2000-02', 2), routine('2000-05', -2)], { granularity: 'quarter', until: '2000-12' });
    expect(t2.grid.keys).toEqual(['2000-Q1', '2000-Q2', '2000-Q3', '2000-Q4']);
    expect(t2.enacted[3]).toBe(t2.enacted[1]);
  });

  it('places an imprecise date at its anchor month (a year in July)', () => {
    const t3 = orientationTracks([decision('2000-01', 0), decision('2000', 2)], PLAIN);
    expect(t3.grid.keys.at(-1)).toBe('2000-07');
    expect(t3.declared[5]).toBe(0);
    expect(t3.declared[6]).toBeCloseTo(0.6, 10);
  });

  it('gives an empty grid for no events', () => {
    const t4 = orientationTracks([]);
    expect(t4.grid.count).toBe(0);
    expect(t4.declared).toEqual([]);
  });

  describe('with the default median of the last three acts', () => {
    it('does not move on a lone act against the two before it, and moves on the second', () => {
      // Given talk at +2, +2 (declared 0.5 then 0.75 with step 0.5)
      const base = [decision('2000-01', 2, 'a'), decision('2000-02', 2, 'b')];
      const one = orientationTracks([...base, decision('2000-03', -2, 'c')]);
      expect(one.declared).toEqual([0.5, 0.75, 0.75]);
      expect(one.declaredMoves[2]).toEqual({ id: 'c', slot: 2, target: -1, effectiveTarget: 0.75, before: 0.75, after: 0.75 });
      // When a second cost statement follows, the median is −1 and the track steps to it.
      const two = orientationTracks([...base, decision('2000-03', -2, 'c'), decision('2000-04', -2, 'd')]);
      expect(two.declared[3]).toBeCloseTo(0.75 + 0.5 * (-1 - 0.75), 10);
    });

    it('never steps a track away from the act’s own orientation', () => {
      // Two +1 acts: declared 0.25, then 0.375. A 0 act: the median of (+½, +½, 0) is +½, above
      // the level, while the act points below it — so the track holds instead of rising.
      const t = orientationTracks([decision('2000-01', 1), decision('2000-01', 1), decision('2000-02', 0)]);
      expect(t.declared[0]).toBeCloseTo(0.375, 10);
      expect(t.declared[1]).toBe(t.declared[0]);
    });

    it('forgets acts older than the memory, so a lone act after a long silence moves the track', () => {
      const t = orientationTracks([decision('2000-01', 2), decision('2000-02', 2), decision('2003-01', -2)]);
      expect(t.declared.at(-1)).toBeCloseTo(0.75 + 0.5 * (-1 - 0.75), 10);
    });
  });
});
