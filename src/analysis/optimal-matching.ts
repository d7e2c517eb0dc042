/**
 * Optimal matching (OM) distance between two state sequences: the cheapest series of
 * insertions, deletions (cost `indel` each) and substitutions (cost `substitution`) turning
 * one into the other. TraMineR's usual set-up is indel 1 and a constant substitution cost of 2.
 */
export interface OmCosts {
  readonly substitution: number;
  readonly indel: number;
}

export const TRAMINER_COSTS: OmCosts = { substitution: 2, indel: 1 };

/** Plain dynamic programme, O(|a|·|b|), for any costs. */
export function omDistanceDp<T>(a: readonly T[], b: readonly T[], costs: OmCosts = TRAMINER_COSTS): number {
  const { substitution, indel } = costs;
  let prev = new Float64Array(b.length + 1);
  let cur = new Float64Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j * indel;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i * indel;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : substitution);
      cur[j] = Math.min(sub, prev[j]! + indel, cur[j - 1]! + indel);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * Bit-parallel longest common subsequence (Hyyrö 2004) with `a` fixed: its match masks are
 * built once, then each `b` costs |b|·⌈|a|/32⌉ word operations. Codes are small non-negative
 * integers. Reusing one matcher for a row of a distance matrix is what makes 1,000 firms cheap.
 */
export class LcsMatcher {
  private readonly words: number;
  private readonly alphabet: number;
  private readonly pm: Uint32Array;
  private readonly v: Uint32Array;
  private readonly lastMask: number;

  constructor(private readonly a: ArrayLike<number>) {
    const m = a.length;
    this.words = Math.max(1, Math.ceil(m / 32));
    let alphabet = 0;
    for (let i = 0; i < m; i++) alphabet = Math.max(alphabet, a[i]! + 1);
    this.alphabet = alphabet;
    this.pm = new Uint32Array(alphabet * this.words);
    for (let i = 0; i < m; i++) this.pm[a[i]! * this.words + (i >>> 5)]! |= 1 << (i & 31);
    this.v = new Uint32Array(this.words);
    this.lastMask = m % 32 === 0 ? 0xffffffff : ((1 << (m % 32)) - 1) >>> 0;
  }

  length(b: ArrayLike<number>): number {
    const m = this.a.length;
    if (m === 0 || b.length === 0) return 0;
    const { words, pm, v, alphabet } = this;
    v.fill(0xffffffff);
    for (let j = 0; j < b.length; j++) {
      const c = b[j]!;
      if (c >= alphabet) continue; // a symbol absent from `a` matches nothing: V is unchanged
      const base = c * words;
      let carry = 0;
      for (let w = 0; w < words; w++) {
        const vw = v[w]!;
        const u = (vw & pm[base + w]!) >>> 0;
        const sum = vw + u + carry;
        carry = sum > 0xffffffff ? 1 : 0;
        v[w] = ((sum >>> 0) | (vw & ~u)) >>> 0;
      }
    }
    // LCS = number of zero bits among the low m bits of V.
    let ones = 0;
    for (let w = 0; w < words; w++) ones += popcount(w === words - 1 ? (v[w]! & this.lastMask) >>> 0 : v[w]!);
    return m - ones;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return new LcsMatcher(a).length(b);
}

/**
 * OM distance. When a substitution costs at least two indels it is never cheaper than deleting
 * and inserting, so OM = indel · (|a| + |b| − 2·LCS) — exactly, and computed bit-parallel, which
 * is what makes a 1,000-firm distance matrix affordable. Other costs use the dynamic programme.
 */
export function omDistance(a: ArrayLike<number>, b: ArrayLike<number>, costs: OmCosts = TRAMINER_COSTS): number {
  if (costs.substitution >= 2 * costs.indel) return costs.indel * (a.length + b.length - 2 * lcsLength(a, b));
  return omDistanceDp(Array.from(a), Array.from(b), costs);
}
