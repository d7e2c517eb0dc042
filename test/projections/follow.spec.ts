/**
 * ProjectionRunner.follow(): a runner keeps its read models up with a log that other writers
 * append to, without anyone calling catchUp, and survives failing passes. Runners in different
 * processes sharing one read-model database never apply an event twice.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { parseJsonLines } from '../../src/application/interchange/event-lines.js';
import { isFieldEvent } from '../../src/domain/events.js';
import type { EventStore, StoredEvent } from '../../src/event-store/event-store.port.js';
import { PostgresDatabase } from '../../src/event-store/postgres/postgres-database.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { PostgresReadModelStore } from '../../src/event-store/postgres/postgres-read-model-store.js';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { SqliteReadModelStore } from '../../src/event-store/sqlite/sqlite-read-model-store.js';
import { ALL_PROJECTIONS } from '../../src/projections/all-projections.js';
import { COLLECTIONS } from '../../src/projections/collections.js';
import { ProjectionRunner, type Follower } from '../../src/projections/projection-runner.js';
import type { Projection } from '../../src/projections/projection.js';
import type { ReadModelStore } from '../../src/projections/read-model-store.port.js';
import { collect } from '../contract/contract-support.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../contract/postgres-throwaway-database.js';
import { tempApp } from '../support/temp-app.js';

const COLLECTION_NAMES = ALL_PROJECTIONS.flatMap((p) => p.collections);

/** The example study's log (128 events) and the read models the application built from it. */
let exampleEvents: StoredEvent[];
let exampleReadModels: Awaited<ReturnType<ReadModelStore['dump']>>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-follow-'));
  const source = await tempApp();
  try {
    const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
    await source.commands.execute(new ImportEventsCommand(records, 'nordic'));
    // The import leaves the per-firm analysis to settle after it returns (deferSettle); followers settle at once.
    await source.runner.settleNow();
    exampleEvents = await collect(source.store.readAll());
    exampleReadModels = await source.readModels.dump(COLLECTION_NAMES);
  } finally {
    await source.close();
  }
  expect(exampleEvents).toHaveLength(128);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const followers: Follower[] = [];
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of followers.splice(0)) await f.stop();
  for (const c of closers.splice(0).reverse()) await c();
});

/** Appends copies of `events` one by one, as separate writers would: same ids, revisions and commit times. */
async function append(store: EventStore, events: readonly StoredEvent[]): Promise<void> {
  for (const e of events) {
    await store.appendToStream({
      streamId: e.streamId,
      expectedVersion: e.revision - 1,
      events: [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt }],
    });
  }
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A second handle on the same SQLite file: its own connection, event store, read models and runner. */
async function sqliteSide(path: string, projections: readonly { name: string }[] = ALL_PROJECTIONS) {
  const database = new SqliteDatabase(path);
  closers.push(() => database.close());
  const events = new SqliteEventStore(database);
  const readModels = new SqliteReadModelStore(database);
  await events.init();
  await readModels.init();
  return { events, readModels, runner: new ProjectionRunner(events, readModels, projections as readonly Projection[]) };
}

describe('follow on SQLite: two handles on one file', () => {
  it('applies what the other handle appends, without an explicit catchUp, within about one interval', async () => {
    const path = join(dir, 'shared.db');
    const writer = await sqliteSide(path, []);
    const server = await sqliteSide(path);
    followers.push(server.runner.follow(50));

    const timelineOf = (firm: string) => server.readModels.list(COLLECTIONS.timeline, firm);
    const caughtUp = async () => (await server.readModels.checkpoint('analysis'))?.position === (await writer.events.headPosition());

    // First the study, a firm and its events; then everything else in a second burst.
    const registrations = exampleEvents.flatMap((e, i) => (e.type === 'firm-registered' ? [i] : []));
    const firstFirm = registrations[1]!;
    await append(writer.events, exampleEvents.slice(0, firstFirm));
    const firstLatency = await waitFor('the first burst in the read models', caughtUp);
    const firm = (exampleEvents[1]!.data as { firm: string }).firm;
    expect((await timelineOf(firm)).length).toBeGreaterThan(0);

    await append(writer.events, exampleEvents.slice(firstFirm));
    const secondLatency = await waitFor('the second burst in the read models', caughtUp);
    expect(firstLatency).toBeLessThan(1_000);
    expect(secondLatency).toBeLessThan(1_000);

    // Built by following, identical to what the application built in one import.
    expect(await server.readModels.dump(COLLECTION_NAMES)).toEqual(exampleReadModels);
    expect((await server.runner.status()).map((s) => s.lag)).toEqual([0, 0, 0]);
  });

  it('after stop() nothing more is applied', async () => {
    const path = join(dir, 'stopped.db');
    const writer = await sqliteSide(path, []);
    const server = await sqliteSide(path);
    const follower = server.runner.follow(20);
    await append(writer.events, exampleEvents.slice(0, 10));
    await waitFor('10 events applied', async () => (await server.readModels.checkpoint('catalog'))?.position === 10);
    await follower.stop();
    await follower.stop(); // idempotent
    await append(writer.events, exampleEvents.slice(10, 20));
    await sleep(200);
    expect((await server.readModels.checkpoint('catalog'))?.position).toBe(10);
    // Catch-up on demand still works once the follower is gone.
    await server.runner.catchUp();
    expect((await server.readModels.checkpoint('catalog'))?.position).toBe(20);
  });

  it('reports a failing pass, retries with growing waits, and recovers without losing an event', async () => {
    const path = join(dir, 'failing.db');
    const writer = await sqliteSide(path, []);
    let failuresLeft = 3;
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      collections: ['flaky'],
      async apply(tx, events) {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('read model temporarily unavailable');
        }
        for (const e of events) await tx.put('flaky', 'p', e.id, String(e.globalPosition).padStart(6, '0'), { type: e.type });
      },
    };
    const server = await sqliteSide(path, [flaky]);
    const reported: Array<{ message: string; failures: number; retryInMs: number }> = [];
    followers.push(
      server.runner.follow(20, {
        maxBackoffMs: 100,
        onError: (err, failures, retryInMs) => reported.push({ message: (err as Error).message, failures, retryInMs }),
      }),
    );
    await append(writer.events, exampleEvents.slice(0, 30));
    await waitFor('recovery', async () => (await server.readModels.checkpoint('flaky'))?.position === 30);
    expect(reported).toEqual([
      { message: 'read model temporarily unavailable', failures: 1, retryInMs: 40 },
      { message: 'read model temporarily unavailable', failures: 2, retryInMs: 80 },
      { message: 'read model temporarily unavailable', failures: 3, retryInMs: 100 },
    ]);
    const applied = await server.readModels.list<{ type: string }>('flaky', 'p');
    expect(applied.map((d) => d.key)).toEqual(exampleEvents.slice(0, 30).map((e) => e.id));
  });

  it('a throwing error callback does not stop the loop', async () => {
    const path = join(dir, 'throwing-logger.db');
    const writer = await sqliteSide(path, []);
    let failuresLeft = 2;
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      collections: ['flaky'],
      async apply(tx, events) {
        if (failuresLeft-- > 0) throw new Error('boom');
        for (const e of events) await tx.put('flaky', 'p', e.id, '', {});
      },
    };
    const server = await sqliteSide(path, [flaky]);
    followers.push(
      server.runner.follow(10, {
        maxBackoffMs: 20,
        onError: () => {
          throw new Error('the logger itself fails');
        },
      }),
    );
    await append(writer.events, exampleEvents.slice(0, 5));
    await waitFor('recovery', async () => (await server.readModels.checkpoint('flaky'))?.position === 5);
  });

  it('a Nest application stops its followers on shutdown, before the storage closes', async () => {
    const app = await tempApp();
    const errors: unknown[] = [];
    app.runner.follow(10, { onError: (err) => errors.push(err) });
    await sleep(50);
    await app.close();
    await sleep(100); // several intervals: a follower still running would now fail on the closed database
    expect(errors).toEqual([]);
  });

  it('rejects a non-positive interval', async () => {
    const server = await sqliteSide(join(dir, 'interval.db'));
    expect(() => server.runner.follow(0)).toThrow(RangeError);
  });
});

