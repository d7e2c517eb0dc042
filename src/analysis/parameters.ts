import type { Confidence } from '../domain/vocabulary.js';

/**
 * Every number the analysis uses, named and defaulted, so a report can print the exact method
 * it applied and a researcher can rerun it with other values. Nothing in src/analysis may use a
 * magic number that is not here (except the fixed orientation scale −2..+2 → −1..+1).
 */
export type Granularity = 'month' | 'quarter' | 'year';

export interface AnalysisParameters {
  /** Width of one period on every track and phase. */
  readonly granularity: Granularity;
  /**
   * Last period to show (`YYYY-MM`); `null` means the period of the latest event. Lets a
   * researcher extend the tracks to "today" without the analysis reading a clock.
   */
  readonly until: string | null;

  // --- orientation tracks -------------------------------------------------------------
  /** Share of the distance to an interactive event's orientation the declared track moves. */
  readonly declaredStepWeight: number;
  /** Share of the distance to a procedural event's orientation the enacted track moves. */
  readonly enactedStepWeight: number;
  /**
   * A track steps towards the median orientation of its last this-many acts (this one included),
   * so a lone act against its recent predecessors is damped; 1 = each act's own orientation.
   */
  readonly trackMedianOf: number;
  /** Acts older than this many periods no longer count in that median. */
  readonly trackMemoryPeriods: number;
  /**
   * Multiplies the step weight by the coder's confidence, so a low-confidence event nudges a
   * track less than a well-sourced one.
   */
  readonly confidenceWeights: Readonly<Record<Confidence, number>>;
  /**
   * Until a track has seen its first own event it shows the other track's value: with no
   * evidence about routines yet, we do not invent a gap between talk and practice.
   */
  readonly unobservedTrackMirrorsOther: boolean;

  // --- goal ambiguity -----------------------------------------------------------------
  /** Contributions in [0,1], combined as independent signals: a ← 1 − (1 − a)(1 − c). */
  readonly ambiguityFromDemandShift: number;
  readonly ambiguityFromIrregularProfit: number;
  readonly ambiguityFromDecliningProfit: number;
  readonly ambiguityFromConflictingDecisions: number;
  /** An interactive event switching sign against the previous one at most this many periods before conflicts. */
  readonly conflictWindowPeriods: number;
  /** Ambiguity halves after this many periods without a new signal. */
  readonly ambiguityHalfLifePeriods: number;
  /**
   * Share of the ambiguity a commitment removes: an act that moves a track and agrees with that
   * track's recent acts (its orientation is their median), without switching against the last
   * decision. DOMAIN.md names the *resolution* of ambiguity as a phase boundary; a firm resolves
   * its doubt by committing, not only by time passing.
   */
  readonly ambiguityResolvedByCommitment: number;

  // --- period labels ------------------------------------------------------------------
  /** Mean of declared and enacted at or above this → customization. */
  readonly customizationThreshold: number;
  /** Mean of declared and enacted at or below this → cost. */
  readonly costThreshold: number;
  /** |declared − enacted| at or above this → decoupled. */
  readonly decoupledGap: number;
  /** Ambiguity at or above this → ambiguity (takes precedence over every other label). */
  readonly ambiguityThreshold: number;
  /**
   * Once a period is labelled ambiguity, later periods keep that label while ambiguity stays at
   * or above this lower value (hysteresis), so a level hovering at the threshold does not
   * flicker in and out. Equal to `ambiguityThreshold` turns it off.
   */
  readonly ambiguityExitThreshold: number;

  // --- phase smoothing (flexible phase mapping) ---------------------------------------
  /** Shortest phase, in periods; shorter runs are merged into the most similar neighbour. */
  readonly minPhasePeriods: number;
  /** A run at most this long between two runs of one label is absorbed by them. */
  readonly deviationTolerancePeriods: number;
  /** Marker events this many periods either side of a boundary are cited for it. */
  readonly boundaryWindowPeriods: number;

  // --- mechanism checks ---------------------------------------------------------------
  /** Procedural resistance: declared and enacted at least `decoupledGap` apart this long. */
  readonly resistanceMinPeriods: number;
  /** Ambiguity-then-cost and ownership-then-cost: the declared move must follow within this. */
  readonly mechanismWindowMonths: number;
  /**
   * A declared move to cost: within the window the declared track falls at least this much
   * below its level before the trigger, and reaches `costThreshold`.
   */
  readonly costMoveMinDrop: number;
}

export const METHOD_NAME = 'strata-tracks-phases';
export const METHOD_VERSION = '1.0.0';

export const DEFAULT_PARAMETERS: AnalysisParameters = Object.freeze({
  granularity: 'month',
  until: null,
  declaredStepWeight: 0.5,
  enactedStepWeight: 0.5,
  trackMedianOf: 3,
  trackMemoryPeriods: 24,
  confidenceWeights: Object.freeze({ low: 0.5, medium: 1, high: 1 }),
  unobservedTrackMirrorsOther: true,
  ambiguityFromDemandShift: 0.35,
  ambiguityFromIrregularProfit: 0.35,
  ambiguityFromDecliningProfit: 0.3,
  ambiguityFromConflictingDecisions: 0.2,
  conflictWindowPeriods: 6,
  ambiguityHalfLifePeriods: 9,
  ambiguityResolvedByCommitment: 0.5,
  customizationThreshold: 0.3,
  costThreshold: -0.3,
  decoupledGap: 0.6,
  ambiguityThreshold: 0.5,
  ambiguityExitThreshold: 0.4,
  minPhasePeriods: 6,
  deviationTolerancePeriods: 1,
  boundaryWindowPeriods: 3,
  resistanceMinPeriods: 6,
  mechanismWindowMonths: 12,
  costMoveMinDrop: 0.3,
} satisfies AnalysisParameters);

