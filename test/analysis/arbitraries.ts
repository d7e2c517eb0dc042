import fc from 'fast-check';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { EVENT_KINDS, MODES } from '../../src/domain/vocabulary.js';
import { entry } from './entries.js';

/** An occurred date at any of the four precisions, 2000–2003. */
export const occurredArb = fc
  .tuple(fc.integer({ min: 2000, max: 2003 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom('year', 'quarter', 'month', 'day'))
  .map(([y, m, d, precision]) => {
    const mm = String(m).padStart(2, '0');
    if (precision === 'year') return String(y);
    if (precision === 'quarter') return `${y}-Q${Math.ceil(m / 3)}`;
    if (precision === 'month') return `${y}-${mm}`;
    return `${y}-${mm}-${String(d).padStart(2, '0')}`;
  });

const eventArb = fc.record({
  kind: fc.constantFrom(...EVENT_KINDS),
  occurred: occurredArb,
  mode: fc.constantFrom(...MODES),
  orientation: fc.integer({ min: -2, max: 2 }),
  change: fc.constantFrom('introduced', 'modified', 'abandoned', 'resisted', 'outsourcing'),
  trend: fc.constantFrom('improving', 'stable', 'declining', 'irregular'),
  confidence: fc.constantFrom('low', 'medium', 'high'),
  claimsResponsiveness: fc.boolean(),
});

/** A firm's events with unique ids, in recording order. */
export const firmEventsArb: fc.Arbitrary<TimelineEntry[]> = fc
  .array(eventArb, { minLength: 0, maxLength: 40 })
  .map((specs) =>
    specs.map((s, i) =>
      entry({ ...s, id: `ev-${String(i).padStart(3, '0')}`, globalPosition: i + 1 } as Parameters<typeof entry>[0]),
    ),
  );

/** The same events recorded in another order (new positions and recording times). */
export function rerecorded(events: readonly TimelineEntry[], order: readonly number[]): TimelineEntry[] {
  return order.map((from, i) => ({
    ...events[from]!,
    globalPosition: 1000 + i,
    recordedAt: `2030-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
  }));
}

export const permutationOf = (n: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n });
