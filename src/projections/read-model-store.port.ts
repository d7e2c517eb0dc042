/**
 * Where projections keep their read models: a document table (collection, partition, key)
 * with a sort key, in the same database as the event log, so a projection's changes and its
 * checkpoint commit in one transaction. Adapters: sqlite and postgres (same schema shape).
 */
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

export interface ReadModelDoc<T = unknown> {
  readonly key: string;
  readonly sortKey: string;
  readonly doc: T;
}

export interface ReadModelReader {
  get<T>(collection: string, partition: string, key: string): Promise<T | undefined>;
  /** Documents of one partition ordered by sort key, then key. */
  list<T>(collection: string, partition: string): Promise<ReadModelDoc<T>[]>;
  /** The partitions of a collection, in ascending order. */
  partitions(collection: string): Promise<string[]>;
}

export interface ReadModelWriter extends ReadModelReader {
  put(collection: string, partition: string, key: string, sortKey: string, doc: unknown): Promise<void>;
  delete(collection: string, partition: string, key: string): Promise<void>;
  deletePartition(collection: string, partition: string): Promise<void>;
}

/**
 * Collection of the projection runners' lock row (PostgreSQL's `lockRunners()` upserts it; its
 * row lock is held until commit). Kept as it was when the runner wrote the row itself, so
 * runners of older versions in other processes still take turns with this one.
 */
export const RUNNER_LOCK_COLLECTION = '$runner';

export interface Checkpoint {
  readonly projection: string;
  readonly version: number;
  /** Global position of the last event applied. */
  readonly position: number;
  readonly updatedAt: string;
}

export interface ReadModelStore extends ReadModelReader {
  init(): Promise<void>;
  /** Runs `fn` in one transaction; its writes and checkpoint commit together or not at all. */
  transaction<T>(fn: (tx: ReadModelTransaction) => Promise<T>): Promise<T>;
  checkpoint(projection: string): Promise<Checkpoint | undefined>;
  checkpoints(): Promise<Checkpoint[]>;
  /** Every row of the given collections, for comparing a rebuilt read model with an incremental one. */
  dump(collections: readonly string[]): Promise<Array<{ collection: string; partition: string } & ReadModelDoc>>;
}

export interface ReadModelTransaction extends ReadModelWriter {
  /**
   * A hint that `get` is about to be called for these keys: an adapter whose reads are round
   * trips (PostgreSQL) loads them in one, and each of those `get`s is then answered from it.
   * Optional: the SQLite adapter reads in-process and does without.
   */
  prefetch?(collection: string, partition: string, keys: readonly string[]): Promise<void>;
  setCheckpoint(projection: string, version: number, position: number): Promise<void>;
  /**
   * Makes projection runners of other processes sharing these read models wait for this
   * transaction to end before they take their own turn (see ProjectionRunner). PostgreSQL: a
   * row lock held until commit. SQLite: nothing to do, `BEGIN IMMEDIATE` already holds the
   * file's only write lock for the whole transaction.
   */
  lockRunners(): Promise<void>;
  /** The checkpoints as this transaction sees them: after lockRunners(), as every other runner left them. */
  checkpoints(): Promise<Checkpoint[]>;
  /** Deletes every row of the collections and the projection's checkpoint (rebuild = truncate + replay). */
  truncate(projection: string, collections: readonly string[]): Promise<void>;
}
