import type pg from 'pg';
import type {
  Checkpoint,
  ReadModelDoc,
  ReadModelReader,
  ReadModelStore,
  ReadModelTransaction,
} from '../../projections/read-model-store.port.js';
import { PendingPartitionClears } from '../pending-partition-clears.js';
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
 * The transaction's writer, on its client. `deletePartition` is applied lazily (see
 * pending-partition-clears.ts): a projection that recomputes a partition rewrites only the
 * documents that changed, and unchanged ones leave no new row version behind.
 */
function writer(client: pg.PoolClient): ReadModelTransaction & { applyClears(): Promise<void> } {
  const reads = reader(client);
  const clears = new PendingPartitionClears();
  const applyClears = async () => {
    for (const { collection, partition, kept } of clears.drain()) {
      await client.query(
        'DELETE FROM read_models WHERE collection = $1 AND partition = $2 AND key <> ALL($3::text[])',
        [collection, partition, [...kept]],
      );
    }
  };
  return {
    async get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
      return clears.hides(collection, partition, key) ? undefined : reads.get<T>(collection, partition, key);
    },
    async list<T>(collection: string, partition: string) {
      await applyClears();
      return reads.list<T>(collection, partition);
    },
    async partitions(collection) {
      await applyClears();
      return reads.partitions(collection);
    },
    async put(collection, partition, key, sortKey, doc) {
      // Unchanged (jsonb equality, same sort key): the row is locked but not rewritten.
      await client.query(
        `INSERT INTO read_models (collection, partition, key, sort_key, doc) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (collection, partition, key) DO UPDATE SET sort_key = excluded.sort_key, doc = excluded.doc
          WHERE read_models.sort_key IS DISTINCT FROM excluded.sort_key OR read_models.doc IS DISTINCT FROM excluded.doc`,
        [collection, partition, key, sortKey, JSON.stringify(doc)],
      );
      clears.wrote(collection, partition, key, true);
    },
    async delete(collection, partition, key) {
      await client.query('DELETE FROM read_models WHERE collection = $1 AND partition = $2 AND key = $3', [
        collection,
        partition,
        key,
      ]);
      clears.wrote(collection, partition, key, false);
    },
    async deletePartition(collection, partition) {
      clears.clear(collection, partition);
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
      await client.query('DELETE FROM read_models WHERE collection = ANY($1::text[])', [[...collections]]);
      for (const c of collections) clears.truncated(c);
      await client.query('DELETE FROM projection_checkpoints WHERE projection = $1', [projection]);
    },
    applyClears,
  };
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
      await tx.applyClears();
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
