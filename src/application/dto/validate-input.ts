import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { FieldProblem } from '../../domain/errors.js';
import { kindFieldProblems } from '../../domain/kind-field-rules.js';

/** The same settings as the HTTP ValidationPipe, so CLI input and HTTP bodies are judged alike. */
export const VALIDATION_OPTIONS = { whitelist: true, forbidNonWhitelisted: true } as const;

export function problemsOf(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const index = /^\d+$/.test(e.property);
    const field = prefix ? (index ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    const own = Object.entries(e.constraints ?? {}).flatMap(([name, message]) =>
      // The kind-specific rule sits on `kind` but is about other fields: name those fields.
      name === 'kindFields' && e.target
        ? kindFieldProblems(e.target as Record<string, unknown>).map((p) => ({ field: prefix ? `${prefix}.${p.field}` : p.field, message: p.message }))
        : [{
            field,
            // class-validator starts messages with the property name; ours name the full path instead.
            message: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message,
          }],
    );
    const unique = own.filter((p, i) => own.findIndex((q) => q.field === p.field && q.message === p.message) === i);
    return [...unique, ...problemsOf(e.children ?? [], field)];
  });
}

/** Turns plain input into a validated DTO instance, or lists every problem by field. */
export function validateInput<T extends object>(
  cls: ClassConstructor<T>,
  plain: unknown,
): { value: T; problems: [] } | { value?: undefined; problems: FieldProblem[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { problems: [{ field: '(body)', message: 'must be a JSON object' }] };
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, VALIDATION_OPTIONS);
  if (errors.length) return { problems: problemsOf(errors) };
  return { value: instance, problems: [] };
}
