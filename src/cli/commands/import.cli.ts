import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { ImportEventsCommand } from '../../application/commands/import-events.command.js';
import { parseEventFile } from '../../application/interchange/event-lines.js';
import { withApp } from '../app-context.js';
import { importArchive } from './archive.cli.js';
import { UsageError } from '../exit-codes.js';
import { ProgressBar } from '../progress.js';
import { action, type Io } from '../run.js';

export function registerImportCommand(program: Command, io: Io): void {
  program
    .command('import <file>')
    .description('import events from a FORMAT.md JSON Lines file (or .csv), or an archive folder from `strata export`; all or nothing')
    .option('--study <id>', 'study for firms the file creates', 'default')
    .addHelpText('after', '\nOne invalid line rejects the whole file: every problem is listed by line and field, and nothing is appended.\nLines whose id is already in the log are skipped, so importing a file twice appends it once.\n')
    .action(
      action(io, async (file: string, opts: { study: string }, cmd: Command) => {
        if ((await stat(file).catch(() => undefined))?.isDirectory()) return importArchive(file, cmd.optsWithGlobals(), io);
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (err) {
          throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        const parsed = parseEventFile(file, text);
        const bar = new ProgressBar();
        const result = await withApp(cmd.optsWithGlobals(), ({ commands }) =>
          commands.execute(new ImportEventsCommand(parsed.records, opts.study, (p) => bar.update(p.stage, p.done, p.total), parsed.problems)),
        );
        bar.done();
        io.err(
          `imported ${file}: ${result.lines} line(s), ${result.appended} event(s) appended, ${result.alreadyPresent} already present` +
            (result.firmsCreated.length ? `; new firm(s): ${result.firmsCreated.join(', ')}` : '') +
            (result.studiesCreated.length ? `; new study: ${result.studiesCreated.join(', ')}` : ''),
        );
      }),
    );
}
