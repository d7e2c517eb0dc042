import { Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { firmStream } from '../../domain/events.js';
import type { FirmCommand } from '../../domain/firm-decider.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { firmDecider } from '../deciders.js';
import { EventLocator } from '../event-locator.js';
import { StreamDecisions } from '../stream-decisions.js';
import type { LoggedEvent } from './log-event.commands.js';

/** Changes the coding of an event (a new `event-recoded` event; the original stays in the log). */
export class RecodeEventCommand extends Command<LoggedEvent> {
  constructor(
    readonly eventId: string,
    readonly changes: Readonly<Record<string, unknown>>,
    readonly reason: string,
    readonly coder?: string,
    readonly firm?: string,
  ) {
    super();
  }
}

/** Withdraws an event from every timeline and report from now on; the log keeps it and why. */
export class RetractEventCommand extends Command<LoggedEvent> {
  constructor(
    readonly eventId: string,
    readonly reason: string,
    readonly firm?: string,
  ) {
    super();
  }
}

export class AttachEvidenceCommand extends Command<LoggedEvent> {
  constructor(
    readonly eventId: string,
    readonly sources: unknown,
    readonly firm?: string,
  ) {
    super();
  }
}

type TargetCommand = Extract<FirmCommand, { eventId: string }>;
type WithoutTarget<C> = C extends TargetCommand ? Omit<C, 'id' | 'firm' | 'eventId'> : never;

/** Shared path of the three: find the firm, decide against its state, append, project. */
@Injectable() // so Nest sees the constructor's parameter types, which the handlers inherit
abstract class TargetedHandler {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
    private readonly locator: EventLocator,
  ) {}

  protected async run(eventId: string, firmGiven: string | undefined, rest: WithoutTarget<TargetCommand>): Promise<LoggedEvent> {
    const firm = await this.locator.firmOf(eventId, firmGiven);
    const id = randomUUID();
    const command = { ...rest, id, firm, eventId } as TargetCommand;
    const { events, result } = await this.decisions.handle(firmStream(firm), firmDecider, command, { today: new Date() }, this.projections);
    return { id, firm, type: events[0]?.type ?? rest.type, appended: result.appended > 0, globalPosition: result.lastGlobalPosition };
  }
}

@CommandHandler(RecodeEventCommand)
export class RecodeEventHandler extends TargetedHandler implements ICommandHandler<RecodeEventCommand> {
  execute(c: RecodeEventCommand) {
    return this.run(c.eventId, c.firm, { type: 'recode-event', changes: c.changes, reason: c.reason, ...(c.coder ? { coder: c.coder } : {}) });
  }
}

@CommandHandler(RetractEventCommand)
export class RetractEventHandler extends TargetedHandler implements ICommandHandler<RetractEventCommand> {
  execute(c: RetractEventCommand) {
    return this.run(c.eventId, c.firm, { type: 'retract-event', reason: c.reason });
  }
}

@CommandHandler(AttachEvidenceCommand)
export class AttachEvidenceHandler extends TargetedHandler implements ICommandHandler<AttachEvidenceCommand> {
  execute(c: AttachEvidenceCommand) {
    return this.run(c.eventId, c.firm, { type: 'attach-evidence', sources: c.sources });
  }
}
