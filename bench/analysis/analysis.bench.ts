import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import { compareFirms, sequenceOf } from '../../src/analysis/compare.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { renderReportHtml } from '../../src/reports/render-html.js';
import { renderReportJson } from '../../src/reports/render-json.js';
import { syntheticFirm, syntheticFirms } from '../../test/analysis/synthetic-firms.js';

/**
 * Benchmarks of the pure analysis engine (not tests: nothing is asserted). Inputs are the
 * deterministic synthetic firms of the known-answer test, so runs are comparable over time.
 */
export interface BenchResult {
  readonly scenario: string;
  readonly medianMs: number;
  readonly runs: number;
}

function time(scenario: string, runs: number, fn: () => unknown): BenchResult {
  fn(); // warm-up: JIT and caches, not measured
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const mid = Math.floor(samples.length / 2);
  const medianMs = samples.length % 2 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { scenario, medianMs: Math.round(medianMs * 100) / 100, runs };
}

/** A firm of exactly `count` events: about 30 years of a dense synthetic record. */
export function largeFirm(count: number, seed = 10_000): TimelineEntry[] {
  const f = syntheticFirm(seed, { minPhases: 12, maxPhases: 12, minPhaseMonths: 24, maxPhaseMonths: 36, density: 64 });
  if (f.entries.length < count) throw new Error(`synthetic firm has only ${f.entries.length} events`);
  return f.entries.slice(0, count);
}

export async function runAnalysisBench(options: { runs?: number } = {}): Promise<BenchResult[]> {
  const runs = options.runs ?? 7;
  const results: BenchResult[] = [];
  const entries = largeFirm(10_000);
  const firm = { id: 'bench', name: 'Bench firm', study: 'bench' };
  const generatedAt = '2024-01-01T00:00:00.000Z';
  results.push(time('analyseFirm, 10,000 events', runs, () => analyseFirm(entries, [])));
  const analysis = analyseFirm(entries, []);
  const model = buildReportModel({ firm, entries, declared: [], analysis, generatedAt });
  results.push(time('analyseFirm + render json, 10,000 events', runs, () =>
    renderReportJson(buildReportModel({ firm, entries, declared: [], analysis: analyseFirm(entries, []), generatedAt })),
  ));
  results.push(time('analyseFirm + render html, 10,000 events', runs, () =>
    renderReportHtml(buildReportModel({ firm, entries, declared: [], analysis: analyseFirm(entries, []), generatedAt })),
  ));
  results.push(time('render json only, 10,000 events', runs, () => renderReportJson(model)));
  results.push(time('render html only, 10,000 events', runs, () => renderReportHtml(model)));

  const firms = syntheticFirms(1_000, 3);
  const sequences = firms.map((f) => sequenceOf(f.id, analyseFirm(f.entries, [])));
  results.push(time('analyseFirm, 1,000 synthetic firms', Math.max(1, Math.floor(runs / 2)), () => firms.map((f) => analyseFirm(f.entries, []))));
  results.push(time('compareFirms (OM matrix + clustering), 1,000 firms', Math.max(1, Math.floor(runs / 2)), () => compareFirms(sequences)));
  return results;
}
