/**
 * When something happened in the firm. Field researchers often know only the year or quarter
 * (from a retrospective interview), so the precision is part of the value and is never padded
 * away: `2004` stays `2004`, it does not become `2004-01-01`.
 */
export type Precision = 'year' | 'quarter' | 'month' | 'day';

export interface Occurred {
  readonly text: string;
  readonly precision: Precision;
  /** First day of the interval the text denotes, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day of the interval, `YYYY-MM-DD`. */
  readonly end: string;
}

const PATTERNS: ReadonlyArray<[RegExp, Precision]> = [
  [/^(\d{4})$/, 'year'],
  [/^(\d{4})-Q([1-4])$/, 'quarter'],
  [/^(\d{4})-(\d{2})$/, 'month'],
  [/^(\d{4})-(\d{2})-(\d{2})$/, 'day'],
];

export const OCCURRED_FORMAT_HINT = 'YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Parses an occurred date; returns an error message (without the field name) when invalid. */
export function parseOccurred(text: string): Occurred | { error: string } {
  if (typeof text !== 'string') return { error: `must be a string in the form ${OCCURRED_FORMAT_HINT}` };
  for (const [re, precision] of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const year = Number(m[1]);
    if (year < 1800) return { error: `year ${year} is before 1800` };
    switch (precision) {
      case 'year':
        return { text, precision, start: iso(year, 1, 1), end: iso(year, 12, 31) };
      case 'quarter': {
        const q = Number(m[2]);
        const first = (q - 1) * 3 + 1;
        return { text, precision, start: iso(year, first, 1), end: iso(year, first + 2, daysInMonth(year, first + 2)) };
      }
      case 'month': {
        const month = Number(m[2]);
        if (month < 1 || month > 12) return { error: `month ${m[2]} does not exist` };
        return { text, precision, start: iso(year, month, 1), end: iso(year, month, daysInMonth(year, month)) };
      }
      case 'day': {
        const month = Number(m[2]);
        const day = Number(m[3]);
        if (month < 1 || month > 12) return { error: `month ${m[2]} does not exist` };
        if (day < 1 || day > daysInMonth(year, month)) return { error: `${text} is not a calendar date` };
        return { text, precision, start: text, end: text };
      }
    }
  }
  return { error: `must be ${OCCURRED_FORMAT_HINT} (got "${text}")` };
}

export function isOccurredError(v: Occurred | { error: string }): v is { error: string } {
  return 'error' in v;
}

/** Parses or throws; for data already validated (events read back from the store). */
export function occurred(text: string): Occurred {
  const parsed = parseOccurred(text);
  if (isOccurredError(parsed)) throw new Error(`occurred: ${parsed.error}`);
  return parsed;
}

/**
 * A partial date is "in the future" only when its whole interval could not have begun yet:
 * `2026` is acceptable throughout 2026, `2026-12` only from 1 December 2026.
 */
export function isInFuture(o: Occurred, today: Date): boolean {
  return o.start > today.toISOString().slice(0, 10);
}

const PRECISION_RANK: Record<Precision, number> = { year: 0, quarter: 1, month: 2, day: 3 };

/**
 * Deterministic timeline order for imprecise dates (documented in README "Timeline order"):
 * 1. by the first day of the interval (`2004` and `2004-Q1` and `2004-01` all start 2004-01-01);
 * 2. on a tie, the coarser date first (year, then quarter, month, day): the broad statement
 *    "in 2004" frames the precise events that follow it;
 * 3. then by recording order (the global position in the event log).
 * This returns the part of the key that depends on the date alone.
 */
export function occurredSortKey(o: Occurred): string {
  return `${o.start}#${PRECISION_RANK[o.precision]}`;
}

/**
 * Month the analysis places an event in. An imprecise date is put in the middle of its
 * interval (a year at July, a quarter at its middle month) so its error is at most half the
 * interval either way, rather than always early.
 */
export function anchorMonth(o: Occurred): string {
  const year = Number(o.start.slice(0, 4));
  const month = Number(o.start.slice(5, 7));
  switch (o.precision) {
    case 'year':
      return `${pad(year, 4)}-07`;
    case 'quarter':
      return `${pad(year, 4)}-${pad(month + 1)}`;
    case 'month':
    case 'day':
      return o.start.slice(0, 7);
  }
}

/** True when the event's interval has begun by the given as-of date (itself a partial date). */
export function hasBegunBy(o: Occurred, asOf: Occurred): boolean {
  return o.start <= asOf.end;
}
