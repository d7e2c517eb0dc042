import { isEventKind } from './vocabulary.js';
import type { Codebook } from './codebook.js';
import type { Confidence, EventKind, Mode, PhaseLabel, SourceKind } from './vocabulary.js';

/**
 * Events are plain readonly data, versioned by `schemaVersion` in their metadata so a later
 * shape can be upcast when read. The store never interprets `data`.
 */
export interface Source {
  readonly kind: SourceKind;
  readonly ref: string;
  readonly informant?: string;
  readonly quote?: string;
}

/** Fields a kind may carry beside the common envelope (FORMAT.md "own fields"). */
export interface KindFields {
  readonly newOwner?: string;
  readonly previousOwner?: string;
  readonly dimension?: string;
  readonly direction?: string;
  readonly magnitudePct?: number;
  readonly routine?: string;
  readonly change?: string;
  readonly trend?: string;
  readonly measure?: string;
}

/** The payload of a logged field event: a FORMAT.md line without `id`, defaults filled in. */
export interface FieldEventData extends KindFields {
  readonly firm: string;
  readonly kind: EventKind;
  readonly occurred: string;
  readonly title: string;
  readonly description?: string;
  readonly mode: Mode;
  readonly orientation: number;
  readonly claimsResponsiveness?: boolean;
  readonly sources: readonly Source[];
  readonly confidence: Confidence;
  readonly tags: readonly string[];
  /** The researcher who coded it; absent means the one who recorded it (metadata.recordedBy). */
  readonly coder?: string;
}

/** Fields a recode may change: the coding, the occurred date, and the kind's own codes. */
export type RecodeChanges = Partial<
  Pick<FieldEventData, 'mode' | 'orientation' | 'occurred' | 'claimsResponsiveness' | 'confidence' | 'tags'> & KindFields
>;

export interface EventRecodedData {
  readonly firm: string;
  readonly eventId: string;
  readonly changes: RecodeChanges;
  readonly reason: string;
  readonly coder?: string;
}

export interface EventRetractedData {
  readonly firm: string;
  readonly eventId: string;
  readonly reason: string;
}

export interface EvidenceAttachedData {
  readonly firm: string;
  readonly eventId: string;
  readonly sources: readonly Source[];
}

/** An independent (blind) coding of an event by another researcher; it does not change the timeline. */
export interface EventCodedData {
  readonly firm: string;
  readonly eventId: string;
  readonly coder: string;
  readonly mode: Mode;
  readonly orientation: number;
  readonly note?: string;
}

export interface StudyCreatedData {
  readonly study: string;
  readonly name: string;
  readonly description?: string;
}

export interface FirmRegisteredData {
  readonly firm: string;
  readonly study: string;
  readonly name: string;
  readonly description?: string;
}

export interface PhaseDeclaredData {
  readonly firm: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly description?: string;
}

export type FieldEvent = { readonly type: EventKind; readonly data: FieldEventData };
export type StudyCreated = { readonly type: 'study-created'; readonly data: StudyCreatedData };
export type FirmRegistered = { readonly type: 'firm-registered'; readonly data: FirmRegisteredData };
export type PhaseDeclared = { readonly type: 'phase-declared'; readonly data: PhaseDeclaredData };

export type EventRecoded = { readonly type: 'event-recoded'; readonly data: EventRecodedData };
export type EventRetracted = { readonly type: 'event-retracted'; readonly data: EventRetractedData };
export type EvidenceAttached = { readonly type: 'evidence-attached'; readonly data: EvidenceAttachedData };
export type EventCoded = { readonly type: 'event-coded'; readonly data: EventCodedData };
export type CodebookPublished = { readonly type: 'codebook-published'; readonly data: CodebookPublishedData };

export interface CodebookPublishedData {
  readonly study: string;
  readonly version: number;
  readonly codebook: Codebook;
  readonly note?: string;
}

export type FirmEvent =
  | FirmRegistered
  | FieldEvent
  | PhaseDeclared
  | EventRecoded
  | EventRetracted
  | EvidenceAttached
  | EventCoded;
export type StudyEvent = StudyCreated | CodebookPublished;
export type StrataEvent = FirmEvent | StudyEvent;
export type StrataEventType = StrataEvent['type'];

/** Set by the system when appending, never by the client. */
export interface EventMetadata {
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly [key: string]: unknown;
}

export const SCHEMA_VERSION = 1;

export const firmStream = (firm: string): string => `firm-${firm}`;
export const studyStream = (study: string): string => `study-${study}`;

export function isFieldEvent(e: { type: string }): e is FieldEvent {
  return isEventKind(e.type);
}

/** Phase labels a researcher may declare: the detector's labels or their own, refined ones. */
export type DeclaredLabel = PhaseLabel | string;
