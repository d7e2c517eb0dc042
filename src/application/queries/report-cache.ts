import type { Checkpoint } from '../../projections/read-model-store.port.js';

/**
 * Rendered reports, reused while the read models they were computed from are unchanged.
 *
 * Every read-model write goes through a projection transaction that also moves that
 * projection's checkpoint (position, version and the time it was written), so while every
 * checkpoint is as it was, every read model is as it was, and so is a report computed from them
 * — whichever process wrote them. Any projection moving (a new event anywhere, a rebuild) makes
 * every entry stale; that is coarse, but it costs one small query to check and it can never
 * serve a report the current read models would not produce. The checkpoints are read *before*
 * the report's data, so a write landing in between only makes the entry stale early.
 *
 * Bounded by entries and by size (characters or bytes): a 10,000-event HTML report is ~5.4 MB.
 */
export class ReportCache<V extends { readonly size: number }> {
  private readonly entries = new Map<string, { readonly basis: string; readonly value: V }>();
  private chars = 0;

  constructor(
    private readonly maxEntries = 32,
    private readonly maxChars = 40_000_000,
  ) {}

  /** What the read models rest on now, as one comparable string. */
  static basisOf(checkpoints: readonly Checkpoint[]): string {
    return checkpoints.map((c) => `${c.projection}@${c.version}:${c.position}:${c.updatedAt}`).join('|');
  }

  get(key: string, basis: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    if (hit.basis !== basis) {
      this.remove(key);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, basis: string, value: V): void {
    this.remove(key);
    if (value.size > this.maxChars) return;
    this.entries.set(key, { basis, value });
    this.chars += value.size;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const hit = this.entries.get(key);
    if (hit === undefined) return;
    this.entries.delete(key);
    this.chars -= hit.value.size;
  }
}
