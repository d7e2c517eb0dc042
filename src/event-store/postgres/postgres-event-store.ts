import pg from 'pg';
import {
  DuplicateEventIdError,
  expectedVersionMatches,
  WrongExpectedVersionError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type EventStoreCapabilities,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
} from '../event-store.port.js';
import { PostgresDatabase, type PostgresConnection } from './postgres-database.js';

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

const DEFAULT_BATCH = 1000;

/**
 * One append request's checks and insert, after the append lock, in one call: the function
 * `strata_append` (migration 20261202T1300-append-function, which documents its parameters and
 * result; PL/pgSQL since 20261208T0300-append-function-plpgsql). In autocommit it is the whole
 * append in one round trip.
 */
const APPEND_SQL = 'SELECT * FROM strata_append($1, $2, $3, $4, $5, $6, $7, $8, $9)';

/** Several requests in one call (migration 20261207T2300-append-many-function): a row each, in order. */
const APPEND_MANY_SQL = 'SELECT * FROM strata_append_many($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ORDER BY request';

/** The same, all or nothing in one autocommit statement (migration 20261208T0400-append-all-function). */
const APPEND_ALL_SQL = 'SELECT * FROM strata_append_all($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ORDER BY request';

/** What strata_append_all raises when a request appended nothing (a refusal, a retry, or empty). */
const NOT_ALL_APPENDED = 'SX001';

/** What `strata_append` returns for a request (bigints as strings). */
interface AppendRow {
  revision: string | null;
  position: string | null;
  found: Array<[string, string]>;
  last_position: string | null;
}

const COLUMNS = 'global_position, event_id, stream_id, stream_revision, type, data, metadata, recorded_at';

/** bigint columns arrive as strings (pg keeps 64-bit exact); positions stay far below 2^53. */
function toStored(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    globalPosition: Number(row.global_position),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
  };
}

/**
 * The server adapter.
 *
 * Global order without skips: every append transaction first takes one transaction-scoped
 * advisory lock (`pg_advisory_xact_lock`, inside `strata_append`), and only then draws identity
 * values and inserts.
 * PostgreSQL makes a commit visible before it releases the transaction's locks, so the next
 * appender can only draw a higher position after the previous one is visible (or rolled back).
 * The committed events are therefore always a prefix of position order: a reader paging with
 * `global_position > after` never passes over a slow transaction that will commit below it,
 * and `headPosition()` (the max position) has no uncommitted gaps beneath it. Rolled-back
 * appends leave holes in the numbering, which is harmless: a hole never fills later.
 *
 * The price is that appends are serialised across the database (reads are not). For a log
 * written by researchers that is far below the lock's throughput; if it ever is not, the
 * alternative is Emmett's approach (store `pg_current_xact_id()` per row and read only below
 * `pg_snapshot_xmin(pg_current_snapshot())`), which lets appends run in parallel.
 *
 * The lock also decides concurrent writers: they queue, each re-reads the stream's revision
 * after the previous commit, so with one shared expected version exactly one wins and the rest
 * get WrongExpectedVersionError. Unique-constraint violations are mapped too, as a backstop.
 */
export class PostgresEventStore implements EventStore {
  readonly name = 'postgres';
  readonly capabilities: EventStoreCapabilities = { atomicMultiStreamAppend: true, sharedReadModelDatabase: true };
  readonly database: PostgresDatabase;

  /** `close()` ends the pool, including one the caller passed in (share a PostgresDatabase to avoid that). */
  constructor(connection: PostgresConnection) {
    this.database = PostgresDatabase.from(connection);
  }

  init(): Promise<void> {
    return this.database.migrate();
  }

  async appendToStream(request: AppendRequest): Promise<AppendResult> {
    const [result] = await this.appendMany([request]);
    return result!;
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    const copied = requests.map((r) => ({ ...r, events: [...r.events] }));
    try {
      // One request: the function takes the lock, checks and inserts as one autocommit statement.
      if (copied.length === 1) return [await this.appendOne(this.database.pool, copied[0]!)];
      // Several: when every one appends (nearly always), one autocommit statement does it all.
      const all = await this.appendAll(copied);
      if (all) return all;
      // Otherwise one transaction; the first strata_append call takes the lock, held to COMMIT.
      return await this.database.transaction((client) => this.appendInOrder(client, copied));
    } catch (err) {
      throw await this.mapConstraintError(err, copied);
    }
  }

  /**
   * The append path inside a transaction the caller has opened on `client` (BEGIN ... COMMIT).
   * Public for tests that must hold an append open (the sequence-gap test); application code
   * uses appendToStream/appendMany.
   */
  async appendWithin(client: pg.PoolClient, requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    return this.appendInOrder(client, requests);
  }

