import { sql, type Kysely } from 'kysely';

/**
 * Read models beside the events (same shape as migrations/sqlite) so a projection's change and
 * its checkpoint commit in one transaction. Keys are `COLLATE "C"`: `list` and `partitions`
 * order by them, and byte order is what SQLite's BINARY collation gives, whatever locale the
 * database was created with.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE read_models (
      collection text COLLATE "C" NOT NULL,
      partition  text COLLATE "C" NOT NULL,
      key        text COLLATE "C" NOT NULL,
      sort_key   text COLLATE "C" NOT NULL,
      doc        jsonb NOT NULL,
      PRIMARY KEY (collection, partition, key)
    )`.execute(db);
  await sql`CREATE INDEX read_models_sorted ON read_models (collection, partition, sort_key, key)`.execute(db);
  await sql`
    CREATE TABLE projection_checkpoints (
      projection text COLLATE "C" PRIMARY KEY,
      version    integer     NOT NULL,
      position   bigint      NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE projection_checkpoints`.execute(db);
  await sql`DROP TABLE read_models`.execute(db);
}
