import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DomainError, InvalidInputError, type FieldProblem } from '../../domain/errors.js';
import { firmStream, studyStream, type FirmEvent, type StudyEvent } from '../../domain/events.js';
import type { FirmCommand, FirmState } from '../../domain/firm-decider.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { firmDecider, studyDecider } from '../deciders.js';
import { DeclarePhaseDto } from '../dto/catalog.dto.js';
import { EventInputDto } from '../dto/event-input.dto.js';
import { validateInput } from '../dto/validate-input.js';
import { StreamDecisions, type Decided } from '../stream-decisions.js';
import { DEFAULT_STUDY } from './study-and-firm.commands.js';

export interface ImportRecord {
  /** 1-based line (or CSV row) number, for error messages. */
  readonly line: number;
  readonly record: unknown;
}

export interface LineProblem extends FieldProblem {
  readonly line: number;
}

export interface ImportProgress {
  readonly stage: 'checking' | 'appending' | 'projecting';
  readonly done: number;
  readonly total: number;
}

export interface ImportResult {
  readonly lines: number;
  readonly appended: number;
  /** Lines whose id was already in the log: skipped, as FORMAT.md promises. */
  readonly alreadyPresent: number;
  readonly firmsCreated: string[];
  readonly studiesCreated: string[];
}

/** An import is all or nothing: every problem of every line, and nothing appended. */
export class ImportRejectedError extends InvalidInputError {
  override readonly name = 'ImportRejectedError';
  constructor(readonly lineProblems: readonly LineProblem[]) {
    super(lineProblems.map((p) => ({ field: `line ${p.line}: ${p.field}`, message: p.message })));
  }
}

export class ImportEventsCommand extends Command<ImportResult> {
  constructor(
    readonly records: readonly ImportRecord[],
    /** Study for firms the file creates. */
    readonly study: string = DEFAULT_STUDY,
    readonly onProgress?: (p: ImportProgress) => void,
    /** Problems found while reading the file (lines that are not JSON): listed with the rest, by line. */
    readonly fileProblems: readonly LineProblem[] = [],
  ) {
    super();
  }
}

type LineCommand = FirmCommand & { firm: string };

@CommandHandler(ImportEventsCommand)
export class ImportEventsHandler implements ICommandHandler<ImportEventsCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(c: ImportEventsCommand): Promise<ImportResult> {
    const problems: LineProblem[] = [...c.fileProblems];
    const commands: Array<{ line: number; command: LineCommand }> = [];
    for (const { line, record } of c.records) {
      const parsed = this.toCommand(record);
      if ('problems' in parsed) problems.push(...parsed.problems.map((p) => ({ ...p, line })));
      else commands.push({ line, command: parsed.command });
    }
    if (problems.length) throw new ImportRejectedError(problems.sort((a, b) => a.line - b.line));

    try {
      return await this.decideAndAppend(c, commands);
    } finally {
      // Deciding folded states in place; drop them so the next command reads the store afresh.
      this.decisions.forget();
    }
  }

  private toCommand(record: unknown): { command: LineCommand } | { problems: FieldProblem[] } {
    const kind = typeof record === 'object' && record !== null ? (record as Record<string, unknown>).kind : undefined;
    if (kind === 'phase-declared') {
      const { value, problems } = validateInput(DeclarePhaseDto, record);
      if (!value) return { problems };
      if (!value.firm) return { problems: [{ field: 'firm', message: 'is required' }] };
      const command: LineCommand = {
        type: 'declare-phase',
        id: value.id ?? randomUUID(),
        firm: value.firm,
        from: value.from,
        to: value.to,
        label: value.label,
        ...(value.description ? { description: value.description } : {}),
      };
      return { command };
    }
    const { value, problems } = validateInput(EventInputDto, record);
    if (!value) return { problems };
    const { id, ...input } = record as Record<string, unknown>;
    return { command: { type: 'log-event', id: (id as string | undefined) ?? randomUUID(), input, firm: value.firm } };
  }

  private async decideAndAppend(c: ImportEventsCommand, commands: Array<{ line: number; command: LineCommand }>) {
    const today = new Date();
    const problems: LineProblem[] = [];
    const firms = new Map<string, { state: FirmState; revision: number; events: Array<FirmEvent & { id: string }> }>();
    const batches: Decided<unknown>[] = [];
    const firmsCreated: string[] = [];
    const studiesCreated: string[] = [];
    let alreadyPresent = 0;
    let done = 0;

    const study = await this.decisions.state(studyStream(c.study), studyDecider);
    if (!study.state.exists) {
      const created = this.decisions.decideOn(studyStream(c.study), studyDecider, study.state, study.revision, { type: 'create-study', study: c.study }, {});
      batches.push(created as Decided<StudyEvent>);
      studiesCreated.push(c.study);
    }

    for (const { line, command } of commands) {
      let firm = firms.get(command.firm);
      if (!firm) {
        const loaded = await this.decisions.state(firmStream(command.firm), firmDecider);
        firm = { ...loaded, events: [] };
        if (!loaded.state.registered) {
          const reg = this.decisions.decideOn(firmStream(command.firm), firmDecider, firm.state, firm.revision, { type: 'register-firm', id: randomUUID(), firm: command.firm, study: c.study }, { today });
          firm.state = reg.state;
          firm.events.push(...reg.events);
          firmsCreated.push(command.firm);
        }
        firms.set(command.firm, firm);
      }
      try {
        const decided = this.decisions.decideOn(firmStream(command.firm), firmDecider, firm.state, firm.revision, command, { today });
        if (decided.events.length === 0) alreadyPresent += 1;
        firm.state = decided.state;
        firm.events.push(...decided.events);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const lineProblems = err instanceof InvalidInputError ? err.problems : [{ field: 'firm', message: err.message }];
        problems.push(...lineProblems.map((p) => ({ ...p, line })));
      }
      c.onProgress?.({ stage: 'checking', done: ++done, total: commands.length });
    }
    if (problems.length) throw new ImportRejectedError(problems);

    for (const [firm, f] of firms) {
      batches.push({ streamId: firmStream(firm), events: f.events, expectedRevision: f.revision, stateAfter: f.state });
    }
    const total = batches.reduce((n, b) => n + b.events.length, 0);
    c.onProgress?.({ stage: 'appending', done: 0, total });
    const results = await this.decisions.append(batches);
    const appended = results.reduce((n, r) => n + r.appended, 0);
    await this.projections.catchUp({ onProgress: (d, head) => c.onProgress?.({ stage: 'projecting', done: d, total: head }) });
    return { lines: commands.length, appended, alreadyPresent, firmsCreated, studiesCreated };
  }
}
