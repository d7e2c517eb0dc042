import { sql, type Kysely } from 'kysely';

/**
 * The event log, mirroring migrations/sqlite: one row per event, global order by an identity
 * column, revision unique per stream. Identifiers are `text COLLATE "C"` (byte order, like
 * SQLite's BINARY) rather than `uuid`, so an id compares exactly as it does in the sqlite
 * adapter (no case folding of hex digits). Payloads are jsonb.
 *
 * Appends take a transaction-scoped advisory lock before inserting (see
 * postgres-event-store.ts), so identity values are allocated and committed in the same order
 * and a reader never skips a late commit. The constraints below are the last line of defence.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE events (
      global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id        text COLLATE "C" NOT NULL,
      stream_id       text COLLATE "C" NOT NULL,
      stream_revision bigint      NOT NULL CHECK (stream_revision >= 0),
      type            text        NOT NULL,
      data            jsonb       NOT NULL,
      metadata        jsonb       NOT NULL,
      recorded_at     timestamptz NOT NULL,
      CONSTRAINT events_event_id_unique UNIQUE (event_id),
      CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE events`.execute(db);
}
