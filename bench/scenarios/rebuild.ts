import { runChild } from '../lib/child.js';
import { openStore } from '../lib/app.js';
import { firmName, studyCreation, StudyGenerator } from '../lib/dataset.js';
import { createTarget, type StoreKind, type Target } from '../lib/databases.js';
import type { Results } from '../lib/results.js';
import { fmt, timeMs } from '../lib/stats.js';

export interface RebuildParams {
  /** Log sizes to rebuild at, in firms (each firm: registration + eventsPerFirm events). */
  readonly firms: readonly number[];
  readonly eventsPerFirm: number;
  /**
   * Rebuilds per size. The first builds from empty read models, later ones truncate first (a
   * real rebuild); all count, min–max shows the difference. Each runs in a fresh process.
   */
  readonly runs: number;
  /** Rebuilds at 1,000,000 events or more (each takes minutes at today's projection speed). */
  readonly runsAtMillion: number;
}

interface WorkerResult {
  readonly ms: number;
  readonly events: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly maxRssMb: number;
  readonly baselineRssMb: number;
}

/**
 * Full rebuild of every projection (truncate + replay from the first event) at growing log
 * sizes. The log is loaded once through the event-store adapter (1,001 events per transaction:
 * a firm's registration and its events), grown between sizes; each rebuild runs in a fresh
 * process so its peak memory is measured alone.
 */
export async function rebuildScenario(kind: StoreKind, p: RebuildParams, results: Results, log: (s: string) => void): Promise<void> {
  let target: Target | undefined;
  try {
    target = await createTarget(kind, 'rebuild');
    const gen = new StudyGenerator('bench', p.eventsPerFirm);
    let loaded = 0;
    const loadRates: number[] = [];
    for (const firms of p.firms) {
      // Grow the log through the adapter, then close it: the rebuild processes have it to themselves.
      const storage = await openStore(target);
      let events = 0;
      let ms = 0;
      try {
        if (loaded === 0) await storage.events.appendToStream(studyCreation('bench'));
        ms = await timeMs(async () => {
          for (; loaded < firms; loaded++) {
            const r = await storage.events.appendToStream(gen.firm(loaded, firmName('firm', loaded)));
            events += r.appended;
          }
        });
      } finally {
        await storage.close();
      }
      loadRates.push((events / ms) * 1000);
      log(`  ${kind}: log grown to ${firms} firms (+${fmt(events)} events in ${fmt(ms / 1000)} s, ${fmt((events / ms) * 1000)} events/s)`);

      const runs: WorkerResult[] = [];
      const count = firms * p.eventsPerFirm >= 1_000_000 ? p.runsAtMillion : p.runs;
      for (let r = 0; r < count; r++) {
        const w = await runChild<WorkerResult>('rebuild-worker.js', { kind, location: target.location });
        log(`  ${kind} rebuild of ${fmt(w.events)} events${r === 0 ? ' (into empty read models)' : ' (truncate + replay)'}: ${fmt(w.ms / 1000)} s, ${fmt((w.events / w.ms) * 1000)} events/s, peak RSS ${fmt(w.peakRssMb)} MB`);
        runs.push(w);
      }
      const total = runs[0]!.events;
      const peakRssMb = Math.max(...runs.map((w) => w.peakRssMb));
      const row = results.add({
        scenario: `rebuild all projections, ${sizeLabel(total)} events`,
        store: kind,
        subject: 'strata',
        unit: 'events/s',
        higherIsBetter: true,
        runs: runs.map((w) => (w.events / w.ms) * 1000),
        extra: {
          events: total,
          firms,
          medianSeconds: median(runs.map((w) => w.ms / 1000)),
          peakRssMb,
          peakHeapMb: Math.max(...runs.map((w) => w.peakHeapMb)),
          baselineRssMb: median(runs.map((w) => w.baselineRssMb)),
        },
      });
      if (total >= 1_000_000) {
        results.setTarget(row.id, '≥ 200,000 events/s, peak RSS < 512 MB', (x) => x.summary.median >= 200_000 && peakRssMb < 512);
      }
    }
    results.add({
      scenario: 'bulk load via store (1,001 events/tx)',
      store: kind,
      subject: 'strata store',
      unit: 'events/s',
      higherIsBetter: true,
      runs: loadRates,
      note: 'one run per growth step of the rebuild log',
    });
  } finally {
    await target?.drop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const sizeLabel = (n: number) => (n >= 1_000_000 ? `${Math.round(n / 100_000) / 10}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));
