/**
 * Agreement between two codings of the same units (e.g. the researcher's phase label and the
 * detector's, period by period).
 */

/** Share of units with the same label; `null` when there are no units. */
export function percentAgreement<T>(a: readonly T[], b: readonly T[]): number | null {
  assertSameLength(a, b);
  if (a.length === 0) return null;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Cohen's kappa, κ = (pₒ − pₑ) / (1 − pₑ), with pₑ from each coder's own label frequencies.
 * `null` when it is undefined: no units, or both coders used one and the same label for
 * everything (pₑ = 1), where chance agreement explains all agreement and κ is 0/0.
 */
export function cohensKappa<T>(a: readonly T[], b: readonly T[]): number | null {
  assertSameLength(a, b);
  const n = a.length;
  if (n === 0) return null;
  const countA = new Map<T, number>();
  const countB = new Map<T, number>();
  let same = 0;
  for (let i = 0; i < n; i++) {
    countA.set(a[i]!, (countA.get(a[i]!) ?? 0) + 1);
    countB.set(b[i]!, (countB.get(b[i]!) ?? 0) + 1);
    if (a[i] === b[i]) same++;
  }
  const po = same / n;
  let pe = 0;
  for (const [label, ca] of countA) pe += (ca / n) * ((countB.get(label) ?? 0) / n);
  if (pe >= 1) return null;
  return (po - pe) / (1 - pe);
}

function assertSameLength(a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new RangeError(`agreement needs two codings of the same units (got ${a.length} and ${b.length})`);
}
