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
   * Share of the ambiguity a decisive act removes: a strategizing event (interactive, or a
   * procedural change that was not resisted) at full orientation (±2) that does not switch
   * against the previous decision. DOMAIN.md names the *resolution* of ambiguity as a phase
   * boundary; a firm resolves its doubt by committing, not only by time passing.
   */
  readonly ambiguityResolvedByDecisiveAct: number;

  // --- period labels ------------------------------------------------------------------
  /** Mean of declared and enacted at or above this → customization. */
  readonly customizationThreshold: number;
  /** Mean of declared and enacted at or below this → cost. */
  readonly costThreshold: number;
  /** |declared − enacted| at or above this → decoupled. */
  readonly decoupledGap: number;
  /** Ambiguity at or above this → ambiguity (takes precedence over every other label). */
  readonly ambiguityThreshold: number;

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
  declaredStepWeight: 0.6,
  enactedStepWeight: 0.6,
  confidenceWeights: Object.freeze({ low: 0.5, medium: 1, high: 1 }),
  unobservedTrackMirrorsOther: true,
  ambiguityFromDemandShift: 0.4,
  ambiguityFromIrregularProfit: 0.4,
  ambiguityFromDecliningProfit: 0.3,
  ambiguityFromConflictingDecisions: 0.3,
  conflictWindowPeriods: 6,
  ambiguityHalfLifePeriods: 6,
  ambiguityResolvedByDecisiveAct: 0.5,
  customizationThreshold: 0.3,
  costThreshold: -0.3,
  decoupledGap: 0.6,
  ambiguityThreshold: 0.5,
  minPhasePeriods: 3,
  deviationTolerancePeriods: 1,
  boundaryWindowPeriods: 3,
  resistanceMinPeriods: 6,
  mechanismWindowMonths: 12,
  costMoveMinDrop: 0.3,
} satisfies AnalysisParameters);

/** Defaults overlaid with the caller's values; rejects values that would make the method meaningless. */
export function resolveParameters(overrides: Partial<AnalysisParameters> = {}): AnalysisParameters {
  const p: AnalysisParameters = {
    ...DEFAULT_PARAMETERS,
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
  for (const [k, v] of Object.entries(p.confidenceWeights)) unit(`confidenceWeights.${k}` as keyof AnalysisParameters, v);
  unit('ambiguityFromDemandShift', p.ambiguityFromDemandShift);
  unit('ambiguityFromIrregularProfit', p.ambiguityFromIrregularProfit);
  unit('ambiguityFromDecliningProfit', p.ambiguityFromDecliningProfit);
  unit('ambiguityFromConflictingDecisions', p.ambiguityFromConflictingDecisions);
  count('conflictWindowPeriods', p.conflictWindowPeriods);
  positive('ambiguityHalfLifePeriods', p.ambiguityHalfLifePeriods);
  unit('ambiguityResolvedByDecisiveAct', p.ambiguityResolvedByDecisiveAct);
  unit('ambiguityThreshold', p.ambiguityThreshold);
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
