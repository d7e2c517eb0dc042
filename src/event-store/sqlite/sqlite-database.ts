import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sqliteMigrations } from '../../../migrations/sqlite/index.js';
import { AsyncMutex } from '../async-mutex.js';
import { migrateToLatest } from '../migrate.js';
import { BACKSTOP_PAGES, WalCheckpointer } from './wal-checkpointer.js';

/**
 * One SQLite file holding the event log and the read models. WAL mode with
 * `synchronous = NORMAL`: a committed transaction survives the process being killed (the WAL
 * is written before commit returns); only an operating-system crash or power loss can lose
 * the last commits, which we accept for an embedded, single-user default.
 */
export class SqliteDatabase {
  readonly db: Database.Database;
  readonly path: string;
  readonly writeLock = new AsyncMutex();
  /**
   * The read-model transaction open on this connection (between its BEGIN IMMEDIATE and its
   * COMMIT or ROLLBACK, under `writeLock`), if any: the event store appends inside it on request.
   */
  openTransaction: object | undefined;
  private migrated: Promise<void> | undefined;
  private readonly checkpointer: WalCheckpointer | undefined;

  constructor(path: string) {
    const inMemory = path === ':memory:';
    this.path = inMemory ? path : resolve(path);
    if (!inMemory) mkdirSync(dirname(this.path), { recursive: true });
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // Checkpoints run off the event loop (WalCheckpointer); the automatic one only bounds the WAL.
    this.db.pragma(`wal_autocheckpoint = ${inMemory ? 10_000 : BACKSTOP_PAGES}`);
    if (!inMemory) this.checkpointer = new WalCheckpointer(this.path);
  }

  /** Applies pending migrations once per process; later calls wait for the first. */
  migrate(): Promise<void> {
    this.migrated ??= (async () => {
      const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: this.db }) });
      // Kysely's destroy() would close our shared handle; we simply drop the instance.
      await this.writeLock.run(() => migrateToLatest(kysely, sqliteMigrations));
    })();
    return this.migrated;
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
