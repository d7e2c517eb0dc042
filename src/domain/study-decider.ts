import { codebookProblems, type Codebook } from './codebook.js';
import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from './errors.js';
import type { StudyEvent } from './events.js';
import { slugProblem } from './field-event-rules.js';
import { LIMITS } from './vocabulary.js';

/** A study groups the firms (cases) of one research project and keeps its codebook. */
export interface StudyState {
  readonly exists: boolean;
  /** Latest published codebook version; 0 = the built-in default. */
  readonly codebookVersion: number;
}

export type StudyCommand =
  | { readonly type: 'create-study'; readonly study: string; readonly name?: string; readonly description?: string }
  | { readonly type: 'publish-codebook'; readonly study: string; readonly codebook: unknown; readonly note?: string };

export const initialStudyState = (): StudyState => ({ exists: false, codebookVersion: 0 });

export function evolveStudy(state: StudyState, event: StudyEvent): StudyState {
  switch (event.type) {
    case 'study-created':
      return { ...state, exists: true };
    case 'codebook-published':
      return { ...state, codebookVersion: event.data.version };
  }
}

export function decideStudy(command: StudyCommand, state: StudyState): StudyEvent[] {
  const problems: FieldProblem[] = [];
  const sp = slugProblem(command.study);
  if (sp) problems.push({ field: 'study', message: sp });
  switch (command.type) {
    case 'create-study': {
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
    case 'publish-codebook': {
      problems.push(...codebookProblems(command.codebook));
      if (command.note !== undefined && command.note.length > LIMITS.description) {
        problems.push({ field: 'note', message: `must be at most ${LIMITS.description} characters` });
      }
      if (problems.length) throw new InvalidInputError(problems);
      if (!state.exists) throw new NotFoundError('study', command.study, 'study');
      return [
        {
          type: 'codebook-published',
          data: {
            study: command.study,
            version: state.codebookVersion + 1,
            codebook: command.codebook as Codebook,
            ...(command.note ? { note: command.note } : {}),
          },
        },
      ];
    }
  }
}
