import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { PostgresDatabase } from '../../src/event-store/postgres/postgres-database.js';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import type { AppendRequest, EventStore, NewEvent } from '../../src/event-store/event-store.port.js';
import { bootApp, openStore, type BenchApp } from './app.js';
import { firmRecords, roundRobinRecords } from './dataset.js';
import type { StoreKind, Target } from './databases.js';
import { PeerProcess } from './peer.js';
import { timeMs } from './stats.js';
import type { Storage } from '../../src/application/storage.js';

/** One timed measurement: how many events it moved and how long that took. */
export interface Measured {
  readonly ms: number;
  readonly count: number;
}

/**
 * Something that appends and reads the same events: Strata through its CommandBus, Strata's
 * event-store adapter, the raw driver, or Emmett. Preparation (ids, payload copies, firm
 * registration) happens before the clock starts; only the writes and reads are timed.
 */
export interface Subject {
  readonly name: string;
  readonly kind: StoreKind;
  /** `count` appends of one event each, round-robin over `streams` new streams, exact expected version. */
  appendSingle(prefix: string, streams: number, count: number): Promise<Measured>;
  /** `batches` transactions of `size` events, each a new stream. */
  appendBatch(prefix: string, batches: number, size: number): Promise<Measured>;
  /** Every event in global order (pages of 1,000). */
  readAll?(): Promise<Measured>;
  readStream?(streamId: string): Promise<Measured>;
  close(): Promise<void>;
}

const withIds = (sample: readonly NewEvent[], count: number, offset: number): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({ ...sample[(offset + i) % sample.length]!, id: randomUUID() }));

/** Strata's adapter (SqliteEventStore / PostgresEventStore) called directly. */
export class StrataStoreSubject implements Subject {
  readonly name = 'strata store';
  private readonly versions = new Map<string, number>();
  private constructor(
    readonly kind: StoreKind,
    private readonly storage: Storage,
    private readonly sample: readonly NewEvent[],
  ) {}

  static async open(target: Target, sample: readonly NewEvent[]) {
    return new StrataStoreSubject(target.kind, await openStore(target), sample);
  }

  get store(): EventStore {
    return this.storage.events;
  }

  async appendSingle(prefix: string, streams: number, count: number): Promise<Measured> {
    const names = Array.from({ length: streams }, (_, i) => `${prefix}-${i}`);
    const events = withIds(this.sample, count, 0);
    const ms = await timeMs(async () => {
      for (let i = 0; i < count; i++) {
        const streamId = names[i % streams]!;
        const v = this.versions.get(streamId);
        const r = await this.store.appendToStream({ streamId, expectedVersion: v === undefined ? 'no-stream' : v, events: [events[i]!] });
        this.versions.set(streamId, r.nextExpectedVersion);
      }
    });
    return { ms, count };
  }

  async appendBatch(prefix: string, batches: number, size: number): Promise<Measured> {
    const requests: AppendRequest[] = Array.from({ length: batches }, (_, b) => ({
      streamId: `${prefix}-${b}`,
      expectedVersion: 'no-stream',
      events: withIds(this.sample, size, b * size),
    }));
    const ms = await timeMs(async () => {
      for (const r of requests) await this.store.appendToStream(r);
    });
    return { ms, count: batches * size };
  }

  async readAll(): Promise<Measured> {
    let count = 0;
    const ms = await timeMs(async () => {
      for await (const e of this.store.readAll({ batchSize: 1000 })) if (e.data) count++;
    });
    return { ms, count };
  }

  async readStream(streamId: string): Promise<Measured> {
    let count = 0;
    const ms = await timeMs(async () => {
      for await (const e of this.store.readStream(streamId)) if (e.data) count++;
    });
    return { ms, count };
  }

  close(): Promise<void> {
    return this.storage.close();
  }
}

/**
 * Strata end to end: LogEventCommand / ImportEventsCommand through the CommandBus, i.e. input
 * checks, load-decide-append with the expected version, and the inline projection catch-up
 * (catalog, timeline, analysis) before the command returns.
 */
export class StrataCommandSubject implements Subject {
  readonly name = 'strata command';
  private constructor(
    readonly kind: StoreKind,
    readonly app: BenchApp,
  ) {}

