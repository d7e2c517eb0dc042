import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CompareQuery } from '../../src/application/queries/export.queries.js';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { GetReportQuery } from '../../src/application/queries/report.query.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { bootApp } from '../lib/app.js';
import { firmName, firmRecords, studyCreation, StudyGenerator } from '../lib/dataset.js';
import { withTarget, type StoreKind } from '../lib/databases.js';
import { distBench } from '../lib/paths.js';
import type { Results } from '../lib/results.js';
import { fmt, settle, timeMs } from '../lib/stats.js';

export interface ReportParams {
  /** Events of the one large firm the report is rendered for. */
  readonly bigFirmEvents: number;
  /** Firms (and events each) of the study the cross-case comparison runs over. */
  readonly compareFirms: number;
  readonly compareEventsPerFirm: number;
  readonly reportRuns: number;
  readonly compareRuns: number;
}

/**
 * The report of one large firm and the cross-case comparison of a large study, end to end
 * through the QueryBus as `GET /firms/:firm/report` and `GET /compare` run them: read the
 * firm's timeline from the read model, analyse it, build the report model, render.
 */
export async function reportScenario(kind: StoreKind, p: ReportParams, results: Results, log: (s: string) => void): Promise<void> {
  await withTarget(kind, 'report', async (target) => {
    const app = await bootApp(target);
    try {
      const store = app.app.get<EventStore>(EVENT_STORE);
      const big = new StudyGenerator('reports', p.bigFirmEvents, { templates: 1 });
      const small = new StudyGenerator('compare', p.compareEventsPerFirm, { years: 7 });
      await store.appendToStream(studyCreation('reports'));
      await store.appendToStream(studyCreation('compare'));
      await store.appendToStream(big.firm(0, 'big-firm'));
      for (let i = 0; i < p.compareFirms; i++) await store.appendToStream(small.firm(i, firmName('cmp', i)));
      const projectMs = await timeMs(() => app.runner.catchUp());
      log(`  ${kind}: projected ${fmt(p.bigFirmEvents + p.compareFirms * p.compareEventsPerFirm)} events in ${fmt(projectMs / 1000)} s`);

      // Report: json and html interleaved, one warm-up each. "repeat" asks again for the report
      // of an unchanged firm; "after a new event" first logs one more event to the firm through
      // the CommandBus (not timed), so nothing computed for the previous report still holds.
      // "settled" logs one too, then lets the logging's deferred work run (the analysis
      // projection re-analyses the firm ~250 ms after the last command) before the report, as
      // when a researcher opens the report a moment after logging.
      type Mode = 'repeat' | 'cold' | 'settled';
      const times: Record<`${'json' | 'html'} ${Mode}`, number[]> = {
        'json repeat': [], 'html repeat': [], 'json cold': [], 'html cold': [], 'json settled': [], 'html settled': [],
      };
      const more = firmRecords('big-firm', p.reportRuns * 4 + 4, { seed: 99 });
      for (let r = 0; r < p.reportRuns + 1; r++) {
        for (const format of r % 2 ? (['html', 'json'] as const) : (['json', 'html'] as const)) {
          for (const mode of ['cold', 'repeat', 'settled'] as const) {
            if (mode !== 'repeat') await app.commands.execute(new LogEventCommand({ ...more.pop()!, firm: 'big-firm' }));
            if (mode === 'settled') await app.runner.settleNow();
            settle();
            let bytes = 0;
            const ms = await timeMs(async () => {
              bytes = (await app.queries.execute(new GetReportQuery('big-firm', format))).bytes.length;
            });
            if (bytes < 1000) throw new Error(`report ${format} is only ${bytes} bytes`);
            if (r > 0) times[`${format} ${mode}`].push(ms);
          }
        }
      }
      for (const format of ['json', 'html'] as const) {
        for (const [mode, label] of [
          ['cold', 'after a new event'],
          ['settled', 'after a new event, once logging settled'],
          ['repeat', 'repeated, firm unchanged'],
        ] as const) {
          const row = results.add({
            scenario: `report ${format}, ${fmt(p.bigFirmEvents)}-event firm, ${label} (QueryBus)`,
            store: kind,
            subject: 'strata',
            unit: 'ms',
            higherIsBetter: false,
            runs: times[`${format} ${mode}`],
          });
          results.setTarget(row.id, '< 100 ms', (x) => x.summary.median < 100);
        }
      }

      const compare: number[] = [];
      for (let r = 0; r < p.compareRuns + 1; r++) {
        settle();
        const ms = await timeMs(() => app.queries.execute(new CompareQuery('json', 'compare')));
        log(`  ${kind} compare ${p.compareFirms} firms${r === 0 ? ' (warm-up)' : ''}: ${fmt(ms)} ms`);
        if (r > 0) compare.push(ms);
      }
      results.add({
        scenario: `compare ${fmt(p.compareFirms)} firms × ${p.compareEventsPerFirm} events (QueryBus)`,
        store: kind,
        subject: 'strata',
        unit: 'ms',
        higherIsBetter: false,
        runs: compare,
      });
    } finally {
      await app.close();
    }
  });
}

interface AnalysisBenchResult {
  readonly scenario: string;
  readonly medianMs: number;
  readonly runs: number;
}

/**
 * The pure analysis/report layer alone (no storage), from the analysis colleague's
 * `bench/analysis/analysis.bench.ts` when it is there: synthetic firms of the known-answer test.
 */
export async function pureAnalysisScenario(runs: number, results: Results, log: (s: string) => void): Promise<void> {
  const file = join(distBench, 'analysis', 'analysis.bench.js');
  if (!existsSync(file)) {
    results.skip('analysis (pure)', '–', 'strata', 'skipped: bench/analysis/analysis.bench.ts not present');
    return;
  }
  const mod = (await import(file)) as { runAnalysisBench(o: { runs?: number }): Promise<AnalysisBenchResult[]> };
  for (const r of await mod.runAnalysisBench({ runs })) {
    log(`  pure: ${r.scenario}: ${fmt(r.medianMs)} ms`);
    const row = results.add({
      scenario: `${r.scenario} (pure)`,
      store: '–',
      subject: 'strata',
      unit: 'ms',
      higherIsBetter: false,
      // runAnalysisBench reports only the median of its runs.
      runs: [r.medianMs],
      note: `median of ${r.runs} runs (runAnalysisBench reports no spread)`,
      extra: { runs: r.runs },
    });
    if (/render (json|html), 10,000/.test(r.scenario) && /^analyseFirm \+/.test(r.scenario)) {
      results.setTarget(row.id, '< 100 ms', (x) => x.summary.median < 100);
    }
  }
}
