import type { TimelineEntry } from '../domain/timeline.js';
import type { PhaseLabel } from '../domain/vocabulary.js';
import type { AmbiguitySeries } from './ambiguity.js';
import { raisesAmbiguity } from './ambiguity.js';
import type { AnalysisParameters } from './parameters.js';
import { monthsPerPeriod, slotOfMonth } from './periods.js';
import type { OrientationTracks, TrackMove } from './tracks.js';

/** Whether this case shows one of the theory's mechanisms, citing the events behind it. */
export interface MechanismCheck {
  readonly id: string;
  readonly title: string;
  readonly holds: boolean;
  readonly evidence: readonly string[];
  readonly detail: string;
}

export const CHECK_IDS = ['ownership-then-cost', 'procedural-resistance', 'ambiguity-then-cost', 'responsiveness-fallacy'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

interface CheckInput {
  readonly sorted: readonly TimelineEntry[];
  readonly tracks: OrientationTracks;
  readonly ambiguity: AmbiguitySeries;
  readonly labels: readonly PhaseLabel[];
  readonly params: AnalysisParameters;
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];

/**
 * A declared move to cost after slot `at`: within `windowSlots` the declared track falls at
 * least `costMoveMinDrop` below its level just before `at` and reaches the cost threshold.
 * Returns the interactive events that pointed it towards cost, or null.
 */
function declaredMoveToCost(input: CheckInput, at: number, windowSlots: number): { moves: TrackMove[]; reached: number } | null {
  const { tracks, params } = input;
  const firstMoveAt = tracks.declaredMoves.find((m) => m.slot === at);
  const baseline = at > 0 ? tracks.declared[at - 1]! : (firstMoveAt?.before ?? tracks.declared[at]!);
  const last = Math.min(tracks.grid.count - 1, at + windowSlots);
  let lowest = Infinity;
  for (let s = at; s <= last; s++) lowest = Math.min(lowest, tracks.declared[s]!);
  if (!(baseline - lowest >= params.costMoveMinDrop && lowest <= params.costThreshold)) return null;
  // Every act that pointed towards cost, including one damped as a lone deviation: it is part of
  // the story even when the track moved only with the act that followed it.
  const moves = tracks.declaredMoves.filter((m) => m.slot >= at && m.slot <= last && m.target < m.before);
  return { moves, reached: lowest };
}

const windowSlots = (params: AnalysisParameters): number =>
  Math.ceil(params.mechanismWindowMonths / monthsPerPeriod(params.granularity));

const fmt = (x: number): string => x.toFixed(2);

/** Claim 2 via a new owner's rhetoric: an ownership change, then the declared track moves to cost. */
export function ownershipThenCost(input: CheckInput): MechanismCheck {
  const { sorted, tracks, params } = input;
  const owners = sorted.filter((e) => e.kind === 'ownership-change');
  const evidence: string[] = [];
  const found: string[] = [];
  for (const o of owners) {
    const hit = declaredMoveToCost(input, slotOfMonth(tracks.grid, o.month), windowSlots(params));
    if (hit && hit.moves.length > 0) {
      evidence.push(o.id, ...hit.moves.map((m) => m.id));
      found.push(`${o.month}: declared reached ${fmt(hit.reached)}`);
    }
  }
  return {
    id: 'ownership-then-cost',
    title: `Ownership change followed within ${params.mechanismWindowMonths} months by a declared move towards cost`,
    holds: found.length > 0,
    evidence: unique(evidence),
    detail:
      owners.length === 0
        ? 'No ownership change is logged.'
        : found.length > 0
          ? `After ${found.length} of ${owners.length} ownership change(s): ${found.join('; ')}.`
          : `None of ${owners.length} ownership change(s) was followed by a declared move to cost.`,
  };
}

/** Claim 3: talk moved, routines did not — declared and enacted apart for a sustained stretch. */
export function proceduralResistance(input: CheckInput): MechanismCheck {
  const { tracks, params } = input;
  const gapAt = (s: number): boolean => Math.abs(tracks.declared[s]! - tracks.enacted[s]!) >= params.decoupledGap;
  const stretches: Array<[number, number]> = [];
  for (let s = 0; s < tracks.grid.count; s++) {
    if (!gapAt(s)) continue;
    let e = s;
    while (e + 1 < tracks.grid.count && gapAt(e + 1)) e++;
    if (e - s + 1 >= params.resistanceMinPeriods) stretches.push([s, e]);
    s = e;
  }
  const evidence: string[] = [];
  for (const [s, e] of stretches) {
    // The talk that opened the gap, the routines that held, and the change that closed it.
    evidence.push(...tracks.declaredMoves.filter((m) => m.slot === s).map((m) => m.id));
    evidence.push(...tracks.resisted.filter((r) => r.slot >= s && r.slot <= e).map((r) => r.id));
    evidence.push(...tracks.enactedMoves.filter((m) => m.slot === e + 1).map((m) => m.id));
  }
  const keys = tracks.grid.keys;
  return {
    id: 'procedural-resistance',
    title: `Declared and enacted at least ${params.decoupledGap} apart for ${params.resistanceMinPeriods}+ periods`,
    holds: stretches.length > 0,
    evidence: unique(evidence),
    detail:
      stretches.length > 0
        ? stretches.map(([s, e]) => `${keys[s]}–${keys[e]} (${e - s + 1} periods)`).join('; ') +
          `; ${tracks.resisted.length} routine change(s) coded as resisted in all.`
        : `No gap of ${params.decoupledGap} lasted ${params.resistanceMinPeriods} periods.`,
  };
}

/** Claim 4: ambiguity rises, and within the window the declared orientation moves to cost. */
export function ambiguityThenCost(input: CheckInput): MechanismCheck {
  const { tracks, ambiguity, params } = input;
  const onsets: number[] = [];
  for (let s = 0; s < ambiguity.values.length; s++) {
    const before = s > 0 ? ambiguity.values[s - 1]! : 0;
    if (ambiguity.values[s]! >= params.ambiguityThreshold && before < params.ambiguityThreshold) onsets.push(s);
  }
  const evidence: string[] = [];
  const found: string[] = [];
  const lookBack = Math.ceil(params.ambiguityHalfLifePeriods);
  for (const s of onsets) {
    const hit = declaredMoveToCost(input, s, windowSlots(params));
    if (!hit || hit.moves.length === 0) continue;
    evidence.push(...ambiguity.signals.filter((x) => raisesAmbiguity(x) && x.slot <= s && x.slot >= s - lookBack).map((x) => x.id));
    evidence.push(...hit.moves.map((m) => m.id));
    found.push(`${tracks.grid.keys[s]}: declared reached ${fmt(hit.reached)}`);
  }
  return {
    id: 'ambiguity-then-cost',
    title: `Goal ambiguity rose and within ${params.mechanismWindowMonths} months the declared orientation moved towards cost`,
    holds: found.length > 0,
    evidence: unique(evidence),
    detail:
      onsets.length === 0
        ? `Ambiguity never reached ${params.ambiguityThreshold}.`
        : found.length > 0
          ? `After ${found.length} of ${onsets.length} onset(s): ${found.join('; ')}.`
          : `None of ${onsets.length} ambiguity onset(s) was followed by a declared move to cost.`,
  };
}

/**
 * Claim 5: responsiveness is still promised while practice is cost-oriented (a cost period, or
 * enacted at the cost threshold however the talk stands) and realised responsiveness falls
 * within the window of that promise.
 */
export function responsivenessFallacy(input: CheckInput): MechanismCheck {
  const { sorted, tracks, labels, params } = input;
  const grid = tracks.grid;
  const costAt = (s: number): boolean => labels[s] === 'cost' || tracks.enacted[s]! <= params.costThreshold;
  const claims = sorted.filter((e) => e.claimsResponsiveness === true && costAt(slotOfMonth(grid, e.month)));
  const declines = sorted.filter((e) => e.kind === 'customer-response-observation' && e.trend === 'declining');
  const w = windowSlots(params);
  const evidence: string[] = [];
  for (const c of claims) {
    const cs = slotOfMonth(grid, c.month);
    const near = declines.filter((d) => Math.abs(slotOfMonth(grid, d.month) - cs) <= w);
    if (near.length > 0) evidence.push(c.id, ...near.map((d) => d.id));
  }
  const ev = unique(evidence);
  return {
    id: 'responsiveness-fallacy',
    title: 'Responsiveness still claimed in a cost phase while realised responsiveness declined',
    holds: ev.length > 0,
    evidence: ev,
    detail:
      claims.length === 0
        ? 'No claim of responsiveness falls in a cost-oriented period.'
        : ev.length > 0
          ? `${claims.length} claim(s) of responsiveness in cost-oriented periods, with declining customer response within ${params.mechanismWindowMonths} months.`
          : `${claims.length} claim(s) of responsiveness in cost-oriented periods, but no declining customer response near them.`,
  };
}

export function mechanismChecks(input: CheckInput): MechanismCheck[] {
  return [ownershipThenCost(input), proceduralResistance(input), ambiguityThenCost(input), responsivenessFallacy(input)];
}
