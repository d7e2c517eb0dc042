/**
 * POST /firms/:firm/events under autocannon (a child process, as the bench runs it) with nothing
 * else instrumented, for a CPU profile of the server's side of a request:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/experiments/http-profile.js [seconds=10] [rate=0: unthrottled] [sqlite|postgres]
 * PG_STATEMENTS=1 (postgres): also the time from sending each kind of statement to its answer.
 */
import type { AddressInfo } from 'node:net';
import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { DeferredSettle } from '../../src/projections/deferred-settle.js';
import { GroupCommit } from '../../src/projections/group-commit.js';
import { configFor } from '../lib/app.js';
import { runChild } from '../lib/child.js';
import { firmName } from '../lib/dataset.js';
import { timePgStatements } from '../lib/pg-statements.js';
import { withTarget, type StoreKind } from '../lib/databases.js';

const [seconds = 10, rate = 0] = process.argv.slice(2, 4).map(Number);
const kind = (process.argv[4] ?? 'sqlite') as StoreKind;

// The deferred settle's runs while the load goes on: how many, how many slices, event-loop time.
const settles = { runs: 0, slices: 0, ms: 0 };
const settleProto = DeferredSettle.prototype as unknown as { inSlices: () => Promise<void>; slice: () => Promise<{ spentMs: number }> };
const inSlices = settleProto.inSlices;
settleProto.inSlices = function (this: { slice: () => Promise<{ done: boolean; spentMs: number }> }) {
  settles.runs++;
  const slice = this.slice;
  this.slice = async () => {
    const r = await slice();
    settles.slices++;
    settles.ms += r.spentMs;
    return r;
  };
  return inSlices.call(this).finally(() => (this.slice = slice));
};

// Callers per group commit: how many requests share one transaction.
const groupSizes = new Map<number, number>();
const proto = GroupCommit.prototype as unknown as { nextGroup: () => unknown[] };
const nextGroup = proto.nextGroup;
proto.nextGroup = function (this: unknown) {
  const group = nextGroup.call(this);
  groupSizes.set(group.length, (groupSizes.get(group.length) ?? 0) + 1);
  return group;
};

// PostgreSQL statements by their opening words: how many, and the time from sending to the answer.
const statements = process.env.PG_STATEMENTS ? timePgStatements() : undefined;

await withTarget(kind, 'http-profile', async (target) => {
  const app = await createHttpApp(configFor(target), { logger: false });
  await app.listen(0, '127.0.0.1');
  try {
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const firms = Array.from({ length: 50 }, (_, i) => firmName('http', i));
    const commands = app.get(CommandBus);
    for (const f of firms) await commands.execute(new RegisterFirmCommand(f, 'bench'));
    // A warm-up run first, as the bench does (JIT, caches).
    await runChild('http-load.js', { url: `http://127.0.0.1:${port}`, firms, duration: 3, connections: 16, rate: 200 }, { nodeArgs: [] });
    groupSizes.clear();
    statements?.byText.clear();
    settles.runs = settles.slices = settles.ms = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await runChild<{ requestsPerSecond: number; completed: number; latency: { p50: number; p99: number } }>(
      'http-load.js',
      { url: `http://127.0.0.1:${port}`, firms, duration: seconds, connections: 16, ...(rate ? { rate } : {}) },
      { nodeArgs: [] },
    );
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    console.log(
      `${kind}: ${res.requestsPerSecond} req/s, p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms; ` +
        `server CPU ${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(0)}% of a core, ${((cpu.user + cpu.system) / res.completed).toFixed(0)} µs per request`,
    );
    console.log(`  deferred settle: ${settles.runs} runs, ${settles.slices} slices, ${settles.ms.toFixed(0)} ms of event-loop time`);
    const groups = [...groupSizes].reduce((n, [, c]) => n + c, 0);
    const callers = [...groupSizes].reduce((n, [size, c]) => n + size * c, 0);
    console.log(
      `  ${groups} group commits, ${(callers / groups).toFixed(1)} callers each on average; callers by group size: ` +
        [...groupSizes].sort((a, b) => a[0] - b[0]).map(([size, c]) => `${size}: ${Math.round((100 * size * c) / callers)}%`).join(', '),
    );
    for (const line of statements?.lines() ?? []) console.log(`  ${line}`);
    if (process.env.PG_STATEMENTS && kind === 'postgres') {
      // Seq scans of the big tables mean a plan that does not use their indexes (a stale generic plan, say).
      const client = new pg.Client(target.location);
      await client.connect();
      const { rows } = await client.query(
        'SELECT relname, seq_scan, seq_tup_read, idx_scan, n_live_tup FROM pg_stat_user_tables ORDER BY relname',
      );
      await client.end();
      for (const r of rows) console.log(`  table ${r.relname}: ${r.seq_scan} seq scans reading ${r.seq_tup_read} rows, ${r.idx_scan} index scans, ${r.n_live_tup} rows`);
    }
  } finally {
    await app.close();
  }
});
