import { partitionId } from './partition-id.js';

/**
 * Partitions a read-model transaction has emptied with `deletePartition`, held back until the
 * transaction lists anything or commits.
 *
 * Why: projections often recompute a partition whole (delete it, put every document again),
 * and most of those documents come out unchanged. Deleted first and inserted again, every one
 * of them is two B-tree writes (and WAL pages) per index. Held back, the partition's rows stay;
 * each `put` upserts its row and skips the write when document and sort key are unchanged, and
 * when the clear is finally applied only the keys that were not put again are deleted. The
 * outcome is the same as applying the calls in order.
 *
 * `put` and `delete` still execute when called (a caller may rely on a row lock being held
 * once `put` resolves, as the projection runner's lock row does); only the clearing of whole
 * partitions is deferred, and reads inside the transaction see it: `get` of a key not put
 * since the clear finds nothing, `list` and `partitions` apply pending clears first.
 */
export interface PendingClear {
  readonly collection: string;
  readonly partition: string;
  /** Keys put since the clear: they survive it. */
  readonly kept: ReadonlySet<string>;
}

export class PendingPartitionClears {
  private pending = new Map<string, { collection: string; partition: string; kept: Set<string> }>();

  get isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /** The partition is to be emptied; anything put into it before now no longer survives. */
  clear(collection: string, partition: string): void {
    this.pending.set(partitionId(collection, partition), { collection, partition, kept: new Set() });
  }

  /** A row was written (or deleted) since: record whether it survives a pending clear. */
  wrote(collection: string, partition: string, key: string, kept: boolean): void {
    const p = this.pending.get(partitionId(collection, partition));
    if (!p) return;
    if (kept) p.kept.add(key);
    else p.kept.delete(key);
  }

  /** True when a pending clear hides the row from reads inside the transaction. */
  hides(collection: string, partition: string, key: string): boolean {
    const p = this.pending.get(partitionId(collection, partition));
    return p !== undefined && !p.kept.has(key);
  }

  /** The collection was emptied now: pending clears inside it have nothing left to do. */
  truncated(collection: string): void {
    for (const [k, p] of this.pending) if (p.collection === collection) this.pending.delete(k);
  }

  /** Hands the pending clears to the adapter to apply, and forgets them. */
  drain(): PendingClear[] {
    const all = [...this.pending.values()];
    this.pending = new Map();
    return all;
  }
}
