import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from './errors.js';
import type { FieldEventData, FirmEvent } from './events.js';
import { normalizeFieldEvent, slugProblem } from './field-event-rules.js';
import { isOccurredError, parseOccurred } from './occurred.js';
import { LIMITS } from './vocabulary.js';

/**
 * The firm decider: a firm's stream holds its registration, its field events and the phases the
 * researcher declared. decide() enforces the invariants; evolve() folds events into the little
 * state those invariants need.
 */
export interface FirmState {
  readonly registered: boolean;
  readonly firm?: string;
  readonly study?: string;
  readonly name?: string;
  /** Owner after the latest ownership change in occurred order, if any. */
  readonly owner?: string;
  /** First day (`YYYY-MM-DD`) of that change's occurred interval. */
  readonly ownerSince?: string;
  /** Ids already in the stream: a retried command with the same id is answered, not re-decided. */
  readonly eventIds: ReadonlySet<string>;
}

export type FirmCommand =
  | {
      readonly type: 'register-firm';
      readonly id: string;
      readonly firm: string;
      readonly study: string;
      readonly name?: string;
      readonly description?: string;
    }
  | { readonly type: 'log-event'; readonly id: string; readonly input: Readonly<Record<string, unknown>> }
  | {
      readonly type: 'declare-phase';
      readonly id: string;
      readonly firm: string;
      readonly from: string;
      readonly to: string;
      readonly label: string;
      readonly description?: string;
    };

export interface DecideContext {
  readonly today: Date;
}

const startOf = (text: string): string => {
  const parsed = parseOccurred(text);
  return isOccurredError(parsed) ? text : parsed.start;
};

export const initialFirmState = (): FirmState => ({ registered: false, eventIds: new Set() });

export function evolveFirm(state: FirmState, event: FirmEvent & { id?: string }): FirmState {
  // The id set is shared along one fold and grown in place: copying it per event would make
  // loading a 10,000-event firm quadratic. States from a fold are never reused after evolving.
  const eventIds = state.eventIds as Set<string>;
  if (event.id) eventIds.add(event.id);
  switch (event.type) {
    case 'firm-registered':
      return { ...state, registered: true, firm: event.data.firm, study: event.data.study, name: event.data.name, eventIds };
    case 'phase-declared':
      return { ...state, eventIds };
    case 'ownership-change': {
      // Events arrive in recording order, not occurred order: the current owner is the one
      // named by the latest change in occurred time.
      const since = startOf(event.data.occurred);
      const later = state.ownerSince === undefined || since >= state.ownerSince;
      return later ? { ...state, owner: event.data.newOwner, ownerSince: since, eventIds } : { ...state, eventIds };
    }
    default:
      return { ...state, eventIds };
  }
}

function requireRegistered(state: FirmState, firm: string): void {
  if (!state.registered) throw new NotFoundError('firm', firm, 'firm');
}

export function decideFirm(command: FirmCommand, state: FirmState, ctx: DecideContext): FirmEvent[] {
  // An id already in the stream means this exact command was decided before (a retry): the
  // store's idempotency returns the original append, so deciding again must not fail.
  if (state.eventIds.has(command.id)) return [];
  switch (command.type) {
    case 'register-firm': {
      const problems: FieldProblem[] = [];
      const fp = slugProblem(command.firm);
      if (fp) problems.push({ field: 'firm', message: fp });
      const sp = slugProblem(command.study);
      if (sp) problems.push({ field: 'study', message: sp });
      if (command.name !== undefined && (command.name.trim() === '' || command.name.length > LIMITS.shortText)) {
        problems.push({ field: 'name', message: `must be 1 to ${LIMITS.shortText} characters` });
      }
      if (problems.length) throw new InvalidInputError(problems);
      if (state.registered) throw new ConflictError(`firm "${command.firm}" already exists`, 'firm');
      return [
        {
          type: 'firm-registered',
          data: {
            firm: command.firm,
            study: command.study,
            name: command.name ?? command.firm,
            ...(command.description ? { description: command.description } : {}),
          },
        },
      ];
    }
    case 'log-event': {
      const normalized = normalizeFieldEvent(command.input, ctx.today);
      if (normalized.problems.length > 0) throw new InvalidInputError(normalized.problems);
      const data: FieldEventData = normalized.value!;
      requireRegistered(state, data.firm);
      if (data.kind === 'ownership-change') {
        const current = data.previousOwner ?? currentOwnerAt(state, data.occurred);
        if (current !== undefined && current === data.newOwner) {
          throw InvalidInputError.field('newOwner', `"${data.newOwner}" already owns ${data.firm}`);
        }
      }
      return [{ type: data.kind, data }];
    }
    case 'declare-phase': {
      const problems: FieldProblem[] = [];
      const fp = slugProblem(command.firm);
      if (fp) problems.push({ field: 'firm', message: fp });
      const from = parseOccurred(command.from);
      const to = parseOccurred(command.to);
      if (isOccurredError(from)) problems.push({ field: 'from', message: from.error });
      if (isOccurredError(to)) problems.push({ field: 'to', message: to.error });
      if (!isOccurredError(from) && !isOccurredError(to) && to.end < from.start) {
        problems.push({ field: 'to', message: `must not be before from (${command.from})` });
      }
      if (!command.label || command.label.trim() === '' || command.label.length > LIMITS.shortText) {
        problems.push({ field: 'label', message: `is required, at most ${LIMITS.shortText} characters` });
      }
      if (problems.length) throw new InvalidInputError(problems);
      requireRegistered(state, command.firm);
      return [
        {
          type: 'phase-declared',
          data: {
            firm: command.firm,
            from: command.from,
            to: command.to,
            label: command.label,
            ...(command.description ? { description: command.description } : {}),
          },
        },
      ];
    }
  }
}

/**
 * The owner the firm had just before `occurred`, as far as the log tells. Only the latest
 * known change is kept in state, so a change logged for an earlier date is checked against
 * nothing rather than against a later owner (a back-dated entry cannot contradict it).
 */
function currentOwnerAt(state: FirmState, occurred: string): string | undefined {
  if (state.ownerSince === undefined || startOf(occurred) < state.ownerSince) return undefined;
  return state.owner;
}
