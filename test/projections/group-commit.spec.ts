/**
 * Group commit (ProjectionRunner.appendAndCatchUp / appendRequestsAndCatchUp): single commands
 * that arrive while another one's transaction is in flight share the next commit. On a SQLite
 * file their appends run in ONE read-model transaction, each in its own savepoint; on PostgreSQL
 * they are tried as one appendMany, each on its own when that is refused. Either way the
 * projections are caught up once over all of them, and each caller gets its own results — or
 * its own error, without taking the others down.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { resolveConfig } from '../../src/application/config.js';
import { parseJsonLines } from '../../src/application/interchange/event-lines.js';
import { StrataModule } from '../../src/application/strata.module.js';
import { firmStream } from '../../src/domain/events.js';
import {
  EVENT_STORE,
  WrongExpectedVersionError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
} from '../../src/event-store/event-store.port.js';
import { PostgresDatabase } from '../../src/event-store/postgres/postgres-database.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { PostgresReadModelStore } from '../../src/event-store/postgres/postgres-read-model-store.js';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { SqliteReadModelStore } from '../../src/event-store/sqlite/sqlite-read-model-store.js';
import { COLLECTIONS } from '../../src/projections/collections.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import type { Projection } from '../../src/projections/projection.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../src/projections/read-model-store.port.js';
import { timelineProjection } from '../../src/projections/timeline.projection.js';
import { collect } from '../contract/contract-support.js';
import { commitsDuring } from '../support/commit-counter.js';
import { expectConsistent, timelineIds } from '../support/read-model-checks.js';
import { createThrowawayDatabase } from '../contract/postgres-throwaway-database.js';

type Kind = 'sqlite' | 'postgres';

const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
const ravnFields = records
  .map((r) => r.record as Record<string, unknown>)
  .filter((r) => r.firm === 'ravn' && r.kind !== 'phase-declared');
/** The i-th field record of the example's firm ravn, as a new event of `firm`. */
const fieldFor = (firm: string, i: number) => ({ ...ravnFields[i % ravnFields.length]!, firm, id: randomUUID() });

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-group-commit-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'strata.db');
}

/** A fresh database of `kind`: a SQLite file, or a throwaway PostgreSQL database (dropped after the test). */
async function freshLocation(kind: Kind): Promise<string> {
  if (kind === 'sqlite') return tempPath();
  const database = await createThrowawayDatabase();
  closers.push(() => database.drop()); // closers run in reverse: after every pool on it has closed
  return database.url;
}

interface App {
  readonly commands: CommandBus;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly runner: ProjectionRunner;
}

/**
 * The application core on a fresh database, as the CLI and the server boot it. Its deferred
 * settle runs only when a test asks (settleNow), never from the timer, so COMMITs are counted exactly.
 */
async function app(kind: Kind): Promise<App> {
  const location = await freshLocation(kind);
  const config =
    kind === 'sqlite'
      ? resolveConfig({ store: 'sqlite', db: location }, { STRATA_USER: 'test' })
      : resolveConfig({ store: 'postgres' }, { DATABASE_URL: location, STRATA_USER: 'test' });
  const nest = await NestFactory.createApplicationContext(StrataModule.forRoot(config), { logger: false });
  await nest.init();
  closers.push(() => nest.close());
  const runner = nest.get(ProjectionRunner);
  (runner as unknown as { settleSoon(): void }).settleSoon = () => undefined;
  return { commands: nest.get(CommandBus), store: nest.get(EVENT_STORE), readModels: nest.get(READ_MODEL_STORE), runner };
}

/** Only the stores, and a runner over `projections` (batch size 500). */
async function stores(kind: Kind, projections: readonly Projection[]) {
  const location = await freshLocation(kind);
  let events: EventStore;
  let readModels: ReadModelStore;
  if (kind === 'sqlite') {
    const database = new SqliteDatabase(location);
    closers.push(() => database.close());
    events = new SqliteEventStore(database);
    readModels = new SqliteReadModelStore(database);
  } else {
    const database = new PostgresDatabase(location);
    closers.push(() => database.close());
    events = new PostgresEventStore(database);
    readModels = new PostgresReadModelStore(database);
  }
  await events.init();
  await readModels.init();
  return { events, readModels, runner: new ProjectionRunner(events, readModels, projections) };
}

/** Records every event it is given, one document per event, and each batch's positions. */
function recorder() {
  const batches: number[][] = [];
  const projection: Projection = {
    name: 'recorder',
    version: 1,
    collections: ['recorder'],
    async apply(tx, batch) {
      batches.push(batch.map((e) => e.globalPosition));
      for (const e of batch) await tx.put('recorder', 'p', e.id, String(e.globalPosition).padStart(6, '0'), { stream: e.streamId });
    },
  };
  return { projection, batches };
}

