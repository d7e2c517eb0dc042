import type { PhaseLabel } from '../../src/domain/vocabulary.js';
import { describe, expect, it } from '@jest/globals';
import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import { absorbDeviations, enforceMinLength, runsOf } from '../../src/analysis/smoothing.js';
import { labelPeriod } from '../../src/analysis/labels.js';
import { DEFAULT_PARAMETERS } from '../../src/analysis/parameters.js';
import { decision, routine } from './entries.js';
import { SEAT_FRAMES, SEAT_FRAMES_UNTIL } from './seat-frames.js';

describe('period labels', () => {
  const p = DEFAULT_PARAMETERS;
  it.each<[number, number, number, PhaseLabel]>([
    [0.8, 0.7, 0.1, 'customization'],
    [-0.5, -0.4, 0.0, 'cost'],
    [0.2, -0.1, 0.0, 'mixed'],
    [-0.5, 0.3, 0.0, 'decoupled'],
    [-0.5, 0.3, 0.6, 'ambiguity'],
    [0.3, 0.3, 0.49, 'customization'],
    [-0.3, -0.3, 0.0, 'cost'],
  ])('declared %p, enacted %p, ambiguity %p → %s', (d, e, a, label) => {
    expect(labelPeriod(d, e, a, p)).toBe(label);
  });
});

describe('flexible phase mapping (smoothing)', () => {
  it('absorbs a single deviating period between two runs of one label', () => {
    expect(absorbDeviations([...'aaabaaa'], 1).join('')).toBe('aaaaaaa');
    expect(absorbDeviations([...'aaabbaaa'], 1).join('')).toBe('aaabbaaa');
    expect(absorbDeviations([...'aaabcccc'], 1).join('')).toBe('aaabcccc');
    expect(absorbDeviations([...'aaabaaa'], 0).join('')).toBe('aaabaaa');
  });

  it('merges runs shorter than the minimum into the most similar neighbour', () => {
    // 'b' at index 3 resembles the 'c' run (feature 1) more than the 'a' run (feature 0).
    const features = [[0], [0], [0], [0.9], [1], [1], [1]];
    expect(enforceMinLength([...'aaabccc'], features, 3).join('')).toBe('aaacccc');
    // Shortest run first: the lone 'c' goes, then the two 'b's are still short and go too.
    const f2 = [[0], [0], [0], [0.5], [0.5], [0.2], [0], [0], [0]];
    expect(enforceMinLength([...'aaabbcaaa'], f2, 3).join('')).toBe('aaaaaaaaa');
  });

  it('makes a span shorter than the minimum one phase, and leaves a lone run alone', () => {
    // Both runs are 1 long: the earliest goes first, into its only neighbour.
    expect(enforceMinLength([...'ab'], [[0], [0]], 3).join('')).toBe('bb');
    expect(enforceMinLength([...'a'], [[0]], 3).join('')).toBe('a');
  });

  it('splits labels into runs', () => {
    expect(runsOf([...'aabccc'])).toEqual([
      { label: 'a', start: 0, end: 1 },
      { label: 'b', start: 2, end: 2 },
      { label: 'c', start: 3, end: 5 },
    ]);
    expect(runsOf([])).toEqual([]);
  });
});

describe('phase detection on a hand-made case (see seat-frames.ts for the arithmetic)', () => {
  const analysis = analyseFirm(SEAT_FRAMES, [], { until: SEAT_FRAMES_UNTIL });

  it('finds the four phases worked out by hand, with their dates', () => {
    expect(analysis.phases.map((p) => [p.label, p.from, p.to])).toEqual([
      ['customization', '2000-01', '2001-01'],
      ['decoupled', '2001-02', '2001-12'],
      ['ambiguity', '2002-01', '2002-06'],
      ['cost', '2002-07', '2002-12'],
    ]);
    expect(analysis.pattern).toBe('customization > decoupled > ambiguity > cost');
  });

  it('reports each phase’s mean configuration and dominant mode', () => {
    const [custom, decoupled, ambiguity, cost] = analysis.phases;
    // (2 · 0.5 + 11 · 0.75) / 13
    expect(custom!.declared).toBeCloseTo(9.25 / 13, 10);
    expect(custom!.enacted).toBeCloseTo(0.5, 10);
    // (−0.125 + 10 · −0.5625) / 11
    expect(decoupled!.declared).toBeCloseTo(-5.75 / 11, 10);
    expect(custom!.dominantMode).toBe('interactive');
    expect(decoupled!.dominantMode).toBe('interactive');
    expect(ambiguity!.dominantMode).toBe('context');
    expect(cost!.dominantMode).toBe('procedural');
    expect(cost!.enacted).toBeCloseTo(-0.25, 10);
    expect(cost!.declared).toBeCloseTo(-0.5625, 10);
    expect(ambiguity!.ambiguity).toBeGreaterThanOrEqual(0.5);
  });

  it('hand-checks the ambiguity values at the edges of the ambiguity phase', () => {
    const byPeriod = new Map(analysis.tracks.map((t) => [t.period, t.ambiguity]));
    const decay = Math.pow(0.5, 1 / 9);
    const feb = 1 - (1 - 0.5775 * decay) * 0.65;
    expect(byPeriod.get('2002-01')).toBeCloseTo(0.5775, 10);
    expect(byPeriod.get('2002-02')).toBeCloseTo(feb, 10);
    expect(byPeriod.get('2002-06')).toBeCloseTo(feb * decay ** 4, 10);
    expect(byPeriod.get('2002-07')).toBeCloseTo(feb * decay ** 5 * 0.5, 10);
  });

  it('cites the events that mark each boundary, nearest first', () => {
    expect(analysis.phases.map((p) => p.boundaryEvents)).toEqual([
      [],
      ['cost-targets', 'owner-sale', 'town-hall'],
      ['demand-1', 'profit-1', 'demand-2'],
      ['frozen-horizon'],
    ]);
    expect(analysis.phases[1]!.boundaryMarkers.map((m) => m.reason)).toEqual(['goal-reversal', 'ownership-change', 'goal-reversal']);
  });

  it('tolerates a single deviating month inside a phase', () => {
    // Given talk and routines at customization, with one month where a cost decision is
    // immediately taken back (declared −0.264 for one month → raw label decoupled)
    const events = [
      decision('2000-01', 2, 'a'),
      routine('2000-01', 2, 'introduced', 'b'),
      decision('2000-02', 2, 'c'),
      decision('2000-06', -2, 'slip'),
      decision('2000-07', 2, 'back'),
      decision('2000-08', 2, 'again'),
    ];
    const a = analyseFirm(events, [], { until: '2000-12', ambiguityFromConflictingDecisions: 0, trackMedianOf: 1, declaredStepWeight: 0.6, enactedStepWeight: 0.6 });
    expect(a.tracks.filter((t) => t.rawLabel !== 'customization').map((t) => t.period)).toEqual(['2000-06']);
    expect(a.pattern).toBe('customization');
  });

  it('gives no tracks, no phases and an empty pattern for no events', () => {
    const a = analyseFirm([], []);
    expect(a.tracks).toEqual([]);
    expect(a.phases).toEqual([]);
    expect(a.pattern).toBe('');
    expect(a.checks.every((c) => !c.holds && c.evidence.length === 0)).toBe(true);
  });
});
