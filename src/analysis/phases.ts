import type { TimelineEntry } from '../domain/timeline.js';
import type { Mode, PhaseLabel } from '../domain/vocabulary.js';
import type { AmbiguitySeries } from './ambiguity.js';
import { raisesAmbiguity } from './ambiguity.js';
import { labelPeriod } from './labels.js';
import type { AnalysisParameters } from './parameters.js';
import { periodFirstMonth, periodKey, periodLastMonth, slotOfMonth } from './periods.js';
import { absorbDeviations, enforceMinLength, runsOf } from './smoothing.js';
import type { OrientationTracks } from './tracks.js';
import { isResistedRoutineChange } from './tracks.js';

export type DominantMode = Mode | 'none';

/** Why an event is cited at a phase boundary (DOMAIN.md "Phases"). */
export type BoundaryReason = 'ownership-change' | 'goal-reversal' | 'routine-change' | 'ambiguity-onset' | 'network-change';

export interface BoundaryMarker {
  readonly id: string;
  readonly reason: BoundaryReason;
  /** Period of the event. */
  readonly period: string;
}

export interface DetectedPhase {
  /** First and last month covered, `YYYY-MM` (FORMAT.md), whatever the granularity. */
  readonly from: string;
  readonly to: string;
  /** First and last period in the analysis granularity. */
  readonly fromPeriod: string;
  readonly toPeriod: string;
  readonly periods: number;
  readonly label: PhaseLabel;
  /** Means over the phase's periods. */
  readonly declared: number;
  readonly enacted: number;
  readonly ambiguity: number;
  readonly dominantMode: DominantMode;
  readonly eventCount: number;
  /** Events marking the boundary this phase starts at; empty for the first phase. */
  readonly boundaryEvents: readonly string[];
  readonly boundaryMarkers: readonly BoundaryMarker[];
}

export interface PhaseDetection {
  /** Label of each period before smoothing, and after. */
  readonly rawLabels: readonly PhaseLabel[];
  readonly labels: readonly PhaseLabel[];
  readonly phases: readonly DetectedPhase[];
}

interface SlottedMarker {
  readonly id: string;
  readonly slot: number;
  readonly reason: BoundaryReason;
}

/** Events that can mark a boundary, each once, with the first reason that applies. */
function boundaryCandidates(
  sorted: readonly TimelineEntry[],
  tracks: OrientationTracks,
  ambiguity: AmbiguitySeries,
): SlottedMarker[] {
  const reversals = new Set(
    tracks.declaredMoves
      .filter((m) => m.target !== 0 && m.before !== 0 && Math.sign(m.target) !== Math.sign(m.before))
      .map((m) => m.id),
  );
  const ambiguous = new Set(ambiguity.signals.filter(raisesAmbiguity).map((s) => s.id));
  const markers: SlottedMarker[] = [];
  for (const e of sorted) {
    const slot = slotOfMonth(tracks.grid, e.month);
    let reason: BoundaryReason | null = null;
    if (e.kind === 'ownership-change') reason = 'ownership-change';
    else if (reversals.has(e.id)) reason = 'goal-reversal';
    else if (e.kind === 'planning-routine-change' && !isResistedRoutineChange(e)) reason = 'routine-change';
    else if (e.kind === 'network-change') reason = 'network-change';
    else if (ambiguous.has(e.id)) reason = 'ambiguity-onset';
    if (reason) markers.push({ id: e.id, slot, reason });
  }
  return markers;
}

/** Events per mode over slots `from..to` of `bySlot` (counted in place, no list of the phase's events). */
function modeCounts(bySlot: ReadonlyMap<number, readonly TimelineEntry[]>, from: number, to: number): Record<Mode, number> {
  const counts: Record<Mode, number> = { interactive: 0, procedural: 0, context: 0 };
  for (let s = from; s <= to; s++) for (const e of bySlot.get(s) ?? []) counts[e.mode]++;
  return counts;
}

function dominantMode(counts: Readonly<Record<Mode, number>>): DominantMode {
  // Ties go to the strategizing modes first: they are what the phase is *about*.
  let best: DominantMode = 'none';
  let bestCount = 0;
  for (const mode of ['interactive', 'procedural', 'context'] as const) {
    if (counts[mode] > bestCount) {
      best = mode;
      bestCount = counts[mode];
    }
  }
  return best;
}

const mean = (xs: readonly number[], from: number, to: number): number => {
  let s = 0;
  for (let i = from; i <= to; i++) s += xs[i]!;
  return s / (to - from + 1);
};

/**
 * Labels each period, smooths the labels (a short deviation inside a phase is tolerated; runs
 * shorter than the minimum phase length join their most similar neighbour) and merges runs
 * into phases with their mean configuration and the events that mark each boundary.
 */
export function detectPhases(
  sorted: readonly TimelineEntry[],
  tracks: OrientationTracks,
  ambiguity: AmbiguitySeries,
  params: AnalysisParameters,
): PhaseDetection {
  const grid = tracks.grid;
  const rawLabels: PhaseLabel[] = [];
  const features: number[][] = [];
  for (let i = 0; i < grid.count; i++) {
    const d = tracks.declared[i]!;
    const e = tracks.enacted[i]!;
    const a = ambiguity.values[i]!;
    rawLabels.push(labelPeriod(d, e, a, params, i > 0 ? rawLabels[i - 1]! : null));
    features.push([d, e, a]);
  }
  const labels = enforceMinLength(
    absorbDeviations(rawLabels, params.deviationTolerancePeriods),
    features,
    params.minPhasePeriods,
  );

  const candidates = boundaryCandidates(sorted, tracks, ambiguity);
  const bySlot = new Map<number, TimelineEntry[]>();
  for (const e of sorted) {
    const slot = slotOfMonth(grid, e.month);
    const list = bySlot.get(slot) ?? [];
    list.push(e);
    bySlot.set(slot, list);
  }

  const phases: DetectedPhase[] = runsOf(labels).map((run, index) => {
    let eventCount = 0;
    for (let s = run.start; s <= run.end; s++) eventCount += bySlot.get(s)?.length ?? 0;
    const markers =
      index === 0
        ? []
        : candidates
            .filter((c) => Math.abs(c.slot - run.start) <= params.boundaryWindowPeriods)
            .sort((a, b) => Math.abs(a.slot - run.start) - Math.abs(b.slot - run.start) || a.slot - b.slot || (a.id < b.id ? -1 : 1))
            .map((c) => ({ id: c.id, reason: c.reason, period: periodKey(grid.first + c.slot, grid.granularity) }));
    return {
      from: periodFirstMonth(grid.first + run.start, grid.granularity),
      to: periodLastMonth(grid.first + run.end, grid.granularity),
      fromPeriod: grid.keys[run.start]!,
      toPeriod: grid.keys[run.end]!,
      periods: run.end - run.start + 1,
      label: run.label,
      declared: mean(tracks.declared, run.start, run.end),
      enacted: mean(tracks.enacted, run.start, run.end),
      ambiguity: mean(ambiguity.values, run.start, run.end),
      dominantMode: dominantMode(modeCounts(bySlot, run.start, run.end)),
      eventCount,
      boundaryEvents: markers.map((m) => m.id),
      boundaryMarkers: markers,
    };
  });
  return { rawLabels, labels, phases };
}

export function patternOf(phases: readonly { label: string }[]): string {
  return phases.map((p) => p.label).join(' > ');
}
