import type { KindFields, Source } from './events.js';
import type { Precision } from './occurred.js';
import type { Confidence, EventKind, Mode } from './vocabulary.js';

/**
 * One coded event as the timeline read model holds it and the analysis consumes it: the
 * logged data plus where it sits in time (occurred) and in the log (recorded, position).
 */
export interface TimelineEntry extends KindFields {
  readonly id: string;
  readonly firm: string;
  readonly kind: EventKind;
  readonly occurred: string;
  readonly precision: Precision;
  /** First and last day of the occurred interval, `YYYY-MM-DD`. */
  readonly start: string;
  readonly end: string;
  /** Month the analysis places the event in (`YYYY-MM`); see domain/occurred.ts anchorMonth. */
  readonly month: string;
  readonly title: string;
  readonly description?: string;
  readonly mode: Mode;
  readonly orientation: number;
  readonly claimsResponsiveness?: boolean;
  readonly sources: readonly Source[];
  readonly confidence: Confidence;
  readonly tags: readonly string[];
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly globalPosition: number;
  // The fields below are set by the timeline projection; analysis input built elsewhere
  // (synthetic firms in tests) may leave them out.
  /** Who coded it: the event's `coder`, else who recorded it. */
  readonly coder?: string;
  /** The coding as first recorded, before any recode (what inter-coder agreement compares). */
  readonly originalCoding?: { readonly mode: Mode; readonly orientation: number };
  /** Number of recodes applied, and when the latest was recorded. */
  readonly recodes?: number;
  readonly lastRecodedAt?: string;
  /** Sources attached after the event was logged (already included in `sources`). */
  readonly attachedSources?: number;
}

/** An independent coding of an event by a researcher (blind second coding). */
export interface Coding {
  readonly firm: string;
  readonly eventId: string;
  readonly coder: string;
  readonly mode: Mode;
  readonly orientation: number;
  readonly note?: string;
  readonly recordedAt: string;
}

/** A phase the researcher declared themselves (temporal bracketing). */
export interface DeclaredPhase {
  readonly id: string;
  readonly firm: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly description?: string;
  readonly recordedAt: string;
  readonly globalPosition: number;
}
