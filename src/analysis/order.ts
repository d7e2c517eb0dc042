import { occurredSortKey } from '../domain/occurred.js';
import type { TimelineEntry } from '../domain/timeline.js';
import { frozenMemo } from './frozen-memo.js';

/**
 * The analysis order of events. Tracks are exponential updates, so the order of events inside
 * a period changes the result; it must therefore depend only on what the events *are*, never
 * on when they were recorded: anchor month, then the occurred key (interval start, coarser
 * first, as the timeline orders), then the event id. The same set of events, however it was
 * logged or replayed, yields the same analysis.
 */
export function compareForAnalysis(a: TimelineEntry, b: TimelineEntry): number {
  if (a.month !== b.month) return a.month < b.month ? -1 : 1;
  const ka = occurredSortKey({ text: a.occurred, precision: a.precision, start: a.start, end: a.end });
  const kb = occurredSortKey({ text: b.occurred, precision: b.precision, start: b.start, end: b.end });
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Same order as `compareForAnalysis`, computed once per entry: month and the occurred key have
 * fixed widths, so one concatenated string compares exactly like the (month, key, id) tuple.
 */
export function sortForAnalysis(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const keyed = entries.map((e) => ({ key: analysisKey(e), e }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.e);
}

// Kept with frozen entries (see frozen-memo.ts): a report sorts 10,000 entries without
// rebuilding 10,000 keys.
const analysisKey = frozenMemo(
  (e: TimelineEntry): string => e.month + occurredSortKey({ text: e.occurred, precision: e.precision, start: e.start, end: e.end }) + e.id,
);

/** Orientation −2..+2 on the track scale −1..+1, clamped against out-of-range coding. */
export function orientationTarget(orientation: number): number {
  return Math.max(-1, Math.min(1, orientation / 2));
}
