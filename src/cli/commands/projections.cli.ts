import type { Command } from 'commander';
import { RebuildProjectionsCommand } from '../../application/commands/projections.commands.js';
import { ProjectionStatusQuery } from '../../application/queries/catalog.queries.js';
import { withApp } from '../app-context.js';
import { ProgressBar } from '../progress.js';
import { action, type Io } from '../run.js';

export function registerProjectionCommands(program: Command, io: Io): void {
  const projections = program.command('projections').description('read models built from the event log');
  projections
    .command('status')
    .description('each projection with its version, checkpoint and lag behind the log')
    .option('--json', 'print JSON')
    .action(
      action(io, async (opts: { json?: boolean }, cmd: Command) => {
        const status = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new ProjectionStatusQuery()));
        if (opts.json) return io.out(JSON.stringify(status, null, 2));
        io.out(`${'projection'.padEnd(14)} version  position      head   lag`);
        for (const s of status) {
          io.out(`${s.name.padEnd(14)} ${String(s.version).padStart(7)} ${String(s.position).padStart(9)} ${String(s.head).padStart(9)} ${String(s.lag).padStart(5)}`);
        }
      }),
    );
  projections
    .command('rebuild [name]')
    .description('truncate the read models (all, or the one named) and replay the whole log into them')
    .action(
      action(io, async (name: string | undefined, _opts: unknown, cmd: Command) => {
        const bar = new ProgressBar();
        const rebuilt = await withApp(cmd.optsWithGlobals(), ({ commands }) =>
          commands.execute(new RebuildProjectionsCommand(name ? [name] : [], (done, head) => bar.update('rebuilding', done, head))),
        );
        bar.done();
        io.err(`rebuilt ${rebuilt.join(', ')}`);
      }),
    );
}
