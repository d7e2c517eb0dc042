import pg from 'pg';
import {
  RUNNER_LOCK_COLLECTION,
  type Checkpoint,
  type ReadModelDoc,
  type ReadModelReader,
  type ReadModelStore,
  type ReadModelTransaction,
} from '../../projections/read-model-store.port.js';
import { ParsedDocCache } from '../parsed-doc-cache.js';
import { LIST_SQL, listThroughCache, SNAPSHOT_BEGIN, type Snapshot } from './cached-listing.js';
import { MAX_BUFFERED_ROWS, ReadModelWriteBuffer, type DrainedWrites } from '../read-model-write-buffer.js';
import { PostgresDatabase, type PostgresConnection } from './postgres-database.js';
import type { LazyBegin } from './lazy-begin.js';
import { partitionId } from '../partition-id.js';

type Queryable = pg.Pool | pg.PoolClient;

/** The runners' lock row (a literal: it goes out with BEGIN as one simple query, see lazy-begin.ts). */
const LOCK_RUNNERS_SQL = `INSERT INTO read_models (collection, partition, key, sort_key, doc)
  VALUES (${pg.escapeLiteral(RUNNER_LOCK_COLLECTION)}, 'lock', 'lock', '', '{}')
  ON CONFLICT (collection, partition, key) DO UPDATE SET doc = excluded.doc`;
const CHECKPOINTS_SQL = 'SELECT * FROM projection_checkpoints ORDER BY projection';

interface CheckpointRow {
  projection: string;
  version: number;
  position: string;
  updated_at: Date;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  projection: r.projection,
  version: r.version,
  position: Number(r.position),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * The reads, bound to either the pool (outside a transaction) or the transaction's client (so
 * a projection reads its own uncommitted writes). Orderings match the sqlite adapter: the key
 * columns are COLLATE "C", i.e. byte order, like SQLite's BINARY. `cacheFor` says whether a
 * partition's documents go through the parsed-document cache; `snapshot` (the pool's reader
 * only) lets a cached partition be listed by row version.
 */
function reader(
  db: Queryable,
  cacheFor: (collection: string, partition: string) => ParsedDocCache | undefined,
  snapshot?: Snapshot,
): ReadModelReader {
  return {
    async get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
      const { rows } = await db.query<{ doc: T }>(
        'SELECT doc FROM read_models WHERE collection = $1 AND partition = $2 AND key = $3',
        [collection, partition, key],
      );
      return rows[0]?.doc;
    },
    async list<T>(collection: string, partition: string): Promise<ReadModelDoc<T>[]> {
      const parsed = cacheFor(collection, partition);
      if (parsed) return listThroughCache<T>(db, parsed, collection, partition, snapshot);
      const { rows } = await db.query<{ key: string; sort_key: string; doc: T }>(LIST_SQL, [collection, partition]);
      return rows.map((r) => ({ key: r.key, sortKey: r.sort_key, doc: r.doc }));
    },
    async partitions(collection: string): Promise<string[]> {
      const { rows } = await db.query<{ partition: string }>(
        'SELECT DISTINCT partition FROM read_models WHERE collection = $1 ORDER BY partition',
        [collection],
      );
      return rows.map((r) => r.partition);
    },
  };
}

interface Writer extends ReadModelTransaction {
  /** Applies the pending writes (in call order, as one statement). */
  flush(): Promise<void>;
}

type PendingCheckpoints = Map<string, { readonly version: number; readonly position: number }>;

/**
 * The transaction's writer, on its client. `put`, `delete`, `deletePartition` and
 * `setCheckpoint` are buffered (see read-model-write-buffer.ts) and applied together, as one
 * statement, before the next statement of any other kind, before any read through the store, and
 * before COMMIT: one round trip per batch of writes instead of one per document, and unchanged
 * documents (jsonb equality, same sort key) are locked but not rewritten.
 */
