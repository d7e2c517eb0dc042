import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from './errors.js';
import type { FieldEventData, FirmEvent, RecodeChanges, Source } from './events.js';
import { normalizeFieldEvent, slugProblem, sourcesOf } from './field-event-rules.js';
import { isOccurredError, parseOccurred } from './occurred.js';
import { KIND_FIELDS, LIMITS, MODES, type Mode } from './vocabulary.js';

/**
 * The firm decider: a firm's stream holds its registration, its field events, the phases the
 * researcher declared, and every correction (recode, retraction), added evidence and independent
 * coding. Nothing is ever deleted: a correction is a new event. decide() enforces the
 * invariants; evolve() folds events into the state those invariants need.
 */
export interface KnownFieldEvent {
  readonly data: FieldEventData;
  readonly retracted: boolean;
}

export interface FirmState {
  readonly registered: boolean;
  readonly firm?: string;
  readonly study?: string;
  readonly name?: string;
  /** Ids already in the stream: a retried command with the same id is answered, not re-decided. */
  readonly eventIds: ReadonlySet<string>;
  /** Field events by id with their current coding (recodes applied). */
  readonly fieldEvents: ReadonlyMap<string, KnownFieldEvent>;
}

interface Target {
  readonly id: string;
  readonly firm: string;
  readonly eventId: string;
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
    }
  | (Target & { readonly type: 'recode-event'; readonly changes: Readonly<Record<string, unknown>>; readonly reason: string; readonly coder?: string })
  | (Target & { readonly type: 'retract-event'; readonly reason: string })
  | (Target & { readonly type: 'attach-evidence'; readonly sources: unknown })
  | (Target & { readonly type: 'code-event'; readonly coder: string; readonly mode: unknown; readonly orientation: unknown; readonly note?: string });

export interface DecideContext {
  readonly today: Date;
}

/** Fields a recode may change (FORMAT.md names; `kind`, `firm` and `title` are the event's identity). */
export const RECODABLE_COMMON = ['mode', 'orientation', 'occurred', 'claimsResponsiveness', 'confidence', 'tags'] as const;

export const initialFirmState = (): FirmState => ({ registered: false, eventIds: new Set(), fieldEvents: new Map() });

export function evolveFirm(state: FirmState, event: FirmEvent & { id?: string }): FirmState {
  // The id set and event map are shared along one fold and grown in place: copying them per
  // event would make loading a 10,000-event firm quadratic. A folded state is never reused
  // after it has been evolved further.
  const eventIds = state.eventIds as Set<string>;
  const fieldEvents = state.fieldEvents as Map<string, KnownFieldEvent>;
  if (event.id) eventIds.add(event.id);
  switch (event.type) {
    case 'firm-registered':
      return { ...state, registered: true, firm: event.data.firm, study: event.data.study, name: event.data.name };
    case 'event-recoded': {
      const target = fieldEvents.get(event.data.eventId);
      if (target) fieldEvents.set(event.data.eventId, { ...target, data: { ...target.data, ...event.data.changes } as FieldEventData });
      return state;
    }
    case 'event-retracted': {
      const target = fieldEvents.get(event.data.eventId);
      if (target) fieldEvents.set(event.data.eventId, { ...target, retracted: true });
      return state;
    }
    case 'phase-declared':
    case 'evidence-attached':
    case 'event-coded':
      return state;
    default:
      if (event.id) fieldEvents.set(event.id, { data: event.data, retracted: false });
      return state;
  }
}

function requireRegistered(state: FirmState, firm: string): void {
  if (!state.registered) throw new NotFoundError('firm', firm, 'firm');
}

function reasonProblem(reason: unknown): FieldProblem[] {
  if (typeof reason !== 'string' || reason.trim() === '') return [{ field: 'reason', message: 'is required: say why, for the audit trail' }];
  if (reason.length > LIMITS.quote) return [{ field: 'reason', message: `must be at most ${LIMITS.quote} characters` }];
  return [];
}

