import { sql, type Kysely } from 'kysely';

/**
 * `strata_append_many`: several append requests in one call, each exactly as `strata_append`
 * (which it calls, in order, so the first call takes the append lock and a later request for the
 * same stream sees the earlier one's rows). Why: a group commit of N HTTP requests was N
 * round trips of `strata_append` between BEGIN and COMMIT; now it is one.
 *
 * The requests' events are passed flattened, `p_counts[i]` events for request i in order, since
 * PostgreSQL arrays cannot be ragged. Returns one row per request: its 1-based index and
 * `strata_append`'s row for it. A refused request inserts nothing and the later ones still run;
 * the caller, inside a transaction, reads the rows in order and rolls back at the first refusal,
 * which leaves the same outcome as stopping there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION strata_append_many(
      p_streams text[], p_expected text[], p_revisions bigint[], p_insert boolean[], p_counts int[],
      p_ids text[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_recorded timestamptz[])
    RETURNS TABLE (request int, revision bigint, "position" bigint, found json, last_position bigint)
    LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      i int;
      first int := 1;
      last int;
    BEGIN
      FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
        last := first + p_counts[i] - 1;
        RETURN QUERY
          SELECT i, a.revision, a."position", a.found, a.last_position
            FROM strata_append(p_streams[i], p_expected[i], p_revisions[i], p_insert[i],
                   coalesce(p_ids[first:last], '{}'), coalesce(p_types[first:last], '{}'),
                   coalesce(p_data[first:last], '{}'), coalesce(p_metadata[first:last], '{}'),
                   coalesce(p_recorded[first:last], '{}')) AS a;
        first := last + 1;
      END LOOP;
    END
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS strata_append_many(text[], text[], bigint[], boolean[], int[], text[], text[], jsonb[], jsonb[], timestamptz[])`.execute(db);
}
