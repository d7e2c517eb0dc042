/**
 * Flexible phase mapping (after Holmes & Poole): a phase is a run of periods with one label that
 * lasts long enough, and a brief deviation inside it does not break it. Works on any label type
 * so it can be tested on plain strings.
 */
export interface Run<L> {
  readonly label: L;
  /** First and last index, inclusive. */
  readonly start: number;
  readonly end: number;
}

export function runsOf<L>(labels: readonly L[]): Run<L>[] {
  const runs: Run<L>[] = [];
  let start = 0;
  for (let i = 1; i <= labels.length; i++) {
    if (i === labels.length || labels[i] !== labels[start]) {
      if (labels.length > 0) runs.push({ label: labels[start]!, start, end: i - 1 });
      start = i;
    }
  }
  return runs;
}

const length = (r: Run<unknown>): number => r.end - r.start + 1;

/** Runs of at most `tolerance` periods between two runs of the same label take that label. */
export function absorbDeviations<L>(labels: readonly L[], tolerance: number): L[] {
  const out = [...labels];
  if (tolerance <= 0) return out;
  for (;;) {
    const runs = runsOf(out);
    let changed = false;
    for (let i = 1; i < runs.length - 1; i++) {
      const r = runs[i]!;
      if (length(r) <= tolerance && runs[i - 1]!.label === runs[i + 1]!.label) {
        for (let k = r.start; k <= r.end; k++) out[k] = runs[i - 1]!.label;
        changed = true;
        break; // runs changed shape; recompute from the left so the result is order-stable
      }
    }
    if (!changed) return out;
  }
}

/**
 * Merges every run shorter than `minLength` into a neighbour until none is left (or a single
 * run remains). The shortest run goes first (earliest on a tie), into the neighbour whose mean
 * feature vector is nearest — the configuration it most resembles — or the earlier neighbour
 * on a tie.
 */
export function enforceMinLength<L>(
  labels: readonly L[],
  features: ReadonlyArray<readonly number[]>,
  minLength: number,
): L[] {
  const out = [...labels];
  const mean = (r: Run<L>): number[] => {
    const dims = features[r.start]?.length ?? 0;
    const m = new Array<number>(dims).fill(0);
    for (let k = r.start; k <= r.end; k++) for (let j = 0; j < dims; j++) m[j]! += features[k]![j]! / length(r);
    return m;
  };
  const dist = (a: number[], b: number[]): number => a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0);
  for (;;) {
    const runs = runsOf(out);
    if (runs.length <= 1) return out;
    let shortest = -1;
    for (let i = 0; i < runs.length; i++) {
      if (length(runs[i]!) < minLength && (shortest < 0 || length(runs[i]!) < length(runs[shortest]!))) shortest = i;
    }
    if (shortest < 0) return out;
    const r = runs[shortest]!;
    const prev = runs[shortest - 1];
    const next = runs[shortest + 1];
    let into: Run<L>;
    if (!prev) into = next!;
    else if (!next) into = prev;
    else into = dist(mean(r), mean(next)) < dist(mean(r), mean(prev)) ? next : prev;
    for (let k = r.start; k <= r.end; k++) out[k] = into.label;
  }
}
