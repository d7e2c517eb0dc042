import { sql, type Kysely } from 'kysely';

/**
 * `strata_append_all`: `strata_append_many`'s parameters and rows, for a statement of its own
 * (autocommit): it appends every request, or raises SQLSTATE SX001 and so undoes them all when
 * any request inserted nothing. Why: a group commit of N HTTP requests was BEGIN, one
 * `strata_append_many` and COMMIT, three round trips, where one does when every request goes in,
 * which is nearly always. A request that inserts nothing is refused, an idempotent retry or
 * empty; telling those apart stays in the adapter, which on SX001 goes the old way (BEGIN,
 * `strata_append_many`, answers in order, COMMIT or ROLLBACK), so every answer is as before.
 *
 * It is `strata_append_many` with the check on its rows: the first `strata_append` call takes
 * the append lock, held to the end of the statement's transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION strata_append_all(
      p_streams text[], p_expected text[], p_revisions bigint[], p_insert boolean[], p_counts int[],
      p_ids text[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_recorded timestamptz[])
    RETURNS TABLE (request int, revision bigint, "position" bigint, found json, last_position bigint)
    LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      a record;
    BEGIN
      FOR a IN SELECT * FROM strata_append_many(p_streams, p_expected, p_revisions, p_insert, p_counts,
                 p_ids, p_types, p_data, p_metadata, p_recorded) AS m ORDER BY m.request LOOP
        IF a.last_position IS NULL THEN
          RAISE EXCEPTION 'strata_append_all: request % appended nothing', a.request USING ERRCODE = 'SX001';
        END IF;
        -- RETURN QUERY rather than assigning the OUT columns: "found" is also PL/pgSQL's FOUND.
        RETURN QUERY SELECT a.request, a.revision, a."position", a.found, a.last_position;
      END LOOP;
    END
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS strata_append_all(text[], text[], bigint[], boolean[], int[], text[], text[], jsonb[], jsonb[], timestamptz[])`.execute(db);
}
