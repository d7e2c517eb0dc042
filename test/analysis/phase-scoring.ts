import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import type { AnalysisParameters } from '../../src/analysis/parameters.js';
import { monthIndex } from '../../src/analysis/periods.js';
import type { SyntheticFirm } from './synthetic-firms.js';

/** How well detected phases recover planted ones, summed over firms. */
export interface KnownAnswerScore {
  readonly firms: number;
  readonly plantedBoundaries: number;
  readonly detectedBoundaries: number;
  readonly matchedBoundaries: number;
  /** matched / planted, and matched / detected. */
  readonly recall: number;
  readonly precision: number;
  readonly monthsCompared: number;
  readonly monthsAgreeing: number;
  readonly labelAgreement: number;
}

/**
 * Pairs planted and detected boundaries one-to-one, closest pairs first, within the tolerance,
 * so one detected boundary cannot count for two planted ones (or the reverse).
 */
export function matchBoundaries(planted: readonly number[], detected: readonly number[], tolerance: number): number {
  const pairs: Array<[number, number, number]> = [];
  planted.forEach((p, i) => detected.forEach((d, j) => Math.abs(p - d) <= tolerance && pairs.push([Math.abs(p - d), i, j])));
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const usedP = new Set<number>();
  const usedD = new Set<number>();
  for (const [, i, j] of pairs) {
    if (usedP.has(i) || usedD.has(j)) continue;
    usedP.add(i);
    usedD.add(j);
  }
  return usedP.size;
}

export function scoreFirms(
  firms: readonly SyntheticFirm[],
  params: Partial<AnalysisParameters> = {},
  toleranceMonths = 3,
): KnownAnswerScore {
  let planted = 0;
  let detected = 0;
  let matched = 0;
  let compared = 0;
  let agreeing = 0;
  for (const firm of firms) {
    const a = analyseFirm(firm.entries, [], { ...params, granularity: 'month', until: firm.months[firm.months.length - 1]! });
    const p = firm.planted.slice(1).map((x) => monthIndex(x.from));
    const d = a.phases.slice(1).map((x) => monthIndex(x.from));
    planted += p.length;
    detected += d.length;
    matched += matchBoundaries(p, d, toleranceMonths);
    const byMonth = new Map(a.tracks.map((t) => [t.period, t.label]));
    firm.months.forEach((m, i) => {
      compared++;
      if (byMonth.get(m) === firm.monthLabels[i]) agreeing++;
    });
  }
  return {
    firms: firms.length,
    plantedBoundaries: planted,
    detectedBoundaries: detected,
    matchedBoundaries: matched,
    recall: planted === 0 ? 1 : matched / planted,
    precision: detected === 0 ? 1 : matched / detected,
    monthsCompared: compared,
    monthsAgreeing: agreeing,
    labelAgreement: compared === 0 ? 1 : agreeing / compared,
  };
}
