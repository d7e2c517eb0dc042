/**
 * Domain errors are our own values, mapped to HTTP statuses and CLI exit codes in one place
 * each (http/domain-error.filter.ts, cli/exit-codes.ts). Domain code never throws framework
 * exceptions.
 */
export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `orientation` or `sources[0].kind`. */
  readonly field: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: 'invalid' | 'not-found' | 'conflict';
}

/** Input that breaks a rule; nothing was appended. */
export class InvalidInputError extends DomainError {
  readonly code = 'invalid' as const;
  override readonly name: string = 'InvalidInputError';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
  static field(field: string, message: string): InvalidInputError {
    return new InvalidInputError([{ field, message }]);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not-found' as const;
  override readonly name: string = 'NotFoundError';
  constructor(
    readonly what: string,
    readonly id: string,
    readonly field?: string,
  ) {
    super(`${what} "${id}" does not exist`);
  }
}

/** The state changed under the command (concurrent write) or already contradicts it. */
export class ConflictError extends DomainError {
  readonly code = 'conflict' as const;
  override readonly name: string = 'ConflictError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
