/**
 * Single commands on SQLite append and project in ONE transaction
 * (ProjectionRunner.appendAndCatchUp): one commit per logged event, and the guarantees of a
 * separate catch-up kept — events another handle appended first are applied too, exactly once;
 * a projection that fails rolls back with the append, after which the events are logged and the
 * error reported as before; when the projections are far behind, the append commits alone and a
 * normal catch-up follows; two handles taking turns on one file apply every event once.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeclarePhaseCommand, LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { parseJsonLines } from '../../src/application/interchange/event-lines.js';
import { firmStream, isFieldEvent } from '../../src/domain/events.js';
import type { AppendRequest, StoredEvent } from '../../src/event-store/event-store.port.js';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { SqliteReadModelStore } from '../../src/event-store/sqlite/sqlite-read-model-store.js';
import { COLLECTIONS } from '../../src/projections/collections.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import type { Projection } from '../../src/projections/projection.js';
import { timelineProjection } from '../../src/projections/timeline.projection.js';
import { collect } from '../contract/contract-support.js';
import { commitsDuring } from '../support/commit-counter.js';
import { COLLECTION_NAMES, expectConsistent, timelineIds } from '../support/read-model-checks.js';
import { tempApp, type TempApp } from '../support/temp-app.js';

const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
const fieldRecords = (firm: string) =>
  records.map((r) => r.record as Record<string, unknown>).filter((r) => r.firm === firm && r.kind !== 'phase-declared');

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/**
 * The app on a file; its deferred settle runs only when a test asks (settleNow), never from the
 * timer, so COMMITs are counted exactly and two handles in this one process never hold the
 * file's write lock at the same time (better-sqlite3 would wait for it synchronously).
 */
async function app(path?: string): Promise<TempApp> {
  const t = await tempApp(path);
  closers.push(() => t.close());
  (t.runner as unknown as { settleSoon(): void }).settleSoon = () => undefined;
  return t;
}

/** A second handle on the file: its own connection and event store, no projections. */
async function writer(path: string): Promise<SqliteEventStore> {
  const database = new SqliteDatabase(path);
  closers.push(() => database.close());
  const events = new SqliteEventStore(database);
  await events.init();
  return events;
}

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-append-project-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'strata.db');
}

/** Counts COMMITs on the app's connection while `fn` runs (by exec or by a prepared statement). */
const commitsOf = (t: TempApp, fn: () => Promise<unknown>) => commitsDuring('sqlite', t.store, fn);


