/**
 * Where one LogEventCommand's time goes: wraps the stages (load state, append, projection
 * catch-up, each projection's apply, each read-model call) with timers and prints µs per
 * command. Stages nest: "handle" contains "load state" and "append"; "catch-up" contains the
 * transaction, which contains the applies.
 *
 *   node dist/bench/experiments/command-breakdown.js <sqlite|postgres> [commands=300]
 */
import { StreamDecisions } from '../../src/application/stream-decisions.js';
import { ALL_PROJECTIONS } from '../../src/projections/all-projections.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { READ_MODEL_STORE, type ReadModelStore, type ReadModelTransaction } from '../../src/projections/read-model-store.port.js';
import { createTarget, type StoreKind } from '../lib/databases.js';
import { StrataCommandSubject } from '../lib/subjects.js';

const kind = (process.argv[2] ?? 'sqlite') as StoreKind;
const n = Number(process.argv[3] ?? 300);
const totals = new Map<string, { ms: number; calls: number }>();
const add = (label: string, ms: number) => {
  const t = totals.get(label) ?? { ms: 0, calls: 0 };
  t.ms += ms;
  t.calls += 1;
  totals.set(label, t);
};
function wrap(obj: object, name: string, label: (args: unknown[]) => string): void {
  const o = obj as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const original = o[name]!;
  o[name] = async function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      add(label(args), performance.now() - t0);
    }
  };
}

wrap(StreamDecisions.prototype, 'handle', () => 'handle (load + decide + append)');
wrap(StreamDecisions.prototype, 'state', () => '  load state');
wrap(StreamDecisions.prototype, 'append', () => '  append');
wrap(ProjectionRunner.prototype, 'catchUp', () => 'projection catch-up');
for (const p of ALL_PROJECTIONS) wrap(p, 'apply', () => `    apply ${p.name}`);

const target = await createTarget(kind, 'breakdown');
try {
  const s = await StrataCommandSubject.open(target);
  const readModels = s.app.app.get<ReadModelStore>(READ_MODEL_STORE);
  wrap(readModels, 'checkpoint', () => '  checkpoint reads');
  const transaction = readModels.transaction.bind(readModels);
  (readModels as { transaction: ReadModelStore['transaction'] }).transaction = (fn) =>
    transaction(async (tx: ReadModelTransaction) => {
      for (const m of ['get', 'list', 'put', 'delete', 'deletePartition', 'setCheckpoint'] as const) {
        wrap(tx, m, (args) => `      tx.${m}${m === 'setCheckpoint' ? '' : ` ${String(args[0])}`}`);
      }
      const t0 = performance.now();
      try {
        return await fn(tx);
      } finally {
        add('  read-model transaction body', performance.now() - t0);
      }
    });
  await s.appendSingle('warm', 10, 100);
  totals.clear();
  const m = await s.appendSingle('measured', 10, n);
  console.log(`${kind}: ${Math.round((m.count / m.ms) * 1000)} commands/s, ${Math.round((m.ms / n) * 1000)} µs per command`);
  for (const [label, t] of totals) {
    console.log(`${label.padEnd(44)} ${String(Math.round((t.ms / n) * 1000)).padStart(7)} µs  ${(t.calls / n).toFixed(1).padStart(6)} calls`);
  }
  await s.close();
} finally {
  await target.drop();
}