  /**
   * In order, on one client (the append lock held from the first): a later request for the same
   * stream sees the earlier one's rows. Several requests go in ONE round trip (strata_append_many);
   * the first refused one throws here, and the caller's transaction rolls back the rest.
   */
  private async appendInOrder(client: pg.PoolClient, requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (requests.length === 1) return [await this.appendOne(client, requests[0]!)];
    const { rows } = await client.query<AppendRow>({ text: APPEND_MANY_SQL, values: manyParameters(requests) });
    if (rows.length !== requests.length) throw new Error(`strata_append_many answered ${rows.length} of ${requests.length} requests`);
    return requests.map((r, i) => answer(r, rows[i]!));
  }

  /**
   * Every request appended in one autocommit statement, or undefined when one of them would
   * append nothing (the function then undid them all): the caller goes the transaction's way,
   * which answers each request as before.
   */
  private async appendAll(requests: readonly AppendRequest[]): Promise<AppendResult[] | undefined> {
    try {
      const { rows } = await this.database.pool.query<AppendRow>({ text: APPEND_ALL_SQL, values: manyParameters(requests) });
      if (rows.length !== requests.length) throw new Error(`strata_append_all answered ${rows.length} of ${requests.length} requests`);
      return requests.map((r, i) => answer(r, rows[i]!));
    } catch (err) {
      if (err instanceof pg.DatabaseError && err.code === NOT_ALL_APPENDED) return undefined;
      throw err;
    }
  }

  /**
   * Same rules, in the same order, as the sqlite adapter (the contract suite holds both to them).
   *
   * One call does the checks and the insert (APPEND_SQL): it takes the append lock, reads the
   * stream's tail and which of the ids are already in the log, and inserts only when none is
   * and the expected version matches. When it inserted nothing, the same tail and ids decide
   * which answer or error the caller gets. `on` is a client inside a transaction, or the pool
   * (autocommit: the call is the whole append).
   */
  private async appendOne(on: pg.PoolClient | pg.Pool, request: AppendRequest): Promise<AppendResult> {
    const p = appendParameters(request);
    const { rows } = await on.query<AppendRow>({
      text: APPEND_SQL,
      values: [request.streamId, p.expected, p.revision, p.insert, p.ids, p.types, p.data, p.metadata, p.recorded],
    });
    return answer(request, rows[0]!);
  }

  /** The stream's last revision and that event's position (-1 and 0 for an absent stream). */
  private async tail(client: pg.PoolClient | pg.Pool, streamId: string): Promise<{ revision: number; position: number }> {
    const { rows } = await client.query<{ stream_revision: string; global_position: string }>(
      `SELECT stream_revision, global_position FROM events WHERE stream_id = $1
        ORDER BY stream_revision DESC LIMIT 1`,
      [streamId],
    );
    const row = rows[0];
    return row ? { revision: Number(row.stream_revision), position: Number(row.global_position) } : { revision: -1, position: 0 };
  }

  /**
   * The advisory lock makes these unreachable through this adapter; they guard against a
   * writer that bypasses it (or a future bug), so the caller still gets the port's errors.
   */
  private async mapConstraintError(err: unknown, requests: readonly AppendRequest[]): Promise<unknown> {
    if (!(err instanceof pg.DatabaseError) || err.code !== '23505') return err;
    if (err.constraint === 'events_stream_revision_unique') {
      const streamId = /\(stream_id, stream_revision\)=\((.*), \d+\)/.exec(err.detail ?? '')?.[1];
      const request = requests.find((r) => r.streamId === streamId) ?? requests[0]!;
      const actual = (await this.tail(this.database.pool, request.streamId)).revision;
      return new WrongExpectedVersionError(request.streamId, request.expectedVersion, actual);
    }
    if (err.constraint === 'events_event_id_unique') {
      const id = /\(event_id\)=\((.*)\)/.exec(err.detail ?? '')?.[1] ?? 'unknown';
      return new DuplicateEventIdError(id, 'committed concurrently by another writer');
    }
    return err;
  }

