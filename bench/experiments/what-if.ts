/**
 * What-if measurements for changes proposed outside bench/ and src/event-store (evidence for
 * docs/performance.md "Proposed changes"). Each variant is patched in at run time, in this
 * process only; nothing in src/ is modified.
 *
 *   node dist/bench/experiments/what-if.js <sqlite|postgres> <single|rebuild> [variant,...]
 *
 * Variants:
 *   noanalysis  the analysis projection is not caught up inline (as if it ran in the background)
 *   rowid    read_models as a rowid table with UNIQUE (collection, partition, key) instead of
 *            WITHOUT ROWID (sqlite only; documents of ~1 KB overflow a WITHOUT ROWID leaf)
 *   batch    the rebuild applies batches of 2,000 events instead of 500
 *
 * WHATIF_FIRMS=n sets the rebuild log size (default 20 firms × 1,000 events), WHATIF_RUNS=n the
 * number of rebuilds (default 2); WHATIF_PRAGMAS=
 * "cache_size=-131072;mmap_size=…" runs SQLite pragmas on every connection the bench opens.
 *
 * `single`: 3 × 300 LogEventCommands through the CommandBus over 10 firms (events/s per run).
 * `rebuild`: 2 rebuilds of a 20-firm × 1,000-event log (events/s per run); the first builds
 * into empty read models, the second truncates first.
 * PROF=/path.cpuprofile writes a CPU profile of the measured part.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { ALL_PROJECTIONS } from '../../src/projections/all-projections.js';
import { analysisProjection } from '../../src/projections/analysis.projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { openStore } from '../lib/app.js';
import { firmName, studyCreation, StudyGenerator } from '../lib/dataset.js';
import { createTarget, type StoreKind } from '../lib/databases.js';
import { StrataCommandSubject } from '../lib/subjects.js';

const [kind, mode, list] = process.argv.slice(2) as [StoreKind, 'single' | 'rebuild', string | undefined];
const variants = new Set((list ?? '').split(',').filter(Boolean));
const mutable = analysisProjection as { apply: typeof analysisProjection.apply; settle: typeof analysisProjection.settle };

if (variants.has('noanalysis')) {
  // As if the analysis projection were caught up in the background instead of inline.
  mutable.apply = async () => undefined;
  mutable.settle = async () => true;
}
if (variants.has('rowid')) {
  const migrate = SqliteDatabase.prototype.migrate;
  SqliteDatabase.prototype.migrate = async function (this: SqliteDatabase) {
    await migrate.call(this);
    const { sql } = this.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'read_models'").get() as { sql: string };
    const { n } = this.db.prepare('SELECT count(*) AS n FROM read_models').get() as { n: number };
    if (n === 0 && /WITHOUT ROWID/.test(sql)) {
      this.db.exec(`DROP TABLE read_models;
        CREATE TABLE read_models (collection TEXT NOT NULL, partition TEXT NOT NULL, key TEXT NOT NULL,
          sort_key TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (collection, partition, key));
        CREATE INDEX read_models_sorted ON read_models (collection, partition, sort_key, key);`);
    }
  };
}

async function profiled<T>(fn: () => Promise<T>): Promise<T> {
  if (!process.env.PROF) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.PROF, JSON.stringify(profile));
  }
}

const pragmas = (process.env.WHATIF_PRAGMAS ?? '').split(';').filter(Boolean);
if (pragmas.length) {
  const migrate = SqliteDatabase.prototype.migrate;
  SqliteDatabase.prototype.migrate = function (this: SqliteDatabase) {
    for (const p of pragmas) this.db.pragma(p);
    return migrate.call(this);
  };
}
const firms = Number(process.env.WHATIF_FIRMS ?? 20);

const target = await createTarget(kind, 'whatif');
try {
  const rates: number[] = [];
  if (mode === 'single') {
    const s = await StrataCommandSubject.open(target);
    await s.appendSingle('warm', 10, 100);
    await profiled(async () => {
      for (let r = 0; r < 3; r++) {
        const m = await s.appendSingle(`r${r}`, 10, 300);
        rates.push(Math.round((m.count / m.ms) * 1000));
      }
    });
    await s.close();
  } else {
    const s = await openStore(target);
    const gen = new StudyGenerator('bench', 1000);
    await s.events.appendToStream(studyCreation('bench'));
    for (let i = 0; i < firms; i++) await s.events.appendToStream(gen.firm(i, firmName('firm', i)));
    const events = await s.events.countEvents();
    const runner = new ProjectionRunner(s.events, s.readModels, ALL_PROJECTIONS, variants.has('batch') ? 2000 : 500);
    await profiled(async () => {
      for (let r = 0; r < Number(process.env.WHATIF_RUNS ?? 2); r++) {
        const t0 = performance.now();
        await runner.rebuild();
        rates.push(Math.round((events / (performance.now() - t0)) * 1000));
      }
    });
    await s.close();
  }
  console.log(`${kind} ${mode} ${[...variants].join('+') || 'as is'}: ${rates.join(', ')} events/s`);
} finally {
  await target.drop();
}
