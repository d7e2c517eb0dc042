import { isEventKind } from './vocabulary.js';
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

export type FirmEvent = FirmRegistered | FieldEvent | PhaseDeclared;
export type StudyEvent = StudyCreated;
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
