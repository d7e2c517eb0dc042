import { ConflictError, InvalidInputError, type FieldProblem } from './errors.js';
import type { StudyEvent } from './events.js';
import { slugProblem } from './field-event-rules.js';
import { LIMITS } from './vocabulary.js';

/** A study groups the firms (cases) of one research project. */
export interface StudyState {
  readonly exists: boolean;
}

export type StudyCommand = {
  readonly type: 'create-study';
  readonly study: string;
  readonly name?: string;
  readonly description?: string;
};

export const initialStudyState = (): StudyState => ({ exists: false });

export function evolveStudy(state: StudyState, event: StudyEvent): StudyState {
  switch (event.type) {
    case 'study-created':
      return { exists: true };
  }
}

export function decideStudy(command: StudyCommand, state: StudyState): StudyEvent[] {
  const problems: FieldProblem[] = [];
  const sp = slugProblem(command.study);
  if (sp) problems.push({ field: 'study', message: sp });
  if (command.name !== undefined && (command.name.trim() === '' || command.name.length > LIMITS.shortText)) {
    problems.push({ field: 'name', message: `must be 1 to ${LIMITS.shortText} characters` });
  }
  if (command.description !== undefined && command.description.length > LIMITS.description) {
    problems.push({ field: 'description', message: `must be at most ${LIMITS.description} characters` });
  }
  if (problems.length) throw new InvalidInputError(problems);
  if (state.exists) throw new ConflictError(`study "${command.study}" already exists`, 'study');
  return [
    {
      type: 'study-created',
      data: {
        study: command.study,
        name: command.name ?? command.study,
        ...(command.description ? { description: command.description } : {}),
      },
    },
  ];
}
