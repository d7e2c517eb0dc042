/**
 * A/B of the single-command path in ONE process: two apps on two fresh SQLite files, booted with
 * different environments (AB_ENV_A / AB_ENV_B: "NAME=value,..." set while that app boots, for
 * switches read at boot or migration), alternating slices of sequential LogEventCommands so host
 * drift and JIT warm-up land on both alike. Prints the median µs per command of each.
 *   node --expose-gc dist/bench/experiments/ab-single.js [slices=40] [perSlice=500] [streams=20]
 */
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { bootApp, type BenchApp } from '../lib/app.js';
import { firmRecords, roundRobinRecords } from '../lib/dataset.js';
import { createTarget } from '../lib/databases.js';
import { summarise } from '../lib/stats.js';

const median = (xs: number[]) => summarise(xs).median;

const slices = Number(process.argv[2] ?? 40);
const perSlice = Number(process.argv[3] ?? 500);
const streams = Number(process.argv[4] ?? 20);

const withEnv = async <T>(spec: string | undefined, fn: () => Promise<T>): Promise<T> => {
  const pairs = (spec ?? '').split(',').filter(Boolean).map((p) => p.split('=') as [string, string]);
  const saved = pairs.map(([k]) => [k, process.env[k]] as const);
  for (const [k, v] of pairs) process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
};

interface Side { name: string; drop: () => Promise<void>; app: BenchApp; inputs: ReturnType<typeof firmRecords>; at: number; us: number[] }
const sides: Side[] = [];
for (const name of ['A', 'B']) {
  const target = await createTarget('sqlite', `ab-${name}`);
  const app = await withEnv(process.env[`AB_ENV_${name}`], () => bootApp(target));
  const firms = Array.from({ length: streams }, (_, i) => `ab-${i}`);
  for (const f of firms) await app.commands.execute(new RegisterFirmCommand(f, 'bench'));
  const total = slices * perSlice;
  const inputs = roundRobinRecords(firms, total);
  sides.push({ name, drop: target.drop, app, inputs, at: 0, us: [] });
}
for (let s = 0; s < slices; s++) {
  for (const side of s % 2 ? [...sides].reverse() : sides) {
    const part = side.inputs.slice(side.at, side.at + perSlice);
    side.at += perSlice;
    const t0 = performance.now();
    for (const input of part) await side.app.commands.execute(new LogEventCommand(input));
    side.us.push(((performance.now() - t0) * 1000) / part.length);
    await side.app.runner.settleNow();
  }
}
const half = Math.floor(slices / 2);
for (const side of sides) {
  const later = side.us.slice(half);
  console.log(`${side.name} (${process.env[`AB_ENV_${side.name}`] ?? ''}): median µs/command, all ${median(side.us).toFixed(0)}, second half ${median(later).toFixed(0)} (${Math.round(1e6 / median(later))}/s)`);
  await side.app.close();
  await side.drop();
}
