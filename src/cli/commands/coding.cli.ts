import type { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { CodeEventsCommand, PublishCodebookCommand, type CodingRow } from '../../application/commands/coding.commands.js';
import { ImportRejectedError } from '../../application/commands/import-events.command.js';
import { parseCsv, toCsv } from '../../reports/csv.js';
import { ListFirmsQuery } from '../../application/queries/catalog.queries.js';
import { AgreementQuery, GetCodebookQuery } from '../../application/queries/research.queries.js';
import { GetTimelineQuery } from '../../application/queries/timeline.query.js';
import { withApp } from '../app-context.js';
import { UsageError } from '../exit-codes.js';
import { action, type Io } from '../run.js';
import { numeric } from './event-flags.js';

const SHEET_COLUMNS = ['eventId', 'firm', 'occurred', 'kind', 'title', 'description', 'sources', 'mode', 'orientation', 'note'];

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const k = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

export function registerCodingCommands(program: Command, io: Io): void {
  const coding = program.command('coding').description('blind second coding by another researcher');
  coding
    .command('sheet')
    .description('a coding sheet (CSV) of events without their coding, for a second coder to fill in blind')
    .option('--firm <id>', 'one firm')
    .option('--study <id>', 'every firm of a study')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(
      action(io, async (opts: { firm?: string; study?: string; out?: string }, cmd: Command) => {
        if (!opts.firm && !opts.study) throw new UsageError('give --firm or --study');
        const rows = await withApp(cmd.optsWithGlobals(), async ({ queries }) => {
          const firms = opts.firm ? [opts.firm] : (await queries.execute(new ListFirmsQuery(opts.study))).map((f) => f.id);
          const out: string[][] = [];
          for (const firm of firms) {
            for (const e of (await queries.execute(new GetTimelineQuery(firm))).entries) {
              const sources = e.sources.map((s) => `${s.kind}:${s.ref}${s.informant ? `:${s.informant}` : ''}`).join(';');
              out.push([e.id, e.firm, e.occurred, e.kind, e.title, e.description ?? '', sources, '', '', '']);
            }
          }
          return out;
        });
        const text = toCsv([SHEET_COLUMNS, ...rows]);
        if (opts.out) {
          await writeFile(opts.out, text);
          io.err(`wrote a coding sheet of ${rows.length} event(s) to ${opts.out}; fill in mode and orientation, then: strata coding import ${opts.out} --coder NAME`);
        } else io.out(text);
      }),
    );
  coding
    .command('import <file>')
    .description("record a coder's filled-in coding sheet (all rows or none)")
    .requiredOption('--coder <name>', 'the researcher who coded the sheet')
    .action(
      action(io, async (file: string, opts: { coder: string }, cmd: Command) => {
        const [header, ...rows] = parseCsv(await readText(file));
        const col = (name: string) => header?.indexOf(name) ?? -1;
        for (const name of ['eventId', 'mode', 'orientation']) {
          if (col(name) < 0) throw new ImportRejectedError([{ line: 1, field: name, message: 'column is missing' }]);
        }
        const codings: CodingRow[] = rows
          .map((cells, i) => ({ cells, line: i + 2 }))
          .filter(({ cells }) => (cells[col('mode')] ?? '').trim() !== '' || (cells[col('orientation')] ?? '').trim() !== '')
          .map(({ cells, line }) => {
            const note = col('note') >= 0 ? cells[col('note')]?.trim() : undefined;
            return {
              line,
              eventId: cells[col('eventId')]?.trim() ?? '',
              mode: cells[col('mode')]?.trim(),
              orientation: numeric(cells[col('orientation')]?.trim()),
              ...(note ? { note } : {}),
            };
          });
        const r = await withApp(cmd.optsWithGlobals(), ({ commands }) => commands.execute(new CodeEventsCommand(opts.coder, codings)));
        io.err(`recorded ${r.coded} coding(s) by ${opts.coder} (rows without mode and orientation were skipped)`);
      }),
    );

  program
    .command('agreement')
    .description("inter-coder agreement: per-field agreement and Cohen's kappa for mode and orientation, with the disagreements")
    .requiredOption('--coders <a,b>', 'the two coders to compare')
    .option('--firm <id>', 'one firm')
    .option('--study <id>', 'every firm of a study (default: all firms)')
    .option('--json', 'print JSON')
    .action(
      action(io, async (opts: { coders: string; firm?: string; study?: string; json?: boolean }, cmd: Command) => {
        const [a, b, ...rest] = opts.coders.split(',').map((s) => s.trim());
        if (!a || !b || rest.length) throw new UsageError('--coders takes two names separated by a comma, e.g. --coders ann,bo');
        const r = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new AgreementQuery(a, b, opts.firm, opts.study)));
        if (opts.json) return io.out(JSON.stringify(r, null, 2));
        io.out(`agreement between ${a} and ${b} (${r.scope}): ${r.units} event(s) coded by both; ${r.onlyA} only by ${a}, ${r.onlyB} only by ${b}`);
        io.out(`${'field'.padEnd(22)} ${'agreement'.padStart(9)} ${'kappa'.padStart(7)}`);
        for (const f of r.fields) io.out(`${f.field.padEnd(22)} ${pct(f.agreement).padStart(9)} ${k(f.kappa).padStart(7)}`);
        if (r.disagreements.length) {
          io.out(`\ndisagreements to resolve (${r.disagreements.length}):`);
          for (const d of r.disagreements) {
            io.out(`  ${d.eventId}  ${d.firm} ${d.occurred} ${d.title}\n    ${d.fields.map((f) => `${f.field}: ${a}=${f.a} ${b}=${f.b}`).join('; ')}`);
          }
        }
      }),
    );

  const codebook = program.command('codebook').description("a study's codebook: kinds, modes and the orientation scale with definitions");
  codebook
    .command('show')
    .description('the codebook in force (version 0 is the built-in one)')
    .requiredOption('--study <id>', 'the study')
    .option('--known-at <time>', 'the version in force at this recorded time')
    .option('--json', 'print JSON')
    .action(
      action(io, async (opts: { study: string; knownAt?: string; json?: boolean }, cmd: Command) => {
        const c = await withApp(cmd.optsWithGlobals(), ({ queries }) => queries.execute(new GetCodebookQuery(opts.study, opts.knownAt)));
        if (opts.json) return io.out(JSON.stringify(c, null, 2));
        io.out(`codebook of study ${c.study}, version ${c.version}${c.publishedAt ? ` (published ${c.publishedAt})` : ' (built-in)'}`);
        for (const [section, defs] of Object.entries(c.codebook)) {
          io.out(`\n${section}:`);
          for (const [code, def] of Object.entries(defs as Record<string, { definition: string; examples?: string[] }>)) {
            io.out(`  ${code.padEnd(31)} ${def.definition}${def.examples?.length ? `\n  ${''.padEnd(31)} e.g. ${def.examples.join(' | ')}` : ''}`);
          }
        }
      }),
    );
  codebook
    .command('publish <file>')
    .description('publish a new codebook version from a JSON file {kinds, modes, orientation}')
    .requiredOption('--study <id>', 'the study')
    .option('--note <text>', 'what changed')
    .action(
      action(io, async (file: string, opts: { study: string; note?: string }, cmd: Command) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await readText(file));
        } catch (err) {
          if (err instanceof UsageError) throw err;
          throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
        }
        const r = await withApp(cmd.optsWithGlobals(), ({ commands }) => commands.execute(new PublishCodebookCommand(opts.study, parsed, opts.note)));
        io.err(`published codebook version ${r.version} for study ${r.study}`);
      }),
    );
}
