/**
 * GetTracksQuery right after logging, while the firms logged to wait for their deferred
 * re-analysis: the read as it is (analyse the firm asked about) against what it did before
 * (settleNow: every marked firm first), on the same backlog shape, alternating.
 *   node --expose-gc dist/bench/experiments/tracks-latency.js [firms=50] [eventsPerFirm=100] [rounds=3]
 */
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { GetTracksQuery } from '../../src/application/queries/tracks.query.js';
import { ALL, COLLECTIONS } from '../../src/projections/collections.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../src/projections/read-model-store.port.js';
import { bootApp } from '../lib/app.js';
import { firmRecords } from '../lib/dataset.js';
import { withTarget } from '../lib/databases.js';

const [firms = 50, perFirm = 100, rounds = 3] = process.argv.slice(2).map(Number);

await withTarget('sqlite', 'tracks-latency', async (target) => {
  const app = await bootApp(target);
  try {
    const names = Array.from({ length: firms }, (_, i) => `tl-${i}`);
    for (const f of names) await app.commands.execute(new RegisterFirmCommand(f, 'bench'));
    const records = names.map((f) => firmRecords(f, perFirm * rounds * 2));
    let at = 0;
    const logSome = async () => {
      for (let i = 0; i < perFirm; i++, at++) for (const r of records) await app.commands.execute(new LogEventCommand(r[at]!));
    };
    const readModels = app.app.get<ReadModelStore>(READ_MODEL_STORE);
    const marked = async () => (await readModels.list(COLLECTIONS.analysisPending, ALL)).length;
    for (let round = 0; round < rounds; round++) {
      for (const how of ['settle all first (before)', 'firm asked about (now)'] as const) {
        await logSome();
        const waiting = await marked();
        const t0 = performance.now();
        if (how.startsWith('settle')) await app.runner.settleNow();
        await app.queries.execute(new GetTracksQuery(names[0]!));
        const ms = performance.now() - t0;
        console.log(`round ${round + 1}, ${how}: ${ms.toFixed(1)} ms with ${waiting} firms marked (${at} events per firm)`);
        await app.runner.settleNow();
      }
    }
  } finally {
    await app.close();
  }
});
