import type { FieldProblem } from './errors.js';
import { normalizeFieldEvent } from './field-event-rules.js';
import { isEventKind, KIND_FIELDS } from './vocabulary.js';

/**
 * Only the kind-specific part of the field-event rules (required own fields, their value sets,
 * fields that belong to another kind). Input DTOs use it so HTTP and CLI report those
 * problems with the same words as the decider.
 */
export function kindFieldProblems(input: Readonly<Record<string, unknown>>): FieldProblem[] {
  if (!isEventKind(input.kind)) return [];
  const own = new Set([...KIND_FIELDS[input.kind].required, ...KIND_FIELDS[input.kind].optional]);
  const allOwn = new Set(Object.values(KIND_FIELDS).flatMap((f) => [...f.required, ...f.optional]));
  const { problems } = normalizeFieldEvent(input, new Date(8.64e15));
  return problems.filter((p) => own.has(p.field) || (allOwn.has(p.field) && input[p.field] !== undefined));
}
