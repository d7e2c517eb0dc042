/**
 * Time per SQLite statement during sequential LogEventCommands (the single-append scenario):
 * wraps every prepared statement and exec, and prints µs per command for each SQL text, then the
 * total against the command's wall time (the rest is JavaScript: Nest, deciding, projecting).
 * `node dist/bench/experiments/statement-times.js [commands=3000]`
 */
import Database from 'better-sqlite3';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { bootApp } from '../lib/app.js';
import { firmRecords, studyCreation } from '../lib/dataset.js';
import { withTarget } from '../lib/databases.js';

const n = Number(process.argv[2] ?? 3000);
const totals = new Map<string, { ms: number; calls: number }>();
let timing = false;
const note = (sql: string, ms: number) => {
  if (!timing) return;
  const key = sql.replace(/\s+/g, ' ').trim().slice(0, 80);
  const t = totals.get(key) ?? { ms: 0, calls: 0 };
  t.ms += ms;
  t.calls += 1;
  totals.set(key, t);
};
const proto = (Database as unknown as { prototype: Record<string, (...a: unknown[]) => unknown> }).prototype;
const prepare = proto.prepare!;
proto.prepare = function (this: unknown, ...args: unknown[]) {
  const stmt = prepare.apply(this, args) as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ['run', 'get', 'all']) {
    const f = stmt[m]!;
    stmt[m] = function (this: unknown, ...a: unknown[]) {
      const t = performance.now();
      try {
        return f.apply(this, a);
      } finally {
        note(String(args[0]), performance.now() - t);
      }
    };
  }
  return stmt;
};
const exec = proto.exec!;
proto.exec = function (this: unknown, ...args: unknown[]) {
  const t = performance.now();
  try {
    return exec.apply(this, args);
  } finally {
    note(`exec: ${String(args[0])}`, performance.now() - t);
  }
};

await withTarget('sqlite', 'statement-times', async (target) => {
  const app = await bootApp(target);
  try {
    await app.app.get<EventStore>(EVENT_STORE).appendToStream(studyCreation('bench'));
    const firms = Array.from({ length: 10 }, (_, i) => `st-${i}`);
    for (const f of firms) await app.commands.execute(new RegisterFirmCommand(f, 'bench'));
    const records = firms.map((f) => firmRecords(f, Math.ceil((n + 200) / 10) + 1));
    const next = (i: number) => records[i % 10]![Math.floor(i / 10)]!;
    for (let i = 0; i < 200; i++) await app.commands.execute(new LogEventCommand(next(i)));
    timing = true;
    const t0 = performance.now();
    for (let i = 200; i < 200 + n; i++) await app.commands.execute(new LogEventCommand(next(i)));
    const wall = performance.now() - t0;
    timing = false;
    let sum = 0;
    for (const [sql, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
      sum += t.ms;
      console.log(`${((t.ms * 1000) / n).toFixed(1).padStart(6)} µs ${(t.calls / n).toFixed(2).padStart(5)}×  ${sql}`);
    }
    console.log(`statements ${((sum * 1000) / n).toFixed(0)} µs of ${((wall * 1000) / n).toFixed(0)} µs per command`);
  } finally {
    await app.close();
  }
});
