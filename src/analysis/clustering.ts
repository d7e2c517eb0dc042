/**
 * Agglomerative clustering with average linkage (UPGMA) by the nearest-neighbour chain
 * algorithm: O(n²) time on a full distance matrix, and — average linkage being reducible — the
 * same dendrogram as the naive O(n³) procedure. Ties go to the lowest index, so the result
 * depends only on the matrix (callers fix the order of items, e.g. by firm id).
 */
export interface Merge {
  /** Representative item indices of the two clusters merged (the smallest index in each). */
  readonly a: number;
  readonly b: number;
  readonly height: number;
  readonly size: number;
}

export function averageLinkage(distances: ReadonlyArray<ArrayLike<number>>): Merge[] {
  const n = distances.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = distances[i]![j]!;
  const active = new Uint8Array(n).fill(1);
  const size = new Float64Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const top = chain[chain.length - 1]!;
    const prev = chain.length > 1 ? chain[chain.length - 2]! : -1;
    // Nearest active neighbour; the previous chain element wins ties so the chain cannot cycle.
    let best = prev;
    let bestD = prev >= 0 ? d[top * n + prev]! : Infinity;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === top) continue;
      const dk = d[top * n + k]!;
      if (dk < bestD) {
        best = k;
        bestD = dk;
      }
    }
    if (best !== prev) {
      chain.push(best);
      continue;
    }
    chain.pop();
    chain.pop();
    const [keep, drop] = top < prev ? [top, prev] : [prev, top];
    const sk = size[keep]!;
    const sd = size[drop]!;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === keep || k === drop) continue;
      const v = (sk * d[keep * n + k]! + sd * d[drop * n + k]!) / (sk + sd);
      d[keep * n + k] = v;
      d[k * n + keep] = v;
    }
    size[keep] = sk + sd;
    active[drop] = 0;
    remaining--;
    merges.push({ a: keep, b: drop, height: bestD, size: sk + sd });
  }
  // Average linkage has no inversions, so sorting by height gives the dendrogram's order.
  return merges.sort((x, y) => x.height - y.height || x.a - y.a || x.b - y.b);
}

/**
 * Cuts the dendrogram: applies every merge at or below `height` (or, given `k`, all but the
 * last k − 1 merges) and returns a cluster number per item, numbered by first appearance.
 */
export function cutTree(n: number, merges: readonly Merge[], cut: { height: number } | { k: number }): number[] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const apply = 'k' in cut ? merges.slice(0, Math.max(0, n - Math.max(1, cut.k))) : merges.filter((m) => m.height <= cut.height);
  for (const m of apply) {
    const ra = find(m.a);
    const rb = find(m.b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const number = new Map<number, number>();
  return Array.from({ length: n }, (_, i) => {
    const r = find(i);
    if (!number.has(r)) number.set(r, number.size);
    return number.get(r)!;
  });
}