function target(state: FirmState, c: Target): KnownFieldEvent {
  requireRegistered(state, c.firm);
  const known = state.fieldEvents.get(c.eventId);
  if (!known) throw new NotFoundError(`event in firm ${c.firm}`, c.eventId, 'eventId');
  if (known.retracted) throw new ConflictError(`event ${c.eventId} was retracted; a retracted event cannot be changed`, 'eventId');
  return known;
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
        const current = data.previousOwner ?? ownerBefore(state, data.occurred);
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
    case 'recode-event': {
      const reasonProblems = reasonProblem(command.reason);
      if (reasonProblems.length) throw new InvalidInputError(reasonProblems);
      const known = target(state, command);
      const changes = recodeChanges(known.data, command.changes, ctx);
      return [
        {
          type: 'event-recoded',
          data: {
            firm: command.firm,
            eventId: command.eventId,
            changes,
            reason: command.reason,
            ...(command.coder ? { coder: command.coder } : {}),
          },
        },
      ];
    }
    case 'retract-event': {
      const reasonProblems = reasonProblem(command.reason);
      if (reasonProblems.length) throw new InvalidInputError(reasonProblems);
      target(state, command);
      return [{ type: 'event-retracted', data: { firm: command.firm, eventId: command.eventId, reason: command.reason } }];
    }
    case 'attach-evidence': {
      const problems: FieldProblem[] = [];
      const sources: Source[] = sourcesOf(problems, command.sources);
      if (!problems.length && sources.length === 0) problems.push({ field: 'sources', message: 'must list at least one source' });
      if (problems.length) throw new InvalidInputError(problems);
      target(state, command);
      return [{ type: 'evidence-attached', data: { firm: command.firm, eventId: command.eventId, sources } }];
    }
    case 'code-event': {
      const problems: FieldProblem[] = [];
      const coderProblem = typeof command.coder !== 'string' || command.coder.trim() === '' || command.coder.length > LIMITS.shortText;
      if (coderProblem) problems.push({ field: 'coder', message: `is required, at most ${LIMITS.shortText} characters` });
      if (typeof command.mode !== 'string' || !(MODES as readonly string[]).includes(command.mode)) {
        problems.push({ field: 'mode', message: `must be one of ${MODES.join(', ')}` });
      }
      const o = command.orientation;
      if (typeof o !== 'number' || !Number.isInteger(o) || o < LIMITS.orientationMin || o > LIMITS.orientationMax) {
        problems.push({ field: 'orientation', message: 'must be an integer from -2 to +2' });
      }
      if (problems.length) throw new InvalidInputError(problems);
      target(state, command);
      return [
        {
          type: 'event-coded',
          data: {
            firm: command.firm,
            eventId: command.eventId,
            coder: command.coder,
            mode: command.mode as Mode,
            orientation: o as number,
            ...(command.note ? { note: command.note } : {}),
          },
        },
      ];
    }
  }
}

/** Validates a recode by checking the event as it would read afterwards against every rule. */
function recodeChanges(current: FieldEventData, raw: Readonly<Record<string, unknown>>, ctx: DecideContext): RecodeChanges {
  const allowed = new Set<string>([...RECODABLE_COMMON, ...KIND_FIELDS[current.kind].required, ...KIND_FIELDS[current.kind].optional]);
  const present = Object.entries(raw).filter(([, v]) => v !== undefined);
  const problems: FieldProblem[] = present
    .filter(([k]) => !allowed.has(k))
    .map(([k]) => ({
      field: k,
      message: ['kind', 'firm', 'title', 'description', 'sources'].includes(k)
        ? 'cannot be recoded (retract the event and log a corrected one; add sources as evidence)'
        : `is not a code of kind ${current.kind}`,
    }));
  if (problems.length) throw new InvalidInputError(problems);
  const changes = Object.fromEntries(present.filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((current as unknown as Record<string, unknown>)[k])));
  if (Object.keys(changes).length === 0) {
    throw InvalidInputError.field('changes', 'nothing to recode: give at least one field with a new value');
  }
  const merged = normalizeFieldEvent({ ...current, ...changes }, ctx.today);
  if (merged.problems.length) throw new InvalidInputError(merged.problems);
  return changes as RecodeChanges;
}

/**
 * The owner the firm had at `occurred`, by the latest non-retracted ownership change whose
 * interval began no later (recording order is not occurred order: a change logged late may have
 * happened early).
 */
function ownerBefore(state: FirmState, occurred: string): string | undefined {
  const at = startOf(occurred);
  let best: { since: string; owner: string } | undefined;
  for (const { data, retracted } of state.fieldEvents.values()) {
    if (retracted || data.kind !== 'ownership-change' || !data.newOwner) continue;
    const since = startOf(data.occurred);
    if (since <= at && (!best || since >= best.since)) best = { since, owner: data.newOwner };
  }
  return best?.owner;
}

function startOf(text: string): string {
  const parsed = parseOccurred(text);
  return isOccurredError(parsed) ? text : parsed.start;
}
