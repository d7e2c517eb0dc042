import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerArchiveCommands } from './commands/archive.cli.js';
import { registerCatalogCommands } from './commands/catalog.cli.js';
import { registerCodingCommands } from './commands/coding.cli.js';
import { registerCompareCommands } from './commands/compare.cli.js';
import { registerCorrectionCommands } from './commands/corrections.cli.js';
import { registerImportCommand } from './commands/import.cli.js';
import { registerLogCommands } from './commands/log.cli.js';
import { registerMigrateStoreCommand } from './commands/migrate-store.cli.js';
import { registerProjectionCommands } from './commands/projections.cli.js';
import { registerReplayCommand } from './commands/replay.cli.js';
import { registerReportCommand } from './commands/report.cli.js';
import { registerServeCommand } from './commands/serve.cli.js';
import { registerTimelineCommand } from './commands/timeline.cli.js';
import { registerTracksCommand } from './commands/tracks.cli.js';
import { EXIT } from './exit-codes.js';
import { processIo, type Io } from './run.js';

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('strata')
    .description(
      'Strata: log how firms strategize (decisions, ownership changes, demand shifts, planning routines),\n' +
        'replay their timelines and report their phase patterns between customization and cost focus.',
    )
    .version('0.1.0')
    .option('--db <path|url>', 'SQLite database file, or a postgres:// URL for server mode (env STRATA_DB; default ./strata.db)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      '\nEnvironment: STRATA_DB, STRATA_EVENT_STORE (sqlite|postgres|kurrentdb), DATABASE_URL, STRATA_USER.\n' +
        'Exit codes: 0 success, 2 invalid input, 1 other failure.\n',
    );
  registerCatalogCommands(program, io);
  registerLogCommands(program, io);
  registerImportCommand(program, io);
  registerTimelineCommand(program, io);
  registerReportCommand(program, io);
  registerTracksCommand(program, io);
  registerReplayCommand(program, io);
  registerCompareCommands(program, io);
  registerCorrectionCommands(program, io);
  registerCodingCommands(program, io);
  registerArchiveCommands(program, io);
  registerServeCommand(program, io);
  registerProjectionCommands(program, io);
  registerMigrateStoreCommand(program, io);
  // Subcommands inherit exitOverride only when set on each; usage errors must exit 2, not 1.
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  // `strata replay ravn | head`: a closed pipe ends the output, it is not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
      process.exitCode = ok ? EXIT.ok : EXIT.invalid;
      return;
    }
    throw err;
  }
}
