import { sql, type Kysely } from 'kysely';
import { up as sqlAppendFunction } from './20261202T1300-append-function.js';

/**
 * `strata_append` again, same parameters, result and checks (see 20261202T1300-append-function),
 * now in PL/pgSQL. Why: a LANGUAGE sql function of several statements is parsed and planned
 * anew at every call, ~0.3 ms per request here, while PL/pgSQL keeps its statements' parse for
 * the session and, after five calls, their plans too (~0.04–0.08 ms). A group commit's
 * `strata_append_many` of ~10 requests spent ~5 ms in it under HTTP load on PostgreSQL, the
 * largest single part of a group.
 *
 * What the SQL version guaranteed holds statement by statement: a VOLATILE function takes a
 * fresh snapshot for each statement, so the tail and the known ids are read after the append
 * lock is granted and see every append committed before it.
 *
 * `enable_seqscan = off`, for this function's statements only: PL/pgSQL switches a statement to
 * one generic plan after five calls and keeps it for the session, until the next ANALYZE. A
 * plan chosen while the events table was small is a seq scan, and it outlived the table's
 * growth: after 300,000 rows were added behind a session's back, a 1,000-event append took
 * 2.7 s instead of ~20 ms (the bench's appends spread over a factor of ten). Both reads here
 * have a unique index made for them, so with seq scans ruled out every plan, generic or not,
 * uses it. Planning every call instead (`plan_cache_mode = force_custom_plan`) was safe too,
 * but cost ~40 % more per request and gave back most of the gain under HTTP load.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION strata_append(
      p_stream text, p_expected text, p_revision bigint, p_insert boolean,
      p_ids text[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_recorded timestamptz[])
    RETURNS TABLE (revision bigint, "position" bigint, found json, last_position bigint)
    LANGUAGE plpgsql VOLATILE
    SET enable_seqscan = off
    AS $fn$
    DECLARE
      v_revision bigint;
      v_position bigint;
      v_known bigint;
      v_found json;
      v_ok boolean;
      v_at timestamptz;
      v_last bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(7234957610002);
      SELECT e.stream_revision, e.global_position INTO v_revision, v_position
        FROM events e WHERE e.stream_id = p_stream ORDER BY e.stream_revision DESC LIMIT 1;
      SELECT count(*), coalesce(json_agg(json_build_array(e.event_id, e.stream_id)), '[]'::json) INTO v_known, v_found
        FROM events e WHERE e.event_id = ANY(p_ids);
      -- Decided apart from the IF: PL/pgSQL ends an IF's condition at its first THEN.
      v_ok := p_insert AND v_known = 0 AND CASE p_expected
                WHEN 'any' THEN true
                WHEN 'no-stream' THEN v_revision IS NULL
                WHEN 'stream-exists' THEN v_revision IS NOT NULL
                ELSE coalesce(v_revision, -1) = p_revision
              END;
      IF v_ok THEN
        v_at := date_trunc('milliseconds', clock_timestamp());
        WITH inserted AS (
          INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
          SELECT u.id, p_stream, coalesce(v_revision, -1) + u.ord, u.type, u.data, u.metadata, coalesce(u.recorded_at, v_at)
            FROM unnest(p_ids, p_types, p_data, p_metadata, p_recorded)
                 WITH ORDINALITY AS u(id, type, data, metadata, recorded_at, ord)
           ORDER BY u.ord
          RETURNING global_position
        )
        SELECT max(global_position) INTO v_last FROM inserted;
      END IF;
      RETURN QUERY SELECT v_revision, v_position, v_found, v_last;
    END
    $fn$`.execute(db);
}

/** Back to the LANGUAGE sql version. */
export async function down(db: Kysely<any>): Promise<void> {
  await sqlAppendFunction(db);
}
