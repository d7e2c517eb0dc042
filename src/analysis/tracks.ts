import type { TimelineEntry } from '../domain/timeline.js';
import { orientationTarget, sortForAnalysis } from './order.js';
import type { AnalysisParameters } from './parameters.js';
import { resolveParameters } from './parameters.js';
import { buildGrid, EMPTY_GRID, slotOfMonth } from './periods.js';
import type { PeriodGrid } from './periods.js';

/** One event's effect on a track: the level just before and just after it. */
export interface TrackMove {
  readonly id: string;
  /** Index on the period grid. */
  readonly slot: number;
  readonly target: number;
  readonly before: number;
  readonly after: number;
}

/** A routine change was attempted and the routine held (claim 3): enacted stayed put. */
export interface Resistance {
  readonly id: string;
  readonly slot: number;
  /** Where enacted stayed, and where the talk was at that moment. */
  readonly enacted: number;
  readonly declared: number;
}

export interface OrientationTracks {
  readonly grid: PeriodGrid;
  /** Level at the end of each period, in [−1, 1]; `declared[i]` is period `grid.keys[i]`. */
  readonly declared: readonly number[];
  readonly enacted: readonly number[];
  readonly declaredMoves: readonly TrackMove[];
  readonly enactedMoves: readonly TrackMove[];
  readonly resisted: readonly Resistance[];
}

/** Periods from the earliest event's month to the latest (or `until`, if later). */
export function gridFor(entries: readonly TimelineEntry[], params: AnalysisParameters): PeriodGrid {
  if (entries.length === 0) return { ...EMPTY_GRID, granularity: params.granularity };
  let first = entries[0]!.month;
  let last = first;
  for (const e of entries) {
    if (e.month < first) first = e.month;
    if (e.month > last) last = e.month;
  }
  if (params.until !== null && params.until > last) last = params.until;
  return buildGrid(first, last, params.granularity);
}

export function isResistedRoutineChange(e: TimelineEntry): boolean {
  return e.kind === 'planning-routine-change' && e.change === 'resisted';
}

/**
 * Declared and enacted orientation per period.
 *
 * Each track is a level that steps part of the way toward an event's orientation
 * (level += weight · confidence · (target − level)) and is carried forward unchanged between
 * events: rhetoric and routines persist until someone acts on them. Only `interactive` events
 * move the declared track and only `procedural` events move the enacted one (claims 2 and 3);
 * a routine change coded `resisted` is procedural but leaves enacted where it was, and is
 * recorded as resistance. `context` events move neither.
 *
 * `sorted` must be in analysis order (see order.ts) and the grid must cover every event.
 */
export function computeTracks(
  sorted: readonly TimelineEntry[],
  grid: PeriodGrid,
  params: AnalysisParameters,
): OrientationTracks {
  const declared: number[] = new Array<number>(grid.count).fill(0);
  const enacted: number[] = new Array<number>(grid.count).fill(0);
  const declaredMoves: TrackMove[] = [];
  const enactedMoves: TrackMove[] = [];
  const resisted: Resistance[] = [];
  // null = the track has not been observed yet.
  let d: number | null = null;
  let en: number | null = null;
  const shownDeclared = (): number => d ?? (params.unobservedTrackMirrorsOther ? en : null) ?? 0;
  const shownEnacted = (): number => en ?? (params.unobservedTrackMirrorsOther ? d : null) ?? 0;

  let next = 0;
  for (let slot = 0; slot < grid.count; slot++) {
    while (next < sorted.length && slotOfMonth(grid, sorted[next]!.month) <= slot) {
      const e = sorted[next++]!;
      const target = orientationTarget(e.orientation);
      const weight = params.confidenceWeights[e.confidence] ?? 1;
      // A track's first own event steps from the neutral prior 0, not from the mirrored
      // value, so its level never depends on how the *other* track's events sort against it.
      if (e.mode === 'interactive') {
        const before = shownDeclared();
        const from: number = d ?? 0;
        d = from + params.declaredStepWeight * weight * (target - from);
        declaredMoves.push({ id: e.id, slot, target, before, after: d });
      } else if (e.mode === 'procedural') {
        const before = shownEnacted();
        if (isResistedRoutineChange(e)) {
          resisted.push({ id: e.id, slot, enacted: before, declared: shownDeclared() });
        } else {
          const from: number = en ?? 0;
          en = from + params.enactedStepWeight * weight * (target - from);
          enactedMoves.push({ id: e.id, slot, target, before, after: en });
        }
      }
    }
    declared[slot] = shownDeclared();
    enacted[slot] = shownEnacted();
  }
  return { grid, declared, enacted, declaredMoves, enactedMoves, resisted };
}

/** Convenience: tracks straight from timeline entries in any order. */
export function orientationTracks(
  entries: readonly TimelineEntry[],
  overrides: Partial<AnalysisParameters> = {},
): OrientationTracks {
  const params = resolveParameters(overrides);
  return computeTracks(sortForAnalysis(entries), gridFor(entries, params), params);
}
