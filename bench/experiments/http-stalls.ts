/**
 * Where the HTTP bench's p99 goes: serves POST /firms/:firm/events at an offered rate (autocannon
 * in a child process, as the bench does) and logs every event-loop stall over a threshold, with
 * the slowest SQLite statements that ran during it.
 * `node dist/bench/experiments/http-stalls.js [rate=1000] [seconds=10] [runs=3]`
 * NO_AUTOCHECKPOINT=1 turns SQLite's own automatic checkpoint off (the bound the worker leaves).
 * ALTERNATE=1 runs an unthrottled load between the measured runs, as the bench does.
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { configFor } from '../lib/app.js';
import { runChild } from '../lib/child.js';
import { firmName } from '../lib/dataset.js';
import { withTarget } from '../lib/databases.js';

const [rate = 1000, seconds = 10, runs = 3] = process.argv.slice(2).map(Number);
const STALL_MS = 20;

// Time every statement: better-sqlite3 is synchronous, so a slow one is a stall of the loop.
const stacks = new Set<string>();
const slow: { ms: number; sql: string; at: number }[] = [];
const proto = (Database as unknown as { prototype: { prepare: (sql: string) => unknown } }).prototype;
const prepare = proto.prepare;
proto.prepare = function (this: unknown, sql: string) {
  const stmt = prepare.call(this, sql) as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ['run', 'get', 'all', 'iterate']) {
    const f = stmt[m];
    if (typeof f !== 'function') continue;
    stmt[m] = function (this: unknown, ...a: unknown[]) {
      const t = performance.now();
      try {
        return f.apply(this, a);
      } finally {
        const ms = performance.now() - t;
        if (ms > 5) slow.push({ ms, sql: sql.replace(/\s+/g, ' ').slice(0, 90), at: t });
        if (ms > 20 && sql.includes('COMMIT') && stacks.size < 4) stacks.add(new Error().stack!.split('\n').slice(2, 14).join('\n'));
      }
    };
  }
  return stmt;
};

const gcs: { at: number; ms: number; kind: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ at: e.startTime, ms: e.duration, kind: ((e as unknown as { detail: { kind: number } }).detail?.kind ?? 0) });
}).observe({ entryTypes: ['gc'] });

if (process.env.NO_AUTOCHECKPOINT) {
  const pragma = (Database as unknown as { prototype: { pragma: (s: string, o?: unknown) => unknown } }).prototype;
  const original = pragma.pragma;
  pragma.pragma = function (this: unknown, text: string, o?: unknown) {
    return original.call(this, text.startsWith('wal_autocheckpoint') ? 'wal_autocheckpoint = 0' : text, o);
  };
}

await withTarget('sqlite', 'stalls', async (target) => {
  const app = await createHttpApp(configFor(target), { logger: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const firms = Array.from({ length: Number(process.env.FIRMS ?? 20) }, (_, i) => firmName('http', i));
  const commands = app.get(CommandBus);
  for (const f of firms) await commands.execute(new RegisterFirmCommand(f, 'bench'));
  for (let r = 0; r < runs; r++) {
    if (process.env.ALTERNATE && r > 0) {
      // As the bench does: an unthrottled run between the measured ones (the log grows, firms get larger).
      await runChild('http-load.js', { url: `http://127.0.0.1:${port}`, firms, duration: seconds, connections: 16 }, { nodeArgs: [] });
    }
    slow.length = 0;
    gcs.length = 0;
    const h = monitorEventLoopDelay({ resolution: 5 });
    const stalls: { at: number; ms: number }[] = [];
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      if (now - last > STALL_MS + 5) stalls.push({ at: last, ms: now - last - 5 });
      last = now;
    }, 5);
    h.enable();
    const res = await runChild<{ requestsPerSecond: number; latency: { p50: number; p99: number; max: number } }>(
      'http-load.js',
      { url: `http://127.0.0.1:${port}`, firms, duration: seconds, connections: 16, rate },
      { nodeArgs: [] },
    );
    clearInterval(tick);
    h.disable();
    console.log(`run ${r + 1}: ${res.requestsPerSecond} req/s p50 ${res.latency.p50} p99 ${res.latency.p99} max ${res.latency.max}; loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms max ${(h.max / 1e6).toFixed(1)} ms; ${stalls.length} stalls > ${STALL_MS} ms; gc total ${gcs.reduce((n, g) => n + g.ms, 0).toFixed(0)} ms in ${gcs.length}, max ${Math.max(0, ...gcs.map((g) => g.ms)).toFixed(0)} ms; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
    for (const s of stalls.sort((a, b) => b.ms - a.ms).slice(0, 8)) {
      const during = slow.filter((q) => q.at >= s.at - 1 && q.at <= s.at + s.ms + 5).sort((a, b) => b.ms - a.ms).slice(0, 2);
      const gc = gcs.filter((g) => g.at + g.ms >= s.at - 1 && g.at <= s.at + s.ms + 5);
      console.log(`  stall ${s.ms.toFixed(0)} ms: gc ${gc.map((g) => `${g.kind}:${g.ms.toFixed(0)}`).join(',')} ${during.map((q) => `${q.ms.toFixed(1)} ms ${q.sql}`).join(' | ') || '(no slow statement)'}`);
    }
  }
  for (const st of stacks) console.log('--\n' + st);
  await app.close();
});
