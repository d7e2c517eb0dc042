import { Option, type Command } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExportStudyQuery, ImportArchiveCommand } from '../../application/archive/archive.handlers.js';
import { EVENTS_FILE, MANIFEST_FILE, parseArchive } from '../../application/archive/archive-format.js';
import { InvalidInputError } from '../../domain/errors.js';
import { withApp, type GlobalOptions } from '../app-context.js';
import { UsageError } from '../exit-codes.js';
import { action, type Io } from '../run.js';

export function registerArchiveCommands(program: Command, io: Io): void {
  program
    .command('export')
    .description("archive a study's complete log (events, corrections, codings, who and when) with a SHA-256 manifest")
    .requiredOption('--study <id>', 'the study')
    .addOption(new Option('--format <format>', 'archive format').choices(['jsonl']).default('jsonl'))
    .option('--out <dir>', 'folder to write events.jsonl and manifest.json into (default: ./<study>-archive)')
    .addHelpText('after', '\nThe archive re-imports with `strata import <dir>` into an empty database and reproduces identical reports.\n')
    .action(
      action(io, async (opts: { study: string; out?: string }, cmd: Command) => {
        const archive = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new ExportStudyQuery(opts.study)));
        const dir = opts.out ?? `${opts.study}-archive`;
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, EVENTS_FILE), archive.events);
        await writeFile(join(dir, MANIFEST_FILE), archive.manifest);
        io.out(archive.summary.sha256);
        io.err(`exported study ${opts.study}: ${archive.summary.events} event(s) in ${archive.summary.streams} stream(s) to ${dir}/ (sha256 ${archive.summary.sha256})`);
      }),
    );
}

/** `strata import <dir>`: an archive folder written by `strata export`. */
export async function importArchive(dir: string, options: GlobalOptions, io: Io): Promise<void> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${join(dir, name)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const parsed = parseArchive(await read(EVENTS_FILE), await read(MANIFEST_FILE));
  if ('problems' in parsed) throw new InvalidInputError(parsed.problems);
  const r = await withApp(options, ({ commands }) => commands.execute(new ImportArchiveCommand(parsed.events, parsed.manifest)));
  io.err(`imported the archive of study ${r.study}: ${r.events} event(s), checksum verified`);
}
