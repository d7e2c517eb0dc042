/**
 * The writes of one read-model transaction, held back and coalesced until the transaction
 * reads (list/partitions) or commits, so an adapter can send them as a few set-based
 * statements instead of one statement per document.
 *
 * Why: projections often recompute a partition whole (delete it, put every document again),
 * and most of those documents come out unchanged. Written one by one that is hundreds of
 * B-tree writes per event on SQLite and hundreds of round trips on PostgreSQL. Buffered, the
 * adapter deletes only the keys that were not put again and skips puts whose document and sort
 * key are unchanged; the outcome is identical to applying the calls in order.
 *
 * Semantics kept: the last call for a row wins; `deletePartition`/`truncate` void earlier
 * pending writes in their scope, and later writes land after them. Documents are serialised
 * when `put` is called, so a caller mutating its object afterwards changes nothing.
 */
export type RowOp = { readonly kind: 'put'; readonly sortKey: string; readonly doc: string } | { readonly kind: 'delete' };

export interface PendingRow {
  readonly collection: string;
  readonly partition: string;
  readonly key: string;
  readonly op: RowOp;
}

export interface DrainedWrites {
  /** Collections to empty first (truncate). */
  readonly collections: string[];
  /** Then partitions to empty, except the keys `rows` puts again (the adapter diffs them). */
  readonly partitions: Array<{ readonly collection: string; readonly partition: string }>;
  /** Then these rows, at most one op per row. */
  readonly rows: PendingRow[];
}

export type BufferedGet = { readonly found: true; readonly doc: string | undefined } | { readonly found: false };

export class ReadModelWriteBuffer {
  private rows = new Map<string, Map<string, Map<string, RowOp>>>();
  private clearedCollections = new Set<string>();
  private clearedPartitions = new Map<string, Set<string>>();
  private count = 0;

  /** Pending row operations (a flush is due when this grows large). */
  get size(): number {
    return this.count;
  }

  get isEmpty(): boolean {
    return this.count === 0 && this.clearedCollections.size === 0 && this.clearedPartitions.size === 0;
  }

  put(collection: string, partition: string, key: string, sortKey: string, doc: string): void {
    this.setRow(collection, partition, key, { kind: 'put', sortKey, doc });
  }

  delete(collection: string, partition: string, key: string): void {
    this.setRow(collection, partition, key, { kind: 'delete' });
  }

  deletePartition(collection: string, partition: string): void {
    const byPartition = this.rows.get(collection);
    const pending = byPartition?.get(partition);
    if (pending) {
      this.count -= pending.size;
      byPartition!.delete(partition);
    }
    if (this.clearedCollections.has(collection)) return; // already emptied in this transaction
    let parts = this.clearedPartitions.get(collection);
    if (!parts) this.clearedPartitions.set(collection, (parts = new Set()));
    parts.add(partition);
  }

  truncate(collection: string): void {
    const byPartition = this.rows.get(collection);
    if (byPartition) for (const p of byPartition.values()) this.count -= p.size;
    this.rows.delete(collection);
    this.clearedPartitions.delete(collection);
    this.clearedCollections.add(collection);
  }

  /**
   * What a read of one row sees, when the buffer decides it: a pending op on the row, or an
   * emptied partition/collection with no later put. `found: false` means "ask the database".
   */
  get(collection: string, partition: string, key: string): BufferedGet {
    const op = this.rows.get(collection)?.get(partition)?.get(key);
    if (op) return { found: true, doc: op.kind === 'put' ? op.doc : undefined };
    if (this.clearedCollections.has(collection) || this.clearedPartitions.get(collection)?.has(partition)) {
      return { found: true, doc: undefined };
    }
    return { found: false };
  }

  /** Hands every pending write to the adapter, in the order it must apply them, and empties the buffer. */
  drain(): DrainedWrites {
    const drained: DrainedWrites = {
      collections: [...this.clearedCollections],
      partitions: [...this.clearedPartitions].flatMap(([collection, parts]) => [...parts].map((partition) => ({ collection, partition }))),
      rows: [],
    };
    for (const [collection, byPartition] of this.rows) {
      for (const [partition, byKey] of byPartition) {
        for (const [key, op] of byKey) drained.rows.push({ collection, partition, key, op });
      }
    }
    this.rows = new Map();
    this.clearedCollections = new Set();
    this.clearedPartitions = new Map();
    this.count = 0;
    return drained;
  }

  private setRow(collection: string, partition: string, key: string, op: RowOp): void {
    let byPartition = this.rows.get(collection);
    if (!byPartition) this.rows.set(collection, (byPartition = new Map()));
    let byKey = byPartition.get(partition);
    if (!byKey) byPartition.set(partition, (byKey = new Map()));
    if (!byKey.has(key)) this.count += 1;
    byKey.set(key, op);
  }
}

/** Flush before the buffer holds more than this many rows, so a huge batch never piles up in memory. */
export const MAX_BUFFERED_ROWS = 5_000;
