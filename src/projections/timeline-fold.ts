import {
  isFieldEvent,
  type EventCodedData,
  type EventRecodedData,
  type EventRetractedData,
  type EvidenceAttachedData,
  type FieldEventData,
} from '../domain/events.js';
import type { Coding, DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { dataOf, envelopeOf, toDeclaredPhase, toTimelineEntry, withData } from './timeline-entry.js';

/**
 * Where the timeline fold reads and writes. The projection backs it with the read-model
 * transaction; a "known at" query backs it with memory. One fold for both, so a replay of the
 * log up to any recorded time reads exactly as the read model did then.
 */
export interface TimelineState {
  getEntry(firm: string, id: string): Promise<TimelineEntry | undefined>;
  putEntry(entry: TimelineEntry): Promise<void>;
  deleteEntry(firm: string, id: string): Promise<void>;
  putPhase(phase: DeclaredPhase): Promise<void>;
  putCoding(coding: Coding): Promise<void>;
}

export async function applyTimelineEvent(state: TimelineState, event: StoredEvent): Promise<void> {
  if (isFieldEvent(event)) return state.putEntry(toTimelineEntry(event));
  switch (event.type) {
    case 'phase-declared':
      return state.putPhase(toDeclaredPhase(event));
    case 'event-recoded': {
      const d = event.data as EventRecodedData;
      const entry = await state.getEntry(d.firm, d.eventId);
      if (!entry) return;
      const data = { ...dataOf(entry), ...d.changes } as FieldEventData;
      return state.putEntry(withData({ ...envelopeOf(entry), recodes: (entry.recodes ?? 0) + 1, lastRecodedAt: event.recordedAt }, data));
    }
    case 'event-retracted': {
      const d = event.data as EventRetractedData;
      return state.deleteEntry(d.firm, d.eventId);
    }
    case 'evidence-attached': {
      const d = event.data as EvidenceAttachedData;
      const entry = await state.getEntry(d.firm, d.eventId);
      if (!entry) return;
      return state.putEntry({ ...entry, sources: [...entry.sources, ...d.sources], attachedSources: (entry.attachedSources ?? 0) + d.sources.length });
    }
    case 'event-coded': {
      const d = event.data as EventCodedData;
      return state.putCoding({ ...d, recordedAt: event.recordedAt });
    }
  }
}

/** In-memory fold of one firm's events, e.g. those recorded up to a "known at" time. */
export async function foldTimeline(events: Iterable<StoredEvent> | AsyncIterable<StoredEvent>) {
  const entries = new Map<string, TimelineEntry>();
  const phases = new Map<string, DeclaredPhase>();
  const codings = new Map<string, Coding>();
  const state: TimelineState = {
    getEntry: async (_firm, id) => entries.get(id),
    putEntry: async (entry) => void entries.set(entry.id, entry),
    deleteEntry: async (_firm, id) => void entries.delete(id),
    putPhase: async (phase) => void phases.set(phase.id, phase),
    putCoding: async (coding) => void codings.set(`${coding.eventId}#${coding.coder}`, coding),
  };
  for await (const event of events) await applyTimelineEvent(state, event);
  return { entries: [...entries.values()], phases: [...phases.values()], codings: [...codings.values()] };
}
