import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProjectionRunner } from '../../projections/projection-runner.js';

/** Truncates the named projections (all when none) and replays the log into them. */
export class RebuildProjectionsCommand extends Command<string[]> {
  constructor(
    readonly names: readonly string[] = [],
    readonly onProgress?: (applied: number, head: number) => void,
  ) {
    super();
  }
}

@CommandHandler(RebuildProjectionsCommand)
export class RebuildProjectionsHandler implements ICommandHandler<RebuildProjectionsCommand> {
  constructor(private readonly runner: ProjectionRunner) {}
  execute(c: RebuildProjectionsCommand) {
    return this.runner.rebuild(c.names, c.onProgress ? { onProgress: c.onProgress } : {});
  }
}
