/**
 * The "append 1000/tx" rows for the import alone: Strata's ImportEventsCommand through the
 * CommandBus against the raw driver, interleaved, on fresh databases. Faster to iterate on
 * than the whole append scenario.
 *
 *   node --expose-gc dist/bench/experiments/import-only.js <sqlite|postgres> [rounds=5] [batches=5]
 *   IMPORT_NO_PROJECTION=1 …   the import without its projection catch-up (what-if)
 *   IMPORT_ONLY=cmd …          the command alone (for --cpu-prof)
 */
import { plainEvents } from '../lib/dataset.js';
import { createTarget, type StoreKind, type Target } from '../lib/databases.js';
import { settle } from '../lib/stats.js';
import { RawPostgresSubject, RawSqliteSubject, StrataCommandSubject, type Subject } from '../lib/subjects.js';

const kind = (process.argv[2] ?? 'sqlite') as StoreKind;
const rounds = Number(process.argv[3] ?? 5);
const batches = Number(process.argv[4] ?? 5);
const only = process.env.IMPORT_ONLY; // 'cmd' to run the command alone (profiling)

const targets: Target[] = [];
const subjects: Subject[] = [];
try {
  const t1 = await createTarget(kind, 'imp-cmd');
  targets.push(t1);
  const cmd = await StrataCommandSubject.open(t1);
  subjects.push(cmd);
  // What-if: the import without any projection work (the catch-up it awaits is skipped; the read
  // models are left behind). Shows what the append path alone costs next to the raw driver.
  if (process.env.IMPORT_NO_PROJECTION === '1') cmd.app.runner.catchUp = async () => undefined;
  if (only !== 'cmd') {
    const t2 = await createTarget(kind, 'imp-raw');
    targets.push(t2);
    const sample = plainEvents('bench-firm', 1000);
    subjects.push(kind === 'sqlite' ? await RawSqliteSubject.open(t2, sample) : await RawPostgresSubject.open(t2, sample));
  }
  const rates = new Map<string, number[]>();
  for (let r = 0; r < rounds + 1; r++) {
    for (const s of r % 2 ? [...subjects].reverse() : subjects) {
      settle();
      const m = await s.appendBatch(`r${r}-batch`, batches, 1000);
      const rate = (m.count / m.ms) * 1000;
      if (r > 0) rates.set(s.name, [...(rates.get(s.name) ?? []), rate]);
      console.log(`${kind} round ${r}${r ? '' : ' (warm-up)'} ${s.name}: ${Math.round(rate)} ev/s`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [name, xs] of rates) console.log(`${kind} ${name}: median ${Math.round(median(xs))} ev/s (${xs.map(Math.round).join(', ')})`);
  const cmdRates = rates.get('strata command');
  const raw = rates.get('raw driver');
  if (cmdRates && raw) console.log(`${kind} ratio command/raw: ${(median(cmdRates) / median(raw)).toFixed(3)}`);
} finally {
  for (const s of subjects) await s.close().catch(() => undefined);
  for (const t of targets) await t.drop().catch(() => undefined);
}
