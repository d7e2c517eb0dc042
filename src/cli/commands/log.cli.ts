import { Option, type Command } from 'commander';
import { DeclarePhaseCommand, LogEventCommand } from '../../application/commands/log-event.commands.js';
import { DeclarePhaseDto } from '../../application/dto/catalog.dto.js';
import { EventInputDto } from '../../application/dto/event-input.dto.js';
import { CONFIDENCE_LEVELS, EVENT_KINDS, KIND_FIELDS, MODES } from '../../domain/vocabulary.js';
import { withApp } from '../app-context.js';
import { collect, KIND_FLAGS, numeric, parseSource } from './event-flags.js';
import { action, validated, type Io } from '../run.js';

export function registerLogCommands(program: Command, io: Io): void {
  const log = program
    .command('log <kind>')
    .description(`log a field event; kind is one of: ${EVENT_KINDS.join(', ')}`)
    .requiredOption('--firm <id>', 'the firm (a slug)')
    .requiredOption('--occurred <date>', 'when it happened: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD')
    .requiredOption('--title <text>', 'one line, at most 200 characters')
    .option('--description <text>', 'free text, at most 10,000 characters')
    .addOption(new Option('--mode <mode>', 'coding: default depends on the kind').choices([...MODES]))
    .option('--orientation <n>', 'integer -2 (cost) .. +2 (customization); default 0')
    .option('--claims-responsiveness', 'the act still promises customer responsiveness')
    .option('--source <kind:ref[:informant]>', 'a source (repeatable), e.g. interview:INT-03:CFO', collect)
    .addOption(new Option('--confidence <level>', 'default medium').choices([...CONFIDENCE_LEVELS]))
    .option('--tag <tag>', 'a tag (repeatable)', collect)
    .option('--coder <name>', 'the researcher who coded it (default: you, from STRATA_USER)')
    .option('--id <uuid>', 'your id for the event; logging the same id twice appends it once');
  for (const { flag, help } of Object.values(KIND_FLAGS)) log.option(flag, help);
  log.addHelpText(
    'after',
    `\nRequired per kind:\n${EVENT_KINDS.map((k) => `  ${k.padEnd(31)} ${KIND_FIELDS[k].required.join(', ') || '-'}`).join('\n')}\n` +
      `\nExample:\n  strata log strategy-decision --firm ravn --occurred 2002-01-20 --title "Town hall: cost leader" --orientation -2 --source interview:INT-03:CEO\n`,
  );
  log.action(
    action(io, async (kind: string, opts: Record<string, any>, cmd: Command) => {
      const input: Record<string, unknown> = {
        id: opts.id,
        firm: opts.firm,
        kind,
        occurred: opts.occurred,
        title: opts.title,
        description: opts.description,
        mode: opts.mode,
        orientation: numeric(opts.orientation),
        claimsResponsiveness: opts.claimsResponsiveness,
        sources: opts.source?.map(parseSource),
        confidence: opts.confidence,
        tags: opts.tag,
        coder: opts.coder,
      };
      for (const field of Object.keys(KIND_FLAGS)) input[field] = field === 'magnitudePct' ? numeric(opts[field]) : opts[field];
      validated(EventInputDto, input);
      const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const logged = await withApp(cmd.optsWithGlobals(), ({ commands }) => commands.execute(new LogEventCommand(present)));
      io.out(logged.id);
      io.err(logged.appended ? `logged ${kind} for ${logged.firm}` : `already logged (id ${logged.id}); nothing appended`);
    }),
  );

  const phase = program.command('phase').description("the researcher's own phases (temporal bracketing)");
  phase
    .command('declare')
    .description('declare a phase you see in a firm, shown beside the detected phases in its report')
    .requiredOption('--firm <id>', 'the firm')
    .requiredOption('--from <date>', 'first period, e.g. 1996 or 1996-03')
    .requiredOption('--to <date>', 'last period')
    .requiredOption('--label <label>', 'customization, cost, mixed, decoupled, ambiguity, or your refinement')
    .option('--description <text>', 'why you bracket it so')
    .option('--id <uuid>', 'your id for it')
    .action(
      action(io, async (opts: Record<string, string | undefined>, cmd: Command) => {
        const dto = validated(DeclarePhaseDto, { ...opts });
        const r = await withApp(cmd.optsWithGlobals(), ({ commands }) =>
          commands.execute(new DeclarePhaseCommand(dto.firm!, dto.from, dto.to, dto.label, dto.description, dto.id)),
        );
        io.out(r.id);
        io.err(`declared phase ${dto.label} (${dto.from} to ${dto.to}) for ${dto.firm}`);
      }),
    );
}
