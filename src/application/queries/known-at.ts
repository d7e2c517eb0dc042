import { InvalidInputError } from '../../domain/errors.js';

/**
 * A "known at" cut: a recorded timestamp. A date alone (`2026-03-01`) means the end of that day
 * (UTC), so "known at 1 March" includes what was logged on 1 March.
 */
export function parseKnownAt(value: string | undefined, field = 'knownAt'): string | undefined {
  if (value === undefined || value === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = Date.parse(dateOnly ? `${value}T23:59:59.999Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw InvalidInputError.field(field, `must be a date (YYYY-MM-DD) or an ISO timestamp (got "${value}")`);
  }
  return new Date(time).toISOString();
}
