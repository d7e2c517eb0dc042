import type { FieldEventData, PhaseDeclaredData } from '../domain/events.js';
import { anchorMonth, occurred, occurredSortKey } from '../domain/occurred.js';
import type { DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { positionKey } from './collections.js';

export function toTimelineEntry(event: StoredEvent): TimelineEntry {
  const data = event.data as FieldEventData;
  const when = occurred(data.occurred);
  return {
    ...data,
    id: event.id,
    precision: when.precision,
    start: when.start,
    end: when.end,
    month: anchorMonth(when),
    recordedAt: event.recordedAt,
    recordedBy: String(event.metadata.recordedBy ?? 'unknown'),
    globalPosition: event.globalPosition,
  };
}

/** Timeline order (README "Timeline order"): interval start, coarser first, then recording order. */
export function timelineSortKey(entry: Pick<TimelineEntry, 'occurred' | 'globalPosition'>): string {
  return `${occurredSortKey(occurred(entry.occurred))}#${positionKey(entry.globalPosition)}`;
}

export function toDeclaredPhase(event: StoredEvent): DeclaredPhase {
  const data = event.data as PhaseDeclaredData;
  return { id: event.id, ...data, recordedAt: event.recordedAt, globalPosition: event.globalPosition };
}
