import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { averageLinkage, cutTree } from '../../src/analysis/clustering.js';
import { compareFirms } from '../../src/analysis/compare.js';
import type { PhaseSequence } from '../../src/analysis/compare.js';
import { lcsLength, omDistance, omDistanceDp } from '../../src/analysis/optimal-matching.js';
import type { PhaseLabel } from '../../src/domain/vocabulary.js';

describe('optimal matching distance (TraMineR defaults: substitution 2, indel 1)', () => {
  it('matches hand-worked examples', () => {
    expect(omDistanceDp([...'ABC'], [...'AC'])).toBe(1); // delete B
    expect(omDistanceDp([...'AA'], [...'BB'])).toBe(4); // two substitutions, or two indels each way
    expect(omDistanceDp([...'AA'], [...'BB'], { substitution: 1, indel: 1 })).toBe(2);
    expect(omDistanceDp([...'CCCKKK'], [...'CCKKKK'])).toBe(2); // one period relabelled
    expect(omDistanceDp([], [...'ABC'])).toBe(3);
    expect(lcsLength([0, 1, 2, 1], [1, 2, 1, 0])).toBe(3);
  });

  it('computes the same distance bit-parallel as by dynamic programming, across word boundaries', () => {
    const seq = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 140 });
    fc.assert(
      fc.property(seq, seq, (a, b) => {
        expect(omDistance(Int32Array.from(a), Int32Array.from(b))).toBe(omDistanceDp(a, b));
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

/** Naive O(n³) UPGMA, the definition the fast algorithm must reproduce. */
function naiveHeights(m: number[][]): number[] {
  let clusters = m.map((_, i) => [i]);
  const heights: number[] = [];
  const avg = (x: number[], y: number[]) => x.reduce((s, i) => s + y.reduce((t, j) => t + m[i]![j]!, 0), 0) / (x.length * y.length);
  while (clusters.length > 1) {
    let best: [number, number, number] = [0, 1, Infinity];
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const d = avg(clusters[i]!, clusters[j]!);
        if (d < best[2]) best = [i, j, d];
      }
    }
    heights.push(best[2]);
    const merged = [...clusters[best[0]]!, ...clusters[best[1]]!];
    clusters = clusters.filter((_, k) => k !== best[0] && k !== best[1]).concat([merged]);
  }
  return heights.sort((a, b) => a - b);
}

describe('average-linkage clustering', () => {
  it('merges four points on a line as worked by hand', () => {
    const xs = [0, 1, 5, 6];
    const m = xs.map((a) => xs.map((b) => Math.abs(a - b)));
    const merges = averageLinkage(m);
    // {0,1} and {5,6} at 1; then (5 + 6 + 4 + 5) / 4 = 5.
    expect(merges.map((x) => x.height)).toEqual([1, 1, 5]);
    expect(cutTree(4, merges, { height: 2 })).toEqual([0, 0, 1, 1]);
    expect(cutTree(4, merges, { k: 1 })).toEqual([0, 0, 0, 0]);
    expect(cutTree(4, merges, { k: 4 })).toEqual([0, 1, 2, 3]);
  });

  it('gives the same merge heights as naive UPGMA on random distance matrices', () => {
    // Real-valued points, so tied distances (where both procedures may legitimately differ) do not occur.
    const coord = fc.double({ min: 0, max: 50, noNaN: true });
    const points = fc.uniqueArray(fc.tuple(coord, coord), { minLength: 2, maxLength: 14, selector: ([a, b]) => `${a},${b}` });
    fc.assert(
      fc.property(points, (ps) => {
        const m = ps.map(([a, b]) => ps.map(([c, d]) => Math.hypot(a - c, b - d)));
        const fast = averageLinkage(m).map((x) => x.height);
        const slow = naiveHeights(m);
        fast.forEach((h, i) => expect(h).toBeCloseTo(slow[i]!, 9));
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});

const seq = (firm: string, labels: string): PhaseSequence => {
  const map: Record<string, PhaseLabel> = { C: 'customization', K: 'cost', M: 'mixed', D: 'decoupled', A: 'ambiguity' };
  const ls = [...labels].map((c) => map[c]!);
  const pattern = ls.filter((l, i) => i === 0 || l !== ls[i - 1]).join(' > ');
  return { firm, start: '2000-01', labels: ls, pattern };
};

describe('cross-case comparison', () => {
  const firms = [
    seq('delta', 'KKKKKKKK'),
    seq('alpha', 'CCCCAAKK'),
    seq('bravo', 'CCCAAAKK'),
    seq('charlie', 'CCCCAKKK'),
    seq('echo', 'KKKKKKKM'),
  ];
  const result = compareFirms(firms);

  it('orders firms by id and gives a symmetric matrix with a zero diagonal', () => {
    expect(result.firms.map((f) => f.firm)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    result.distances.forEach((row, i) => row.forEach((d, j) => expect(d).toBe(result.distances[j]![i])));
    result.distances.forEach((row, i) => expect(row[i]).toBe(0));
    // alpha vs bravo: one C↔A swap at position 4 (substitution 2).
    expect(result.distances[0]![1]).toBe(2);
  });

  it('counts pattern frequencies, most common first', () => {
    expect(result.patterns.map((p) => [p.pattern, p.count, p.firms])).toEqual([
      ['customization > ambiguity > cost', 3, ['alpha', 'bravo', 'charlie']],
      ['cost', 1, ['delta']],
      ['cost > mixed', 1, ['echo']],
    ]);
  });

  it('clusters the customization → ambiguity → cost firms apart from the cost firms (cut at the mean length, 8)', () => {
    expect(result.method.cutHeight).toBe(8);
    expect(result.clusters.map((c) => c.firms)).toEqual([['alpha', 'bravo', 'charlie'], ['delta', 'echo']]);
    expect(result.clusters[0]!.medoid).toBe('alpha');
    expect(compareFirms(firms, { clusters: 5 }).clusters).toHaveLength(5);
  });

  it('does not depend on the order the firms are passed in', () => {
    expect(compareFirms([...firms].reverse())).toEqual(result);
  });

  it('handles no firms and one firm', () => {
    expect(compareFirms([]).clusters).toEqual([]);
    expect(compareFirms([firms[0]!]).clusters).toEqual([
      { id: 1, firms: ['delta'], medoid: 'delta', medoidPattern: 'cost', meanDistance: 0 },
    ]);
  });
});
