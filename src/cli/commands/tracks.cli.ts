import type { Command } from 'commander';
import { GetTracksQuery } from '../../application/queries/tracks.query.js';
import { withApp } from '../app-context.js';
import { action, type Io } from '../run.js';

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

export function registerTracksCommand(program: Command, io: Io): void {
  program
    .command('tracks <firm>')
    .description('declared and enacted orientation, goal ambiguity and the proposed phase, period by period; and the phases')
    .option('--as-of <date>', 'the firm as it stood then (occurred date)')
    .option('--known-at <time>', 'only what had been logged by then (YYYY-MM-DD or ISO timestamp)')
    .option('--json', 'print JSON')
    .action(
      action(io, async (firm: string, opts: { asOf?: string; knownAt?: string; json?: boolean }, cmd: Command) => {
        const r = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new GetTracksQuery(firm, opts.asOf, opts.knownAt)));
        if (opts.json) return io.out(JSON.stringify(r, null, 2));
        io.out(`${firm}: ${r.pattern || 'no phases'} (${r.method})`);
        io.out(`${'period'.padEnd(8)} declared  enacted  ambiguity  label`);
        for (const t of r.tracks) io.out(`${t.period.padEnd(8)} ${signed(t.declared).padStart(8)} ${signed(t.enacted).padStart(8)} ${t.ambiguity.toFixed(2).padStart(10)}  ${t.label}`);
        io.out('\nphases:');
        for (const p of r.phases) io.out(`  ${p.from} .. ${p.to}  ${p.label}`);
      }),
    );
}
