import type { DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import type { PhaseLabel } from '../domain/vocabulary.js';
import { analyseFirm } from './analyse-firm.js';
import type { AnalysisParameters } from './parameters.js';
import { resolveParameters } from './parameters.js';
import { periodIndexOfMonth, periodLastMonth } from './periods.js';
import { gridFor } from './tracks.js';

export interface ReplayFrame {
  readonly period: string;
  readonly declared: number;
  readonly enacted: number;
  readonly ambiguity: number;
  /** The phase the method proposes for this period knowing only the events up to it. */
  readonly phase: PhaseLabel;
  readonly pattern: string;
  readonly events: ReadonlyArray<Pick<TimelineEntry, 'id' | 'occurred' | 'kind' | 'mode' | 'orientation' | 'title'>>;
}

/**
 * The firm's story period by period as it could have been told at each point: every frame is
 * the analysis of the events up to that period only, so a later event never changes an
 * earlier frame (the phase shown is the one proposed then, not with hindsight).
 */
export function replayFrames(
  entries: readonly TimelineEntry[],
  declared: readonly DeclaredPhase[] = [],
  overrides: Partial<AnalysisParameters> = {},
): ReplayFrame[] {
  const params = resolveParameters(overrides);
  const grid = gridFor(entries, params);
  const byPeriod = new Map<number, TimelineEntry[]>();
  for (const e of entries) {
    const slot = periodIndexOfMonth(e.month, params.granularity) - grid.first;
    if (!byPeriod.has(slot)) byPeriod.set(slot, []);
    byPeriod.get(slot)!.push(e);
  }
  const frames: ReplayFrame[] = [];
  const seen: TimelineEntry[] = [];
  for (let i = 0; i < grid.count; i++) {
    const now = byPeriod.get(i) ?? [];
    seen.push(...now);
    const until = periodLastMonth(grid.first + i, params.granularity);
    const analysis = analyseFirm(seen, declared, { ...overrides, until });
    const last = analysis.tracks[analysis.tracks.length - 1];
    if (!last) continue;
    frames.push({
      period: grid.keys[i]!,
      declared: last.declared,
      enacted: last.enacted,
      ambiguity: last.ambiguity,
      phase: last.label,
      pattern: analysis.pattern,
      events: now.map(({ id, occurred, kind, mode, orientation, title }) => ({ id, occurred, kind, mode, orientation, title })),
    });
  }
  return frames;
}
