import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../../src/event-store/event-store.port.js';
import { postgresMigrations } from '../../migrations/postgres/index.js';
import * as appendFunctionPlpgsql from '../../migrations/postgres/20261208T0300-append-function-plpgsql.js';
import { PostgresDatabase } from '../../src/event-store/postgres/postgres-database.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { PostgresReadModelStore } from '../../src/event-store/postgres/postgres-read-model-store.js';
import { collect, newEvent, rejection } from '../contract/contract-support.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../contract/postgres-throwaway-database.js';

/** The SQL texts every pg client sent while `fn` ran, in order. */
async function countingQueries<T>(fn: () => Promise<T>): Promise<{ result: T; texts: string[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  const texts: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    texts.push(typeof config === 'string' ? config : config.text);
    return query.apply(this, args);
  };
  try {
    return { result: await fn(), texts };
  } finally {
    proto.query = query;
  }
}

/** What is specific to the PostgreSQL adapter, beyond the shared contract suite. */
describe('postgres event store', () => {
  let database: ThrowawayDatabase;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('migrates once when several processes start at the same time', async () => {
    // Separate pools stand in for separate processes: nothing is shared but the server.
    const starters = Array.from({ length: 4 }, () => new PostgresDatabase(database.url));
    try {
      await Promise.all(starters.map((s) => s.migrate()));
      const { rows } = await starters[0]!.pool.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(Object.keys(postgresMigrations).sort());
      expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['20261123T1500-events', '20261123T1501-read-models']));
      const tables = await starters[0]!.pool.query<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.rows.map((r) => r.t)).toEqual(
        expect.arrayContaining(['events', 'projection_checkpoints', 'read_models']),
      );
      // Only this database's locks: other suites (and benchmarks) may hold advisory locks elsewhere on the server.
      const held = await starters[0]!.pool.query(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      expect(held.rowCount).toBe(0);
    } finally {
      await Promise.all(starters.map((s) => s.close()));
    }
  });

  it('accepts a caller-built Pool, shares it with the read-model store, and close() ends it once', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    const shared = new PostgresDatabase(pool);
    const events = new PostgresEventStore(shared);
    const readModels = new PostgresReadModelStore(shared);
    await Promise.all([events.init(), readModels.init()]);
    const r = await events.appendToStream({ streamId: 'firm-pool', expectedVersion: 'no-stream', events: [newEvent()] });
    expect(typeof r.lastGlobalPosition).toBe('number');
    await events.close();
    await readModels.close(); // the second close of a shared database is a no-op, not an error
    expect(pool.ended).toBe(true);
  });

  it('reads a stream that ends on a page boundary in one query, and one a row longer in two', async () => {
    const events = new PostgresEventStore(database.url);
    await events.init();
    try {
      // 1,000 events: one page (DEFAULT_BATCH) exactly.
      const page = Array.from({ length: 1000 }, (_, i) => newEvent('Tick', { i }));
      await events.appendToStream({ streamId: 'firm-page', expectedVersion: 'no-stream', events: page });
      await events.appendToStream({ streamId: 'firm-page-and-one', expectedVersion: 'no-stream', events: [...page.map((e) => ({ ...e, id: randomUUID() })), newEvent('Tick', { i: 1000 })] });

      const queries = async (streamId: string) => {
        const counted = await countingQueries(() => collect(events.readStream(streamId)));
        const read = counted.result;
        return { n: counted.texts.length, revisions: read.map((e) => e.revision), is: read.map((e) => (e.data as { i: number }).i) };
      };
      const one = await queries('firm-page');
      expect(one.n).toBe(1);
      expect(one.is).toEqual([...Array(1000).keys()]);
      const two = await queries('firm-page-and-one');
      expect(two.n).toBe(2);
      expect(two.revisions).toEqual([...Array(1001).keys()]);
      expect(two.is).toEqual([...Array(1001).keys()]);
    } finally {
      await events.close();
    }
  });

  it('appends a group of requests in one autocommit statement, each answered on its own', async () => {
    const events = new PostgresEventStore(database.url);
    await events.init();
    try {
      const streams = Array.from({ length: 5 }, (_, i) => `firm-group-${i}-${randomUUID()}`);
      const { result, texts } = await countingQueries(() =>
        events.appendMany(streams.map((streamId, i) => ({ streamId, expectedVersion: 'no-stream' as const, events: Array.from({ length: i + 1 }, () => newEvent()) }))),
      );
      expect(texts.map((t) => t.split('(')[0]!.trim())).toEqual(['SELECT * FROM strata_append_all']);
      expect(result.map((r) => [r.streamId, r.nextExpectedVersion, r.appended])).toEqual(streams.map((s, i) => [s, i, i + 1]));
      for (const [i, s] of streams.entries()) expect(await events.streamRevision(s)).toBe(i);
    } finally {
      await events.close();
    }
  });

  it('a group with a retry or a refusal in it: the autocommit statement undoes itself, and the transaction answers as before', async () => {
    const events = new PostgresEventStore(database.url);
    await events.init();
    try {
      const earlier = { streamId: `firm-retry-${randomUUID()}`, expectedVersion: 'no-stream' as const, events: [newEvent()] };
      await events.appendToStream(earlier);
      const fresh = () => ({ streamId: `firm-new-${randomUUID()}`, expectedVersion: 'no-stream' as const, events: [newEvent()] });
      const before = await events.countEvents();

      // The first request appends in strata_append_all; the retry after it makes the function undo that.
      const first = fresh();
      const { result, texts } = await countingQueries(() => events.appendMany([first, earlier]));
      expect(texts.map((t) => t.split('(')[0]!.trim())).toEqual(['SELECT * FROM strata_append_all', 'BEGIN', 'SELECT * FROM strata_append_many', 'COMMIT']);
      expect(result.map((r) => [r.streamId, r.nextExpectedVersion, r.appended])).toEqual([[first.streamId, 0, 1], [earlier.streamId, 0, 0]]);
      expect(await events.countEvents()).toBe(before + 1);

      // A refusal: nothing of the group stays, the first request's rows included.
      const second = fresh();
      const refused = { streamId: earlier.streamId, expectedVersion: 'no-stream' as const, events: [newEvent()] };
      expect(await rejection(events.appendMany([second, refused]))).toBeInstanceOf(WrongExpectedVersionError);
      expect(await events.countEvents()).toBe(before + 1);
      expect(await events.streamRevision(second.streamId)).toBe(-1);
    } finally {
      await events.close();
    }
  });

  it('answers the gets after a prefetch from one read', async () => {
    const readModels = new PostgresReadModelStore(database.url);
    await readModels.init();
    try {
      const keys = ['a', 'b', 'c', 'd', 'e'];
      await readModels.transaction(async (tx) => {
        for (const k of keys) await tx.put('prefetch-count', 'p', k, k, { k });
      });
      const { result, texts } = await countingQueries(() =>
        readModels.transaction(async (tx) => {
          await tx.prefetch!('prefetch-count', 'p', [...keys, 'absent']);
          return Promise.all([...keys, 'absent'].map((k) => tx.get('prefetch-count', 'p', k)));
        }),
      );
      expect(result).toEqual([...keys.map((k) => ({ k })), undefined]);
      expect(texts.filter((t) => t.startsWith('SELECT'))).toHaveLength(1);
    } finally {
      await readModels.close();
    }
  });

  it('a projection batch opens with BEGIN, the lock and the checkpoint read in one round trip; an empty transaction sends nothing', async () => {
    const readModels = new PostgresReadModelStore(database.url);
    await readModels.init();
    try {
      const batch = await countingQueries(() =>
        readModels.transaction(async (tx) => {
          await tx.lockRunners();
          const before = await tx.checkpoints();
          await tx.put('lazy-begin', 'p', 'k', 'k', { n: 1 });
          await tx.setCheckpoint('lazy-begin', 1, 42);
          return { before, after: await tx.checkpoints() };
        }),
      );
      const heads = batch.texts.map((t) => t.replace(/\s+/g, ' ').slice(0, 30));
      expect(heads[0]).toMatch(/^BEGIN; INSERT INTO read_models/);
      expect(batch.texts[0]).toContain('SELECT * FROM projection_checkpoints');
      expect(heads.slice(1).filter((h) => h.startsWith('SELECT * FROM projection_check'))).toHaveLength(1); // only the read after the write
      expect(heads.at(-1)).toBe('COMMIT');
      expect(batch.result.before.find((c) => c.projection === 'lazy-begin')).toBeUndefined();
      expect(batch.result.after.find((c) => c.projection === 'lazy-begin')).toMatchObject({ version: 1, position: 42 });
      expect((await readModels.checkpoint('lazy-begin'))?.position).toBe(42);
      // The checkpoints read with the lock come typed as the separate read's do.
      const again = await readModels.transaction(async (tx) => {
        await tx.lockRunners();
        return tx.checkpoints();
      });
      expect(again.find((c) => c.projection === 'lazy-begin')).toEqual(await readModels.checkpoint('lazy-begin'));
      expect(again.find((c) => c.projection === 'lazy-begin')).toMatchObject({ version: 1, position: 42, updatedAt: expect.stringMatching(/Z$/) });

      const empty = await countingQueries(() => readModels.transaction(async () => 'nothing'));
      expect(empty).toEqual({ result: 'nothing', texts: [] });

      // A failure after a lazily sent BEGIN rolls the transaction back.
      const failed = rejection(
        readModels.transaction(async (tx) => {
          await tx.lockRunners();
          await tx.put('lazy-begin', 'p', 'rolled-back', 'r', { n: 2 });
          await tx.setCheckpoint('lazy-begin', 1, 43);
          await tx.checkpoints(); // applies the buffered writes
          throw new Error('projection failed');
        }),
      );
      expect(((await failed) as Error).message).toBe('projection failed');
      expect(await readModels.get('lazy-begin', 'p', 'rolled-back')).toBeUndefined();
      expect((await readModels.checkpoint('lazy-begin'))?.position).toBe(42);
    } finally {
      await readModels.close();
    }
  });

  describe('constraint backstops for writers that bypass the append lock', () => {
    let store: PostgresEventStore;
    beforeAll(async () => {
      store = new PostgresEventStore(database.url);
      await store.init();
    });
    afterAll(async () => {
      await store.close();
    });

    /** Runs `write` while a raw transaction holds an uncommitted row, then commits that row. */
    async function raceAgainstRawInsert(eventId: string, streamId: string, write: () => Promise<unknown>) {
      const raw = await store.database.pool.connect();
      try {
        await raw.query('BEGIN');
        await raw.query(
          `INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
           VALUES ($1, $2, 0, 'Raw', '{}', '{}', now())`,
          [eventId, streamId],
        );
        const pending = rejection(write()); // blocks on the unique index until `raw` ends
        await sleep(200);
        await raw.query('COMMIT');
        return await pending;
      } finally {
        raw.release();
      }
    }

    it('a unique violation on (stream_id, stream_revision) becomes WrongExpectedVersionError', async () => {
      const err = await raceAgainstRawInsert(newEvent().id, 'firm-raced', () =>
        store.appendToStream({ streamId: 'firm-raced', expectedVersion: 'no-stream', events: [newEvent()] }),
      );
      expect(err).toBeInstanceOf(WrongExpectedVersionError);
      expect(err).toMatchObject({ streamId: 'firm-raced', expected: 'no-stream', actual: 0 });
    });

    it('a unique violation on event_id becomes DuplicateEventIdError', async () => {
      const event = newEvent();
      const err = await raceAgainstRawInsert(event.id, 'firm-raw-owner', () =>
        store.appendToStream({ streamId: 'firm-other', expectedVersion: 'no-stream', events: [event] }),
      );
      expect(err).toBeInstanceOf(DuplicateEventIdError);
      expect(err).toMatchObject({ eventId: event.id });
      expect(await store.streamRevision('firm-other')).toBe(-1);
    });
  });

  it('strata_append answers every kind of request alike in PL/pgSQL and, after that migration\'s down step, in SQL', async () => {
    // Each language gets its own streams and ids; the outcomes must be the same, and as the port says.
    const scenario = async (store: PostgresEventStore, tag: string) => {
      const a = newEvent();
      const b = newEvent();
      const attempts = [
        () => store.appendToStream({ streamId: `${tag}-s`, expectedVersion: 'no-stream', events: [a, b] }),
        () => store.appendToStream({ streamId: `${tag}-s`, expectedVersion: 'no-stream', events: [newEvent()] }),
        () => store.appendToStream({ streamId: `${tag}-s`, expectedVersion: 0, events: [newEvent()] }),
        () => store.appendToStream({ streamId: `${tag}-s`, expectedVersion: 1, events: [newEvent()] }),
        () => store.appendToStream({ streamId: `${tag}-s`, expectedVersion: 'any', events: [a, b] }),
        () => store.appendToStream({ streamId: `${tag}-t`, expectedVersion: 'any', events: [a] }),
        () => store.appendToStream({ streamId: `${tag}-t`, expectedVersion: 'stream-exists', events: [newEvent()] }),
        () =>
          store.appendMany([
            { streamId: `${tag}-u`, expectedVersion: 'no-stream', events: [newEvent()] },
            { streamId: `${tag}-u`, expectedVersion: 0, events: [newEvent(), newEvent()] },
          ]),
      ];
      const outcomes: unknown[] = [];
      for (const attempt of attempts) {
        try {
          const r = await attempt();
          const results = Array.isArray(r) ? r : [r];
          outcomes.push(results.map((x) => [x.nextExpectedVersion, x.appended]));
        } catch (err) {
          outcomes.push((err as Error).constructor.name);
        }
      }
      return outcomes;
    };
    const store = new PostgresEventStore(database.url);
    await store.init();
    const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1 }) }) });
    const language = async () =>
      (await sql<{ lanname: string }>`SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'strata_append'`.execute(kysely)).rows.map((r) => r.lanname);
    try {
      expect(await language()).toEqual(['plpgsql']);
      // No seq scan, even in a generic plan made while the table was small, which would outlive
      // the table's growth (see the migration).
      const settings = await sql<{ proconfig: string[] }>`SELECT proconfig FROM pg_proc WHERE proname = 'strata_append'`.execute(kysely);
      expect(settings.rows[0]!.proconfig).toEqual(['enable_seqscan=off']);
      const plpgsql = await scenario(store, 'plpgsql');
      await appendFunctionPlpgsql.down(kysely);
      expect(await language()).toEqual(['sql']);
      const sqlVersion = await scenario(store, 'sql');
      await appendFunctionPlpgsql.up(kysely);
      expect(await language()).toEqual(['plpgsql']);
      expect(plpgsql).toEqual([
        [[1, 2]],
        'WrongExpectedVersionError',
        'WrongExpectedVersionError',
        [[2, 1]],
        [[2, 0]], // a retry of the first append: logged once
        'DuplicateEventIdError', // those ids belong to another stream
        'WrongExpectedVersionError', // the refused append above left no stream
        [[0, 1], [2, 2]],
      ]);
      expect(sqlVersion).toEqual(plpgsql);
    } finally {
      await kysely.destroy();
      await store.close();
    }
  });

  it('keeps a copied event\'s recordedAt and stamps new ones with the commit time', async () => {
    const store = new PostgresEventStore(database.url);
    await store.init();
    try {
      const before = Date.now();
      const copied = { ...newEvent(), recordedAt: '2019-03-04T05:06:07.089Z' };
      await store.appendToStream({ streamId: 'firm-times', expectedVersion: 'no-stream', events: [copied, newEvent()] });
      const [old, fresh] = await collect(store.readStream('firm-times'));
      expect(old!.recordedAt).toBe('2019-03-04T05:06:07.089Z');
      expect(Date.parse(fresh!.recordedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(fresh!.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      await store.close();
    }
  });
});
