import { anchorMonth, occurred } from '../../src/domain/occurred.js';
import type { DeclaredPhase, TimelineEntry } from '../../src/domain/timeline.js';
import { DEFAULT_MODE } from '../../src/domain/vocabulary.js';
import type { EventKind } from '../../src/domain/vocabulary.js';

/**
 * Test-only builder for timeline entries: the analysis input with only the fields a test cares
 * about, the rest filled in the way the timeline projection would (mode by kind, anchor month).
 */
let counter = 0;

export type EntrySpec = Partial<Omit<TimelineEntry, 'occurred' | 'kind'>> & { kind: EventKind; occurred: string };

export function entry(spec: EntrySpec): TimelineEntry {
  const o = occurred(spec.occurred);
  counter++;
  return {
    id: spec.id ?? `e${String(counter).padStart(5, '0')}`,
    firm: 'test-firm',
    precision: o.precision,
    start: o.start,
    end: o.end,
    month: anchorMonth(o),
    title: spec.title ?? `${spec.kind} ${spec.occurred}`,
    mode: DEFAULT_MODE[spec.kind],
    orientation: 0,
    sources: [],
    confidence: 'medium',
    tags: [],
    recordedAt: '2024-01-01T00:00:00.000Z',
    recordedBy: 'tester',
    globalPosition: counter,
    ...spec,
  };
}

export const decision = (occurredText: string, orientation: number, id?: string): TimelineEntry =>
  entry({ kind: 'strategy-decision', occurred: occurredText, orientation, ...(id ? { id } : {}) });

export const routine = (
  occurredText: string,
  orientation: number,
  change: 'introduced' | 'modified' | 'abandoned' | 'resisted' = 'introduced',
  id?: string,
): TimelineEntry =>
  entry({ kind: 'planning-routine-change', occurred: occurredText, orientation, routine: 'production planning', change, ...(id ? { id } : {}) });

export const demandShift = (occurredText: string, id?: string): TimelineEntry =>
  entry({ kind: 'demand-shift', occurred: occurredText, dimension: 'volatility', direction: 'up', ...(id ? { id } : {}) });

export const profit = (occurredText: string, trend: 'improving' | 'stable' | 'declining' | 'irregular', id?: string): TimelineEntry =>
  entry({ kind: 'profitability-observation', occurred: occurredText, trend, ...(id ? { id } : {}) });

export const ownership = (occurredText: string, id?: string): TimelineEntry =>
  entry({ kind: 'ownership-change', occurred: occurredText, newOwner: 'Holding group', ...(id ? { id } : {}) });

export function declaredPhase(from: string, to: string, label: string, globalPosition = 1000): DeclaredPhase {
  return { id: `p-${from}-${label}`, firm: 'test-firm', from, to, label, recordedAt: '2024-01-01T00:00:00.000Z', globalPosition };
}

/** The track value at a period, failing loudly when the period is not on the grid. */
export function at<T extends { period: string }>(points: readonly T[], period: string): T {
  const p = points.find((x) => x.period === period);
  if (!p) throw new Error(`no period ${period} in ${points.map((x) => x.period).join(',')}`);
  return p;
}
