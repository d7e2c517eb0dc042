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
  /** The act's own orientation on the track scale. */
  readonly target: number;
  /** What the track stepped towards: the median of the recent acts (see computeTracks). */
  readonly effectiveTarget: number;
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
 * The step goes towards the median orientation of the track's last `trackMedianOf` acts within
 * `trackMemoryPeriods`, this one included (never away from the act's own orientation). One act
 * against the run of its recent predecessors is thus not yet a move — the event-level form of Holmes & Poole's tolerance of a single
 * deviation — while two in a row are (a new programme is rarely one statement). With
 * `trackMedianOf: 1` this is the plain exponential update.
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

  const recentDeclared: Array<{ slot: number; target: number }> = [];
  const recentEnacted: Array<{ slot: number; target: number }> = [];
  // Where an act steps its track: the median of the recent acts, but never *away* from the act's
  // own orientation (a lone cost statement must not push talk towards customization).
  const effective = (recent: Array<{ slot: number; target: number }>, slot: number, target: number, level: number): number => {
    recent.push({ slot, target });
    while (recent.length > params.trackMedianOf) recent.shift();
    const kept = recent.filter((r) => slot - r.slot <= params.trackMemoryPeriods).map((r) => r.target);
    const m = median(kept);
    return (m - level) * (target - level) < 0 ? level : m;
  };

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
        const toward = effective(recentDeclared, slot, target, from);
        d = from + params.declaredStepWeight * weight * (toward - from);
        declaredMoves.push({ id: e.id, slot, target, effectiveTarget: toward, before, after: d });
      } else if (e.mode === 'procedural') {
        const before = shownEnacted();
        if (isResistedRoutineChange(e)) {
          resisted.push({ id: e.id, slot, enacted: before, declared: shownDeclared() });
        } else {
          const from: number = en ?? 0;
          const toward = effective(recentEnacted, slot, target, from);
          en = from + params.enactedStepWeight * weight * (toward - from);
          enactedMoves.push({ id: e.id, slot, target, effectiveTarget: toward, before, after: en });
        }
      }
    }
    declared[slot] = shownDeclared();
    enacted[slot] = shownEnacted();
  }
  return { grid, declared, enacted, declaredMoves, enactedMoves, resisted };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Convenience: tracks straight from timeline entries in any order. */
export function orientationTracks(
  entries: readonly TimelineEntry[],
  overrides: Partial<AnalysisParameters> = {},
): OrientationTracks {
  const params = resolveParameters(overrides);
  return computeTracks(sortForAnalysis(entries), gridFor(entries, params), params);
}
