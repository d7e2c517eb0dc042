import type Database from 'better-sqlite3';
import type {
  Checkpoint,
  ReadModelDoc,
  ReadModelStore,
  ReadModelTransaction,
} from '../../projections/read-model-store.port.js';
import { ParsedDocCache } from '../parsed-doc-cache.js';
import { PendingPartitionClears } from '../pending-partition-clears.js';
import { CurrentListings, type RowSource } from './current-listings.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { partitionId } from '../partition-id.js';

interface DocRow {
  key: string;
  sort_key: string;
  doc: string;
}

type RawDocRow = [key: string, sortKey: string, doc: string];

interface CheckpointRow {
  projection: string;
  version: number;
  position: number;
  updated_at: string;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  projection: r.projection,
  version: r.version,
  position: r.position,
  updatedAt: r.updated_at,
});

const listingsByConnection = new WeakMap<SqliteDatabase, CurrentListings>();

/** Read models in the same SQLite file as the log; see read-model-store.port.ts. */
export class SqliteReadModelStore implements ReadModelStore {
  private statements: ReturnType<SqliteReadModelStore['prepare']> | undefined;
  private readonly parsed = new ParsedDocCache();
  /**
   * Large partitions' last listings, kept current from this connection's own writes: one per
   * connection, shared by every store on it, so no write on the connection goes unseen.
   */
  private readonly listings: CurrentListings;
  private readonly rowSource: RowSource = {
    dataVersion: () => this.s.dataVersion.get() as number,
    row: (collection, partition, key) => {
      const r = this.s.row.get(collection, partition, key) as [sortKey: string, doc: string] | undefined;
      return r ? { sortKey: r[0], text: r[1] } : undefined;
    },
  };
  /** Partitions listed outside a transaction, by readers (see listInTransaction). */
  private readonly readerPartitions = new Set<string>();
  /** `setCheckpoint` upserts of the open transaction, written as one statement (see flushCheckpoints). */
  private pendingCheckpoints = new Map<string, { version: number; position: number }>();
  private readonly setCheckpointsBySize = new Map<number, Database.Statement>();

  constructor(readonly database: SqliteDatabase) {
    this.listings = listingsByConnection.get(database) ?? listingsByConnection.set(database, new CurrentListings()).get(database)!;
  }

  async init(): Promise<void> {
    await this.database.migrate();
    this.statements ??= this.prepare(this.database.db);
  }

  private prepare(db: Database.Database) {
    return {
      get: db.prepare<[string, string, string], { doc: string }>(
        'SELECT doc FROM read_models WHERE collection = ? AND partition = ? AND key = ?',
      ),
      // Rows as [key, sort_key, doc] arrays rather than objects: a firm's timeline is listed
      // 10,000 rows at a time.
      list: db
        .prepare<[string, string], RawDocRow>(
          'SELECT key, sort_key, doc FROM read_models WHERE collection = ? AND partition = ? ORDER BY sort_key, key',
        )
        .raw(true),
      row: db.prepare('SELECT sort_key, doc FROM read_models WHERE collection = ? AND partition = ? AND key = ?').raw(true),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      partitions: db
        .prepare<[string], string>('SELECT DISTINCT partition FROM read_models WHERE collection = ? ORDER BY partition')
        .pluck(),
      // An unchanged document is not rewritten: no B-tree write, nothing in the WAL.
      put: db.prepare(
        `INSERT INTO read_models (collection, partition, key, sort_key, doc) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (collection, partition, key) DO UPDATE SET sort_key = excluded.sort_key, doc = excluded.doc
         WHERE read_models.sort_key IS NOT excluded.sort_key OR read_models.doc IS NOT excluded.doc`,
      ),
      // The common rewrite (a firm's summary, a recoded entry) keeps the sort key. Naming sort_key
      // in SET makes SQLite rewrite its index entry even when the value is the same: one more
      // page in the WAL per document. This one writes the document only, and changes nothing
      // (0 changes) when the sort key differs or the document is unchanged; `put` then follows.
      putDoc: db.prepare(
        `INSERT INTO read_models (collection, partition, key, sort_key, doc) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (collection, partition, key) DO UPDATE SET doc = excluded.doc
         WHERE read_models.sort_key IS excluded.sort_key AND read_models.doc IS NOT excluded.doc`,
      ),
      partitionKeys: db
        .prepare<[string, string], string>('SELECT key FROM read_models WHERE collection = ? AND partition = ?')
        .pluck(),
      delete: db.prepare('DELETE FROM read_models WHERE collection = ? AND partition = ? AND key = ?'),
      deletePartition: db.prepare('DELETE FROM read_models WHERE collection = ? AND partition = ?'),
      deleteCollection: db.prepare('DELETE FROM read_models WHERE collection = ?'),
      dump: db.prepare<[string], DocRow & { partition: string }>(
        'SELECT partition, key, sort_key, doc FROM read_models WHERE collection = ? ORDER BY partition, key',
      ),
      checkpoint: db.prepare<[string], CheckpointRow>('SELECT * FROM projection_checkpoints WHERE projection = ?'),
      checkpoints: db.prepare<[], CheckpointRow>('SELECT * FROM projection_checkpoints ORDER BY projection'),
      deleteCheckpoint: db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?'),
      // Prepared once: db.exec() would parse them again for every transaction.
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
    };
  }

