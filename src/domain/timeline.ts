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
