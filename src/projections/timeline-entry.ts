import type { FieldEventData, PhaseDeclaredData } from '../domain/events.js';
import { anchorMonth, occurred, occurredSortKey, type Occurred } from '../domain/occurred.js';
import type { DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { positionKey } from './collections.js';

/** The entry for a field event as first logged. */
export function toTimelineEntry(event: StoredEvent): TimelineEntry {
  const data = event.data as FieldEventData;
  const recordedBy = String(event.metadata.recordedBy ?? 'unknown');
  return withData(
    {
      id: event.id,
      recordedAt: event.recordedAt,
      recordedBy,
      globalPosition: event.globalPosition,
      coder: data.coder ?? recordedBy,
      originalCoding: { mode: data.mode, orientation: data.orientation },
      recodes: 0,
      attachedSources: 0,
    },
    data,
  );
}

type Envelope = Pick<
  TimelineEntry,
  'id' | 'recordedAt' | 'recordedBy' | 'globalPosition' | 'coder' | 'originalCoding' | 'recodes' | 'lastRecodedAt' | 'attachedSources'
>;

/** Rebuilds the date-derived fields, so a recoded `occurred` moves the event on the timeline. */
export function withData(envelope: Envelope, data: FieldEventData): TimelineEntry {
  const when = dated(data.occurred);
  // Same keys in the same order as `{ ...data, ...envelope, precision, start, end, month }`, but
  // Object.assign: V8's spread of two objects of varying shapes cost ~40 µs an entry here (8× this).
  const entry: Record<string, unknown> = Object.assign({} as Record<string, unknown>, data, envelope);
  entry.precision = when.precision;
  entry.start = when.start;
  entry.end = when.end;
  entry.month = when.month;
  return entry as unknown as TimelineEntry;
}

interface Dated {
  readonly precision: Occurred['precision'];
  readonly start: string;
  readonly end: string;
  readonly month: string;
  /** occurredSortKey of the date. */
  readonly sortKey: string;
}

/**
 * Date-derived fields by occurred text. A study has a few hundred distinct dates for thousands of
 * events, so a replay parses each once; bounded, so an odd log cannot grow it without limit.
 */
const datedCache = new Map<string, Dated>();
const DATED_CACHE_LIMIT = 10_000;

/** First day of the occurred interval (`YYYY-MM-DD`), parsed once per distinct text. */
export const occurredStart = (text: string): string => dated(text).start;

function dated(text: string): Dated {
  let d = datedCache.get(text);
  if (d) return d;
  const when = occurred(text);
  d = { precision: when.precision, start: when.start, end: when.end, month: anchorMonth(when), sortKey: occurredSortKey(when) };
  if (datedCache.size >= DATED_CACHE_LIMIT) datedCache.clear();
  datedCache.set(text, d);
  return d;
}

/** The logged data of an entry, without what the timeline derived or counted. */
export function dataOf(entry: TimelineEntry): FieldEventData {
  const {
    id: _id, precision: _p, start: _s, end: _e, month: _m, recordedAt: _ra, recordedBy: _rb, globalPosition: _g,
    coder: _c, originalCoding: _o, recodes: _r, lastRecodedAt: _l, attachedSources: _a, ...data
  } = entry;
  return data as FieldEventData;
}

export function envelopeOf(entry: TimelineEntry): Envelope {
  const { id, recordedAt, recordedBy, globalPosition, coder, originalCoding, recodes, lastRecodedAt, attachedSources } = entry;
  return { id, recordedAt, recordedBy, globalPosition, coder, originalCoding, recodes, attachedSources, ...(lastRecodedAt ? { lastRecodedAt } : {}) };
}

/** Timeline order (README "Timeline order"): interval start, coarser first, then recording order. */
export function timelineSortKey(entry: Pick<TimelineEntry, 'occurred' | 'globalPosition'>): string {
  return `${dated(entry.occurred).sortKey}#${positionKey(entry.globalPosition)}`;
}

export function phaseSortKey(phase: Pick<DeclaredPhase, 'from' | 'globalPosition'>): string {
  return `${dated(phase.from).sortKey}#${positionKey(phase.globalPosition)}`;
}

export function toDeclaredPhase(event: StoredEvent): DeclaredPhase {
  const data = event.data as PhaseDeclaredData;
  return { id: event.id, ...data, recordedAt: event.recordedAt, globalPosition: event.globalPosition };
}
