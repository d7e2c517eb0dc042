import type { Command } from 'commander';
import { existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DB_PATH, type StrataConfig } from '../../application/config.js';
import { openStorage, type Storage } from '../../application/storage.js';
import { studyStream } from '../../domain/events.js';
import { SLUG_PATTERN } from '../../domain/vocabulary.js';
import { copyStore, type CopyResult } from '../../event-store/copy-store.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { ALL_PROJECTIONS } from '../../projections/all-projections.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { ProgressBar } from '../progress.js';
import { action, type Io } from '../run.js';

/** Where a log lives, as given on the command line. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

const FORMS = 'sqlite:FILE or postgres://USER@HOST:PORT/DATABASE';

/** `sqlite:FILE` (also `sqlite://FILE`) or `postgres://...` / `postgresql://...`; anything else is a usage error. */
export function parseStoreLocation(flag: string, value: string): StoreLocation {
  const v = value.trim();
  if (/^sqlite:/i.test(v)) {
    const path = v.slice('sqlite:'.length).replace(/^\/\/(?=.)/, '');
    if (!path) throw new UsageError(`${flag}: sqlite: needs a file name, e.g. sqlite:./strata.db`);
    return { kind: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//i.test(v)) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new UsageError(`${flag}: "${redact(v)}" is not a valid PostgreSQL connection URL`);
    }
    if (url.pathname.replace(/^\//, '') === '') throw new UsageError(`${flag}: name the database in the URL, e.g. postgres://postgres@127.0.0.1:5432/strata`);
    return { kind: 'postgres', url: v };
  }
  if (/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i.test(v)) {
    throw new UsageError(`${flag}: migrate-store copies between SQLite and PostgreSQL only; KurrentDB is not supported (yet) as ${flag === '--from' ? 'a source' : 'a target'}`);
  }
  throw new UsageError(`${flag} must be ${FORMS} (got "${redact(v)}")`);
}

/** A URL without its password, for messages and output. */
function redact(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/:\/\/([^:/@]+):[^@/]*@/, '://$1:***@');
  }
}

export function describeLocation(l: StoreLocation): string {
  return l.kind === 'sqlite' ? `sqlite:${l.path}` : redact(l.url);
}

function sameLocation(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return a.path === b.path;
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    const [x, y] = [new URL(a.url), new URL(b.url)];
    const port = (u: URL) => u.port || '5432';
    return x.hostname === y.hostname && port(x) === port(y) && x.pathname === y.pathname;
  }
  return false;
}

function configFor(l: StoreLocation): StrataConfig {
  return l.kind === 'sqlite'
    ? { store: 'sqlite', dbPath: l.path, recordedBy: 'migrate-store' }
    : { store: 'postgres', dbPath: DEFAULT_DB_PATH, databaseUrl: l.url, recordedBy: 'migrate-store' };
}

/** Opens a side; a database that does not exist or a file that is not SQLite is the user's to fix (exit 2). */
async function open(flag: string, l: StoreLocation): Promise<Storage> {
  try {
    return await openStorage(configFor(l));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === '3D000') throw new UsageError(`${flag}: ${(err as Error).message} (create it first, e.g. createdb ${new URL((l as { url: string }).url).pathname.slice(1)})`);
    if (code === 'SQLITE_NOTADB') throw new UsageError(`${flag}: ${describeLocation(l)} is not a SQLite database`);
    throw err;
  }
}

/**
 * The streams of one study: `study-S` and the stream of every firm registered in it (the
 * firm-registered event carries `data.study`). One pass over the log, one page in memory.
 */
export async function studyStreams(store: EventStore, study: string): Promise<Set<string>> {
  const streams = new Set<string>();
  for await (const e of store.readAll()) {
    if (e.streamId === studyStream(study)) streams.add(e.streamId);
    else if (e.type === 'firm-registered' && (e.data as { study?: unknown } | null)?.study === study) streams.add(e.streamId);
  }
  return streams;
}

interface MigrateOptions {
  from: string;
  to: string;
  study?: string;
  json?: boolean;
}

