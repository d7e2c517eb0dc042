import { partitionId } from './partition-id.js';

/**
 * Writes of one read-model transaction (`put`, `delete`, `deletePartition`) held back and
 * coalesced, so a client-server adapter can send a batch of them as a few set-based statements
 * instead of one round trip per document. The PostgreSQL adapter uses it; SQLite runs in
 * process and gains nothing from batching (it defers only partition clears, see
 * pending-partition-clears.ts).
 *
 * The rule that keeps this invisible to callers: pending writes are applied, in call order,
 * before any other statement the transaction runs (reads that the buffer cannot answer,
 * checkpoints, truncations, COMMIT) and before any read made through the same store object
 * outside the transaction. So a row lock taken by `put` is held before the caller's next read,
 * wherever that read goes, as the projection runner's lock row requires.
 *
 * Coalescing keeps the outcome of the calls in order: the last call for a row wins, and
 * `deletePartition` voids earlier pending writes to that partition; applied, it deletes only
 * the keys that were not put again afterwards (those are upserted, and skipped when unchanged).
 */
export type RowOp = { readonly kind: 'put'; readonly sortKey: string; readonly doc: string } | { readonly kind: 'delete' };

export interface PendingRow {
  readonly collection: string;
  readonly partition: string;
  readonly key: string;
  readonly op: RowOp;
}

export interface DrainedWrites {
  /** Partitions to empty first, except the keys that `rows` puts again. */
  readonly partitions: Array<{ readonly collection: string; readonly partition: string; readonly kept: readonly string[] }>;
  /** Then these rows, at most one op per row. */
  readonly rows: PendingRow[];
}

/** What a read of one row sees when the buffer decides it; `undefined` means "ask the database". */
export type BufferedRead = { readonly doc: string | undefined } | undefined;

export class ReadModelWriteBuffer {
  private rows = new Map<string, RowOp & { collection: string; partition: string; key: string }>();
  private cleared = new Map<string, { collection: string; partition: string }>();

  get size(): number {
    return this.rows.size;
  }

  get isEmpty(): boolean {
    return this.rows.size === 0 && this.cleared.size === 0;
  }

  put(collection: string, partition: string, key: string, sortKey: string, doc: string): void {
    this.rows.set(rowId(collection, partition, key), { kind: 'put', sortKey, doc, collection, partition, key });
  }

  delete(collection: string, partition: string, key: string): void {
    this.rows.set(rowId(collection, partition, key), { kind: 'delete', collection, partition, key });
  }

  deletePartition(collection: string, partition: string): void {
    for (const [id, r] of this.rows) if (r.collection === collection && r.partition === partition) this.rows.delete(id);
    this.cleared.set(partitionId(collection, partition), { collection, partition });
  }

  read(collection: string, partition: string, key: string): BufferedRead {
    const r = this.rows.get(rowId(collection, partition, key));
    if (r) return { doc: r.kind === 'put' ? r.doc : undefined };
    if (this.cleared.has(partitionId(collection, partition))) return { doc: undefined };
    return undefined;
  }

  /** Hands the pending writes over, in the order to apply them, and empties the buffer. */
  drain(): DrainedWrites {
    const kept = new Map<string, string[]>();
    const rows: PendingRow[] = [];
    for (const r of this.rows.values()) {
      rows.push({ collection: r.collection, partition: r.partition, key: r.key, op: r.kind === 'put' ? { kind: 'put', sortKey: r.sortKey, doc: r.doc } : { kind: 'delete' } });
      const pid = partitionId(r.collection, r.partition);
      if (r.kind === 'put' && this.cleared.has(pid)) kept.set(pid, [...(kept.get(pid) ?? []), r.key]);
    }
    const partitions = [...this.cleared].map(([pid, p]) => ({ ...p, kept: kept.get(pid) ?? [] }));
    this.rows = new Map();
    this.cleared = new Map();
    return { partitions, rows };
  }
}

/** Apply once this many rows are pending, so one huge batch never piles up in memory. */
export const MAX_BUFFERED_ROWS = 5_000;

const rowId = (collection: string, partition: string, key: string) => `${collection}\u0000${partition}\u0000${key}`;
