import type { ClassConstructor } from 'class-transformer';
import { InvalidInputError } from '../domain/errors.js';
import { validateInput } from '../application/dto/validate-input.js';
import { describeError, exitCodeFor } from './exit-codes.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Wraps a commander action: errors go to stderr and set the exit code (see exit-codes.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes positional args, options, then the Command
export function action(io: Io, fn: (...args: any[]) => Promise<void>) {
  return async (...args: unknown[]) => {
    try {
      await fn(...args);
    } catch (err) {
      io.err(`strata: ${describeError(err)}`);
      process.exitCode = exitCodeFor(err);
    }
  };
}

/** Validates CLI input with the same DTO (and rules) as the HTTP API; drops absent flags first. */
export function validated<T extends object>(cls: ClassConstructor<T>, input: Record<string, unknown>): T {
  const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const { value, problems } = validateInput(cls, present);
  if (!value) throw new InvalidInputError(problems);
  return value;
}
