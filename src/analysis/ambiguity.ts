import type { TimelineEntry } from '../domain/timeline.js';
import { sortForAnalysis } from './order.js';
import type { AnalysisParameters } from './parameters.js';
import { resolveParameters } from './parameters.js';
import { slotOfMonth } from './periods.js';
import type { PeriodGrid } from './periods.js';
import { computeTracks, gridFor } from './tracks.js';
import type { OrientationTracks, TrackMove } from './tracks.js';

export type AmbiguityReason = 'demand-shift' | 'irregular-profit' | 'declining-profit' | 'conflicting-decisions';

/**
 * One event changing goal ambiguity: raising it (claim 4), with the events it conflicts with, if
 * any; or, for a committing act, resolving part of it.
 */
export interface AmbiguitySignal {
  readonly id: string;
  readonly slot: number;
  readonly reason: AmbiguityReason | 'commitment';
  /** Raising: the contribution combined in. Resolving: the share of the level removed. */
  readonly amount: number;
  /** For conflicting decisions: the previous, opposite-signed decision it switches against. */
  readonly conflictsWith: readonly string[];
}

export function raisesAmbiguity(s: AmbiguitySignal): boolean {
  return s.reason !== 'commitment';
}

export interface AmbiguitySeries {
  readonly grid: PeriodGrid;
  /** Goal ambiguity at the end of each period, in [0, 1]. */
  readonly values: readonly number[];
  readonly signals: readonly AmbiguitySignal[];
}

/**
 * The ambiguity signals in a sorted event list. Context events speak for themselves. A decision
 * is a signal only when it switches sign against the previous non-neutral decision within the
 * window: one reversal is a reframing (claim 2) and counts once, however many decisions then
 * confirm it; talk going back and forth (+, −, +) switches twice and so accumulates — that
 * back-and-forth, not either statement alone, is the ambiguity.
 */
export function ambiguitySignals(
  sorted: readonly TimelineEntry[],
  tracks: OrientationTracks,
  params: AnalysisParameters,
): AmbiguitySignal[] {
  const grid = tracks.grid;
  // Enacted after declared, so an id in both keeps its enacted move (as it always has).
  const moves = new Map<string, TrackMove>();
  for (const m of tracks.declaredMoves) moves.set(m.id, m);
  for (const m of tracks.enactedMoves) moves.set(m.id, m);
  const signals: AmbiguitySignal[] = [];
  let last: { id: string; slot: number; sign: number } | null = null;
  let e: TimelineEntry;
  let slot: number;
  // One function for every event (not a closure per event: this runs 10,000 times a report).
  const push = (reason: AmbiguitySignal['reason'], amount: number, conflictsWith: string[] = []): void => {
    if (amount > 0) signals.push({ id: e.id, slot, reason, amount, conflictsWith });
  };
  for (e of sorted) {
    slot = slotOfMonth(grid, e.month);
    if (e.kind === 'demand-shift') push('demand-shift', params.ambiguityFromDemandShift);
    else if (e.kind === 'profitability-observation' && e.trend === 'irregular') {
      push('irregular-profit', params.ambiguityFromIrregularProfit);
    } else if (e.kind === 'profitability-observation' && e.trend === 'declining') {
      push('declining-profit', params.ambiguityFromDecliningProfit);
    }
    let switched = false;
    if (e.mode === 'interactive' && e.orientation !== 0) {
      const sign = Math.sign(e.orientation);
      if (last && last.sign === -sign && slot - last.slot <= params.conflictWindowPeriods) {
        push('conflicting-decisions', params.ambiguityFromConflictingDecisions, [last.id]);
        switched = true;
      }
      last = { id: e.id, slot, sign };
    }
    // A commitment: an act that moved its track and agrees with that track's recent acts (its
    // own orientation is their median), without switching against the last decision.
    const move = moves.get(e.id);
    if (move && !switched && move.effectiveTarget === move.target) {
      push('commitment', params.ambiguityResolvedByCommitment);
    }
  }
  return signals;
}

/**
 * Goal ambiguity per period: each period the previous level decays by the half-life, then each
 * new signal is combined as an independent source of doubt, a ← 1 − (1 − a)(1 − c), which keeps
 * the level in [0, 1] without clipping and lets repeated signals accumulate with diminishing
 * effect; a committing act removes a share of it, a ← a(1 − r).
 */
export function computeAmbiguity(
  sorted: readonly TimelineEntry[],
  tracks: OrientationTracks,
  params: AnalysisParameters,
): AmbiguitySeries {
  const grid = tracks.grid;
  const signals = ambiguitySignals(sorted, tracks, params);
  const decay = Math.pow(0.5, 1 / params.ambiguityHalfLifePeriods);
  const values: number[] = new Array<number>(grid.count).fill(0);
  let level = 0;
  let next = 0;
  for (let slot = 0; slot < grid.count; slot++) {
    level *= decay;
    while (next < signals.length && signals[next]!.slot <= slot) {
      const signal = signals[next++]!;
      level = signal.reason === 'commitment' ? level * (1 - signal.amount) : 1 - (1 - level) * (1 - signal.amount);
    }
    values[slot] = level;
  }
  return { grid, values, signals };
}

/** Convenience: ambiguity straight from timeline entries in any order. */
export function goalAmbiguity(
  entries: readonly TimelineEntry[],
  overrides: Partial<AnalysisParameters> = {},
): AmbiguitySeries {
  const params = resolveParameters(overrides);
  const sorted = sortForAnalysis(entries);
  return computeAmbiguity(sorted, computeTracks(sorted, gridFor(entries, params), params), params);
}
