import {
  isFieldEvent,
  type CodebookPublishedData,
  type FieldEventData,
  type FirmRegisteredData,
  type StudyCreatedData,
} from '../domain/events.js';
import type { Codebook } from '../domain/codebook.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { ALL, COLLECTIONS } from './collections.js';
import type { Projection } from './projection.js';
import type { ReadModelTransaction } from './read-model-store.port.js';
import { occurredStart } from './timeline-entry.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
  /** When anything about the firm (an event, a correction, a coding) was last recorded. */
  readonly lastRecordedAt?: string;
}

export interface PublishedCodebook {
  readonly study: string;
  readonly version: number;
  readonly codebook: Codebook;
  readonly note?: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
}

/** Studies, their codebooks, and firms with a few counters; updated once per firm per batch, not per event. */
export const catalogProjection: Projection = {
  name: 'catalog',
  version: 2,
  collections: [COLLECTIONS.studies, COLLECTIONS.firms, COLLECTIONS.codebooks],
  async apply(tx: ReadModelTransaction, events: readonly StoredEvent[]) {
    const firms = new Map<string, FirmSummary>();
    const load = async (firm: string) => {
      if (!firms.has(firm)) {
        const doc = await tx.get<FirmSummary>(COLLECTIONS.firms, ALL, firm);
        if (doc) firms.set(firm, doc);
      }
      return firms.get(firm);
    };
    // Every firm summary the batch touches, in one read where reads are round trips (PostgreSQL).
    const touchedFirms = new Set<string>();
    for (const event of events) {
      const firm = (event.data as { firm?: unknown }).firm;
      if (typeof firm === 'string') touchedFirms.add(firm);
    }
    if (touchedFirms.size > 1) await tx.prefetch?.(COLLECTIONS.firms, ALL, [...touchedFirms]);
    for (const event of events) {
      if (event.type === 'study-created') {
        const d = event.data as StudyCreatedData;
        const doc: StudySummary = { id: d.study, name: d.name, ...(d.description ? { description: d.description } : {}), createdAt: event.recordedAt };
        await tx.put(COLLECTIONS.studies, ALL, d.study, d.study, doc);
      } else if (event.type === 'codebook-published') {
        const d = event.data as CodebookPublishedData;
        const version = String(d.version).padStart(6, '0');
        const doc: PublishedCodebook = {
          study: d.study,
          version: d.version,
          codebook: d.codebook,
          ...(d.note ? { note: d.note } : {}),
          publishedAt: event.recordedAt,
          publishedBy: String(event.metadata.recordedBy ?? 'unknown'),
        };
        await tx.put(COLLECTIONS.codebooks, d.study, version, version, doc);
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
      }
      const firmId = (event.data as { firm?: unknown }).firm;
      const touched = typeof firmId === 'string' ? await load(firmId) : undefined;
      // The summaries in `firms` are this batch's own objects (parsed by `get` or made above), so they
      // are updated in place: same keys in the same order as rebuilding them with spreads, which cost
      // V8 two object copies per event here.
      if (touched) {
        const retracted = event.type === 'event-retracted' ? 1 : 0;
        const t = touched as Mutable<FirmSummary>;
        t.lastRecordedAt = event.recordedAt;
        t.eventCount = touched.eventCount - retracted;
      }
      if (isFieldEvent(event)) {
        const d = event.data as FieldEventData;
        const firm = (await load(d.firm)) as Mutable<FirmSummary> | undefined;
        if (!firm) continue;
        const start = occurredStart(d.occurred);
        // Recording order is not occurred order: the owner is the one named by the latest change in time.
        const ownerChange = d.kind === 'ownership-change' && (!firm.ownerSince || start >= firm.ownerSince);
        firm.eventCount = firm.eventCount + 1;
        if (ownerChange) {
          firm.owner = d.newOwner;
          firm.ownerSince = start;
        }
        firm.firstOccurred = !firm.firstOccurred || start < firm.firstOccurred ? start : firm.firstOccurred;
        firm.lastOccurred = !firm.lastOccurred || start > firm.lastOccurred ? start : firm.lastOccurred;
      }
    }
    for (const [id, doc] of firms) await tx.put(COLLECTIONS.firms, ALL, id, `${doc.study}#${id}`, doc);
  },
};
