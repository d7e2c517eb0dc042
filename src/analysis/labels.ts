import type { PhaseLabel } from '../domain/vocabulary.js';
import type { AnalysisParameters } from './parameters.js';

/**
 * The configuration label of one period. Precedence, most specific first:
 * 1. `ambiguity` — goals are in doubt (entered at `ambiguityThreshold`, kept down to
 *    `ambiguityExitThreshold` when the previous period was ambiguity); claim 4 makes this the state that precedes a move to
 *    cost, so it is reported even while talk and routines are apart;
 * 2. `decoupled` — declared and enacted far apart (claim 3's resistance, claim 5's fallacy);
 * 3. `customization` / `cost` — by the mean of the two tracks;
 * 4. `mixed` — a real position between the poles, not missing data (DOMAIN.md).
 */
export function labelPeriod(
  declared: number,
  enacted: number,
  ambiguity: number,
  params: AnalysisParameters,
  previous: PhaseLabel | null = null,
): PhaseLabel {
  // Hysteresis: ambiguity is entered at the threshold and left only below the exit threshold.
  const threshold = previous === 'ambiguity' ? params.ambiguityExitThreshold : params.ambiguityThreshold;
  if (ambiguity >= threshold) return 'ambiguity';
  if (Math.abs(declared - enacted) >= params.decoupledGap) return 'decoupled';
  const position = (declared + enacted) / 2;
  if (position >= params.customizationThreshold) return 'customization';
  if (position <= params.costThreshold) return 'cost';
  return 'mixed';
}