const request = (streamId: string, expectedVersion: AppendRequest['expectedVersion']): AppendRequest => ({
  streamId,
  expectedVersion,
  events: [{ id: randomUUID(), type: 'noted', data: { streamId }, metadata: {} }],
});

/** Settles each promise: its value, or its error. */
const outcomes = <T>(promises: ReadonlyArray<Promise<T>>) =>
  Promise.all(promises.map((p) => p.then((value) => ({ value }), (error: unknown) => ({ error }))));


describe.each<Kind>(['sqlite', 'postgres'])('group commit on %s', (kind) => {
  it('concurrent single commands all land, projected, in fewer commits than commands', async () => {
    const t = await app(kind);
    const firms = Array.from({ length: 24 }, (_, i) => `group-${i}`);
    for (const firm of firms) await t.commands.execute(new RegisterFirmCommand(firm, 'nordic'));
    const inputs = firms.map((firm, i) => fieldFor(firm, i));
    const before = await t.store.countEvents();

    let logged: Array<{ id: string; appended: boolean; globalPosition: number }> = [];
    const commits = await commitsDuring(kind, t.store, async () => {
      logged = await Promise.all(inputs.map((input) => t.commands.execute(new LogEventCommand(input))));
    });
    // The first runs alone at once; those arriving meanwhile share the next commit (PostgreSQL:
    // one commit for their appends, one for the catch-up).
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(inputs.length / 2);

    expect(logged.map((l) => l.id)).toEqual(inputs.map((i) => i.id));
    expect(logged.every((l) => l.appended)).toBe(true);
    expect(new Set(logged.map((l) => l.globalPosition)).size).toBe(inputs.length);
    expect(await t.store.countEvents()).toBe(before + inputs.length);
    // Each caller's own result: the position of its own event.
    for (const l of logged) expect((await t.store.readEvent!(l.id))?.globalPosition).toBe(l.globalPosition);
    // In the read models when the commands returned.
    for (const [i, firm] of firms.entries()) expect(await timelineIds(t, firm)).toEqual([inputs[i]!.id]);
    const catalog = await t.readModels.list<{ eventCount: number }>(COLLECTIONS.firms, '_');
    expect(catalog.map((f) => f.doc.eventCount)).toEqual(firms.map(() => 1));
    await expectConsistent(t);
  });

  it('callers arriving within one round of the event loop share one commit, even one after the other', async () => {
    const { projection, batches } = recorder();
    const { events, runner } = await stores(kind, [projection]);
    await runner.appendRequestsAndCatchUp([request('warm', 'no-stream')]);
    const before = await events.countEvents();

    // As the HTTP server sees them: each request reaches the queue in the ticks after its own
    // socket read, the next one only after the one before it has run as far as it can.
    let results: AppendResult[][] = [];
    const commits = await commitsDuring(kind, events, async () => {
      const pending: Array<Promise<AppendResult[]>> = [];
      for (let i = 0; i < 6; i++) {
        pending.push(runner.appendRequestsAndCatchUp([request(`round-${i}`, 'no-stream')]));
        for (let tick = 0; tick < 20; tick++) await new Promise<void>((resolve) => process.nextTick(resolve));
      }
      results = await Promise.all(pending);
    });
    // SQLite: one transaction for the six. PostgreSQL: one appendMany and one catch-up.
    expect(commits).toBe(kind === 'sqlite' ? 1 : 2);
    expect(results.map(([r]) => r!.appended)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(batches.at(-1)).toHaveLength(6);
    expect(await events.countEvents()).toBe(before + 6);
  });

  it('a caller with a wrong expected version fails alone; the others land and are projected', async () => {
    const { projection, batches } = recorder();
    const { events, readModels, runner } = await stores(kind, [projection]);
    await runner.appendRequestsAndCatchUp([request('taken', 'no-stream')]);
    const requests = Array.from({ length: 12 }, (_, i) => request(`s-${i}`, 'no-stream'));
    requests[5] = request('taken', 'no-stream'); // it exists: refused
    const before = await events.countEvents();

    let results: Array<{ value: AppendResult[] } | { error: unknown }> = [];
    const commits = await commitsDuring(kind, events, async () => {
      results = await outcomes(requests.map((r) => runner.appendRequestsAndCatchUp([r])));
    });
    // SQLite: the refused append rolled back to its savepoint, the group's transaction committed
    // the rest. PostgreSQL: the group's appendMany was refused whole, then each went on its own.
    if (kind === 'sqlite') expect(commits).toBeLessThan(requests.length / 2);
    for (const [i, r] of results.entries()) {
      if (i === 5) {
        expect('error' in r && r.error).toBeInstanceOf(WrongExpectedVersionError);
        continue;
      }
      expect('value' in r).toBe(true);
      const [own] = (r as { value: AppendResult[] }).value;
      expect(own).toMatchObject({ streamId: `s-${i}`, nextExpectedVersion: 0, appended: 1 });
    }
    expect(await events.countEvents()).toBe(before + 11);
    expect(await collect(events.readStream('taken'))).toHaveLength(1);
    const head = await events.headPosition();
    // Every event projected exactly once, the refused one never.
    const applied = (await readModels.list<{ stream: string }>('recorder', 'p')).map((d) => d.doc.stream);
    expect(applied.sort()).toEqual(['taken', ...requests.filter((_, i) => i !== 5).map((r) => r.streamId)].sort());
    expect(batches.flat()).toHaveLength(12);
    expect((await readModels.checkpoint('recorder'))!.position).toBe(head);
  });

  it('commands on one stream fired together all land, one after the other, with consecutive revisions and none refused', async () => {
    const t = await app(kind);
    await t.commands.execute(new RegisterFirmCommand('ravn', 'nordic'));
    const elsewhere = ['tern', 'kestrel', 'lark'];
    for (const firm of elsewhere) await t.commands.execute(new RegisterFirmCommand(firm, 'nordic'));
    // Count refusals: in one process, commands on one stream take turns deciding and appending,
    // so none decides on a state another is about to change (before, all but one were refused).
    let refusals = 0;
    const count = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        try {
          return await fn(...args);
        } catch (err) {
          if (err instanceof WrongExpectedVersionError) refusals++;
          throw err;
        }
      };
    const store = t.store as EventStore & Record<string, unknown>;
    store.appendMany = count(store.appendMany.bind(store));
    if (store.appendManyWithin) store.appendManyWithin = count(store.appendManyWithin.bind(store));

    // Eight at once on one stream, three on others.
    const same = Array.from({ length: 8 }, (_, i) => fieldFor('ravn', i));
    const others = elsewhere.map((firm, i) => fieldFor(firm, 8 + i));
    const logged = await Promise.all([...same, ...others].map((input) => t.commands.execute(new LogEventCommand(input))));
    expect(logged.every((l) => l.appended)).toBe(true);
    expect(refusals).toBe(0);

    const ravn = await collect(t.store.readStream(firmStream('ravn')));
    expect(ravn.map((e) => e.revision)).toEqual(Array.from({ length: 9 }, (_, i) => i)); // registered, then the eight
    expect(ravn.slice(1).map((e) => e.id).sort()).toEqual(same.map((i) => i.id).sort());
    expect((await timelineIds(t, 'ravn')).sort()).toEqual(same.map((i) => i.id).sort());
    for (const [i, firm] of elsewhere.entries()) expect(await timelineIds(t, firm)).toEqual([others[i]!.id]);
    await expectConsistent(t);
  });

  it('the same command sent twice at once (a client retrying) is logged once, and both answers give its position', async () => {
    const t = await app(kind);
    await t.commands.execute(new RegisterFirmCommand('ravn', 'nordic'));
    const input = fieldFor('ravn', 0);
    const [first, second] = await Promise.all([
      t.commands.execute(new LogEventCommand(input)),
      t.commands.execute(new LogEventCommand({ ...input })),
    ]);
    expect([first!.appended, second!.appended].sort()).toEqual([false, true]);
    const logged = (await collect(t.store.readStream(firmStream('ravn')))).filter((e) => e.id === input.id);
    expect(logged).toHaveLength(1);
    // Decided while the first was still in flight, the second used to see the first's event in
    // the shared state before it was appended, and answered with position 0.
    expect(first!.globalPosition).toBe(logged[0]!.globalPosition);
    expect(second!.globalPosition).toBe(logged[0]!.globalPosition);
  });

  it('a projection failing under a group: every event is logged once, each caller gets the error, and they are applied once later', async () => {
    const t = await app(kind);
    const firms = Array.from({ length: 6 }, (_, i) => `fail-${i}`);
    for (const firm of firms) await t.commands.execute(new RegisterFirmCommand(firm, 'nordic'));
    const inputs = firms.map((firm, i) => fieldFor(firm, i));
    const before = await t.store.countEvents();

    const apply = timelineProjection.apply;
    (timelineProjection as { apply: Projection['apply'] }).apply = async () => {
      throw new Error('timeline unavailable');
    };
    let results;
    try {
      results = await outcomes(inputs.map((input) => t.commands.execute(new LogEventCommand(input))));
    } finally {
      (timelineProjection as { apply: Projection['apply'] }).apply = apply;
    }
    for (const r of results) expect('error' in r && String(r.error)).toMatch(/timeline unavailable/);
    for (const input of inputs) expect(await t.store.readEvent!(input.id)).toBeDefined();
    expect(await t.store.countEvents()).toBe(before + inputs.length);

    // The next command applies the ones left behind first, each exactly once.
    const next = fieldFor(firms[0]!, 7);
    await t.commands.execute(new LogEventCommand(next));
    for (const [i, firm] of firms.entries()) {
      expect((await timelineIds(t, firm)).sort()).toEqual((i === 0 ? [inputs[i]!.id, next.id] : [inputs[i]!.id]).sort());
    }
    await expectConsistent(t);
  });
});
