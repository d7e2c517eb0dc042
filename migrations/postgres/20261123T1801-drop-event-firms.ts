import { sql, type Kysely } from 'kysely';

/**
 * The timeline projection (version 3) no longer writes the `event-firms` collection (event id →
 * firm); EventLocator asks the event store instead. Its rows would otherwise stay behind for
 * good: a projection's rebuild truncates only the collections it still names.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM read_models WHERE collection = 'event-firms'`.execute(db);
}

/** The rows come back when a version-2 timeline projection rebuilds (its checkpoint differs). */
export async function down(_db: Kysely<any>): Promise<void> {}
