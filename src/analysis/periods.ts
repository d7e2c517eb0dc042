import type { Granularity } from './parameters.js';

/**
 * Periods are counted as whole months since year 0 so that quarters and years are plain
 * integer divisions (year·12 is divisible by 3 and 12) and arithmetic never touches Date.
 */
// A firm has thousands of events but a few hundred distinct months; parsing each once keeps the
// per-event cost of placing events on the grid negligible. The cache is invisible to callers.
const MONTH_INDEX = new Map<string, number>();

export function monthIndex(month: string): number {
  let index = MONTH_INDEX.get(month);
  if (index === undefined) {
    index = Number(month.slice(0, 4)) * 12 + (Number(month.slice(5, 7)) - 1);
    if (MONTH_INDEX.size < 100_000) MONTH_INDEX.set(month, index);
  }
  return index;
}

export function monthFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const m = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

export function monthsPerPeriod(g: Granularity): number {
  return g === 'month' ? 1 : g === 'quarter' ? 3 : 12;
}

export function periodIndexOfMonth(month: string, g: Granularity): number {
  return Math.floor(monthIndex(month) / monthsPerPeriod(g));
}

/** `YYYY-MM`, `YYYY-Qn` or `YYYY`: the period's own name, as researchers write it. */
export function periodKey(index: number, g: Granularity): string {
  switch (g) {
    case 'month':
      return monthFromIndex(index);
    case 'quarter':
      return `${String(Math.floor(index / 4)).padStart(4, '0')}-Q${(index % 4) + 1}`;
    case 'year':
      return String(index).padStart(4, '0');
  }
}

export function periodFirstMonth(index: number, g: Granularity): string {
  return monthFromIndex(index * monthsPerPeriod(g));
}

export function periodLastMonth(index: number, g: Granularity): string {
  return monthFromIndex((index + 1) * monthsPerPeriod(g) - 1);
}

/** The contiguous run of periods an analysis covers. */
export interface PeriodGrid {
  readonly granularity: Granularity;
  /** Index (in `granularity` units) of the first period. */
  readonly first: number;
  readonly count: number;
  /** `keys[i]` names period `first + i`. */
  readonly keys: readonly string[];
}

export function buildGrid(firstMonth: string, lastMonth: string, g: Granularity): PeriodGrid {
  const first = periodIndexOfMonth(firstMonth, g);
  const last = Math.max(first, periodIndexOfMonth(lastMonth, g));
  const keys: string[] = [];
  for (let i = first; i <= last; i++) keys.push(periodKey(i, g));
  return { granularity: g, first, count: keys.length, keys };
}

export const EMPTY_GRID: PeriodGrid = { granularity: 'month', first: 0, count: 0, keys: [] };

/** Position of a month on the grid (may be outside 0..count−1). */
export function slotOfMonth(grid: PeriodGrid, month: string): number {
  return periodIndexOfMonth(month, grid.granularity) - grid.first;
}

/** Reads a period key back (`YYYY-MM`, `YYYY-Qn` or `YYYY`); null when it is none of them. */
export function parsePeriodKey(key: string): { granularity: Granularity; index: number } | null {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return { granularity: 'month', index: Number(m[1]) * 12 + Number(m[2]) - 1 };
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return { granularity: 'quarter', index: Number(m[1]) * 4 + Number(m[2]) - 1 };
  m = /^(\d{4})$/.exec(key);
  if (m) return { granularity: 'year', index: Number(m[1]) };
  return null;
}
