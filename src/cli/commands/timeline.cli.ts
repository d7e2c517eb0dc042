import type { Command } from 'commander';
import { GetTimelineQuery, type FirmTimeline } from '../../application/queries/timeline.query.js';
import { withApp } from '../app-context.js';
import { action, type Io } from '../run.js';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** A plain-text table: dates keep their precision, so `2004` reads as "sometime in 2004". */
export function formatTimeline(t: FirmTimeline): string {
  const head = `${t.firm.name} (${t.firm.id}, study ${t.firm.study})${t.asOf ? ` as of ${t.asOf}` : ''}${t.knownAt ? ` as known at ${t.knownAt}` : ''}: ${t.entries.length} event(s)`;
  const rows = t.entries.map((e) =>
    [e.occurred.padEnd(10), e.kind.padEnd(29), e.mode.padEnd(11), signed(e.orientation).padStart(2), ` ${e.title}`].join(' '),
  );
  const phases = t.declaredPhases.map((p) => `  ${p.from} .. ${p.to}  ${p.label}`);
  return [head, '', `${'occurred'.padEnd(10)} ${'kind'.padEnd(29)} ${'mode'.padEnd(11)} or  title`, ...rows, ...(phases.length ? ['', 'declared phases:', ...phases] : [])].join('\n');
}

export function registerTimelineCommand(program: Command, io: Io): void {
  program
    .command('timeline <firm>')
    .description("a firm's events in timeline order (imprecise dates ordered by the rule in the README)")
    .option('--as-of <date>', 'the firm as it stood then: only events that had begun by this date')
    .option('--known-at <time>', 'only what had been logged by then (YYYY-MM-DD or ISO timestamp), corrections included')
    .option('--json', 'print JSON')
    .action(
      action(io, async (firm: string, opts: { asOf?: string; knownAt?: string; json?: boolean }, cmd: Command) => {
        const t = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new GetTimelineQuery(firm, opts.asOf, opts.knownAt)));
        io.out(opts.json ? JSON.stringify(t, null, 2) : formatTimeline(t));
      }),
    );
}
