/**
 * Sequential LogEventCommands on a fresh SQLite file, for a CPU profile of the single-append path:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/experiments/single-profile.js [commands=5000] [streams=20]
 * Prints commands/s for a warm-up and the measured part.
 */
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { bootApp } from '../lib/app.js';
import { roundRobinRecords } from '../lib/dataset.js';
import { withTarget } from '../lib/databases.js';

const n = Number(process.argv[2] ?? 5000);
const streams = Number(process.argv[3] ?? 20);

await withTarget('sqlite', 'single-profile', async (target) => {
  const app = await bootApp(target);
  try {
    const firms = Array.from({ length: streams }, (_, i) => `sp-${i}`);
    for (const f of firms) await app.commands.execute(new RegisterFirmCommand(f, 'bench'));
    const inputs = roundRobinRecords(firms, 2 * n);
    for (const [label, part] of [['warm-up', inputs.slice(0, n)], ['measured', inputs.slice(n)]] as const) {
      const t0 = performance.now();
      for (const input of part) await app.commands.execute(new LogEventCommand(input));
      const ms = performance.now() - t0;
      console.log(`${label}: ${part.length} commands in ${ms.toFixed(0)} ms = ${Math.round((part.length / ms) * 1000)}/s, ${((ms * 1000) / part.length).toFixed(0)} µs each`);
    }
  } finally {
    await app.close();
  }
});
