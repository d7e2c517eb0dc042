import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { CompareQuery, ExportEventsQuery, ExportSequencesQuery } from '../../application/queries/export.queries.js';
import { withApp } from '../app-context.js';
import { action, type Io } from '../run.js';

type Period = 'month' | 'quarter' | 'year';

async function emit(io: Io, body: string, out: string | undefined, what: string): Promise<void> {
  if (!out) return io.out(body);
  await writeFile(out, body);
  io.err(`wrote ${what} to ${out}`);
}

export function registerCompareCommands(program: Command, io: Io): void {
  program
    .command('compare')
    .description("cross-case comparison: each firm's pattern, pattern frequencies, optimal-matching distances, clusters")
    .option('--study <id>', 'only the firms of this study (default: all firms)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json', 'html']).default('md'))
    .addOption(new Option('--period <p>', 'period of the sequences').choices(['month', 'quarter', 'year']))
    .option('--known-at <time>', 'only what had been logged by then')
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nDistances are optimal matching between per-period phase sequences (substitution 2, insertion/deletion 1: TraMineR\'s defaults); firms are clustered by average linkage.\n')
    .action(
      action(io, async (opts: { study?: string; format: string; period?: Period; knownAt?: string; out?: string }, cmd: Command) => {
        const params = opts.period ? { granularity: opts.period } : {};
        const r = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new CompareQuery(opts.format, opts.study, params, opts.knownAt)));
        await emit(io, r.body, opts.out, `the ${opts.format} comparison`);
      }),
    );

  program
    .command('export-events')
    .description('events (current coding) and researcher phases as FORMAT.md JSON Lines or CSV, re-importable with `strata import`')
    .option('--study <id>', 'only this study')
    .option('--firm <id>', 'only this firm')
    .addOption(new Option('--format <format>').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(
      action(io, async (opts: { study?: string; firm?: string; format: string; out?: string }, cmd: Command) => {
        const r = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new ExportEventsQuery(opts.format, opts.firm, opts.study)));
        await emit(io, r.body, opts.out, `${r.lines} line(s)`);
      }),
    );

  program
    .command('export-sequences')
    .description("phase sequences for R: TraMineR's STS shape (one row per firm, one column per period), as CSV")
    .option('--study <id>', 'only this study')
    .addOption(new Option('--period <p>').choices(['month', 'quarter', 'year']).default('month'))
    .addOption(new Option('--align <a>', 'calendar: columns are periods; start: columns count periods from each firm\'s first').choices(['calendar', 'start']).default('calendar'))
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nIn R: library(TraMineR); d <- read.csv("seq.csv"); s <- seqdef(d, var = 2:ncol(d), id = d$id)\n')
    .action(
      action(io, async (opts: { study?: string; period: Period; align: 'calendar' | 'start'; out?: string }, cmd: Command) => {
        const r = await withApp(cmd.optsWithGlobals(), ({ queries }) =>
          queries.execute(new ExportSequencesQuery(opts.study, { granularity: opts.period }, opts.align)),
        );
        await emit(io, r.body, opts.out, `${r.firms} firm sequence(s)`);
      }),
    );
}
