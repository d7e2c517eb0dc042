import { isFieldEvent, type FieldEventData, type FirmRegisteredData, type StudyCreatedData } from '../domain/events.js';
import { occurred } from '../domain/occurred.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { ALL, COLLECTIONS } from './collections.js';
import type { Projection } from './projection.js';
import type { ReadModelTransaction } from './read-model-store.port.js';

export interface StudySummary {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly createdAt: string;
}

export interface FirmSummary {
  readonly id: string;
  readonly name: string;
  readonly study: string;
  readonly description?: string;
  readonly registeredAt: string;
  readonly eventCount: number;
  readonly owner?: string;
  /** Start of the occurred interval of the ownership change that named the current owner. */
  readonly ownerSince?: string;
  /** Earliest and latest occurred interval starts (`YYYY-MM-DD`) among its events. */
  readonly firstOccurred?: string;
  readonly lastOccurred?: string;
}

/** Studies and firms with a few counters; updated once per firm per batch, not per event. */
export const catalogProjection: Projection = {
  name: 'catalog',
  version: 1,
  collections: [COLLECTIONS.studies, COLLECTIONS.firms],
  async apply(tx: ReadModelTransaction, events: readonly StoredEvent[]) {
    const firms = new Map<string, FirmSummary>();
    const load = async (firm: string) => {
      if (!firms.has(firm)) {
        const doc = await tx.get<FirmSummary>(COLLECTIONS.firms, ALL, firm);
        if (doc) firms.set(firm, doc);
      }
      return firms.get(firm);
    };
    for (const event of events) {
      if (event.type === 'study-created') {
        const d = event.data as StudyCreatedData;
        const doc: StudySummary = { id: d.study, name: d.name, ...(d.description ? { description: d.description } : {}), createdAt: event.recordedAt };
        await tx.put(COLLECTIONS.studies, ALL, d.study, d.study, doc);
      } else if (event.type === 'firm-registered') {
        const d = event.data as FirmRegisteredData;
        firms.set(d.firm, {
          id: d.firm,
          name: d.name,
          study: d.study,
          ...(d.description ? { description: d.description } : {}),
          registeredAt: event.recordedAt,
          eventCount: 0,
        });
      } else if (isFieldEvent(event)) {
        const d = event.data as FieldEventData;
        const firm = await load(d.firm);
        if (!firm) continue;
        const start = occurred(d.occurred).start;
        // Recording order is not occurred order: the owner is the one named by the latest change in time.
        const ownerChange = d.kind === 'ownership-change' && (!firm.ownerSince || start >= firm.ownerSince);
        firms.set(d.firm, {
          ...firm,
          eventCount: firm.eventCount + 1,
          ...(ownerChange ? { owner: d.newOwner, ownerSince: start } : {}),
          firstOccurred: !firm.firstOccurred || start < firm.firstOccurred ? start : firm.firstOccurred,
          lastOccurred: !firm.lastOccurred || start > firm.lastOccurred ? start : firm.lastOccurred,
        });
      }
    }
    for (const [id, doc] of firms) await tx.put(COLLECTIONS.firms, ALL, id, `${doc.study}#${id}`, doc);
  },
};
