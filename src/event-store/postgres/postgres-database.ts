import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { postgresMigrations } from '../../../migrations/postgres/index.js';
import { migrateToLatest } from '../migrate.js';
import { LazyBegin } from './lazy-begin.js';

/** A connection string (`DATABASE_URL`), a pool the caller built, or a database already shared. */
export type PostgresConnection = string | pg.Pool | PostgresDatabase;

/**
 * Advisory lock keys (64-bit, database-scoped). Fixed numbers rather than hashes of names so
 * they can be looked up in `pg_locks` while debugging.
 */
export const MIGRATION_LOCK_KEY = '7234957610001';
// The append lock, 7234957610002, is taken inside the function strata_append (migration
// 20261202T1300-append-function): every append goes through it.

/**
 * One PostgreSQL pool shared by the event store and the read-model store (they live in the
 * same database, like the sqlite adapter's single file). Owns the schema migration.
 */
export class PostgresDatabase {
  readonly pool: pg.Pool;
  private migrated: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(connection: string | pg.Pool) {
    this.pool = typeof connection === 'string' ? new pg.Pool({ connectionString: connection }) : connection;
    // An idle client whose server connection drops emits 'error' on the pool; unhandled, that
    // would crash the process. The next query checks out a fresh connection and reports then.
    this.pool.on('error', () => undefined);
  }

  static from(connection: PostgresConnection): PostgresDatabase {
    return connection instanceof PostgresDatabase ? connection : new PostgresDatabase(connection);
  }

  /**
   * Applies pending migrations once per instance. A session advisory lock makes concurrent
   * start-ups (several processes, or several instances in one) migrate exactly once: the others
   * wait, then find nothing pending. Kysely's own lock only covers the steps, not the creation
   * of its bookkeeping tables, which can race.
   */
  migrate(): Promise<void> {
    this.migrated ??= (async () => {
      const client = await this.pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
        try {
          // Kysely's destroy() would end our shared pool; the instance is simply dropped.
          const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: this.pool }) });
          await migrateToLatest(kysely, postgresMigrations);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    })();
    this.migrated.catch(() => (this.migrated = undefined)); // a failed attempt may be retried
    return this.migrated;
  }

  /**
   * Runs `fn` inside BEGIN/COMMIT on one client; rolls back and rethrows on any error.
   * `begin` replaces the opening statement (a snapshot's isolation level, say).
   */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    return this.lazyTransaction(async (tx) => fn(await tx.open()), begin);
  }

  /**
   * As `transaction`, with `begin` sent with the first statement (see lazy-begin.ts); a
   * transaction that sent nothing ends with nothing sent either.
   */
  async lazyTransaction<T>(fn: (tx: LazyBegin) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    const tx = new LazyBegin(client, begin);
    let broken: Error | undefined;
    try {
      const result = await fn(tx);
      if (tx.begun) await client.query('COMMIT');
      return result;
    } catch (err) {
      if (tx.begun) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
      client.release(broken);
    }
  }

  /** Ends the pool; safe to call from every store sharing it. */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}
