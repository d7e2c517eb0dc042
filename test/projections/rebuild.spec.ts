import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { DeclarePhaseCommand, LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RebuildProjectionsCommand } from '../../src/application/commands/projections.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { GetTracksQuery } from '../../src/application/queries/tracks.query.js';
import { ListFirmsQuery } from '../../src/application/queries/catalog.queries.js';
import { parseJsonLines } from '../../src/application/interchange/event-lines.js';
import { ALL_PROJECTIONS } from '../../src/projections/all-projections.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import type { Projection } from '../../src/projections/projection.js';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { SqliteReadModelStore } from '../../src/event-store/sqlite/sqlite-read-model-store.js';
import { tempApp, type TempApp } from '../support/temp-app.js';

const collections = ALL_PROJECTIONS.flatMap((p) => p.collections);
let t: TempApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Loads the example half by import, half by single commands, and settles the deferred analysis. */
async function loadExampleIncrementally(app: TempApp) {
  const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
  // Half by import, the rest one command at a time in reverse order: recording order must not matter.
  const half = Math.floor(records.length / 2);
  await app.commands.execute(new ImportEventsCommand(records.slice(0, half), 'nordic'));
  for (const { record } of records.slice(half).reverse()) {
    const r = record as Record<string, unknown>;
    const firms = await app.queries.execute(new ListFirmsQuery());
    if (!firms.some((f) => f.id === r.firm)) await app.commands.execute(new RegisterFirmCommand(r.firm as string, 'nordic'));
    if (r.kind === 'phase-declared') {
      await app.commands.execute(new DeclarePhaseCommand(r.firm as string, r.from as string, r.to as string, r.label as string, undefined, r.id as string));
    } else {
      await app.commands.execute(new LogEventCommand(r));
    }
  }
  await app.runner.settleNow();
}

describe('projections', () => {
  it('a rebuilt read model is identical to the incrementally built one', async () => {
    t = await tempApp();
    await loadExampleIncrementally(t);
    const incremental = await t.readModels.dump(collections);
    expect(incremental.filter((r) => r.collection === 'timeline')).toHaveLength(114);
    // One analysis per firm, nothing left pending.
    expect(incremental.filter((r) => r.collection === 'analysis').map((r) => r.key)).toEqual(['kestrel', 'ravn', 'tern']);
    expect(incremental.filter((r) => r.collection === 'analysis-pending')).toEqual([]);

    const rebuilt = await t.commands.execute(new RebuildProjectionsCommand());
    expect(rebuilt.sort()).toEqual(['analysis', 'catalog', 'timeline']);
    expect(await t.readModels.dump(collections)).toEqual(incremental);
  });

  it('rebuilding one projection leaves it identical and the others untouched', async () => {
    t = await tempApp();
    await loadExampleIncrementally(t);
    const before = await t.readModels.dump(collections);
    await t.commands.execute(new RebuildProjectionsCommand(['analysis']));
    expect(await t.readModels.dump(collections)).toEqual(before);
    await expect(t.commands.execute(new RebuildProjectionsCommand(['nope']))).rejects.toThrow(/unknown projection nope/);
  });

  it('a batch that fails commits neither its read-model changes nor its checkpoint', async () => {
    t = await tempApp();
    await t.commands.execute(new RegisterFirmCommand('ravn', 's1'));
    const head = await t.store.headPosition();
    let calls = 0;
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      collections: ['flaky'],
      async apply(tx, events) {
        for (const e of events) await tx.put('flaky', 'p', e.id, String(e.globalPosition), { type: e.type });
        if (++calls === 1) throw new Error('crash between read-model write and checkpoint');
      },
    };
    const runner = new ProjectionRunner(t.store, t.readModels, [flaky]);
    await expect(runner.catchUp()).rejects.toThrow(/crash/);
    expect(await t.readModels.list('flaky', 'p')).toEqual([]);
    expect(await t.readModels.checkpoint('flaky')).toBeUndefined();
    await runner.catchUp();
    expect(await t.readModels.list('flaky', 'p')).toHaveLength(head);
    expect((await t.readModels.checkpoint('flaky'))?.position).toBe(head);
    await runner.catchUp();
    expect(await t.readModels.list('flaky', 'p')).toHaveLength(head);
  });

  it('a projection whose version changed rebuilds itself on start', async () => {
    t = await tempApp();
    await t.commands.execute(new RegisterFirmCommand('ravn', 's1'));
    const seen: string[] = [];
    const make = (version: number): Projection => ({
      name: 'versioned',
      version,
      collections: ['versioned'],
      async apply(tx, events) {
        for (const e of events) {
          seen.push(`${version}:${e.type}`);
          await tx.put('versioned', 'p', e.id, '', { version });
        }
      },
    });
    expect(await new ProjectionRunner(t.store, t.readModels, [make(1)]).start()).toEqual([]);
    expect(await new ProjectionRunner(t.store, t.readModels, [make(1)]).start()).toEqual([]);
    expect(await new ProjectionRunner(t.store, t.readModels, [make(2)]).start()).toEqual(['versioned']);
    expect(seen).toEqual(['1:study-created', '1:firm-registered', '2:study-created', '2:firm-registered']);
    expect((await t.readModels.list<{ version: number }>('versioned', 'p')).map((d) => d.doc.version)).toEqual([2, 2]);
  });

  it('status reports each projection at the head with no lag', async () => {
    t = await tempApp();
    await t.commands.execute(new RegisterFirmCommand('ravn', 's1'));
    const status = await t.runner.status();
    expect(status.map((s) => [s.name, s.lag])).toEqual([
      ['catalog', 0],
      ['timeline', 0],
      ['analysis', 0],
    ]);
    expect(status.every((s) => s.position === s.head && s.head === 2)).toBe(true);
  });
});

