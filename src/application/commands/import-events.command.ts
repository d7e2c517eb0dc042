import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DomainError, InvalidInputError, type FieldProblem } from '../../domain/errors.js';
import { firmStream, studyStream, type FirmEvent, type StudyEvent } from '../../domain/events.js';
import { normalizeFieldEvent, slugProblem } from '../../domain/field-event-rules.js';
import type { FirmCommand, FirmState } from '../../domain/firm-decider.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { firmDecider, studyDecider } from '../deciders.js';
import { DeclarePhaseDto } from '../dto/catalog.dto.js';
import { EventInputDto, rejectedOnlyByDto } from '../dto/event-input.dto.js';
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

/**
 * A line ready to decide. `checked` lines already passed the input DTO (phase lines, and lines
 * the domain rules alone would judge differently); the others are checked by deciding them, and
 * go through the DTO only when the decider rejects them, for the DTO's messages.
 */
interface LineToDecide {
  readonly line: number;
  readonly command: LineCommand;
  readonly record: unknown;
  readonly checked: boolean;
}

@CommandHandler(ImportEventsCommand)
export class ImportEventsHandler implements ICommandHandler<ImportEventsCommand> {
  constructor(
    private readonly decisions: StreamDecisions,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(c: ImportEventsCommand): Promise<ImportResult> {
    // Input problems (what the DTOs report) are listed first and alone, as when every line went
    // through class-validator before any was decided; rule problems only when there are none.
    const inputProblems: LineProblem[] = [...c.fileProblems];
    const ruleProblems: LineProblem[] = [];
    const lines: LineToDecide[] = [];
    for (const { line, record } of c.records) {
      const parsed = this.toLine(line, record);
      if ('problems' in parsed) (parsed.rule ? ruleProblems : inputProblems).push(...parsed.problems.map((p) => ({ ...p, line })));
      else lines.push(parsed);
    }
    if (inputProblems.length) {
      // The file is rejected before deciding: list the DTO's problems of the other lines as well.
      for (const { line, record, checked } of lines) {
        if (!checked) inputProblems.push(...(this.dtoProblems(record) ?? []).map((p) => ({ ...p, line })));
      }
      throw new ImportRejectedError(inputProblems.sort((a, b) => a.line - b.line));
    }

    // Firm states are folded afresh for the import (freshState) and decided on in place: the
    // states single commands share are never touched.
    return this.decideAndAppend(c, lines, inputProblems, ruleProblems);
  }

  private toLine(line: number, record: unknown): LineToDecide | { problems: FieldProblem[]; rule?: true } {
    const fields = typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : undefined;
    if (fields?.kind === 'phase-declared') {
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
      return { line, command, record, checked: true };
    }
    // The common case: a well-formed field event. The decider checks it against every rule of
    // FORMAT.md while deciding it, so it is not checked twice (and class-validator, at about
    // ten times the cost of the rules, runs only for lines that fail them).
    if (fields && !rejectedOnlyByDto(fields) && slugProblem(fields.firm) === undefined) {
      return { line, command: this.logEvent(fields), record, checked: false };
    }
    const { value, problems } = validateInput(EventInputDto, record);
    if (!value) return { problems };
    // Passed the DTO but not the firm rule (a slug longer than the domain allows).
    const firmProblem = slugProblem(value.firm);
    if (firmProblem) return { problems: [{ field: 'firm', message: firmProblem }], rule: true };
    return { line, command: this.logEvent(fields!), record, checked: true };
  }

  private logEvent(fields: Readonly<Record<string, unknown>>): LineCommand {
    // The rules ignore `id` among the fields, so the line itself is the input: no copy.
    const id = fields.id;
    return { type: 'log-event', id: typeof id === 'string' ? id : randomUUID(), input: fields, firm: fields.firm as string };
  }

  /** Problems the DTO finds in a line the decider rejected (or skipped), or undefined when it passes. */
  private dtoProblems(record: unknown): FieldProblem[] | undefined {
    const { problems } = validateInput(EventInputDto, record);
    return problems.length ? problems : undefined;
  }

  private async decideAndAppend(c: ImportEventsCommand, lines: readonly LineToDecide[], inputProblems: LineProblem[], ruleProblems: LineProblem[]) {
    const today = new Date();
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

    for (const { line, command, record, checked } of lines) {
      let firm = firms.get(command.firm);
      if (!firm) {
        const loaded = await this.decisions.freshState(firmStream(command.firm), firmDecider);
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
        if (decided.events.length === 0) {
          // The id is already in the log: skipped, but only a line that passes the input checks
          // (an unchecked line that fails the rules is re-checked by the DTO, as before).
          const problems = checked || command.type !== 'log-event' || normalizeFieldEvent(command.input, today).problems.length === 0 ? undefined : this.dtoProblems(record);
          if (problems) inputProblems.push(...problems.map((p) => ({ ...p, line })));
          else alreadyPresent += 1;
        } else {
          firm.state = decided.state;
          for (const e of decided.events) firm.events.push(e);
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const problems = checked ? undefined : this.dtoProblems(record);
        if (problems) inputProblems.push(...problems.map((p) => ({ ...p, line })));
        else {
          const lineProblems = err instanceof InvalidInputError ? err.problems : [{ field: 'firm', message: err.message }];
          ruleProblems.push(...lineProblems.map((p) => ({ ...p, line })));
        }
      }
      c.onProgress?.({ stage: 'checking', done: ++done, total: lines.length });
    }
    if (inputProblems.length) throw new ImportRejectedError(inputProblems.sort((a, b) => a.line - b.line));
    if (ruleProblems.length) throw new ImportRejectedError(ruleProblems.sort((a, b) => a.line - b.line));

    for (const [firm, f] of firms) {
      batches.push({ streamId: firmStream(firm), events: f.events, expectedRevision: f.revision, stateAfter: f.state });
    }
    const total = batches.reduce((n, b) => n + b.events.length, 0);
    c.onProgress?.({ stage: 'appending', done: 0, total });
    const results = await this.decisions.append(batches);
    const appended = results.reduce((n, r) => n + r.appended, 0);
    // The imported events are in the timeline and catalog when this returns; the per-firm
    // analysis (a re-computation of every touched firm) is settled a moment later, and before
    // anything reads it (ProjectionRunner.settleNow, or the next start).
    await this.projections.catchUp({ deferSettle: true, onProgress: (d, head) => c.onProgress?.({ stage: 'projecting', done: d, total: head }) });
    return { lines: lines.length, appended, alreadyPresent, firmsCreated, studiesCreated };
  }
}