function writer(transaction: LazyBegin, cacheFor: (collection: string, partition: string) => ParsedDocCache | undefined): Writer {
  const client = transaction.queryable;
  const reads = reader(client, cacheFor);
  // The checkpoints as read right after taking the lock, until a checkpoint is written.
  let afterLock: CheckpointRow[] | undefined;
  const buffer = new ReadModelWriteBuffer();
  let checkpoints: PendingCheckpoints = new Map();
  let applying: Promise<void> = Promise.resolve();
  const flush = () => {
    if (buffer.isEmpty && checkpoints.size === 0) return applying;
    const drained = buffer.drain();
    const cps = checkpoints;
    checkpoints = new Map();
    // Chained, so flushes asked for concurrently (by a read through the store) keep call order.
    applying = applying.then(() => applyWrites(client, drained, cps));
    return applying;
  };
  // Documents `prefetch` loaded (null: no such row), each answering the next `get` of its key
  // once: the caller may change the object it got in place. A write to the key drops it.
  const prefetched = new Map<string, unknown>();
  const rowKey = (collection: string, partition: string, key: string) => `${collection}\u0000${partition}\u0000${key}`;
  const forgetPartition = (collection: string, partition: string) => {
    const prefix = rowKey(collection, partition, '');
    for (const k of prefetched.keys()) if (k.startsWith(prefix)) prefetched.delete(k);
  };
  return {
    async get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
      const pending = buffer.read(collection, partition, key);
      if (pending) return pending.doc === undefined ? undefined : (JSON.parse(pending.doc) as T);
      const k = rowKey(collection, partition, key);
      if (prefetched.has(k)) {
        const doc = prefetched.get(k);
        prefetched.delete(k);
        return (doc ?? undefined) as T | undefined;
      }
      await applying;
      return reads.get<T>(collection, partition, key);
    },
    async prefetch(collection, partition, keys) {
      const wanted = [...new Set(keys)].filter((key) => !buffer.read(collection, partition, key) && !prefetched.has(rowKey(collection, partition, key)));
      if (wanted.length === 0) return;
      await applying;
      const { rows } = await client.query<{ key: string; doc: unknown }>(
        'SELECT key, doc FROM read_models WHERE collection = $1 AND partition = $2 AND key = ANY($3::text[])',
        [collection, partition, wanted],
      );
      for (const key of wanted) prefetched.set(rowKey(collection, partition, key), null);
      for (const r of rows) prefetched.set(rowKey(collection, partition, r.key), r.doc);
    },
    async list<T>(collection: string, partition: string) {
      await flush();
      return reads.list<T>(collection, partition);
    },
    async partitions(collection) {
      await flush();
      return reads.partitions(collection);
    },
    async put(collection, partition, key, sortKey, doc) {
      prefetched.delete(rowKey(collection, partition, key));
      buffer.put(collection, partition, key, sortKey, JSON.stringify(doc));
      if (buffer.size >= MAX_BUFFERED_ROWS) await flush();
    },
    async delete(collection, partition, key) {
      prefetched.delete(rowKey(collection, partition, key));
      buffer.delete(collection, partition, key);
      if (buffer.size >= MAX_BUFFERED_ROWS) await flush();
    },
    async deletePartition(collection, partition) {
      forgetPartition(collection, partition);
      buffer.deletePartition(collection, partition);
    },
    async setCheckpoint(projection, version, position) {
      // Same transaction as the read-model writes: both commit or neither does.
      checkpoints.set(projection, { version, position });
      afterLock = undefined;
    },
    async lockRunners() {
      await flush();
      // A row lock, held until this transaction ends: another runner's lockRunners() waits here.
      // The checkpoints are read in the same round trip (a batch asks for them next), by a
      // statement of their own, so after the lock: they include what its last holder committed.
      const [, read] = await transaction.simple([LOCK_RUNNERS_SQL, CHECKPOINTS_SQL]);
      afterLock = read!.rows as CheckpointRow[];
    },
    async checkpoints() {
      await flush();
      const rows = afterLock ?? (await client.query<CheckpointRow>(CHECKPOINTS_SQL)).rows;
      afterLock = undefined;
      return rows.map(toCheckpoint);
    },
    async truncate(projection, collections) {
      afterLock = undefined;
      prefetched.clear();
      await flush();
      await client.query('DELETE FROM read_models WHERE collection = ANY($1::text[])', [[...collections]]);
      await client.query('DELETE FROM projection_checkpoints WHERE projection = $1', [projection]);
    },
    flush,
  };
}

