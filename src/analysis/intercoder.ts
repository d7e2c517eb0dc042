import type { Coding, TimelineEntry } from '../domain/timeline.js';
import type { Mode } from '../domain/vocabulary.js';
import { cohensKappa, percentAgreement } from './agreement.js';

/** One researcher's coding of one event, whoever recorded it. */
export interface CoderCoding {
  readonly eventId: string;
  readonly coder: string;
  readonly mode: Mode;
  readonly orientation: number;
}

export interface FieldAgreement {
  readonly field: 'mode' | 'orientation' | 'orientationDirection';
  readonly units: number;
  readonly agreement: number | null;
  readonly kappa: number | null;
}

export interface Disagreement {
  readonly eventId: string;
  readonly firm: string;
  readonly occurred: string;
  readonly title: string;
  readonly fields: ReadonlyArray<{ field: 'mode' | 'orientation'; a: string | number; b: string | number }>;
}

export interface IntercoderReport {
  readonly coders: readonly [string, string];
  /** Events both coders coded. */
  readonly units: number;
  readonly onlyA: number;
  readonly onlyB: number;
  readonly fields: readonly FieldAgreement[];
  readonly disagreements: readonly Disagreement[];
}

const direction = (o: number): string => (o < 0 ? 'cost' : o > 0 ? 'customization' : 'neutral');

/**
 * Every coding per coder: an event's original coding counts for the researcher who coded it
 * (before any recode: a recode after discussing disagreements must not inflate agreement), and
 * each independent coding counts for its coder (their latest).
 */
export function codingsByCoder(entries: readonly TimelineEntry[], codings: readonly Coding[]): Map<string, Map<string, CoderCoding>> {
  const byCoder = new Map<string, Map<string, CoderCoding>>();
  const add = (c: CoderCoding) => {
    if (!byCoder.has(c.coder)) byCoder.set(c.coder, new Map());
    byCoder.get(c.coder)!.set(c.eventId, c);
  };
  const live = new Set(entries.map((e) => e.id));
  for (const e of entries) {
    const original = e.originalCoding ?? { mode: e.mode, orientation: e.orientation };
    add({ eventId: e.id, coder: e.coder ?? e.recordedBy, ...original });
  }
  for (const c of [...codings].sort((x, y) => x.recordedAt.localeCompare(y.recordedAt))) {
    if (live.has(c.eventId)) add({ eventId: c.eventId, coder: c.coder, mode: c.mode, orientation: c.orientation });
  }
  return byCoder;
}

/**
 * Agreement between two coders over the events both coded: per field, the share agreeing and
 * Cohen's kappa (mode over its three values; orientation over the five points of the scale, and
 * over its direction alone), plus the list of disagreements to resolve.
 */
export function intercoderAgreement(
  entries: readonly TimelineEntry[],
  codings: readonly Coding[],
  coderA: string,
  coderB: string,
): IntercoderReport {
  const byCoder = codingsByCoder(entries, codings);
  const a = byCoder.get(coderA) ?? new Map<string, CoderCoding>();
  const b = byCoder.get(coderB) ?? new Map<string, CoderCoding>();
  const shared = entries.filter((e) => a.has(e.id) && b.has(e.id));
  const pairs = shared.map((e) => [a.get(e.id)!, b.get(e.id)!] as const);
  const field = (name: FieldAgreement['field'], pick: (c: CoderCoding) => string | number): FieldAgreement => {
    const xa = pairs.map(([x]) => pick(x));
    const xb = pairs.map(([, y]) => pick(y));
    return { field: name, units: pairs.length, agreement: percentAgreement(xa, xb), kappa: cohensKappa(xa, xb) };
  };
  const disagreements: Disagreement[] = [];
  shared.forEach((e, i) => {
    const [x, y] = pairs[i]!;
    const fields: Array<{ field: 'mode' | 'orientation'; a: string | number; b: string | number }> = [];
    if (x.mode !== y.mode) fields.push({ field: 'mode', a: x.mode, b: y.mode });
    if (x.orientation !== y.orientation) fields.push({ field: 'orientation', a: x.orientation, b: y.orientation });
    if (fields.length) disagreements.push({ eventId: e.id, firm: e.firm, occurred: e.occurred, title: e.title, fields });
  });
  return {
    coders: [coderA, coderB],
    units: pairs.length,
    onlyA: [...a.keys()].filter((id) => !b.has(id)).length,
    onlyB: [...b.keys()].filter((id) => !a.has(id)).length,
    fields: [field('mode', (c) => c.mode), field('orientation', (c) => c.orientation), field('orientationDirection', (c) => direction(c.orientation))],
    disagreements,
  };
}