  /** Keyset pages over (stream_id, stream_revision): one bounded query per page. */
  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    while (remaining > 0) {
      const size = Math.min(DEFAULT_BATCH, remaining);
      // One row more than the page: it says whether another page follows, so a stream that ends
      // on a page boundary (a 1,000-event stream) costs one round trip, not a second, empty one.
      const { rows } = await this.database.pool.query<EventRow>({
        name: 'strata_read_stream',
        text: `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision LIMIT $3`,
        values: [streamId, from, size + 1],
      });
      const more = rows.length > size;
      if (more) rows.pop();
      for (const row of rows) yield toStored(row);
      if (!more) return;
      remaining -= rows.length;
      from = Number(rows[rows.length - 1]!.stream_revision) + 1;
    }
  }

  async readEvent(eventId: string): Promise<StoredEvent | undefined> {
    const { rows } = await this.database.pool.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = $1`, [eventId]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /**
   * Keyset pages over the primary key; each page is its own READ COMMITTED snapshot. The next
   * page is asked for as soon as one arrives, so the server reads it while the caller works on
   * this one (a replay writes its batch meanwhile, on another pooled client): at most two pages
   * are held.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    let after = options.after ?? 0;
    const batch = options.batchSize ?? DEFAULT_BATCH;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (remaining <= 0) return;
    const page = (from: number, size: number) => {
      const rows = this.database.pool
        .query<EventRow>({
          name: 'strata_read_all',
          text: `SELECT ${COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
          values: [from, size],
        })
        .then((r) => r.rows);
      rows.catch(() => undefined); // reported when awaited; a caller that stops early never awaits it
      return rows;
    };
    let size = Math.min(batch, remaining);
    let next = page(after, size);
    for (;;) {
      const rows = await next;
      remaining -= rows.length;
      const more = rows.length === size && remaining > 0;
      if (more) {
        after = Number(rows[rows.length - 1]!.global_position);
        size = Math.min(batch, remaining);
        next = page(after, size);
      }
      for (const row of rows) yield toStored(row);
      if (!more) return;
    }
  }

  async streamRevision(streamId: string): Promise<number> {
    return (await this.tail(this.database.pool, streamId)).revision;
  }

  /** The max committed position; safe because commits follow position order (see class comment). */
  async headPosition(): Promise<number> {
    const { rows } = await this.database.pool.query<{ p: string | null }>('SELECT max(global_position) AS p FROM events');
    return Number(rows[0]?.p ?? 0);
  }

  async countEvents(): Promise<number> {
    const { rows } = await this.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(rows[0]!.n);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

/** strata_append_many's (and strata_append_all's) arguments: each request's, its events flattened. */
function manyParameters(requests: readonly AppendRequest[]): unknown[] {
  const each = requests.map(appendParameters);
  return [
    requests.map((r) => r.streamId),
    each.map((p) => p.expected),
    each.map((p) => p.revision),
    each.map((p) => p.insert),
    requests.map((r) => r.events.length),
    each.flatMap((p) => p.ids),
    each.flatMap((p) => p.types),
    each.flatMap((p) => p.data),
    each.flatMap((p) => p.metadata),
    each.flatMap((p) => p.recorded),
  ];
}

/** One request's arguments to `strata_append` (and its share of `strata_append_many`'s). */
function appendParameters({ events, expectedVersion }: AppendRequest) {
  const ids = new Set<string>();
  let repeatsAnId = false;
  for (const e of events) {
    if (ids.has(e.id)) repeatsAnId = true;
    ids.add(e.id);
  }
  return {
    expected: typeof expectedVersion === 'number' ? 'exact' : expectedVersion,
    revision: typeof expectedVersion === 'number' ? expectedVersion : null,
    insert: !repeatsAnId && events.length > 0,
    ids: events.map((e) => e.id),
    types: events.map((e) => e.type),
    data: events.map((e) => JSON.stringify(e.data)),
    metadata: events.map((e) => JSON.stringify(e.metadata)),
    recorded: events.map((e) => e.recordedAt ?? null),
  };
}

/**
 * The result `strata_append`'s row means for `request`, or the port's error when it inserted
 * nothing: the stream's tail and the ids already logged decide which.
 */
function answer(request: AppendRequest, row: AppendRow): AppendResult {
  const { streamId, events, expectedVersion } = request;
  const tail = row.revision === null ? { revision: -1, position: 0 } : { revision: Number(row.revision), position: Number(row.position) };
  if (row.last_position !== null) {
    return { streamId, nextExpectedVersion: tail.revision + events.length, lastGlobalPosition: Number(row.last_position), appended: events.length };
  }
  const found = new Map<string, string>(row.found);
  if (events.length > 0 && events.every((e) => found.has(e.id))) {
    // Every id is in the log: an idempotent retry if they are all ours, a conflict otherwise.
    for (const e of events) {
      const owner = found.get(e.id)!;
      if (owner !== streamId) throw new DuplicateEventIdError(e.id, `in stream ${owner}`);
    }
    return { streamId, nextExpectedVersion: tail.revision, lastGlobalPosition: tail.position, appended: 0 };
  }
  const dupe = events.find((e) => found.has(e.id));
  if (dupe) {
    throw new DuplicateEventIdError(dupe.id, `(stream ${found.get(dupe.id)}); the batch is only partly a retry`);
  }
  if (!expectedVersionMatches(expectedVersion, tail.revision)) {
    throw new WrongExpectedVersionError(streamId, expectedVersion, tail.revision);
  }
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.id)) throw new DuplicateEventIdError(e.id, 'twice in the same append');
    seen.add(e.id);
  }
  return { streamId, nextExpectedVersion: tail.revision, lastGlobalPosition: tail.position, appended: 0 };
}
