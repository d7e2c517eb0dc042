import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { firmStream, studyStream } from '../../domain/events.js';
import { InvalidInputError } from '../../domain/errors.js';
import { slugProblem } from '../../domain/field-event-rules.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { firmDecider, studyDecider } from '../deciders.js';
import { StreamDecisions } from '../stream-decisions.js';

export const DEFAULT_STUDY = 'default';

export class CreateStudyCommand extends Command<{ study: string; created: boolean }> {
  constructor(
    readonly study: string,
    readonly name?: string,
    readonly description?: string,
    /** When true an existing study is not an error (used when a firm is added to a new study). */
    readonly ifMissing = false,
  ) {
    super();
  }
}

export class RegisterFirmCommand extends Command<{ firm: string; study: string; id: string }> {
  constructor(
    readonly firm: string,
    readonly study: string = DEFAULT_STUDY,
    readonly name?: string,
    readonly description?: string,
  ) {
    super();
  }
}

@CommandHandler(CreateStudyCommand)
export class CreateStudyHandler implements ICommandHandler<CreateStudyCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(c: CreateStudyCommand) {
    const problem = slugProblem(c.study);
    if (problem) throw InvalidInputError.field('study', problem);
    const stream = studyStream(c.study);
    if (c.ifMissing) {
      const { state } = await this.decisions.state(stream, studyDecider);
      if (state.exists) return { study: c.study, created: false };
    }
    const command = { type: 'create-study' as const, study: c.study, ...(c.name ? { name: c.name } : {}), ...(c.description ? { description: c.description } : {}) };
    await this.decisions.handle(stream, studyDecider, command, {}, this.projections);
    return { study: c.study, created: true };
  }
}

@CommandHandler(RegisterFirmCommand)
export class RegisterFirmHandler implements ICommandHandler<RegisterFirmCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
    private readonly studies: CreateStudyHandler,
  ) {}

  async execute(c: RegisterFirmCommand) {
    const id = randomUUID();
    const command = {
      type: 'register-firm' as const,
      id,
      firm: c.firm,
      study: c.study,
      ...(c.name ? { name: c.name } : {}),
      ...(c.description ? { description: c.description } : {}),
    };
    // Decide first so an invalid or duplicate firm creates no study either.
    const { state, revision } = await this.decisions.freshState(firmStream(c.firm), firmDecider);
    this.decisions.decideOn(firmStream(c.firm), firmDecider, state, revision, command, { today: new Date() });
    await this.studies.execute(new CreateStudyCommand(c.study, undefined, undefined, true));
    await this.decisions.handle(firmStream(c.firm), firmDecider, command, { today: new Date() }, this.projections);
    return { firm: c.firm, study: c.study, id };
  }
}
