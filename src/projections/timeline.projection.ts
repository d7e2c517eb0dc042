import type { TimelineEntry } from '../domain/timeline.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { COLLECTIONS } from './collections.js';
import type { Projection } from './projection.js';
import type { ReadModelTransaction } from './read-model-store.port.js';
import { phaseSortKey, timelineSortKey } from './timeline-entry.js';
import { applyTimelineEvent, type TimelineState } from './timeline-fold.js';

/**
 * Each firm's coded events in timeline order with corrections applied, the phases its
 * researcher declared, and independent codings.
 *
 * Version 3 no longer keeps the `event-firms` index (event id → firm, one row per event): the
 * event store answers that from its own unique index on event ids (EventLocator), and that row,
 * keyed by a random UUID, was the costliest write of a replay (a random page of two B-trees per
 * event). The migrations `…-drop-event-firms` delete the old rows.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 3,
  collections: [COLLECTIONS.timeline, COLLECTIONS.declaredPhases, COLLECTIONS.codings],
  async apply(tx: ReadModelTransaction, events: readonly StoredEvent[]) {
    const state: TimelineState = {
      getEntry: (firm, id) => tx.get<TimelineEntry>(COLLECTIONS.timeline, firm, id),
      putEntry: (entry) => tx.put(COLLECTIONS.timeline, entry.firm, entry.id, timelineSortKey(entry), entry),
      deleteEntry: (firm, id) => tx.delete(COLLECTIONS.timeline, firm, id),
      putPhase: (phase) => tx.put(COLLECTIONS.declaredPhases, phase.firm, phase.id, phaseSortKey(phase), phase),
      putCoding: (c) => tx.put(COLLECTIONS.codings, c.firm, `${c.eventId}#${c.coder}`, `${c.eventId}#${c.coder}`, c),
    };
    for (const event of events) await applyTimelineEvent(state, event);
  },
};
