import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { GetReportQuery } from '../../application/queries/report.query.js';
import { withApp } from '../app-context.js';
import { action, type Io } from '../run.js';

export function registerReportCommand(program: Command, io: Io): void {
  program
    .command('report <firm>')
    .description("a firm's phase-pattern report: tracks, phases, pattern, mechanism checks, method")
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json', 'html']).default('md'))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--figure <file>', 'also write a standalone SVG figure (for a paper) to this file')
    .option('--as-of <date>', 'the firm as it stood then (occurred date)')
    .option('--known-at <time>', 'only what had been logged by then (YYYY-MM-DD or ISO timestamp)')
    .addOption(new Option('--period <p>', 'period of the tracks').choices(['month', 'quarter', 'year']))
    .action(
      action(io, async (firm: string, opts: { format: string; out?: string; figure?: string; asOf?: string; knownAt?: string; period?: 'month' | 'quarter' | 'year' }, cmd: Command) => {
        const params = opts.period ? { granularity: opts.period } : {};
        const { report, figure } = await withApp(cmd.optsWithGlobals(), async ({ queries }) => ({
          report: await queries.execute(new GetReportQuery(firm, opts.format, opts.asOf, params, opts.knownAt)),
          figure: opts.figure ? await queries.execute(new GetReportQuery(firm, 'svg', opts.asOf, params, opts.knownAt)) : undefined,
        }));
        if (opts.out) {
          await writeFile(opts.out, report.bytes);
          io.err(`wrote ${opts.format} report for ${firm} to ${opts.out}`);
        } else io.out(report.body);
        if (opts.figure && figure) {
          await writeFile(opts.figure, figure.bytes);
          io.err(`wrote figure to ${opts.figure}`);
        }
      }),
    );
}
