import { Option, type Command } from 'commander';
import { AttachEvidenceCommand, RecodeEventCommand, RetractEventCommand } from '../../application/commands/corrections.commands.js';
import { FindEvidenceQuery, GetEventHistoryQuery } from '../../application/queries/research.queries.js';
import { CONFIDENCE_LEVELS, MODES } from '../../domain/vocabulary.js';
import { withApp } from '../app-context.js';
import { UsageError } from '../exit-codes.js';
import { action, type Io } from '../run.js';
import { collect, KIND_FLAGS, numeric, parseSource } from './event-flags.js';

function booleanFlag(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`${flag} takes true or false (got "${value}")`);
}

export function registerCorrectionCommands(program: Command, io: Io): void {
  const recode = program
    .command('recode <eventId>')
    .description('change how an event is coded; a new event records the change, the original stays in the log')
    .requiredOption('--reason <text>', 'why (required: the audit trail)')
    .option('--firm <id>', 'the firm (found from the event id when left out)')
    .addOption(new Option('--mode <mode>').choices([...MODES]))
    .option('--orientation <n>', 'integer -2 (cost) .. +2 (customization)')
    .option('--occurred <date>', 'corrected date: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD')
    .option('--claims-responsiveness <bool>', 'true or false')
    .addOption(new Option('--confidence <level>').choices([...CONFIDENCE_LEVELS]))
    .option('--tag <tag>', 'replace the tags (repeatable)', collect)
    .option('--coder <name>', 'who made the recode (default: you)');
  for (const { flag, help } of Object.values(KIND_FLAGS)) recode.option(flag, help);
  recode.action(
    action(io, async (eventId: string, opts: Record<string, any>, cmd: Command) => {
      const changes: Record<string, unknown> = {
        mode: opts.mode,
        orientation: numeric(opts.orientation),
        occurred: opts.occurred,
        claimsResponsiveness: booleanFlag(opts.claimsResponsiveness, '--claims-responsiveness'),
        confidence: opts.confidence,
        tags: opts.tag,
      };
      for (const field of Object.keys(KIND_FLAGS)) changes[field] = field === 'magnitudePct' ? numeric(opts[field]) : opts[field];
      const present = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const r = await withApp(cmd.optsWithGlobals(), ({ commands }) =>
        commands.execute(new RecodeEventCommand(eventId, present, opts.reason, opts.coder, opts.firm)),
      );
      io.out(r.id);
      io.err(`recoded ${eventId} (${Object.keys(present).join(', ')}) in ${r.firm}`);
    }),
  );

  program
    .command('retract <eventId>')
    .description('withdraw an event from timelines and reports from now on; the log keeps it and the reason')
    .requiredOption('--reason <text>', 'why (required)')
    .option('--firm <id>', 'the firm (found from the event id when left out)')
    .action(
      action(io, async (eventId: string, opts: { reason: string; firm?: string }, cmd: Command) => {
        const r = await withApp(cmd.optsWithGlobals(), ({ commands }) => commands.execute(new RetractEventCommand(eventId, opts.reason, opts.firm)));
        io.out(r.id);
        io.err(`retracted ${eventId} in ${r.firm}`);
      }),
    );

  program
    .command('history <eventId>')
    .description('an event as first logged and every recode, retraction, added evidence and coding since: who and when')
    .option('--firm <id>', 'the firm (found from the event id when left out)')
    .option('--json', 'print JSON')
    .action(
      action(io, async (eventId: string, opts: { firm?: string; json?: boolean }, cmd: Command) => {
        const h = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new GetEventHistoryQuery(eventId, opts.firm)));
        if (opts.json) return io.out(JSON.stringify(h, null, 2));
        io.out(`history of ${eventId} (firm ${h.firm}):`);
        for (const step of h.history) {
          const d = step.data as Record<string, unknown>;
          const detail =
            step.type === 'event-recoded' ? `${JSON.stringify(d.changes)} — ${d.reason}`
            : step.type === 'event-retracted' ? `${d.reason}`
            : step.type === 'evidence-attached' ? JSON.stringify(d.sources)
            : step.type === 'event-coded' ? `${d.coder}: ${d.mode} ${d.orientation}`
            : `${d.occurred} ${d.title} (${d.mode} ${d.orientation})`;
          io.out(`  ${step.recordedAt}  ${step.recordedBy.padEnd(12)} ${step.type.padEnd(22)} ${detail}`);
        }
      }),
    );

  const evidence = program.command('evidence').description('sources behind events');
  evidence
    .command('add <eventId>')
    .description('attach further sources to an event')
    .requiredOption('--source <kind:ref[:informant]>', 'a source (repeatable)', collect)
    .option('--quote <text>', 'a quote, attached to the first source given')
    .option('--firm <id>', 'the firm (found from the event id when left out)')
    .action(
      action(io, async (eventId: string, opts: { source: string[]; quote?: string; firm?: string }, cmd: Command) => {
        const sources = opts.source.map(parseSource);
        if (opts.quote) sources[0] = { ...sources[0]!, quote: opts.quote };
        const r = await withApp(cmd.optsWithGlobals(), ({ commands }) => commands.execute(new AttachEvidenceCommand(eventId, sources, opts.firm)));
        io.out(r.id);
        io.err(`attached ${sources.length} source(s) to ${eventId}`);
      }),
    );
  evidence
    .command('find')
    .description('every event resting on a source (e.g. interview INT-07) or an informant')
    .option('--ref <ref>', 'source reference, e.g. INT-07')
    .option('--informant <role>', 'informant, e.g. CFO')
    .option('--study <id>', 'only this study')
    .option('--json', 'print JSON')
    .action(
      action(io, async (opts: { ref?: string; informant?: string; study?: string; json?: boolean }, cmd: Command) => {
        const found = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new FindEvidenceQuery(opts.ref, opts.informant, opts.study)));
        if (opts.json) return io.out(JSON.stringify(found, null, 2));
        for (const m of found) {
          const via = m.sources.map((s) => `${s.kind}:${s.ref}${s.informant ? `:${s.informant}` : ''}`).join('; ');
          io.out(`${m.firm}\t${m.occurred}\t${m.kind}\t${m.title}\t[${via}]\t${m.eventId}`);
        }
        io.err(`${found.length} event(s)`);
      }),
    );
}
