import { PHASE_LABELS } from '../domain/vocabulary.js';
import type { PhaseLabel } from '../domain/vocabulary.js';
import type { FirmAnalysis } from './analyse-firm.js';
import { averageLinkage, cutTree } from './clustering.js';
import type { Merge } from './clustering.js';
import { LcsMatcher, omDistance, TRAMINER_COSTS } from './optimal-matching.js';
import type { OmCosts } from './optimal-matching.js';

/** One firm's path: its label per period, from its first period. */
export interface PhaseSequence {
  readonly firm: string;
  /** First period of the sequence (`YYYY-MM`, `YYYY-Qn` or `YYYY`). */
  readonly start: string | null;
  readonly labels: readonly PhaseLabel[];
  readonly pattern: string;
}

export function sequenceOf(firm: string, analysis: Pick<FirmAnalysis, 'tracks' | 'pattern'>): PhaseSequence {
  return {
    firm,
    start: analysis.tracks[0]?.period ?? null,
    labels: analysis.tracks.map((t) => t.label),
    pattern: analysis.pattern,
  };
}

export interface CompareOptions {
  readonly costs: OmCosts;
  /**
   * Clusters are cut where average-linkage distance exceeds this; `null` = the mean sequence
   * length, i.e. two paths about half of whose periods differ (a substitution costs 2) stay
   * apart. Ignored when `clusters` is given.
   */
  readonly cutHeight: number | null;
  /** A fixed number of clusters instead of a height. */
  readonly clusters: number | null;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { costs: TRAMINER_COSTS, cutHeight: null, clusters: null };

export interface PatternFrequency {
  readonly pattern: string;
  readonly count: number;
  readonly share: number;
  readonly firms: readonly string[];
}

export interface FirmCluster {
  readonly id: number;
  readonly firms: readonly string[];
  /** The firm with the smallest total distance to the others in its cluster. */
  readonly medoid: string;
  readonly medoidPattern: string;
  /** Mean OM distance between members (0 for one firm). */
  readonly meanDistance: number;
}

export interface CrossCaseComparison {
  readonly method: {
    readonly name: 'optimal-matching';
    readonly substitution: number;
    readonly indel: number;
    readonly linkage: 'average';
    readonly cutHeight: number | null;
    readonly clusters: number | null;
  };
  /** Sorted by firm id; `distances[i][j]` is between `firms[i]` and `firms[j]`. */
  readonly firms: readonly { readonly firm: string; readonly pattern: string; readonly periods: number }[];
  readonly distances: readonly (readonly number[])[];
  readonly patterns: readonly PatternFrequency[];
  readonly clusters: readonly FirmCluster[];
  readonly merges: readonly Merge[];
}

const CODE = new Map<PhaseLabel, number>(PHASE_LABELS.map((l, i) => [l, i]));

/** OM distances between every pair of firms. Symmetric, zero diagonal. */
export function distanceMatrix(sequences: readonly PhaseSequence[], costs: OmCosts = TRAMINER_COSTS): number[][] {
  const coded = sequences.map((s) => Int32Array.from(s.labels, (l) => CODE.get(l)!));
  const n = sequences.length;
  const m: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const lcsShortcut = costs.substitution >= 2 * costs.indel; // see omDistance
  for (let i = 0; i < n; i++) {
    const matcher = lcsShortcut ? new LcsMatcher(coded[i]!) : null;
    for (let j = i + 1; j < n; j++) {
      const d = matcher
        ? costs.indel * (coded[i]!.length + coded[j]!.length - 2 * matcher.length(coded[j]!))
        : omDistance(coded[i]!, coded[j]!, costs);
      m[i]![j] = d;
      m[j]![i] = d;
    }
  }
  return m;
}

export function patternFrequencies(sequences: readonly PhaseSequence[]): PatternFrequency[] {
  const by = new Map<string, string[]>();
  for (const s of sequences) by.set(s.pattern, [...(by.get(s.pattern) ?? []), s.firm]);
  return [...by]
    .map(([pattern, firms]) => ({ pattern, count: firms.length, share: firms.length / sequences.length, firms: firms.sort() }))
    .sort((a, b) => b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
}

/**
 * Cross-case comparison (which firms went customization → ambiguity → cost? how alike are two
 * firms' paths?): OM distances between per-period label sequences, pattern frequencies, and
 * average-linkage clusters cut at a documented height. Firms are ordered by id first, so the
 * result does not depend on the order they are passed in.
 */
export function compareFirms(sequences: readonly PhaseSequence[], options: Partial<CompareOptions> = {}): CrossCaseComparison {
  const o = { ...DEFAULT_COMPARE_OPTIONS, ...options };
  const sorted = [...sequences].sort((a, b) => (a.firm < b.firm ? -1 : a.firm > b.firm ? 1 : 0));
  const distances = distanceMatrix(sorted, o.costs);
  const merges = averageLinkage(distances);
  const meanLength = sorted.length === 0 ? 0 : sorted.reduce((s, x) => s + x.labels.length, 0) / sorted.length;
  const cutHeight = o.clusters !== null ? null : (o.cutHeight ?? meanLength);
  const assignment = cutTree(sorted.length, merges, o.clusters !== null ? { k: o.clusters } : { height: cutHeight! });
  const members = new Map<number, number[]>();
  assignment.forEach((c, i) => members.set(c, [...(members.get(c) ?? []), i]));
  const clusters: FirmCluster[] = [...members.values()]
    .map((idx) => {
      let medoid = idx[0]!;
      let bestSum = Infinity;
      let total = 0;
      for (const i of idx) {
        let sum = 0;
        for (const j of idx) sum += distances[i]![j]!;
        total += sum;
        if (sum < bestSum) {
          bestSum = sum;
          medoid = i;
        }
      }
      const pairs = idx.length * (idx.length - 1);
      return {
        id: 0,
        firms: idx.map((i) => sorted[i]!.firm),
        medoid: sorted[medoid]!.firm,
        medoidPattern: sorted[medoid]!.pattern,
        meanDistance: pairs === 0 ? 0 : total / pairs,
      };
    })
    .sort((a, b) => b.firms.length - a.firms.length || (a.medoid < b.medoid ? -1 : 1))
    .map((c, i) => ({ ...c, id: i + 1 }));
  return {
    method: {
      name: 'optimal-matching',
      substitution: o.costs.substitution,
      indel: o.costs.indel,
      linkage: 'average',
      cutHeight,
      clusters: o.clusters,
    },
    firms: sorted.map((s) => ({ firm: s.firm, pattern: s.pattern, periods: s.labels.length })),
    distances,
    patterns: patternFrequencies(sorted),
    clusters,
    merges,
  };
}
