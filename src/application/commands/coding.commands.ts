import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DomainError, InvalidInputError } from '../../domain/errors.js';
import { firmStream, studyStream, type FirmEvent } from '../../domain/events.js';
import type { FirmState } from '../../domain/firm-decider.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { firmDecider, studyDecider } from '../deciders.js';
import { EventLocator } from '../event-locator.js';
import { StreamDecisions, type Decided } from '../stream-decisions.js';
import { ImportRejectedError, type LineProblem } from './import-events.command.js';

export interface CodingRow {
  /** Row number in the coding sheet, for error messages. */
  readonly line: number;
  readonly eventId: string;
  readonly mode: unknown;
  readonly orientation: unknown;
  readonly note?: string;
}

/**
 * A second researcher's independent codings (from a blind coding sheet). All rows or none:
 * every problem is listed by row and field.
 */
export class CodeEventsCommand extends Command<{ coded: number }> {
  constructor(
    readonly coder: string,
    readonly rows: readonly CodingRow[],
  ) {
    super();
  }
}

export class PublishCodebookCommand extends Command<{ study: string; version: number }> {
  constructor(
    readonly study: string,
    readonly codebook: unknown,
    readonly note?: string,
  ) {
    super();
  }
}

@CommandHandler(CodeEventsCommand)
export class CodeEventsHandler implements ICommandHandler<CodeEventsCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
    private readonly locator: EventLocator,
  ) {}

  async execute(c: CodeEventsCommand) {
    const problems: LineProblem[] = [];
    const firms = new Map<string, { state: FirmState; revision: number; events: Array<FirmEvent & { id: string }> }>();
    const today = new Date();
    // Firm states are folded afresh for this run (freshState) and decided on in place: the states
    // single commands share are never touched.
    for (const row of c.rows) {
      try {
        const firm = await this.locator.firmOf(row.eventId);
        let f = firms.get(firm);
        if (!f) {
          f = { ...(await this.decisions.freshState(firmStream(firm), firmDecider)), events: [] };
          firms.set(firm, f);
        }
        const command = {
          type: 'code-event' as const,
          id: randomUUID(),
          firm,
          eventId: row.eventId,
          coder: c.coder,
          mode: row.mode,
          orientation: row.orientation,
          ...(row.note ? { note: row.note } : {}),
        };
        const decided = this.decisions.decideOn(firmStream(firm), firmDecider, f.state, f.revision, command, { today });
        f.state = decided.state;
        f.events.push(...decided.events);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const list = err instanceof InvalidInputError ? err.problems : [{ field: 'eventId', message: err.message }];
        problems.push(...list.map((p) => ({ ...p, line: row.line })));
      }
    }
    if (problems.length) throw new ImportRejectedError(problems);
    const batches: Decided<unknown>[] = [...firms].map(([firm, f]) => ({
      streamId: firmStream(firm),
      events: f.events,
      expectedRevision: f.revision,
      stateAfter: f.state,
    }));
    await this.decisions.append(batches);
    await this.projections.catchUp({ deferSettle: true });
    return { coded: c.rows.length };
  }
}

@CommandHandler(PublishCodebookCommand)
export class PublishCodebookHandler implements ICommandHandler<PublishCodebookCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(c: PublishCodebookCommand) {
    const { events } = await this.decisions.handle(
      studyStream(c.study),
      studyDecider,
      { type: 'publish-codebook', study: c.study, codebook: c.codebook, ...(c.note ? { note: c.note } : {}) },
      {},
      this.projections,
    );
    const published = events[0] as { data: { version: number } } | undefined;
    return { study: c.study, version: published?.data.version ?? 0 };
  }
}
