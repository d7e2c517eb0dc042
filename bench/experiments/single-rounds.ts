/**
 * Sequential LogEventCommands in rounds the way the bench's single-append row runs them (fresh
 * firms each round, `singles` commands over `streams` firms), printing each round's rate, so a
 * gap between the bench row and single-profile can be traced to the round shape.
 *   node --expose-gc dist/bench/experiments/single-rounds.js [rounds=10] [singles=500] [streams=10]
 */
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { bootApp } from '../lib/app.js';
import { firmRecords, roundRobinRecords } from '../lib/dataset.js';
import { withTarget } from '../lib/databases.js';
import { settle } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 10);
const singles = Number(process.argv[3] ?? 500);
const streams = Number(process.argv[4] ?? 10);

await withTarget('sqlite', 'single-rounds', async (target) => {
  const app = await bootApp(target);
  try {
    for (let r = 0; r < rounds; r++) {
      const firms = Array.from({ length: streams }, (_, i) => `r${r}-${i}`);
      for (const f of firms) await app.commands.execute(new RegisterFirmCommand(f, 'bench'));
      const inputs = roundRobinRecords(firms, singles);
      settle();
      const t0 = performance.now();
      for (const input of inputs) await app.commands.execute(new LogEventCommand(input));
      const ms = performance.now() - t0;
      await app.runner.settleNow();
      if (process.env.MIX) {
        // What the bench runs between two single rounds of this subject: a 1,000-event import.
        const records = firmRecords(`r${r}-batch`, 1000).map((record, i) => ({ line: i + 1, record }));
        await app.commands.execute(new ImportEventsCommand(records, 'bench'));
        await app.runner.settleNow();
      }
      console.log(`round ${r + 1}: ${singles} commands in ${ms.toFixed(0)} ms = ${Math.round((singles / ms) * 1000)}/s, ${((ms * 1000) / singles).toFixed(0)} µs each`);
    }
  } finally {
    await app.close();
  }
});