  static async open(target: Target) {
    return new StrataCommandSubject(target.kind, await bootApp(target));
  }

  private async registerFirms(names: readonly string[]): Promise<void> {
    for (const firm of names) await this.app.commands.execute(new RegisterFirmCommand(firm, 'bench'));
  }

  async appendSingle(prefix: string, streams: number, count: number): Promise<Measured> {
    const firms = Array.from({ length: streams }, (_, i) => `${prefix}-${i}`);
    await this.registerFirms(firms);
    const inputs = roundRobinRecords(firms, count);
    const ms = await timeMs(async () => {
      for (const input of inputs) await this.app.commands.execute(new LogEventCommand(input));
    });
    return { ms, count };
  }

  /**
   * `count` LogEventCommands with `inFlight` of them outstanding at any time, each awaited on
   * its own (an HTTP server under load, a script not awaiting one before sending the next).
   * Each of the `inFlight` senders logs into its own firm, one command after the other, so the
   * commands in flight never compete for one stream's expected version.
   */
  async appendConcurrent(prefix: string, inFlight: number, count: number): Promise<Measured> {
    const firms = Array.from({ length: inFlight }, (_, i) => `${prefix}-${i}`);
    await this.registerFirms(firms);
    const perFirm = firms.map((f, i) => firmRecords(f, Math.floor(count / inFlight) + (i < count % inFlight ? 1 : 0)));
    const ms = await timeMs(() =>
      Promise.all(
        perFirm.map(async (inputs) => {
          for (const input of inputs) await this.app.commands.execute(new LogEventCommand(input));
        }),
      ),
    );
    return { ms, count };
  }

