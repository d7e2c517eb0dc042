import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import { firmEventsArb, permutationOf, rerecorded } from './arbitraries.js';

describe('order independence', () => {
  it('gives the same analysis for the same events recorded in any order', () => {
    fc.assert(
      fc.property(
        firmEventsArb.chain((events) => fc.tuple(fc.constant(events), permutationOf(events.length))),
        ([events, order]) => {
          // Given the same set of events, logged in two different orders
          const a = analyseFirm(events, []);
          const b = analyseFirm(rerecorded(events, order), []);
          // Then every track value, phase, boundary and check is identical.
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 200, seed: 20240611 },
    );
  });

  it('keeps every track value in range and labels every period', () => {
    fc.assert(
      fc.property(firmEventsArb, (events) => {
        const a = analyseFirm(events, []);
        for (const t of a.tracks) {
          expect(Math.abs(t.declared)).toBeLessThanOrEqual(1);
          expect(Math.abs(t.enacted)).toBeLessThanOrEqual(1);
          expect(t.ambiguity).toBeGreaterThanOrEqual(0);
          expect(t.ambiguity).toBeLessThanOrEqual(1);
        }
        // Phases tile the tracks: contiguous, no gaps, no overlaps.
        const covered = a.phases.reduce((n, p) => n + p.periods, 0);
        expect(covered).toBe(a.tracks.length);
        expect(a.pattern.split(' > ').filter(Boolean)).toHaveLength(a.phases.length);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
