import type Database from 'better-sqlite3';
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
import type { ReadModelStore, ReadModelTransaction } from '../../projections/read-model-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface EventRow {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

const DEFAULT_BATCH = 1000;

function toStored(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: row.stream_revision,
    globalPosition: row.global_position,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}

/**
 * The embedded adapter. better-sqlite3 is synchronous, so an append is one synchronous
 * transaction: nothing else in the process can interleave with it, and SQLite's single writer
 * makes global positions commit in order (no gaps for a reader to skip).
 */
export class SqliteEventStore implements EventStore {
  readonly name = 'sqlite';
  readonly capabilities: EventStoreCapabilities = { atomicMultiStreamAppend: true, sharedReadModelDatabase: true };
  private statements: ReturnType<SqliteEventStore['prepare']> | undefined;
  /**
   * What appendManyWithin wrote in the open read-model transaction, in global order: the runner
   * projects these instead of reading them back (appendedWithin). Kept per transaction object,
   * so a transaction that rolled back leaves nothing behind for the next.
   */
  private written: { tx: ReadModelTransaction; events: StoredEvent[] } | undefined;

  constructor(readonly database: SqliteDatabase) {}

  async init(): Promise<void> {
    await this.database.migrate();
    this.statements ??= this.prepare(this.database.db);
  }

  private prepare(db: Database.Database) {
    return {
      revision: db
        .prepare<[string], { r: number | null }>('SELECT MAX(stream_revision) AS r FROM events WHERE stream_id = ?'),
      lastPosition: db.prepare<[string], { p: number | null }>(
        'SELECT MAX(global_position) AS p FROM events WHERE stream_id = ?',
      ),
      byId: db.prepare<[string], { stream_id: string; stream_revision: number }>(
        'SELECT stream_id, stream_revision FROM events WHERE event_id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      readStream: db.prepare<[string, number, number], EventRow>(
        `SELECT * FROM events WHERE stream_id = ? AND stream_revision >= ? ORDER BY stream_revision LIMIT ?`,
      ),
      readEvent: db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?'),
      readAll: db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?',
      ),
      head: db.prepare<[], { p: number | null }>('SELECT MAX(global_position) AS p FROM events'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events'),
      // Built once: better-sqlite3 wraps the function per call to transaction() otherwise.
      appendAll: db.transaction((requests: readonly AppendRequest[], recorded?: StoredEvent[]) =>
        requests.map((r) => this.appendOne(r, recorded)),
      ),
    };
  }

  private get s() {
    if (!this.statements) throw new Error('SqliteEventStore used before init()');
    return this.statements;
  }

  async appendToStream(request: AppendRequest): Promise<AppendResult> {
    const [result] = await this.appendMany([request]);
    return result!;
  }

  appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    // Copied now, not when the lock is granted, so a caller changing its array afterwards changes nothing.
    const copy = reqs(requests);
    // The write lock keeps appends out of a read-model transaction that is awaiting between statements.
    return this.database.writeLock.run(() => this.s.appendAll(copy));
  }

  /** `recorded`, when given, receives each inserted event as a read would return it. */
  private appendOne(request: AppendRequest, recorded?: StoredEvent[]): AppendResult {
    const { streamId, events, expectedVersion } = request;
    const current = this.s.revision.get(streamId)?.r ?? -1;
    const already = events.map((e) => this.s.byId.get(e.id));
    if (events.length > 0 && already.every((a) => a !== undefined)) {
      // Every id is in the log: an idempotent retry if they are all ours, a conflict otherwise.
      already.forEach((a, i) => {
        if (a!.stream_id !== streamId) throw new DuplicateEventIdError(events[i]!.id, `in stream ${a!.stream_id}`);
      });
      return { streamId, nextExpectedVersion: current, lastGlobalPosition: this.lastPosition(streamId), appended: 0 };
    }
    const dupe = already.findIndex((a) => a !== undefined);
    if (dupe >= 0) {
      throw new DuplicateEventIdError(events[dupe]!.id, `(stream ${already[dupe]!.stream_id}); the batch is only partly a retry`);
    }
    if (!expectedVersionMatches(expectedVersion, current)) {
      throw new WrongExpectedVersionError(streamId, expectedVersion, current);
    }
    const recordedAt = new Date().toISOString();
    let revision = current;
    let position = 0;
    const ids = new Set<string>();
    for (const e of events) {
      if (ids.has(e.id)) throw new DuplicateEventIdError(e.id, 'twice in the same append');
      ids.add(e.id);
      revision += 1;
      const data = JSON.stringify(e.data);
      const metadata = JSON.stringify(e.metadata);
      const at = e.recordedAt ?? recordedAt;
      const info = this.s.insert.run(e.id, streamId, revision, e.type, data, metadata, at);
      position = Number(info.lastInsertRowid);
      // Parsed from the very text stored, so it equals what a read returns.
      recorded?.push(toStored({ global_position: position, event_id: e.id, stream_id: streamId, stream_revision: revision, type: e.type, data, metadata, recorded_at: at }));
    }
    return {
      streamId,
      nextExpectedVersion: revision,
      lastGlobalPosition: position || this.lastPosition(streamId),
      appended: events.length,
    };
  }

  canAppendWithin(readModels: ReadModelStore): boolean {
    return (readModels as { database?: unknown }).database === this.database;
  }

  /**
   * Joins the read-model transaction the caller holds (same connection, its write lock already
   * taken): better-sqlite3 runs the append as a SAVEPOINT inside it, so a rejected request
   * rolls back its own rows only, and everything commits or rolls back with `tx`.
   */
  async appendManyWithin(tx: ReadModelTransaction, requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (this.database.openTransaction !== tx || !this.database.db.inTransaction) {
      throw new Error('appendManyWithin: not inside an open read-model transaction of this database');
    }
    const recorded: StoredEvent[] = [];
    const results = this.s.appendAll(reqs(requests), recorded);
    // Only now: a refused request's savepoint rolled its rows back, and they were never kept.
    if (this.written?.tx !== tx) this.written = { tx, events: [] };
    for (const e of recorded) this.written.events.push(e);
    return results;
  }

  appendedWithin(tx: ReadModelTransaction, after: number, head: number): readonly StoredEvent[] | undefined {
    if (this.written?.tx !== tx || this.database.openTransaction !== tx) return undefined;
    const events = this.written.events;
    const first = events.findIndex((e) => e.globalPosition === after + 1);
    if (first < 0) return undefined;
    const span = events.slice(first, first + (head - after));
    // Consecutive positions (after, head]: nothing another writer put in between.
    return span.length === head - after && span.every((e, i) => e.globalPosition === after + 1 + i) ? span : undefined;
  }

  private lastPosition(streamId: string): number {
    return this.s.lastPosition.get(streamId)?.p ?? 0;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    while (remaining > 0) {
      const rows = this.s.readStream.all(streamId, from, Math.min(DEFAULT_BATCH, remaining));
      for (const row of rows) yield toStored(row);
      if (rows.length < Math.min(DEFAULT_BATCH, remaining)) return;
      remaining -= rows.length;
      from = rows[rows.length - 1]!.stream_revision + 1;
    }
  }

  async readEvent(eventId: string): Promise<StoredEvent | undefined> {
    const row = this.s.readEvent.get(eventId);
    return row ? toStored(row) : undefined;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    let after = options.after ?? 0;
    const batch = options.batchSize ?? DEFAULT_BATCH;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    while (remaining > 0) {
      const size = Math.min(batch, remaining);
      const rows = this.s.readAll.all(after, size);
      for (const row of rows) yield toStored(row);
      if (rows.length < size) return;
      remaining -= rows.length;
      after = rows[rows.length - 1]!.global_position;
    }
  }

  async streamRevision(streamId: string): Promise<number> {
    return this.s.revision.get(streamId)?.r ?? -1;
  }

  async headPosition(): Promise<number> {
    return this.s.head.get()?.p ?? 0;
  }

  async countEvents(): Promise<number> {
    return this.s.count.get()!.n;
  }

  async close(): Promise<void> {
    this.database.close();
  }
}

/** A copy, so a caller mutating its array after the call cannot change what is written. */
function reqs(requests: readonly AppendRequest[]): AppendRequest[] {
  return requests.map((r) => ({ ...r, events: [...r.events] }));
}