describe('follow on PostgreSQL: runners of several processes on one database', () => {
  let database: ThrowawayDatabase;
  beforeEach(async () => {
    const fresh = await createThrowawayDatabase();
    database = fresh;
    closers.push(() => fresh.drop()); // closers run in reverse: after every pool on it has closed
  });

  /** Like a separate process: its own pool, event store, read-model store and runner. */
  async function process_(batchSize: number) {
    const db = new PostgresDatabase(database.url);
    closers.push(() => db.close());
    const events = new PostgresEventStore(db);
    const readModels = new PostgresReadModelStore(db);
    await events.init();
    await readModels.init();
    return { events, readModels, runner: new ProjectionRunner(events, readModels, ALL_PROJECTIONS, batchSize) };
  }

  it('two followers, a concurrent writer and a rebuild in a third process apply every event exactly once', async () => {
    const writer = await process_(500);
    const a = await process_(7);
    const b = await process_(5);
    const c = await process_(11);
    followers.push(a.runner.follow(5), b.runner.follow(5));

    // Appends in bursts while both follow; a third process rebuilds everything midway.
    for (let i = 0; i < exampleEvents.length; i += 16) {
      await append(writer.events, exampleEvents.slice(i, i + 16));
      if (i === 64) await c.runner.rebuild();
      else await Promise.all([a.runner.catchUp(), b.runner.catchUp()]);
    }
    await waitFor('both followers at the head', async () => (await a.runner.status()).every((s) => s.lag === 0), 10_000);
    await Promise.all([a.runner.catchUp(), b.runner.catchUp(), c.runner.catchUp()]);

    // Counters (catalog event counts) and every other document as if built once.
    const dump = await a.readModels.dump(COLLECTION_NAMES);
    expect(dump).toEqual(exampleReadModels);
    const firms = dump.filter((d) => d.collection === COLLECTIONS.firms).map((d) => d.doc as { eventCount: number });
    expect(firms.reduce((n, f) => n + f.eventCount, 0)).toBe(exampleEvents.filter(isFieldEvent).length);
  });

  it('a batch that started while another process was committing the same events waits, then applies none of them again', async () => {
    const writer = await process_(500);
    await append(writer.events, exampleEvents.slice(0, 20));
    // Every application leaves rows of its own, and takes its time: a second application would show.
    const slow: Projection = {
      name: 'slow',
      version: 1,
      collections: ['applications'],
      async apply(tx, events) {
        await sleep(150);
        for (const e of events) await tx.put('applications', 'p', randomUUID(), String(e.globalPosition).padStart(6, '0'), { id: e.id });
      },
    };
    const sides = await Promise.all([process_(500), process_(500)]);
    const runners = sides.map((s) => new ProjectionRunner(s.events, s.readModels, [slow]));
    await Promise.all(runners.map((r) => r.catchUp()));
    const applied = await sides[0]!.readModels.list<{ id: string }>('applications', 'p');
    expect(applied.map((d) => d.doc.id)).toEqual(exampleEvents.slice(0, 20).map((e) => e.id));
    expect((await sides[1]!.readModels.checkpoint('slow'))?.position).toBe(await writer.events.headPosition());
  });
});
