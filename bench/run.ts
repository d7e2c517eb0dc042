/**
 * `npm run bench`: Strata's benchmarks, side by side with the raw driver and with Emmett.
 *
 *   npm run bench                          every scenario on sqlite and postgres
 *   BENCH_QUICK=1 npm run bench            smoke run (small sizes, few runs)
 *   BENCH_ONLY=append,rebuild npm run bench      some scenario groups (append, rebuild, report, analysis, http)
 *   BENCH_STORES=sqlite npm run bench      one store
 *   BENCH_REBUILD_FIRMS=10,100 npm run bench     rebuild log sizes, in firms of 1,000 events
 *   BENCH_OUT=path.json                    where to write the results (default bench/results.json)
 *
 * Emmett runs only when its package folder is installed (npm --prefix bench/peers/emmett-sqlite ci,
 * npm --prefix bench/peers/emmett-postgresql ci); otherwise its rows say "skipped". PostgreSQL
 * scenarios create and drop their own databases on BENCH_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres).
 */
import { writeFileSync } from 'node:fs';
import { cpus, freemem, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendScenario, type AppendParams } from './scenarios/append.js';
import { httpScenario, type HttpParams } from './scenarios/http.js';
import { rebuildScenario, type RebuildParams } from './scenarios/rebuild.js';
import { pureAnalysisScenario, reportScenario, type ReportParams } from './scenarios/report.js';
import { postgresAvailable, type StoreKind } from './lib/databases.js';
import { repoRoot } from './lib/paths.js';
import { renderMarkdown, renderTable, Results } from './lib/results.js';
import { fmt } from './lib/stats.js';
import { execFileSync } from 'node:child_process';

const quick = process.env.BENCH_QUICK === '1';
const only = new Set((process.env.BENCH_ONLY ?? 'append,rebuild,report,analysis,http').split(',').map((s) => s.trim()));
const stores = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as StoreKind[];
const out = process.env.BENCH_OUT ?? join(repoRoot, 'bench', 'results.json');

const APPEND: Record<StoreKind, AppendParams> = quick
  ? {
      sqlite: { rounds: 1, warmupRounds: 1, singles: 100, streams: 10, batches: 1, batchSize: 1000 },
      postgres: { rounds: 1, warmupRounds: 1, singles: 50, streams: 10, batches: 1, batchSize: 1000 },
    }
  : {
      sqlite: { rounds: 5, warmupRounds: 1, singles: 500, streams: 10, batches: 5, batchSize: 1000 },
      postgres: { rounds: 5, warmupRounds: 1, singles: 200, streams: 10, batches: 3, batchSize: 1000 },
    };
const firms = process.env.BENCH_REBUILD_FIRMS?.split(',').map(Number);
const REBUILD: RebuildParams = quick
  ? { firms: firms ?? [2, 5], eventsPerFirm: 1000, runs: 1, runsAtMillion: 1 }
  : { firms: firms ?? [10, 100, 1000], eventsPerFirm: 1000, runs: 2, runsAtMillion: 1 };
const REPORT: ReportParams = quick
  ? { bigFirmEvents: 1000, compareFirms: 20, compareEventsPerFirm: 60, reportRuns: 2, compareRuns: 1 }
  : { bigFirmEvents: 10_000, compareFirms: 1000, compareEventsPerFirm: 60, reportRuns: 7, compareRuns: 3 };
const HTTP: HttpParams = quick
  ? { rate: 1000, duration: 2, runs: 1, connections: 16, firms: 20 }
  : { rate: 1000, duration: 10, runs: 3, connections: 16, firms: 50 };

const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

function machine() {
  const cpu = cpus();
  let pg = 'unavailable';
  try {
    pg = execFileSync('psql', ['-At', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-c', 'show server_version'], { encoding: 'utf8' }).trim();
  } catch {
    /* reported as unavailable */
  }
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    freeMemoryGb: Math.round(freemem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    postgres: pg,
  };
}

async function main(): Promise<void> {
  const results = new Results();
  const info = machine();
  log(`Strata bench ${quick ? '(quick) ' : ''}on ${info.cpus} × ${info.cpuModel}, ${info.memoryGb} GB, Node ${info.node}, PostgreSQL ${info.postgres}`);
  const pgProblem = stores.includes('postgres') ? await postgresAvailable() : undefined;
  const kinds = stores.filter((k) => k !== 'postgres' || !pgProblem);
  if (pgProblem) {
    log(`postgres scenarios skipped: ${pgProblem}`);
    results.skip('all', 'postgres', '–', `skipped: ${pgProblem}`);
  }

  const group = async (name: string, fn: () => Promise<void>) => {
    if (!only.has(name)) return;
    const t = Date.now();
    log(`== ${name}`);
    try {
      await fn();
    } catch (err) {
      log(`!! ${name} failed: ${(err as Error).stack ?? err}`);
      results.skip(name, '–', '–', `failed: ${(err as Error).message}`);
    }
    log(`== ${name} done in ${fmt((Date.now() - t) / 1000)} s`);
  };

  for (const kind of kinds) await group('append', () => appendScenario(kind, APPEND[kind], results, log).then(() => appendTargets(results, kind)));
  for (const kind of kinds) await group('http', () => httpScenario(kind, HTTP, results, log));
  for (const kind of kinds) await group('report', () => reportScenario(kind, REPORT, results, log));
  await group('analysis', () => pureAnalysisScenario(quick ? 1 : 5, results, log));
  for (const kind of kinds) await group('rebuild', () => rebuildScenario(kind, REBUILD, results, log));

  const elapsed = (Date.now() - started) / 1000;
  console.log(`\n${renderTable(results.rows)}\n`);
  const targets = results.rows.flatMap((r) => (r.targets ?? []).map((t) => ({ r, t })));
  const met = targets.filter((x) => x.t.met).length;
  const missed = targets.filter((x) => !x.t.met).map((x) => x.r);
  console.log(`targets: ${met} met, ${missed.length} missed${missed.length ? `: ${missed.map((r) => `${r.scenario} [${r.store}]`).join('; ')}` : ''}`);
  console.log(`total ${fmt(elapsed)} s; results in ${out}`);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        quick,
        elapsedSeconds: elapsed,
        machine: info,
        parameters: { append: APPEND, rebuild: REBUILD, report: REPORT, http: HTTP },
        rows: results.rows,
        markdown: renderMarkdown(results.rows),
      },
      null,
      2,
    )}\n`,
  );
}

/** Targets of the issue that compare rows with each other. */
function appendTargets(results: Results, kind: StoreKind): void {
  const id = (scenario: string, subject: string) => `${scenario}:${kind}:${subject}`;
  const ratio = (rowId: string, label: string) => results.find(rowId)?.references?.find((r) => r.label === label)?.ratio;
  if (kind === 'sqlite') {
    results.setTarget(id('append 1/tx', 'strata command'), '≥ 5,000 events/s', (r) => r.summary.median >= 5000);
  }
  for (const subject of ['strata command', 'strata store']) {
    const rowId = id('append 1000/tx', subject);
    results.setTarget(rowId, '≥ 50% of raw driver', () => (ratio(rowId, 'raw') ?? 0) >= 0.5);
  }
  for (const scenario of ['append 1/tx', 'append 1000/tx', 'read all (global order)', 'read stream (1,000 events)']) {
    const rowId = id(scenario, 'strata store');
    if (ratio(rowId, 'emmett') !== undefined) results.setTarget(rowId, 'ahead of Emmett', () => (ratio(rowId, 'emmett') ?? 0) > 1);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
