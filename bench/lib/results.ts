import { fmt, summarise, type Summary } from './stats.js';

export interface Target {
  /** e.g. "≥ 5,000 events/s" */
  readonly text: string;
  readonly met: boolean;
}

/** One line of the results table (and one entry of bench/results.json). */
export interface Row {
  /** Stable key, e.g. "append.single:sqlite:strata command". */
  readonly id: string;
  readonly scenario: string;
  readonly store: string;
  readonly subject: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** The headline metric of every measured run (warm-up excluded). */
  readonly runs: number[];
  readonly summary: Summary;
  /** Rows this one is compared with: median(this) / median(reference), so > 1 means this one is better. */
  readonly references?: ReadonlyArray<{ readonly id: string; readonly label: string; readonly ratio: number }>;
  /** Targets of the issue this row is held to (all must be met). */
  readonly targets?: readonly Target[];
  /** Secondary figures (peak memory, latency percentiles, event counts...). */
  readonly extra?: Record<string, number | string>;
  readonly skipped?: string;
  readonly note?: string;
}

export class Results {
  readonly rows: Row[] = [];

  add(row: Omit<Row, 'id' | 'summary'> & { id?: string }): Row {
    const full: Row = { ...row, id: row.id ?? `${row.scenario}:${row.store}:${row.subject}`, summary: summarise(row.runs) };
    this.rows.push(full);
    return full;
  }

  skip(scenario: string, store: string, subject: string, reason: string): void {
    this.rows.push({
      id: `${scenario}:${store}:${subject}`,
      scenario,
      store,
      subject,
      unit: '',
      higherIsBetter: true,
      runs: [],
      summary: summarise([]),
      skipped: reason,
    });
  }

  find(id: string): Row | undefined {
    return this.rows.find((r) => r.id === id);
  }

  /** Adds a reference to a row: the ratio of medians (for times, reference/this, so > 1 still means "better"). */
  compare(id: string, referenceId: string, label: string): void {
    const i = this.rows.findIndex((r) => r.id === id);
    const row = this.rows[i];
    const ref = this.find(referenceId);
    if (!row || !ref || row.skipped || ref.skipped || !row.runs.length || !ref.runs.length) return;
    const ratio = row.higherIsBetter ? row.summary.median / ref.summary.median : ref.summary.median / row.summary.median;
    this.rows[i] = { ...row, references: [...(row.references ?? []), { id: referenceId, label, ratio }] };
  }

  setTarget(id: string, text: string, met: (row: Row) => boolean): void {
    const i = this.rows.findIndex((r) => r.id === id);
    const row = this.rows[i];
    if (!row || row.skipped || !row.runs.length) return;
    this.rows[i] = { ...row, targets: [...(row.targets ?? []), { text, met: met(row) }] };
  }
}

const refs = (r: Row) => (r.references ?? []).map((x) => `${fmt(x.ratio, 3)}× ${x.label}`).join('; ');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padL = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** A plain-text table for the terminal (also valid inside a markdown code block). */
export function renderTable(rows: readonly Row[]): string {
  const header = ['scenario', 'store', 'subject', 'median', 'min – max', 'unit', 'n', 'vs reference', 'target'];
  const lines = rows.map((r) => {
    if (r.skipped) return [r.scenario, r.store, r.subject, '', '', '', '', r.skipped, ''];
    const s = r.summary;
    const ref = refs(r);
    const target = (r.targets ?? []).map((t) => `${t.met ? 'met' : 'MISSED'} (${t.text})`).join('; ');
    return [r.scenario, r.store, r.subject, fmt(s.median), `${fmt(s.min)} – ${fmt(s.max)}`, r.unit, String(s.n), ref, target];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const numeric = new Set([3, 4, 6]);
  const row = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? padL(c, widths[i]!) : pad(c, widths[i]!))).join('  ').trimEnd();
  return [row(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(row)].join('\n');
}

/** The same table as GitHub markdown (for docs/performance.md). */
export function renderMarkdown(rows: readonly Row[]): string {
  const out = ['| scenario | store | subject | median | min – max | unit | vs reference | target |', '|---|---|---|--:|--:|---|---|---|'];
  for (const r of rows) {
    if (r.skipped) {
      out.push(`| ${r.scenario} | ${r.store} | ${r.subject} | | | | ${r.skipped} | |`);
      continue;
    }
    const s = r.summary;
    const ref = refs(r);
    const target = (r.targets ?? []).map((t) => `${t.met ? 'met' : '**missed**'} (${t.text})`).join('; ');
    out.push(`| ${r.scenario} | ${r.store} | ${r.subject} | ${fmt(s.median)} | ${fmt(s.min)} – ${fmt(s.max)} | ${r.unit} | ${ref} | ${target} |`);
  }
  return out.join('\n');
}