/** Parameters counted in periods; their defaults are tuned for months. */
const PERIOD_COUNTS = [
  'trackMemoryPeriods',
  'conflictWindowPeriods',
  'minPhasePeriods',
  'deviationTolerancePeriods',
  'boundaryWindowPeriods',
  'resistanceMinPeriods',
] as const;

const MONTHS_PER: Record<Granularity, number> = { month: 1, quarter: 3, year: 12 };

/**
 * The defaults for a granularity: durations tuned in months are converted to the same time span
 * in quarters or years (never below one period), so `--period quarter` keeps the method's
 * meaning rather than stretching every window threefold.
 */
export function defaultsFor(granularity: Granularity): AnalysisParameters {
  const per = MONTHS_PER[granularity] ?? 1;
  if (per === 1) return DEFAULT_PARAMETERS;
  const scaled: Record<string, number> = {};
  for (const k of PERIOD_COUNTS) scaled[k] = Math.max(1, Math.round(DEFAULT_PARAMETERS[k] / per));
  return {
    ...DEFAULT_PARAMETERS,
    ...scaled,
    granularity,
    ambiguityHalfLifePeriods: DEFAULT_PARAMETERS.ambiguityHalfLifePeriods / per,
  };
}

/** Defaults overlaid with the caller's values; rejects values that would make the method meaningless. */
export function resolveParameters(overrides: Partial<AnalysisParameters> = {}): AnalysisParameters {
  const base = defaultsFor(overrides.granularity ?? DEFAULT_PARAMETERS.granularity);
  const p: AnalysisParameters = {
    ...base,
    ...overrides,
    confidenceWeights: { ...DEFAULT_PARAMETERS.confidenceWeights, ...(overrides.confidenceWeights ?? {}) },
  };
  const unit = (name: keyof AnalysisParameters, v: number): void => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`analysis parameter ${name} must be in [0, 1] (got ${v})`);
  };
  const positive = (name: keyof AnalysisParameters, v: number): void => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`analysis parameter ${name} must be a positive number (got ${v})`);
  };
  const count = (name: keyof AnalysisParameters, v: number): void => {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`analysis parameter ${name} must be a whole number ≥ 0 (got ${v})`);
  };
  if (!['month', 'quarter', 'year'].includes(p.granularity)) {
    throw new RangeError(`analysis parameter granularity must be month, quarter or year (got ${String(p.granularity)})`);
  }
  if (p.until !== null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(p.until)) {
    throw new RangeError(`analysis parameter until must be YYYY-MM or null (got ${p.until})`);
  }
  unit('declaredStepWeight', p.declaredStepWeight);
  unit('enactedStepWeight', p.enactedStepWeight);
  if (!Number.isInteger(p.trackMedianOf) || p.trackMedianOf < 1) {
    throw new RangeError(`analysis parameter trackMedianOf must be a whole number ≥ 1 (got ${p.trackMedianOf})`);
  }
  count('trackMemoryPeriods', p.trackMemoryPeriods);
  for (const [k, v] of Object.entries(p.confidenceWeights)) unit(`confidenceWeights.${k}` as keyof AnalysisParameters, v);
  unit('ambiguityFromDemandShift', p.ambiguityFromDemandShift);
  unit('ambiguityFromIrregularProfit', p.ambiguityFromIrregularProfit);
  unit('ambiguityFromDecliningProfit', p.ambiguityFromDecliningProfit);
  unit('ambiguityFromConflictingDecisions', p.ambiguityFromConflictingDecisions);
  count('conflictWindowPeriods', p.conflictWindowPeriods);
  positive('ambiguityHalfLifePeriods', p.ambiguityHalfLifePeriods);
  unit('ambiguityResolvedByCommitment', p.ambiguityResolvedByCommitment);
  unit('ambiguityThreshold', p.ambiguityThreshold);
  unit('ambiguityExitThreshold', p.ambiguityExitThreshold);
  if (p.ambiguityExitThreshold > p.ambiguityThreshold) {
    throw new RangeError('analysis parameter ambiguityExitThreshold must not exceed ambiguityThreshold');
  }
  if (!(p.costThreshold < p.customizationThreshold)) {
    throw new RangeError('analysis parameter costThreshold must be below customizationThreshold');
  }
  positive('decoupledGap', p.decoupledGap);
  count('minPhasePeriods', p.minPhasePeriods);
  count('deviationTolerancePeriods', p.deviationTolerancePeriods);
  count('boundaryWindowPeriods', p.boundaryWindowPeriods);
  count('resistanceMinPeriods', p.resistanceMinPeriods);
  count('mechanismWindowMonths', p.mechanismWindowMonths);
  unit('costMoveMinDrop', p.costMoveMinDrop);
  return p;
}
