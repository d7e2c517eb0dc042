import { isFieldEvent } from '../domain/events.js';
import { occurred, occurredSortKey } from '../domain/occurred.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { COLLECTIONS, positionKey } from './collections.js';
import type { Projection } from './projection.js';
import type { ReadModelTransaction } from './read-model-store.port.js';
import { timelineSortKey, toDeclaredPhase, toTimelineEntry } from './timeline-entry.js';

/** Each firm's coded events in timeline order, and the phases its researcher declared. */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 1,
  collections: [COLLECTIONS.timeline, COLLECTIONS.declaredPhases],
  async apply(tx: ReadModelTransaction, events: readonly StoredEvent[]) {
    for (const event of events) {
      if (isFieldEvent(event)) {
        const entry = toTimelineEntry(event);
        await tx.put(COLLECTIONS.timeline, entry.firm, entry.id, timelineSortKey(entry), entry);
      } else if (event.type === 'phase-declared') {
        const phase = toDeclaredPhase(event);
        const sortKey = `${occurredSortKey(occurred(phase.from))}#${positionKey(phase.globalPosition)}`;
        await tx.put(COLLECTIONS.declaredPhases, phase.firm, phase.id, sortKey, phase);
      }
    }
  },
};