describe('a single command on SQLite appends and projects in one transaction', () => {
  it('commits once per logged event, with the event in the read models when the command returns', async () => {
    const t = await app();
    await t.commands.execute(new RegisterFirmCommand('ravn', 'nordic'));
    const inputs = fieldRecords('ravn').slice(0, 5);
    for (const input of inputs) {
      expect(await commitsOf(t, () => t.commands.execute(new LogEventCommand(input)))).toBe(1);
      expect(await timelineIds(t, 'ravn')).toContain(input.id);
    }
    expect(await commitsOf(t, () => t.commands.execute(new DeclarePhaseCommand('ravn', '1996', '2001-11', 'customization')))).toBe(1);
    // An idempotent retry appends nothing and writes nothing.
    expect(await commitsOf(t, () => t.commands.execute(new LogEventCommand(inputs[0]!)))).toBe(0);
    await expectConsistent(t);
  });

  it('hands the projections what it appended exactly as a read returns it, leaving out a refused request\'s events', async () => {
    const t = await app();
    const store = t.store as SqliteEventStore;
    const before = await store.headPosition();
    const event = (id: string, data: unknown) => ({ id, type: 'note', data, metadata: { recordedBy: 'test' } });
    await t.readModels.transaction(async (tx) => {
      await store.appendManyWithin(tx, [{ streamId: 'a', expectedVersion: 'no-stream', events: [event(randomUUID(), { when: new Date(0), gone: undefined, n: 1 })] }]);
      // Refused (wrong expected version): its savepoint rolls back, and its event must not be handed over.
      await expect(store.appendManyWithin(tx, [{ streamId: 'a', expectedVersion: 5, events: [event(randomUUID(), { n: 2 })] }])).rejects.toThrow();
      await store.appendManyWithin(tx, [{ streamId: 'b', expectedVersion: 'any', events: [event(randomUUID(), { n: 3 }), event(randomUUID(), { n: 4 })] }]);
      const head = await store.headPosition();
      expect(head).toBe(before + 3);
      const read = await collect(store.readAll({ after: before }));
      expect(store.appendedWithin(tx, before, head)).toEqual(read);
      expect(read.map((e) => e.data)).toEqual([{ when: new Date(0).toISOString(), n: 1 }, { n: 3 }, { n: 4 }]);
      expect(store.appendedWithin(tx, before + 1, head)).toEqual(read.slice(1));
      // A range that starts before what this transaction wrote is not handed over.
      expect(store.appendedWithin(tx, before - 1, head)).toBeUndefined();
    });
    // Another transaction gets nothing of the last one's.
    await t.readModels.transaction(async (tx) => {
      expect(store.appendedWithin(tx, before, before + 3)).toBeUndefined();
    });
  });

  it('applies, in the same transaction, what another handle appended before and nobody projected yet', async () => {
    const path = tempPath();
    const t = await app(path);
    await t.commands.execute(new RegisterFirmCommand('ravn', 'nordic'));
    await t.commands.execute(new RegisterFirmCommand('tern', 'nordic'));
    // Another process appends three events to tern; nothing projects them.
    const other = await writer(path);
    const ternInputs = fieldRecords('tern').slice(0, 3);
    const source = await app();
    await source.commands.execute(new RegisterFirmCommand('tern', 'nordic'));
    for (const input of ternInputs) await source.commands.execute(new LogEventCommand(input));
    const ternEvents = (await collect(source.store.readStream(firmStream('tern')))).slice(1);
    let revision = await other.streamRevision(firmStream('tern'));
    for (const e of ternEvents) {
      await other.appendToStream({ streamId: e.streamId, expectedVersion: revision++, events: [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }] });
    }
    expect(await timelineIds(t, 'tern')).toEqual([]);

    const ravnInput = fieldRecords('ravn')[0]!;
    expect(await commitsOf(t, () => t.commands.execute(new LogEventCommand(ravnInput)))).toBe(1);
    expect(await timelineIds(t, 'ravn')).toEqual([ravnInput.id]);
    expect((await timelineIds(t, 'tern')).sort()).toEqual(ternInputs.map((r) => r.id as string).sort());
    await expectConsistent(t);
  });

  it('a projection failing inside it rolls back the append with it; the event is then logged and the error reported, and applied once later', async () => {
    const t = await app();
    await t.commands.execute(new RegisterFirmCommand('ravn', 'nordic'));
    const [first, second] = fieldRecords('ravn');
    await t.commands.execute(new LogEventCommand(first!));

    const apply = timelineProjection.apply;
    let failures = 0;
    const seen: string[][] = [];
    (timelineProjection as { apply: Projection['apply'] }).apply = async (tx, events) => {
      seen.push(events.map((e) => e.id));
      failures++;
      throw new Error('timeline unavailable');
    };
    try {
      await expect(t.commands.execute(new LogEventCommand(second!))).rejects.toThrow(/timeline unavailable/);
    } finally {
      (timelineProjection as { apply: Projection['apply'] }).apply = apply;
    }
    // Tried in the joined transaction, then once more by the catch-up after the event was logged on its own.
    expect(failures).toBe(2);
    expect(seen).toEqual([[second!.id], [second!.id]]);
    const log = await collect(t.store.readStream(firmStream('ravn')));
    expect(log.filter((e) => e.id === second!.id)).toHaveLength(1);
    expect(await timelineIds(t, 'ravn')).toEqual([first!.id]);
    const head = await t.store.headPosition();
    expect((await t.readModels.checkpoint('timeline'))!.position).toBe(head - 1);

    // The next command applies the one left behind first, each exactly once.
    const third = fieldRecords('ravn')[2]!;
    await t.commands.execute(new LogEventCommand(third));
    expect((await timelineIds(t, 'ravn')).sort()).toEqual([first!.id, second!.id, third.id].sort());
    await expectConsistent(t);
  });

  it('when the projections are more than one batch behind, the append commits alone and a normal catch-up follows', async () => {
    const path = tempPath();
    const database = new SqliteDatabase(path);
    closers.push(() => database.close());
    const events = new SqliteEventStore(database);
    const readModels = new SqliteReadModelStore(database);
    await events.init();
    await readModels.init();
    const applied: number[] = [];
    const transactions: number[][] = [];
    const recorder: Projection = {
      name: 'recorder',
      version: 1,
      collections: ['recorder'],
      async apply(tx, batch) {
        transactions.push(batch.map((e) => e.globalPosition));
        for (const e of batch) {
          applied.push(e.globalPosition);
          await tx.put('recorder', 'p', e.id, String(e.globalPosition).padStart(6, '0'), {});
        }
      },
    };
    const runner = new ProjectionRunner(events, readModels, [recorder], 5);
    const request = (stream: string, expectedVersion: AppendRequest['expectedVersion']): AppendRequest => ({
      streamId: stream,
      expectedVersion,
      events: [{ id: randomUUID(), type: 'noted', data: {}, metadata: {} }],
    });
    const appendVia = (r: AppendRequest) => runner.appendAndCatchUp((tx) => (tx ? events.appendManyWithin(tx, [r]) : events.appendMany([r])));

    // Three behind (within one batch): all four in the append's transaction.
    for (let i = 0; i < 3; i++) await events.appendToStream(request(`s-${i}`, 'no-stream'));
    await appendVia(request('a', 'no-stream'));
    expect(transactions).toEqual([[1, 2, 3, 4]]);

    // Twelve behind: the append commits alone, the catch-up goes in batches of five.
    for (let i = 3; i < 15; i++) await events.appendToStream(request(`s-${i}`, 'no-stream'));
    const [result] = await appendVia(request('a', 0));
    expect(result!.lastGlobalPosition).toBe(17);
    expect(transactions.slice(1)).toEqual([[5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17]]);
    expect(applied).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect((await readModels.checkpoint('recorder'))!.position).toBe(17);

    // A wrong expected version rolls the whole transaction back: nothing applied, nothing appended.
    await expect(appendVia(request('a', 0))).rejects.toThrow(/expected revision 0/);
    expect(await events.headPosition()).toBe(17);
    expect(applied).toHaveLength(17);
  });

  it('two handles on one file taking turns on the same firms apply every event exactly once', async () => {
    const path = tempPath();
    const a = await app(path);
    const b = await app(path);
    await a.commands.execute(new RegisterFirmCommand('ravn', 'nordic'));
    await b.commands.execute(new RegisterFirmCommand('kestrel', 'nordic'));
    const inputs = [...fieldRecords('ravn').slice(0, 12), ...fieldRecords('kestrel').slice(0, 12)];
    // Alternating handles: each one's cached stream states and checkpoints go stale every turn.
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[(i * 7) % inputs.length]!;
      await (i % 2 ? b : a).commands.execute(new LogEventCommand(input));
    }
    const log: StoredEvent[] = await collect(a.store.readAll());
    expect(log.filter(isFieldEvent).map((e) => e.id).sort()).toEqual(inputs.map((r) => r.id as string).sort());
    const firms = await a.readModels.list<{ eventCount: number }>(COLLECTIONS.firms, '_');
    expect(firms.map((f) => f.doc.eventCount)).toEqual([12, 12]);
    expect(await b.readModels.dump(COLLECTION_NAMES)).toEqual(await a.readModels.dump(COLLECTION_NAMES));
    await expectConsistent(a);
  });
});
