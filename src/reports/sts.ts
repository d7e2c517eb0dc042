import { parsePeriodKey, periodKey } from '../analysis/periods.js';
import type { Granularity } from '../analysis/parameters.js';
import { csvField } from './csv.js';

/**
 * Export for TraMineR: the STS (state-sequence) format — one row per firm, one column per
 * period, the phase label as the state — as CSV, ready for
 * `seqdef(read.csv(file), var = 2:ncol(...))`.
 */
export interface StsRow {
  readonly firm: string;
  readonly tracks: readonly { readonly period: string; readonly label: string }[];
}

export interface StsOptions {
  /**
   * `calendar`: columns are periods (`2001-03`, …), so firms line up in historical time;
   * `start`: columns are 1, 2, 3 … periods since each firm's first, so paths line up by age
   * of the record. TraMineR compares either; the research question decides.
   */
  readonly align: 'calendar' | 'start';
  /** Written where a firm has no state in a column (read.csv reads `NA` as missing). */
  readonly missing: string;
}


export function renderSts(rows: readonly StsRow[], options: Partial<StsOptions> = {}): string {
  const align = options.align ?? 'calendar';
  const missing = options.missing ?? 'NA';
  const sorted = [...rows].sort((a, b) => (a.firm < b.firm ? -1 : a.firm > b.firm ? 1 : 0));
  let header: string[];
  let cells: (row: StsRow) => string[];
  if (align === 'start') {
    const width = Math.max(0, ...sorted.map((r) => r.tracks.length));
    header = Array.from({ length: width }, (_, i) => String(i + 1));
    cells = (r) => Array.from({ length: width }, (_, i) => r.tracks[i]?.label ?? missing);
  } else {
    let granularity: Granularity | null = null;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of sorted) {
      for (const t of r.tracks) {
        const p = parsePeriodKey(t.period);
        if (!p) throw new RangeError(`STS export: "${t.period}" is not a period`);
        if (granularity !== null && p.granularity !== granularity) {
          throw new RangeError('STS export: every firm must be analysed at the same granularity');
        }
        granularity = p.granularity;
        lo = Math.min(lo, p.index);
        hi = Math.max(hi, p.index);
      }
    }
    const g: Granularity = granularity ?? 'month';
    header = [];
    for (let i = lo; i <= hi; i++) header.push(periodKey(i, g));
    const column = new Map(header.map((k, i) => [k, i]));
    cells = (r) => {
      const out = new Array<string>(header.length).fill(missing);
      for (const t of r.tracks) out[column.get(t.period)!] = t.label;
      return out;
    };
  }
  const lines = [['id', ...header].map(csvField).join(',')];
  for (const r of sorted) lines.push([r.firm, ...cells(r)].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}
