import { sql, type Kysely } from 'kysely';

/**
 * Read models live beside the events so each projection's change commits in the same
 * transaction as its checkpoint. One generic document table keeps every adapter identical.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE read_models (
      collection TEXT NOT NULL,
      partition  TEXT NOT NULL,
      key        TEXT NOT NULL,
      sort_key   TEXT NOT NULL,
      doc        TEXT NOT NULL,
      PRIMARY KEY (collection, partition, key)
    ) WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX read_models_sorted ON read_models (collection, partition, sort_key, key)`.execute(db);
  await sql`
    CREATE TABLE projection_checkpoints (
      projection TEXT PRIMARY KEY,
      version    INTEGER NOT NULL,
      position   INTEGER NOT NULL,
      updated_at TEXT    NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE projection_checkpoints`.execute(db);
  await sql`DROP TABLE read_models`.execute(db);
}