/**
 * One statement: emptied partitions (minus the keys put again), row deletes, upserts and
 * checkpoints, each a data-modifying CTE over unnest()ed arrays, only those that have work. The
 * CTEs touch disjoint rows (a key put again is excluded from its partition's clear, and the
 * buffer keeps one op per row), so running them in one snapshot is the same as in sequence.
 */
async function applyWrites(client: pg.PoolClient, { partitions, rows }: DrainedWrites, checkpoints: PendingCheckpoints): Promise<void> {
  const ctes: string[] = [];
  const values: unknown[] = [];
  const p = (value: unknown, type: string) => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  if (partitions.length) {
    const kept = partitions.flatMap((x) => x.kept.map((key) => [x.collection, x.partition, key] as const));
    ctes.push(`cleared AS (
      DELETE FROM read_models r
        USING unnest(${p(partitions.map((x) => x.collection), 'text[]')}, ${p(partitions.map((x) => x.partition), 'text[]')}) AS d(collection, partition)
       WHERE r.collection = d.collection AND r.partition = d.partition
         AND (r.collection, r.partition, r.key) NOT IN (
           SELECT * FROM unnest(${p(kept.map((k) => k[0]), 'text[]')}, ${p(kept.map((k) => k[1]), 'text[]')}, ${p(kept.map((k) => k[2]), 'text[]')})))`);
  }
  const deletes = rows.filter((r) => r.op.kind === 'delete');
  if (deletes.length) {
    ctes.push(`deleted AS (
      DELETE FROM read_models r
        USING unnest(${p(deletes.map((r) => r.collection), 'text[]')}, ${p(deletes.map((r) => r.partition), 'text[]')}, ${p(deletes.map((r) => r.key), 'text[]')}) AS d(collection, partition, key)
       WHERE r.collection = d.collection AND r.partition = d.partition AND r.key = d.key)`);
  }
  // The rows as ONE json parameter, the documents spliced in as the JSON text they already are:
  // as a jsonb[] parameter pg escaped every document into an array literal (quotes doubled,
  // ~1 KB each), which cost ~4 % of a rebuild's CPU and much of its 24 % garbage collection.
  let json = '';
  for (const r of rows) {
    if (r.op.kind !== 'put') continue;
    json += `${json ? ',' : '['}[${JSON.stringify(r.collection)},${JSON.stringify(r.partition)},${JSON.stringify(r.key)},${JSON.stringify(r.op.sortKey)},${r.op.doc}]`;
  }
  if (json) {
    ctes.push(`upserted AS (
      INSERT INTO read_models (collection, partition, key, sort_key, doc)
      SELECT r->>0, r->>1, r->>2, r->>3, r->4 FROM jsonb_array_elements(${p(`${json}]`, 'jsonb')}) AS r
      ON CONFLICT (collection, partition, key) DO UPDATE SET sort_key = excluded.sort_key, doc = excluded.doc
       WHERE read_models.sort_key IS DISTINCT FROM excluded.sort_key OR read_models.doc IS DISTINCT FROM excluded.doc)`);
  }
  if (checkpoints.size) {
    const cps = [...checkpoints];
    ctes.push(`checkpointed AS (
      INSERT INTO projection_checkpoints (projection, version, position, updated_at)
      SELECT c.projection, c.version, c.position, date_trunc('milliseconds', clock_timestamp())
        FROM unnest(${p(cps.map(([name]) => name), 'text[]')}, ${p(cps.map(([, c]) => c.version), 'int[]')}, ${p(cps.map(([, c]) => c.position), 'bigint[]')}) AS c(projection, version, position)
      ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = excluded.position, updated_at = excluded.updated_at)`);
  }
  if (ctes.length) await client.query(`WITH ${ctes.join(',\n')}\nSELECT 1`, values);
}

