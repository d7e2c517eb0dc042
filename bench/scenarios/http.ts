import type { AddressInfo } from 'node:net';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { configFor } from '../lib/app.js';
import { runChild } from '../lib/child.js';
import { firmName } from '../lib/dataset.js';
import { withTarget, type StoreKind } from '../lib/databases.js';
import type { Results } from '../lib/results.js';
import { fmt, summarise } from '../lib/stats.js';

export interface HttpParams {
  /** Offered load of the target scenario (requests/s, spread over all connections). */
  readonly rate: number;
  /** Seconds per measured run. */
  readonly duration: number;
  readonly runs: number;
  readonly connections: number;
  /** Firms the requests rotate over. */
  readonly firms: number;
}

interface LoadResult {
  readonly requestsPerSecond: number;
  readonly sent: number;
  readonly completed: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latency: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
}

/**
 * POST /firms/:firm/events (validation pipe, LogEventCommand, inline projection) on loopback,
 * driven by autocannon in a separate process: at a fixed offered rate (latencies corrected
 * for coordinated omission, as autocannon does when a rate is set) and unthrottled (capacity).
 */
export async function httpScenario(kind: StoreKind, p: HttpParams, results: Results, log: (s: string) => void): Promise<void> {
  await withTarget(kind, 'http', async (target) => {
    const app = await createHttpApp(configFor(target), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const port = (app.getHttpServer().address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}`;
      const firms = Array.from({ length: p.firms }, (_, i) => firmName('http', i));
      const commands = app.get(CommandBus);
      for (const f of firms) await commands.execute(new RegisterFirmCommand(f, 'bench'));

      const load = (rate: number | undefined, duration: number) =>
        runChild<LoadResult>('http-load.js', { url, firms, duration, connections: p.connections, ...(rate ? { rate } : {}) }, { nodeArgs: [] });
      const describe = (r: LoadResult) =>
        `${fmt(r.requestsPerSecond)} req/s, p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms, ${r.non2xx} non-2xx, ${r.errors} errors`;

      // Warm-up, not measured: unthrottled, so the JIT has compiled the request path before the
      // first measured run. The former 3 s at 200 req/s (600 requests) left the first offered run
      // on the slope: its p99 was 21–27 ms where the later ones had 12–16.
      const warm = await load(undefined, Math.min(5, p.duration));
      log(`  ${kind} http warm-up: ${describe(warm)}`);

      const atRate: LoadResult[] = [];
      const capacity: LoadResult[] = [];
      // The re-analysis a run's logging leaves behind is finished (untimed) before the next run, as
      // the append scenario does between subjects: an unthrottled run logs ~20,000 events, and
      // without this their analysis ran in the pauses of the run after it, so the second offered
      // run, which follows two unthrottled ones, was measured against another run's backlog. A
      // run's own re-analysis still happens during it, in its pauses, as a server's would.
      const runner = app.get(ProjectionRunner);
      const settleBacklog = async () => {
        const t0 = performance.now();
        await runner.settleNow();
        return performance.now() - t0;
      };
      for (let r = 0; r < p.runs; r++) {
        // Alternate which goes first, so neither always runs on the larger database.
        for (const mode of r % 2 ? (['capacity', 'rate'] as const) : (['rate', 'capacity'] as const)) {
          const backlogMs = await settleBacklog();
          const res = await load(mode === 'rate' ? p.rate : undefined, p.duration);
          log(`  ${kind} http ${mode === 'rate' ? `offered ${p.rate} req/s` : 'unthrottled'} run ${r + 1}: ${describe(res)} (backlog settled before it: ${fmt(backlogMs)} ms)`);
          if (res.non2xx || res.errors) log(`    (!) ${res.non2xx} non-2xx responses and ${res.errors} errors`);
          (mode === 'rate' ? atRate : capacity).push(res);
        }
      }

      const extra = (rs: LoadResult[]) => ({
        p50Ms: summarise(rs.map((r) => r.latency.p50)).median,
        p99Ms: summarise(rs.map((r) => r.latency.p99)).median,
        maxMs: Math.max(...rs.map((r) => r.latency.max)),
        non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
        errors: rs.reduce((n, r) => n + r.errors + r.timeouts, 0),
        connections: p.connections,
        durationSeconds: p.duration,
      });
      const base = `HTTP POST event`;
      results.add({ scenario: `${base}, offered ${fmt(p.rate)} req/s: throughput`, store: kind, subject: 'strata', unit: 'req/s', higherIsBetter: true, runs: atRate.map((r) => r.requestsPerSecond), extra: extra(atRate) });
      results.add({ scenario: `${base}, offered ${fmt(p.rate)} req/s: p50 latency`, store: kind, subject: 'strata', unit: 'ms', higherIsBetter: false, runs: atRate.map((r) => r.latency.p50) });
      const p99 = results.add({ scenario: `${base}, offered ${fmt(p.rate)} req/s: p99 latency`, store: kind, subject: 'strata', unit: 'ms', higherIsBetter: false, runs: atRate.map((r) => r.latency.p99) });
      results.setTarget(p99.id, `p99 < 20 ms at ${fmt(p.rate)} req/s`, (x) =>
        x.summary.median < 20 && summarise(atRate.map((r) => r.requestsPerSecond)).median >= 0.95 * p.rate,
      );
      results.add({ scenario: `${base}, unthrottled (${p.connections} conns): throughput`, store: kind, subject: 'strata', unit: 'req/s', higherIsBetter: true, runs: capacity.map((r) => r.requestsPerSecond), extra: extra(capacity) });
      results.add({ scenario: `${base}, unthrottled (${p.connections} conns): p99 latency`, store: kind, subject: 'strata', unit: 'ms', higherIsBetter: false, runs: capacity.map((r) => r.latency.p99) });
    } finally {
      await app.close();
    }
  });
}