describe('deferred analysis', () => {
  it('a firm marked but not yet analysed when the process died is analysed on the next start', async () => {
    t = await tempApp();
    await t.commands.execute(new RegisterFirmCommand('ravn', 's1'));
    await t.commands.execute(new LogEventCommand({ firm: 'ravn', kind: 'strategy-decision', occurred: '2002', title: 'Cost leader', orientation: -2 }));
    // Simulate the crash window: the analysis is gone and the firm is only marked.
    await t.readModels.transaction(async (tx) => {
      await tx.delete('analysis', '_', 'ravn');
      await tx.put('analysis-pending', '_', 'ravn', 'ravn', { firm: 'ravn' });
    });
    const runner = new ProjectionRunner(t.store, t.readModels, ALL_PROJECTIONS);
    await runner.start();
    expect(await t.readModels.get<{ pattern: string }>('analysis', '_', 'ravn')).toEqual(expect.objectContaining({ firm: 'ravn', tracks: expect.any(Array) }));
    expect(await t.readModels.list('analysis-pending', '_')).toEqual([]);
  });
});

describe('settling after single commands', () => {
  it('a logged event leaves its firm marked; reading the tracks analyses it then, and the settle stores the same', async () => {
    t = await tempApp();
    await t.commands.execute(new RegisterFirmCommand('ravn', 's1'));
    await t.commands.execute(new LogEventCommand({ firm: 'ravn', kind: 'strategy-decision', occurred: '2002', title: 'Cost leader', orientation: -2 }));
    expect((await t.readModels.list('analysis-pending', '_')).map((d) => d.key)).toEqual(['ravn']);
    const tracks = await t.queries.execute(new GetTracksQuery('ravn'));
    expect(tracks.tracks.length).toBeGreaterThan(0);
    await t.runner.settleNow();
    expect(await t.readModels.list('analysis-pending', '_')).toEqual([]);
    expect(await t.queries.execute(new GetTracksQuery('ravn'))).toEqual(tracks);
  });

  it('the deferred settle takes turns with commands: one sent meanwhile is answered before every firm is re-analysed', async () => {
    t = await tempApp();
    (t.runner as unknown as { settleSoon(): void }).settleSoon = () => undefined; // only the settle this test starts
    const firms = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
    for (const firm of [...firms, 'f0']) await t.commands.execute(new RegisterFirmCommand(firm, 's1'));
    for (const firm of firms) {
      await t.commands.execute(new LogEventCommand({ firm, kind: 'strategy-decision', occurred: '2002', title: 'Cost leader', orientation: -2 }));
    }
    const marked = async () => (await t!.readModels.list('analysis-pending', '_')).map((d) => d.key);
    expect(await marked()).toEqual(firms);

    t.runner.settleSliceMs = 0; // one firm per transaction
    const settling = t.runner.settleInSlices();
    await t.commands.execute(new LogEventCommand({ firm: 'f0', kind: 'strategy-decision', occurred: '2003', title: 'Tailor', orientation: 2 }));
    // Answered while firms logged before it are still waiting: the settle did not hold it up.
    expect((await marked()).filter((f) => f !== 'f0').length).toBeGreaterThan(0);

    await settling;
    expect(await marked()).toEqual([]); // f0, marked meanwhile, was settled too
    expect((await t.readModels.list('analysis', '_')).map((d) => d.key)).toEqual(['f0', ...firms]);
  });

  it('closing the application (a CLI command ending) settles what its last command deferred', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-settle-'));
    const path = join(dir, 'strata.db');
    try {
      const writer = await tempApp(path);
      await writer.commands.execute(new RegisterFirmCommand('ravn', 's1'));
      await writer.commands.execute(new LogEventCommand({ firm: 'ravn', kind: 'strategy-decision', occurred: '2002', title: 'Cost leader', orientation: -2 }));
      expect((await writer.readModels.list('analysis-pending', '_')).map((d) => d.key)).toEqual(['ravn']);
      await writer.close();

      // Read the file without starting a runner (start() would settle it too).
      const reader = new SqliteReadModelStore(new SqliteDatabase(path));
      await reader.init();
      try {
        expect(await reader.list('analysis-pending', '_')).toEqual([]);
        expect((await reader.list('analysis', '_')).map((d) => d.key)).toEqual(['ravn']);
      } finally {
        reader.database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
