import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { firmStream } from '../../domain/events.js';
import { InvalidInputError } from '../../domain/errors.js';
import { slugProblem } from '../../domain/field-event-rules.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { firmDecider } from '../deciders.js';
import { StreamDecisions } from '../stream-decisions.js';

export interface LoggedEvent {
  readonly id: string;
  readonly firm: string;
  readonly type: string;
  /** False when the id was already in the log (an idempotent retry): nothing was appended. */
  readonly appended: boolean;
  readonly globalPosition: number;
}

/** A field event of one of the seven kinds, as FORMAT.md's line (already shape-checked by its DTO). */
export class LogEventCommand extends Command<LoggedEvent> {
  constructor(readonly input: Readonly<Record<string, unknown>>) {
    super();
  }
}

export class DeclarePhaseCommand extends Command<LoggedEvent> {
  constructor(
    readonly firm: string,
    readonly from: string,
    readonly to: string,
    readonly label: string,
    readonly description?: string,
    readonly id?: string,
  ) {
    super();
  }
}

function firmOf(value: unknown): string {
  const problem = slugProblem(value);
  if (problem) throw InvalidInputError.field('firm', problem);
  return value as string;
}

@CommandHandler(LogEventCommand)
export class LogEventHandler implements ICommandHandler<LogEventCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute({ input }: LogEventCommand): Promise<LoggedEvent> {
    const firm = firmOf(input.firm);
    const { id: given, ...fields } = input;
    const id = typeof given === 'string' ? given : randomUUID();
    const { events, result } = await this.decisions.handle(
      firmStream(firm),
      firmDecider,
      { type: 'log-event', id, input: fields },
      { today: new Date() },
      this.projections,
    );
    return {
      id,
      firm,
      type: events[0]?.type ?? String(fields.kind),
      appended: result.appended > 0,
      globalPosition: result.lastGlobalPosition,
    };
  }
}

@CommandHandler(DeclarePhaseCommand)
export class DeclarePhaseHandler implements ICommandHandler<DeclarePhaseCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(c: DeclarePhaseCommand): Promise<LoggedEvent> {
    const firm = firmOf(c.firm);
    const id = c.id ?? randomUUID();
    const command = {
      type: 'declare-phase' as const,
      id,
      firm,
      from: c.from,
      to: c.to,
      label: c.label,
      ...(c.description ? { description: c.description } : {}),
    };
    const { result } = await this.decisions.handle(firmStream(firm), firmDecider, command, { today: new Date() }, this.projections);
    return { id, firm, type: 'phase-declared', appended: result.appended > 0, globalPosition: result.lastGlobalPosition };
  }
}
