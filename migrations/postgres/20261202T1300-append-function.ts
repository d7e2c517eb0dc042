import { sql, type Kysely } from 'kysely';

/**
 * `strata_append`: one append request's checks and insert, after taking the append lock, in one
 * call. Why a function: a single-request append then needs one round trip in autocommit instead
 * of BEGIN + lock, the statement and COMMIT (three), which made PostgreSQL single appends ~1.4×
 * faster here. A VOLATILE function takes a fresh snapshot for each statement in it, so the
 * insert sees every append committed before the lock was granted, as the separate statement
 * after the lock did. The adapter takes the append lock nowhere else: in a transaction of several
 * requests the first call takes it and holds it to COMMIT, the later calls take it again (a
 * no-op for the holder).
 *
 * Parameters as the adapter's former APPEND_SQL: stream, expected kind ('any' | 'no-stream' |
 * 'stream-exists' | 'exact'), exact revision, whether to insert at all (false: empty, or an id
 * repeated in the batch), the events' ids, types, data, metadata and copied commit times.
 * Returns the stream's tail before the append, the ids already in the log (with their
 * streams) and the last position inserted (null: nothing inserted). WITH ORDINALITY + ORDER BY
 * makes identity values follow the batch order. The commit time is taken once per request,
 * after the lock (clock time: the calling statement may have waited for the lock), truncated
 * to milliseconds so it round-trips exactly through a JS Date; a copied event keeps its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION strata_append(
      p_stream text, p_expected text, p_revision bigint, p_insert boolean,
      p_ids text[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_recorded timestamptz[])
    RETURNS TABLE (revision bigint, "position" bigint, found json, last_position bigint)
    LANGUAGE sql VOLATILE AS $fn$
      SELECT pg_advisory_xact_lock(7234957610002);
      WITH tail AS (
        SELECT stream_revision, global_position FROM events WHERE stream_id = p_stream
         ORDER BY stream_revision DESC LIMIT 1
      ), known AS (
        SELECT event_id, stream_id FROM events WHERE event_id = ANY(p_ids)
      ), stamp AS (
        SELECT date_trunc('milliseconds', clock_timestamp()) AS at
      ), go AS (
        SELECT p_insert
           AND NOT EXISTS (SELECT 1 FROM known)
           AND CASE p_expected
                 WHEN 'any' THEN true
                 WHEN 'no-stream' THEN NOT EXISTS (SELECT 1 FROM tail)
                 WHEN 'stream-exists' THEN EXISTS (SELECT 1 FROM tail)
                 ELSE coalesce((SELECT stream_revision FROM tail), -1) = p_revision
               END AS ok
      ), inserted AS (
        INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
        SELECT u.id, p_stream, coalesce((SELECT stream_revision FROM tail), -1) + u.ord, u.type, u.data, u.metadata,
               coalesce(u.recorded_at, stamp.at)
          FROM unnest(p_ids, p_types, p_data, p_metadata, p_recorded)
               WITH ORDINALITY AS u(id, type, data, metadata, recorded_at, ord), go, stamp
         WHERE go.ok
         ORDER BY u.ord
        RETURNING global_position
      )
      SELECT (SELECT stream_revision FROM tail),
             (SELECT global_position FROM tail),
             (SELECT coalesce(json_agg(json_build_array(event_id, stream_id)), '[]'::json) FROM known),
             (SELECT max(global_position) FROM inserted)
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS strata_append(text, text, bigint, boolean, text[], text[], jsonb[], jsonb[], timestamptz[])`.execute(db);
}