  private get s() {
    if (!this.statements) throw new Error('SqliteReadModelStore used before init()');
    return this.statements;
  }

  async get<T>(collection: string, partition: string, key: string): Promise<T | undefined> {
    const row = this.s.get.get(collection, partition, key);
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  async list<T>(collection: string, partition: string): Promise<ReadModelDoc<T>[]> {
    this.readerPartitions.add(partitionId(collection, partition));
    const current = this.listings.current(collection, partition, this.rowSource);
    if (current) return current as ReadModelDoc<T>[];
    // Before the rows: a commit by another connection in between must make this listing stale.
    const dataVersion = this.s.dataVersion.get() as number;
    const rows = this.s.list.all(collection, partition) as unknown as RawDocRow[];
    // Unchanged rows of a large partition are not parsed again (see parsed-doc-cache.ts).
    const docs = this.parsed.parse(collection, partition, rows, (r) => r[0], (r) => r[2]);
    const listed = rows.map((r, i) => ({ key: r[0], sortKey: r[1], doc: docs[i] as T }));
    if (this.parsed.keeps(rows.length)) this.listings.remember(collection, partition, dataVersion, listed, rows.map((r) => r[2]));
    return listed;
  }

  /**
   * `list` inside a transaction (projections). Partitions a reader has listed (a report) go
   * through the parsed-document cache as before; the others are parsed and not kept. A rebuild's
   * settle lists every firm's timeline once, and through the cache it kept the last 30,000
   * documents alive (~140 MB at 100k events, peak RSS 358 → 213 MB without; 540 MB at 1M).
   */
  private listInTransaction<T>(collection: string, partition: string): Promise<ReadModelDoc<T>[]> | ReadModelDoc<T>[] {
    if (this.readerPartitions.has(partitionId(collection, partition))) return this.list<T>(collection, partition);
    const rows = this.s.list.all(collection, partition) as unknown as RawDocRow[];
    return rows.map((r) => ({ key: r[0], sortKey: r[1], doc: JSON.parse(r[2]) as T }));
  }

  async partitions(collection: string): Promise<string[]> {
    return this.s.partitions.all(collection);
  }

  async checkpoint(projection: string): Promise<Checkpoint | undefined> {
    this.flushCheckpoints();
    const row = this.s.checkpoint.get(projection);
    return row ? toCheckpoint(row) : undefined;
  }

  async checkpoints(): Promise<Checkpoint[]> {
    this.flushCheckpoints();
    return this.s.checkpoints.all().map(toCheckpoint);
  }

  /**
   * Writes the open transaction's pending checkpoints in one multi-row upsert: a catch-up batch
   * moves every projection's checkpoint, and one statement costs about half of three here. Runs
   * before COMMIT and before anything that reads or deletes checkpoints, so nobody sees the
   * difference.
   */
  private flushCheckpoints(): void {
    const pending = this.pendingCheckpoints;
    if (pending.size === 0) return;
    this.pendingCheckpoints = new Map();
    let statement = this.setCheckpointsBySize.get(pending.size);
    if (!statement) {
      statement = this.database.db.prepare(
        `INSERT INTO projection_checkpoints (projection, version, position, updated_at)
         VALUES ${Array.from({ length: pending.size }, () => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = excluded.position,
           updated_at = excluded.updated_at`,
      );
      if (pending.size <= 16) this.setCheckpointsBySize.set(pending.size, statement);
    }
    const now = new Date().toISOString();
    statement.run([...pending].flatMap(([projection, { version, position }]) => [projection, version, position, now]));
  }

  async dump(collections: readonly string[]) {
    return collections.flatMap((collection) =>
      this.s.dump.all(collection).map((r) => ({
        collection,
        partition: r.partition,
        key: r.key,
        sortKey: r.sort_key,
        doc: JSON.parse(r.doc) as unknown,
      })),
    );
  }

  /**
   * BEGIN IMMEDIATE ... COMMIT under the write lock. `deletePartition` is applied lazily (see
   * pending-partition-clears.ts), so a projection that recomputes a partition rewrites only the
   * documents that changed.
   */
  transaction<T>(fn: (tx: ReadModelTransaction) => Promise<T>): Promise<T> {
    const db = this.database.db;
    const s = this.s;
    return this.database.writeLock.run(async () => {
      s.begin.run();
      this.pendingCheckpoints = new Map();
      const clears = new PendingPartitionClears();
      const applyClears = () => {
        if (!clears.isEmpty) this.applyClears(clears);
      };
      const tx: ReadModelTransaction = {
        get: async <D>(c: string, p: string, k: string) => (clears.hides(c, p, k) ? undefined : this.get<D>(c, p, k)),
        list: async <D>(c: string, p: string) => {
          applyClears();
          return this.listInTransaction<D>(c, p);
        },
        partitions: async (c) => {
          applyClears();
          return this.partitions(c);
        },
        put: async (c, p, k, sortKey, doc) => {
          const text = JSON.stringify(doc);
          if (s.putDoc.run(c, p, k, sortKey, text).changes === 0) s.put.run(c, p, k, sortKey, text);
          clears.wrote(c, p, k, true);
          this.listings.wrote(c, p, k);
        },
        delete: async (c, p, k) => {
          s.delete.run(c, p, k);
          clears.wrote(c, p, k, false);
          this.listings.wrote(c, p, k);
        },
        deletePartition: async (c, p) => {
          clears.clear(c, p);
          this.listings.cleared(c, p);
        },
        setCheckpoint: async (projection, version, position) => {
          this.pendingCheckpoints.set(projection, { version, position });
        },
        // BEGIN IMMEDIATE took the file's write lock: no other runner commits until this one ends.
        lockRunners: async () => undefined,
        checkpoints: () => this.checkpoints(),
        truncate: async (projection, collections) => {
          this.flushCheckpoints();
          for (const c of collections) {
            s.deleteCollection.run(c);
            clears.truncated(c);
            this.listings.truncated(c);
          }
          s.deleteCheckpoint.run(projection);
        },
      };
      this.database.openTransaction = tx;
      try {
        const result = await fn(tx);
        applyClears();
        this.flushCheckpoints();
        s.commit.run();
        return result;
      } catch (err) {
        this.pendingCheckpoints = new Map();
        // Listings read inside the transaction may hold what is now undone.
        this.listings.forgetAll();
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      } finally {
        this.database.openTransaction = undefined;
      }
    });
  }

  /** Deletes, in each pending cleared partition, the rows not put again since the clear. */
  private applyClears(clears: PendingPartitionClears): void {
    for (const { collection, partition, kept } of clears.drain()) {
      for (const key of this.s.partitionKeys.all(collection, partition)) {
        if (kept.has(key)) continue;
        this.s.delete.run(collection, partition, key);
        this.listings.wrote(collection, partition, key);
      }
    }
  }
}