export function registerMigrateStoreCommand(program: Command, io: Io): void {
  program
    .command('migrate-store')
    .description('copy the event log (all of it, or one study) into another, empty store, verify it, and build the read models there')
    .requiredOption('--from <store>', `where the log is now: ${FORMS}`)
    .requiredOption('--to <store>', `an empty store to copy it into: ${FORMS}`)
    .option('--study <id>', 'copy only this study: its study stream and the streams of its firms')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nEvents keep their ids, stream revisions, order, payloads and recordedAt. Afterwards the counts and a\n' +
        'SHA-256 checksum of both logs are compared, and the target\'s read models are built, so every command\n' +
        'works on the target at once. Stop writers (serve, other CLI runs) on the source first.\n' +
        '\nExit codes: 0 copied and verified; 1 the counts or checksums differ (read models not built);\n' +
        '2 bad arguments (unknown scheme, missing file or database, unknown study, target not empty).\n' +
        '\nExample:\n  strata migrate-store --from sqlite:./strata.db --to postgres://postgres@127.0.0.1:5432/strata\n',
    )
    .action(
      action(io, async (opts: MigrateOptions) => {
        const from = parseStoreLocation('--from', opts.from);
        const to = parseStoreLocation('--to', opts.to);
        if (sameLocation(from, to)) throw new UsageError(`--from and --to are the same store (${describeLocation(from)})`);
        if (from.kind === 'sqlite' && !(existsSync(from.path) && statSync(from.path).isFile())) {
          throw new UsageError(`--from: no such file ${from.path}`);
        }
        if (opts.study !== undefined && !SLUG_PATTERN.test(opts.study)) {
          throw new UsageError(`--study must be a slug: lowercase letters, digits and hyphens (got "${opts.study}")`);
        }

        // A SQLite target this run creates is removed again if it stops before copying anything.
        const createdFile = to.kind === 'sqlite' && !existsSync(to.path) ? to.path : undefined;
        let copying = false;
        const source = await open('--from', from);
        let target: Storage | undefined;
        try {
          target = await open('--to', to);
          const existing = await target.events.countEvents();
          if (existing > 0) {
            throw new UsageError(`--to: the target already holds ${existing} event(s); migrate-store only copies into an empty store`);
          }
          let streams: Set<string> | undefined;
          if (opts.study !== undefined) {
            streams = await studyStreams(source.events, opts.study);
            if (streams.size === 0) throw new UsageError(`--study: study "${opts.study}" is not in ${describeLocation(from)}`);
          } else if ((await source.events.countEvents()) === 0) {
            throw new UsageError(`--from: ${describeLocation(from)} holds no events; nothing to copy`);
          }

          const bar = new ProgressBar();
          copying = true;
          const result = await copyStore(source.events, target.events, {
            onProgress: (copied, total) => bar.update('copying', copied, total),
            ...(streams ? { streams } : {}),
          });
          bar.done();

          let projected: { names: string[]; position: number } | undefined;
          if (result.ok) {
            const runner = new ProjectionRunner(target.events, target.readModels, ALL_PROJECTIONS);
            const names = await runner.rebuild([], { onProgress: (done, head) => bar.update('projecting', done, head) });
            bar.done();
            projected = { names, position: await target.events.headPosition() };
          }
          report(io, opts, from, to, streams, result, projected);
          if (!result.ok) {
            io.err(
              'strata: verification failed: the target does not match the source ' +
                `(${result.countFrom} event(s) selected, ${result.countTo} in the target, checksums ${result.checksumFrom === result.checksumTo ? 'equal' : 'differ'}` +
                `${result.recordedAtMismatches ? `, ${result.recordedAtMismatches} recordedAt mismatch(es)` : ''}); read models were not built. ` +
                'Was something writing to the source during the copy? Empty the target and run again.',
            );
            process.exitCode = EXIT.failure;
          }
        } finally {
          await target?.close();
          await source.close();
          if (createdFile && !copying) for (const suffix of ['', '-wal', '-shm']) rmSync(`${createdFile}${suffix}`, { force: true });
        }
      }),
    );
}

function report(
  io: Io,
  opts: MigrateOptions,
  from: StoreLocation,
  to: StoreLocation,
  streams: ReadonlySet<string> | undefined,
  r: CopyResult,
  projected: { names: string[]; position: number } | undefined,
): void {
  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          from: describeLocation(from),
          to: describeLocation(to),
          ...(opts.study !== undefined ? { study: opts.study, streams: streams ? [...streams].sort() : [] } : {}),
          source: { events: r.countFrom, sha256: r.checksumFrom },
          target: { events: r.countTo, sha256: r.checksumTo },
          copied: r.copied,
          recordedAtMismatches: r.recordedAtMismatches,
          verified: r.ok,
          readModels: projected ? { built: projected.names, position: projected.position } : null,
        },
        null,
        2,
      ),
    );
    return;
  }
  const lines = [
    `from:      ${describeLocation(from)}`,
    `to:        ${describeLocation(to)}`,
    ...(opts.study !== undefined ? [`study:     ${opts.study} (${streams?.size ?? 0} stream(s): the study and ${Math.max(0, (streams?.size ?? 0) - (streams?.has(studyStream(opts.study)) ? 1 : 0))} firm(s))`] : []),
    `source:    ${r.countFrom} event(s)  sha256 ${r.checksumFrom}`,
    `target:    ${r.countTo} event(s)  sha256 ${r.checksumTo}`,
    `copied:    ${r.copied} event(s), ${r.recordedAtMismatches} recordedAt mismatch(es)`,
    `verified:  ${r.ok ? 'yes' : 'NO'}`,
    `read models: ${projected ? `built (${projected.names.join(', ')}) up to position ${projected.position}` : 'not built'}`,
  ];
  io.out(lines.join('\n'));
}
