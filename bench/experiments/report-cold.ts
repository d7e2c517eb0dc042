/**
 * Where the report of a large firm spends its time right after a new event: logs one event
 * through the CommandBus (not timed), then runs the report's stages by hand with timers
 * (timeline read, codebook, sort, analysis, report model, render) and the whole query once.
 *
 *   node dist/bench/experiments/report-cold.js <sqlite|postgres> [events=10000] [runs=8]
 * PG_STATEMENTS=1 (postgres): also the statements of the measured runs, timed.
 */
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { GetReportQuery } from '../../src/application/queries/report.query.js';
import { GetCodebookQuery } from '../../src/application/queries/research.queries.js';
import { GetTimelineQuery } from '../../src/application/queries/timeline.query.js';
import { analyseSortedFirm } from '../../src/analysis/analyse-firm.js';
import { sortForAnalysis } from '../../src/analysis/order.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { renderReportHtmlBytes } from '../../src/reports/render-html.js';
import { renderReport } from '../../src/reports/render.js';
import { bootApp } from '../lib/app.js';
import { firmRecords, studyCreation, StudyGenerator } from '../lib/dataset.js';
import { withTarget, type StoreKind } from '../lib/databases.js';
import { settle } from '../lib/stats.js';
import { timePgStatements } from '../lib/pg-statements.js';

const kind = (process.argv[2] ?? 'sqlite') as StoreKind;
const n = Number(process.argv[3] ?? 10_000);
const runs = Number(process.argv[4] ?? 8);
const statements = process.env.PG_STATEMENTS ? timePgStatements() : undefined;
const totals = new Map<string, number[]>();
// CPU time beside wall time: on a busy machine the CPU time still says what the code costs.
const cpuTotals = new Map<string, number[]>();
const time = async <T>(label: string, fn: () => Promise<T> | T): Promise<T> => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const c = process.cpuUsage(c0);
    (totals.get(label) ?? totals.set(label, []).get(label)!).push(performance.now() - t0);
    (cpuTotals.get(label) ?? cpuTotals.set(label, []).get(label)!).push((c.user + c.system) / 1000);
  }
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await withTarget(kind, 'report-cold', async (target) => {
  const app = await bootApp(target);
  try {
    const store = app.app.get<EventStore>(EVENT_STORE);
    await store.appendToStream(studyCreation('reports'));
    await store.appendToStream(new StudyGenerator('reports', n, { templates: 1 }).firm(0, 'big-firm'));
    await app.runner.catchUp();
    const more = firmRecords('big-firm', runs * 4 + 4, { seed: 99 });
    for (let r = 0; r <= runs; r++) {
      for (const format of ['json', 'html'] as const) {
        // Staged by hand, as GetReportHandler.compute runs them.
        await app.commands.execute(new LogEventCommand({ ...more.pop()!, firm: 'big-firm' }));
        if (!process.env.NO_SETTLE) settle();
        await time(`${format}: timeline query`, async () => {
          const timeline = await app.queries.execute(new GetTimelineQuery('big-firm'));
          const codebook = await time(`${format}: codebook`, () => app.queries.execute(new GetCodebookQuery(timeline.firm.study)));
          const sorted = await time(`${format}: sort`, () => sortForAnalysis(timeline.entries));
          const analysis = await time(`${format}: analyse`, () => analyseSortedFirm(sorted, timeline.declaredPhases));
          const model = await time(`${format}: report model`, () =>
            buildReportModel({
              firm: { id: timeline.firm.id, name: timeline.firm.name, study: timeline.firm.study },
              entries: timeline.entries,
              sorted,
              declared: timeline.declaredPhases,
              analysis,
              generatedAt: timeline.basisRecordedAt,
              codebook: { study: codebook.study, version: codebook.version, publishedAt: codebook.publishedAt },
            }),
          );
          const render = () => (format === 'html' ? renderReportHtmlBytes(model) : Buffer.from(renderReport(model, format)));
          await time(`${format}: render (to bytes)`, render);
          await time(`${format}: render again`, render);
        });
        // The whole query, after another new event.
        await app.commands.execute(new LogEventCommand({ ...more.pop()!, firm: 'big-firm' }));
        if (!process.env.NO_SETTLE) settle();
        await time(`${format}: GetReportQuery (whole, to bytes)`, async () => (await app.queries.execute(new GetReportQuery('big-firm', format))).bytes);
      }
      if (r === 0) {
        statements?.byText.clear();
        totals.clear();
        cpuTotals.clear();
      }
    }
  } finally {
    await app.close();
  }
});
console.log(`${kind}, ${n}-event firm, median of ${runs} runs (the timeline query row includes the stages below it): wall, CPU`);
for (const [label, xs] of totals) {
  console.log(`${label.padEnd(40)} ${median(xs).toFixed(1).padStart(8)} ms ${median(cpuTotals.get(label)!).toFixed(1).padStart(8)} ms CPU`);
}
if (statements) for (const line of statements.lines()) console.log(line);
