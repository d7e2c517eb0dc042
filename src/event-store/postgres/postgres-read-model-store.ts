import type pg from 'pg';
import type {
  Checkpoint,
  ReadModelDoc,
  ReadModelReader,
  ReadModelStore,
  ReadModelTransaction,
} from '../../projections/read-model-store.port.js';
import { MAX_BUFFERED_ROWS, ReadModelWriteBuffer } from '../read-model-write-buffer.js';
import { PostgresDatabase, type PostgresConnection } from './postgres-database.js';

type Queryable = pg.Pool | pg.PoolClient;

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
 * columns are COLLATE "C", i.e. byte order, like SQLite's BINARY.
 */
function reader(db: Queryable): ReadModelReader {
  return {
    async get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
      const { rows } = await db.query<{ doc: T }>(
        'SELECT doc FROM read_models WHERE collection = $1 AND partition = $2 AND key = $3',
        [collection, partition, key],
      );
      return rows[0]?.doc;
    },
    async list<T>(collection: string, partition: string): Promise<ReadModelDoc<T>[]> {
      const { rows } = await db.query<{ key: string; sort_key: string; doc: T }>(
        `SELECT key, sort_key, doc FROM read_models WHERE collection = $1 AND partition = $2
          ORDER BY sort_key, key`,
        [collection, partition],
      );
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

/**
 * The transaction's writer. Writes are buffered (see read-model-write-buffer.ts) and sent as a
 * few set-based statements before the transaction lists anything and before COMMIT: one round
 * trip per kind of change instead of one per document, and unchanged documents not rewritten.
 */
function writer(client: pg.PoolClient): ReadModelTransaction & { flush(): Promise<void> } {
  const reads = reader(client);
  const buffer = new ReadModelWriteBuffer();
  const flush = async () => {
    if (!buffer.isEmpty) await applyWrites(client, buffer);
  };
  return {
    async get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
      const pending = buffer.get(collection, partition, key);
      if (pending.found) return pending.doc === undefined ? undefined : (JSON.parse(pending.doc) as T);
      return reads.get<T>(collection, partition, key);
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
      buffer.put(collection, partition, key, sortKey, JSON.stringify(doc));
      if (buffer.size >= MAX_BUFFERED_ROWS) await flush();
    },
    async delete(collection, partition, key) {
      buffer.delete(collection, partition, key);
      if (buffer.size >= MAX_BUFFERED_ROWS) await flush();
    },
    async deletePartition(collection, partition) {
      buffer.deletePartition(collection, partition);
    },
    async setCheckpoint(projection, version, position) {
      // Same transaction as the read-model writes: both commit or neither does.
      await client.query(
        `INSERT INTO projection_checkpoints (projection, version, position, updated_at)
         VALUES ($1, $2, $3, date_trunc('milliseconds', clock_timestamp()))
         ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = excluded.position,
           updated_at = excluded.updated_at`,
        [projection, version, position],
      );
    },
    async truncate(projection, collections) {
      for (const c of collections) buffer.truncate(c);
      await client.query('DELETE FROM projection_checkpoints WHERE projection = $1', [projection]);
    },
    flush,
  };
}

/** Emptied collections, then emptied partitions (minus the keys put again), then row deletes, then upserts. */
async function applyWrites(client: pg.PoolClient, buffer: ReadModelWriteBuffer): Promise<void> {
  const { collections, partitions, rows } = buffer.drain();
  if (collections.length) {
    await client.query('DELETE FROM read_models WHERE collection = ANY($1::text[])', [collections]);
  }
  const puts = rows.filter((r) => r.op.kind === 'put');
  const deletes = rows.filter((r) => r.op.kind === 'delete');
  if (partitions.length) {
    const cleared = new Set(partitions.map((p) => `${p.collection}\u0000${p.partition}`));
    const kept = puts.filter((r) => cleared.has(`${r.collection}\u0000${r.partition}`));
    await client.query(
      `DELETE FROM read_models r
         USING unnest($1::text[], $2::text[]) AS d(collection, partition)
        WHERE r.collection = d.collection AND r.partition = d.partition
          AND NOT EXISTS (
            SELECT 1 FROM unnest($3::text[], $4::text[], $5::text[]) AS k(collection, partition, key)
             WHERE k.collection = r.collection AND k.partition = r.partition AND k.key = r.key)`,
      [
        partitions.map((p) => p.collection),
        partitions.map((p) => p.partition),
        kept.map((r) => r.collection),
        kept.map((r) => r.partition),
        kept.map((r) => r.key),
      ],
    );
  }
  if (deletes.length) {
    await client.query(
      `DELETE FROM read_models r
         USING unnest($1::text[], $2::text[], $3::text[]) AS d(collection, partition, key)
        WHERE r.collection = d.collection AND r.partition = d.partition AND r.key = d.key`,
      [deletes.map((r) => r.collection), deletes.map((r) => r.partition), deletes.map((r) => r.key)],
    );
  }
  if (puts.length) {
    // An unchanged document (jsonb equality) is not rewritten: no new row version, no WAL.
    await client.query(
      `INSERT INTO read_models (collection, partition, key, sort_key, doc)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
       ON CONFLICT (collection, partition, key) DO UPDATE SET sort_key = excluded.sort_key, doc = excluded.doc
        WHERE read_models.sort_key IS DISTINCT FROM excluded.sort_key OR read_models.doc IS DISTINCT FROM excluded.doc`,
      [
        puts.map((r) => r.collection),
        puts.map((r) => r.partition),
        puts.map((r) => r.key),
        puts.map((r) => (r.op as { sortKey: string }).sortKey),
        puts.map((r) => (r.op as { doc: string }).doc),
      ],
    );
  }
}

/** Read models in the same PostgreSQL database as the log; see read-model-store.port.ts. */
export class PostgresReadModelStore implements ReadModelStore {
  readonly database: PostgresDatabase;
  private readonly reads: ReadModelReader;

  /** Pass the event store's `database` to share its pool (and its single `close()`). */
  constructor(connection: PostgresConnection) {
    this.database = PostgresDatabase.from(connection);
    this.reads = reader(this.database.pool);
  }

  init(): Promise<void> {
    return this.database.migrate();
  }

  get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
    return this.reads.get<T>(collection, partition, key);
  }

  list<T>(collection: string, partition: string): Promise<ReadModelDoc<T>[]> {
    return this.reads.list<T>(collection, partition);
  }

  partitions(collection: string): Promise<string[]> {
    return this.reads.partitions(collection);
  }

  /** One pooled client, BEGIN ... COMMIT; concurrent transactions run on their own clients. */
  transaction<T>(fn: (tx: ReadModelTransaction) => Promise<T>): Promise<T> {
    return this.database.transaction(async (client) => {
      const tx = writer(client);
      const result = await fn(tx);
      await tx.flush();
      return result;
    });
  }

  async checkpoint(projection: string): Promise<Checkpoint | undefined> {
    const { rows } = await this.database.pool.query<CheckpointRow>(
      'SELECT * FROM projection_checkpoints WHERE projection = $1',
      [projection],
    );
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  async checkpoints(): Promise<Checkpoint[]> {
    const { rows } = await this.database.pool.query<CheckpointRow>('SELECT * FROM projection_checkpoints ORDER BY projection');
    return rows.map(toCheckpoint);
  }

  /** Collections in the order asked, then partition and key, as the sqlite adapter dumps them. */
  async dump(collections: readonly string[]) {
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
