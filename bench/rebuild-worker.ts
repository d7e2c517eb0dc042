/**
 * One full rebuild of every projection, alone in its own process so its peak memory is its
 * own: `node dist/bench/rebuild-worker.js '{"kind":"sqlite","location":"/tmp/…/bench.db"}'`.
 * Prints one JSON line: { ms, events, peakRssMb, peakHeapMb, maxRssMb, baselineRssMb }.
 */
import { ALL_PROJECTIONS } from '../src/projections/all-projections.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { openStore } from './lib/app.js';
import type { StoreKind } from './lib/databases.js';

const { kind, location, batchSize } = JSON.parse(process.argv[2] ?? '{}') as { kind: StoreKind; location: string; batchSize?: number };
const MB = 1024 * 1024;

const storage = await openStore({ kind, location, drop: async () => undefined });
const runner = new ProjectionRunner(storage.events, storage.readModels, ALL_PROJECTIONS, batchSize ?? 500);
const events = await storage.events.countEvents();

(globalThis as { gc?: () => void }).gc?.();
const baseline = process.memoryUsage();
let peakRss = baseline.rss;
let peakHeap = baseline.heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 20);

const start = process.hrtime.bigint();
await runner.rebuild();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
clearInterval(sampler);
const end = process.memoryUsage();
peakRss = Math.max(peakRss, end.rss);
peakHeap = Math.max(peakHeap, end.heapUsed);
const status = await runner.status();
await storage.close();

if (status.some((s) => s.lag !== 0)) throw new Error(`rebuild left a projection behind: ${JSON.stringify(status)}`);
process.stdout.write(
  `${JSON.stringify({
    ms,
    events,
    peakRssMb: peakRss / MB,
    peakHeapMb: peakHeap / MB,
    // getrusage's high-water mark of the whole process (includes start-up), in MB.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb: baseline.rss / MB,
  })}\n`,
);