  async appendBatch(prefix: string, batches: number, size: number): Promise<Measured> {
    const files = Array.from({ length: batches }, (_, b) =>
      firmRecords(`${prefix}-${b}`, size).map((record, i) => ({ line: i + 1, record })),
    );
    let count = 0;
    const ms = await timeMs(async () => {
      for (const records of files) {
        const r = await this.app.commands.execute(new ImportEventsCommand(records, 'bench'));
        count += r.appended + r.firmsCreated.length + r.studiesCreated.length;
      }
    });
    return { ms, count };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

/**
 * The driver limit: the same rows into the same `events` table (Strata's migration, same
 * indexes and pragmas), with nothing but the INSERTs — no id or version checks, no locks.
 */
export class RawSqliteSubject implements Subject {
  readonly name = 'raw driver';
  readonly kind = 'sqlite' as const;
  private readonly revisions = new Map<string, number>();
  private insert!: Database.Statement;
  private readPage!: Database.Statement<[number, number], { global_position: number; data: string; metadata: string }>;

  private constructor(
    private readonly database: SqliteDatabase,
    private readonly sample: readonly NewEvent[],
  ) {}

  static async open(target: Target, sample: readonly NewEvent[]) {
    const database = new SqliteDatabase(target.location);
    await database.migrate();
    const s = new RawSqliteSubject(database, sample);
    s.insert = database.db.prepare(
      'INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    s.readPage = database.db.prepare('SELECT * FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?');
    return s;
  }

  private row(streamId: string, e: NewEvent, at: string) {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    return this.insert.run(e.id, streamId, revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), at);
  }

  async appendSingle(prefix: string, streams: number, count: number): Promise<Measured> {
    const events = withIds(this.sample, count, 0);
    const ms = await timeMs(() => {
      for (let i = 0; i < count; i++) this.row(`${prefix}-${i % streams}`, events[i]!, new Date().toISOString());
    });
    return { ms, count };
  }

  async appendBatch(prefix: string, batches: number, size: number): Promise<Measured> {
    const prepared = Array.from({ length: batches }, (_, b) => withIds(this.sample, size, b * size));
    const tx = this.database.db.transaction((streamId: string, events: NewEvent[]) => {
      const at = new Date().toISOString();
      for (const e of events) this.row(streamId, e, at);
    });
    const ms = await timeMs(() => {
      for (let b = 0; b < batches; b++) tx(`${prefix}-${b}`, prepared[b]!);
    });
    return { ms, count: batches * size };
  }

  async readAll(): Promise<Measured> {
    let count = 0;
    const ms = await timeMs(() => {
      let after = 0;
      for (;;) {
        const rows = this.readPage.all(after, 1000);
        for (const r of rows) {
          if (JSON.parse(r.data) && JSON.parse(r.metadata)) count++;
        }
        if (rows.length < 1000) break;
        after = rows[rows.length - 1]!.global_position;
      }
    });
    return { ms, count };
  }

  async close(): Promise<void> {
    this.database.close();
  }
}

export class RawPostgresSubject implements Subject {
  readonly name = 'raw driver';
  readonly kind = 'postgres' as const;
  private readonly revisions = new Map<string, number>();

  private constructor(
    private readonly client: pg.Client,
    private readonly sample: readonly NewEvent[],
  ) {}

  static async open(target: Target, sample: readonly NewEvent[]) {
    // Strata's migration creates the identical table; then one plain client does the inserts.
    const database = new PostgresDatabase(target.location);
    await database.migrate();
    await database.close();
    const client = new pg.Client({ connectionString: target.location });
    await client.connect();
    return new RawPostgresSubject(client, sample);
  }

  private next(streamId: string): number {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    return revision;
  }

  async appendSingle(prefix: string, streams: number, count: number): Promise<Measured> {
    const events = withIds(this.sample, count, 0);
    const ms = await timeMs(async () => {
      for (let i = 0; i < count; i++) {
        const streamId = `${prefix}-${i % streams}`;
        const e = events[i]!;
        // One statement, autocommit: one transaction and one round trip per event.
        await this.client.query(
          `INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, statement_timestamp())`,
          [e.id, streamId, this.next(streamId), e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
        );
      }
    });
    return { ms, count };
  }

  async appendBatch(prefix: string, batches: number, size: number): Promise<Measured> {
    const prepared = Array.from({ length: batches }, (_, b) => withIds(this.sample, size, b * size));
    const ms = await timeMs(async () => {
      for (let b = 0; b < batches; b++) {
        const streamId = `${prefix}-${b}`;
        const events = prepared[b]!;
        await this.client.query('BEGIN');
        await this.client.query(
          `INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
           SELECT u.id, $1, u.rev, u.type, u.data, u.metadata, statement_timestamp()
             FROM unnest($2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::jsonb[]) AS u(id, rev, type, data, metadata)`,
          [
            streamId,
            events.map((e) => e.id),
            events.map(() => this.next(streamId)),
            events.map((e) => e.type),
            events.map((e) => JSON.stringify(e.data)),
            events.map((e) => JSON.stringify(e.metadata)),
          ],
        );
        await this.client.query('COMMIT');
      }
    });
    return { ms, count: batches * size };
  }

  async readAll(): Promise<Measured> {
    let count = 0;
    const ms = await timeMs(async () => {
      let after = 0;
      for (;;) {
        const { rows } = await this.client.query<{ global_position: string; data: unknown }>(
          'SELECT * FROM events WHERE global_position > $1 ORDER BY global_position LIMIT 1000',
          [after],
        );
        for (const r of rows) if (r.data) count++;
        if (rows.length < 1000) break;
        after = Number(rows[rows.length - 1]!.global_position);
      }
    });
    return { ms, count };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** Emmett's event store for the same store kind, in its own process. */
export class EmmettSubject implements Subject {
  readonly name = 'emmett';
  private constructor(
    readonly kind: StoreKind,
    private readonly peer: PeerProcess,
  ) {}

  static async open(target: Target, sample: readonly NewEvent[]) {
    const peer = await PeerProcess.start(target.kind);
    await peer.init(target.location, sample);
    return new EmmettSubject(target.kind, peer);
  }

  appendSingle(prefix: string, streams: number, count: number) {
    return this.peer.request('appendSingle', { prefix, streams, count });
  }
  appendBatch(prefix: string, batches: number, size: number) {
    return this.peer.request('appendBatch', { prefix, batches, size });
  }
  readAll() {
    return this.peer.request('readAll', { batchSize: 1000 });
  }
  readStream(streamId: string) {
    return this.peer.request('readStream', { stream: streamId });
  }
  close() {
    return this.peer.stop();
  }
}
