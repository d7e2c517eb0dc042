import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { ImportRejectedError } from '../application/commands/import-events.command.js';
import { ConfigurationError } from '../application/config.js';

/**
 * The one place errors become exit codes: 0 success, 2 invalid input (a field, a flag, an
 * unknown firm, a setting: something the user can fix in what they typed), 1 any other failure.
 */
export const EXIT = { ok: 0, failure: 1, invalid: 2 } as const;

export class UsageError extends Error {}

export function exitCodeFor(err: unknown): number {
  if (err instanceof InvalidInputError || err instanceof NotFoundError || err instanceof UsageError || err instanceof ConfigurationError) return EXIT.invalid;
  return EXIT.failure;
}

/** Human text for stderr; an import's problems are listed one per line by line number. */
export function describeError(err: unknown): string {
  if (err instanceof ImportRejectedError) {
    const lines = err.lineProblems.map((p) => `  line ${p.line}: ${p.field}: ${p.message}`);
    return `import rejected, nothing was appended (${err.lineProblems.length} problem(s)):\n${lines.join('\n')}`;
  }
  if (err instanceof InvalidInputError) {
    return `invalid input, nothing was appended:\n${err.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`;
  }
  if (err instanceof NotFoundError || err instanceof ConflictError || err instanceof UsageError) return err.message;
  if (err instanceof Error) return process.env.STRATA_DEBUG ? (err.stack ?? err.message) : err.message;
  return String(err);
}
