import type { Command } from 'commander';
import { CreateStudyCommand, RegisterFirmCommand } from '../../application/commands/study-and-firm.commands.js';
import { CreateStudyDto, RegisterFirmDto } from '../../application/dto/catalog.dto.js';
import { ListFirmsQuery, ListStudiesQuery } from '../../application/queries/catalog.queries.js';
import { withApp } from '../app-context.js';
import { action, validated, type Io } from '../run.js';

export function registerCatalogCommands(program: Command, io: Io): void {
  program
    .command('init')
    .description('create the database (schema and read models) and optionally a study')
    .option('--study <id>', 'also create this study (a slug)')
    .option('--name <name>', 'display name of the study')
    .action(
      action(io, async (opts: { study?: string; name?: string }, cmd: Command) => {
        const dto = opts.study ? validated(CreateStudyDto, { id: opts.study, name: opts.name }) : undefined;
        await withApp(cmd.optsWithGlobals(), async ({ commands, config }) => {
          if (dto) {
            const r = await commands.execute(new CreateStudyCommand(dto.id, dto.name, undefined, true));
            io.err(r.created ? `created study ${dto.id}` : `study ${dto.id} already exists`);
          }
          io.err(`database ready: ${config.store === 'sqlite' ? config.dbPath : config.store}`);
        });
      }),
    );

  const study = program.command('study').description('create and list studies');
  study
    .command('add <id>')
    .description('create a study (a research project holding several firms)')
    .option('--name <name>', 'display name')
    .option('--description <text>', 'what the study is about')
    .action(
      action(io, async (id: string, opts: { name?: string; description?: string }, cmd: Command) => {
        const dto = validated(CreateStudyDto, { id, name: opts.name, description: opts.description });
        await withApp(cmd.optsWithGlobals(), ({ commands }) =>
          commands.execute(new CreateStudyCommand(dto.id, dto.name, dto.description)),
        );
        io.err(`created study ${id}`);
      }),
    );
  study
    .command('list')
    .description('list studies')
    .option('--json', 'print JSON')
    .action(
      action(io, async (opts: { json?: boolean }, cmd: Command) => {
        const studies = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new ListStudiesQuery()));
        if (opts.json) io.out(JSON.stringify(studies, null, 2));
        else for (const s of studies) io.out(`${s.id}\t${s.firms} firm(s)\t${s.name}`);
      }),
    );

  const firm = program.command('firm').description('register and list firms');
  firm
    .command('add <id>')
    .description('register a firm (a case) in a study; the study is created if new')
    .option('--study <id>', 'study the firm belongs to', 'default')
    .option('--name <name>', 'display name (a pseudonym)')
    .option('--description <text>', 'what the firm does')
    .action(
      action(io, async (id: string, opts: { study: string; name?: string; description?: string }, cmd: Command) => {
        const dto = validated(RegisterFirmDto, { id, study: opts.study, name: opts.name, description: opts.description });
        await withApp(cmd.optsWithGlobals(), ({ commands }) =>
          commands.execute(new RegisterFirmCommand(dto.id, dto.study, dto.name, dto.description)),
        );
        io.err(`registered firm ${id} in study ${opts.study}`);
      }),
    );
  firm
    .command('list')
    .description('list firms with their event counts')
    .option('--study <id>', 'only this study')
    .option('--json', 'print JSON')
    .action(
      action(io, async (opts: { study?: string; json?: boolean }, cmd: Command) => {
        const firms = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new ListFirmsQuery(opts.study)));
        if (opts.json) io.out(JSON.stringify(firms, null, 2));
        else for (const f of firms) io.out(`${f.id}\t${f.study}\t${f.eventCount} event(s)\t${f.name}`);
      }),
    );
}
