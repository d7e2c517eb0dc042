import type { FieldProblem } from '../domain/errors.js';

/** Every error response has this shape, so clients read `errors[].field` whatever went wrong. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly errors: readonly FieldProblem[];
}

export function errorBody(statusCode: number, error: string, message: string, errors: readonly FieldProblem[] = []): ErrorBody {
  return { statusCode, error, message, errors };
}