/** Read models in the same PostgreSQL database as the log; see read-model-store.port.ts. */
export class PostgresReadModelStore implements ReadModelStore {
  readonly database: PostgresDatabase;
  private readonly reads: ReadModelReader;
  private readonly parsed = new ParsedDocCache();
  private readonly readerPartitions = new Set<string>();
  /** Transactions in flight; their buffered writes are applied before any read through the store. */
  private readonly open = new Set<Writer>();

  /** Pass the event store's `database` to share its pool (and its single `close()`). */
  constructor(connection: PostgresConnection) {
    this.database = PostgresDatabase.from(connection);
    this.reads = reader(
      this.database.pool,
      (collection, partition) => {
        this.readerPartitions.add(partitionId(collection, partition));
        return this.parsed;
      },
      (fn) => this.database.transaction(fn, SNAPSHOT_BEGIN),
    );
  }

  init(): Promise<void> {
    return this.database.migrate();
  }

  async get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
    await this.settle();
    return this.reads.get<T>(collection, partition, key);
  }

  async list<T>(collection: string, partition: string): Promise<ReadModelDoc<T>[]> {
    await this.settle();
    return this.reads.list<T>(collection, partition);
  }

  async partitions(collection: string): Promise<string[]> {
    await this.settle();
    return this.reads.partitions(collection);
  }

  /** One pooled client, BEGIN ... COMMIT; concurrent transactions run on their own clients. */
  transaction<T>(fn: (tx: ReadModelTransaction) => Promise<T>): Promise<T> {
    return this.database.lazyTransaction(async (transaction) => {
      // Partitions a reader has listed (a report) go through the cache inside transactions too,
      // so the analysis projection and the next report see the same frozen entries (see
      // analysis-memo.ts); the others are parsed and not kept, as in the sqlite adapter's
      // listInTransaction. Uncommitted text is safe to keep: the cache checks every row's text.
      const tx = writer(transaction, (collection, partition) =>
        this.readerPartitions.has(partitionId(collection, partition)) ? this.parsed : undefined,
      );
      this.open.add(tx);
      try {
        const result = await fn(tx);
        await tx.flush();
        return result;
      } finally {
        this.open.delete(tx);
      }
    });
  }

  /**
   * Applies the buffered writes of every transaction in flight before a read through the store,
   * so writes are never reordered after a later read (a lock row put before reading a checkpoint
   * is locked by the time the checkpoint is read). A failed apply is left for its transaction to
   * report (its next statement or COMMIT fails); this read goes ahead.
   */
  private async settle(): Promise<void> {
    if (this.open.size) await Promise.all([...this.open].map((w) => w.flush().catch(() => undefined)));
  }

  async checkpoint(projection: string): Promise<Checkpoint | undefined> {
    await this.settle();
    const { rows } = await this.database.pool.query<CheckpointRow>(
      'SELECT * FROM projection_checkpoints WHERE projection = $1',
      [projection],
    );
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  async checkpoints(): Promise<Checkpoint[]> {
    await this.settle();
    const { rows } = await this.database.pool.query<CheckpointRow>('SELECT * FROM projection_checkpoints ORDER BY projection');
    return rows.map(toCheckpoint);
  }

  /** Collections in the order asked, then partition and key, as the sqlite adapter dumps them. */
  async dump(collections: readonly string[]) {
    await this.settle();
    const { rows } = await this.database.pool.query<{
      collection: string;
      partition: string;
      key: string;
      sort_key: string;
      doc: unknown;
    }>(
      `SELECT r.collection, r.partition, r.key, r.sort_key, r.doc
         FROM unnest($1::text[]) WITH ORDINALITY AS c(name, ord)
         JOIN read_models r ON r.collection = c.name
        ORDER BY c.ord, r.partition, r.key`,
      [[...collections]],
    );
    return rows.map((r) => ({ collection: r.collection, partition: r.partition, key: r.key, sortKey: r.sort_key, doc: r.doc }));
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
