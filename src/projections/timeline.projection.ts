import type { TimelineEntry } from '../domain/timeline.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { ALL, COLLECTIONS } from './collections.js';
import type { Projection } from './projection.js';
import type { ReadModelTransaction } from './read-model-store.port.js';
import { phaseSortKey, timelineSortKey } from './timeline-entry.js';
import { applyTimelineEvent, type TimelineState } from './timeline-fold.js';

/**
 * Each firm's coded events in timeline order with corrections applied, the phases its
 * researcher declared, independent codings, and an index from event id to firm.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 2,
  collections: [COLLECTIONS.timeline, COLLECTIONS.declaredPhases, COLLECTIONS.codings, COLLECTIONS.eventFirms],
  async apply(tx: ReadModelTransaction, events: readonly StoredEvent[]) {
    const state: TimelineState = {
      getEntry: (firm, id) => tx.get<TimelineEntry>(COLLECTIONS.timeline, firm, id),
      putEntry: async (entry) => {
        await tx.put(COLLECTIONS.timeline, entry.firm, entry.id, timelineSortKey(entry), entry);
        await tx.put(COLLECTIONS.eventFirms, ALL, entry.id, entry.id, { firm: entry.firm });
      },
      deleteEntry: (firm, id) => tx.delete(COLLECTIONS.timeline, firm, id),
      putPhase: (phase) => tx.put(COLLECTIONS.declaredPhases, phase.firm, phase.id, phaseSortKey(phase), phase),
      putCoding: (c) => tx.put(COLLECTIONS.codings, c.firm, `${c.eventId}#${c.coder}`, `${c.eventId}#${c.coder}`, c),
    };
    for (const event of events) await applyTimelineEvent(state, event);
  },
};
