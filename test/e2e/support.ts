/**
 * Helpers for the end-to-end tests: a throwaway database per suite, the real `strata` process
 * (bin/strata.js, which runs the compiled dist/), and the event count read straight from SQLite.
 * Build first: `npx tsc -p tsconfig.build.json`.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(process.cwd());
export const BIN = join(ROOT, 'bin', 'strata.js');
export const EXAMPLES = join(ROOT, 'examples');

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
  throw new Error('dist/ is missing: run `npx tsc -p tsconfig.build.json` before the e2e tests');
}

/** The environment of every child: our recorder, no inherited store selection, no colours. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_USER: 'e2e', NO_COLOR: '1', ...extra };
  for (const k of ['STRATA_DB', 'STRATA_EVENT_STORE', 'DATABASE_URL', 'KURRENTDB_CONNECTION_STRING', 'NODE_OPTIONS', 'PORT', 'STRATA_DEBUG']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

export interface TmpDb {
  readonly dir: string;
  readonly db: string;
  file(name: string): string;
  cleanup(): void;
}

export function tmpDb(prefix = 'strata-e2e-'): TmpDb {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    db: join(dir, 'strata.db'),
    file: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/strata.js --db DB ...args` to completion. */
/** Runs `node bin/strata.js ...args` to completion, with the given store variables (and no others). */
export function strata(args: readonly string[], env: Record<string, string> = {}, options: { timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `node bin/strata.js --db DB ...args` to completion. */
export function cli(db: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return strata(['--db', db, ...args], {}, { timeoutMs: options.timeoutMs ?? 30_000 });
}

/** Every event in a PostgreSQL log. */
export async function pgCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** Every event in the log (studies, firms, field events, phases), read from the file itself. */
export function countEvents(db: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

export function eventIds(db: string): string[] {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare('SELECT event_id FROM events ORDER BY global_position').all() as Array<{ event_id: string }>).map((r) => r.event_id);
  } finally {
    conn.close();
  }
}

export interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  readonly listeningLine: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LISTENING = /listening on http:\/\/([\d.]+):(\d+)/;

/** Starts `strata serve --port 0` and waits for its "listening on http://HOST:PORT" line. */
export function startServer(db: string, extraArgs: readonly string[] = []): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0', ...extraArgs], {
      cwd: ROOT,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let settled = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    );
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`serve did not report listening within 20 s; stderr:\n${err}`));
    }, 20_000);
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const line = err.split('\n').find((l) => LISTENING.test(l));
      if (line && !settled) {
        settled = true;
        clearTimeout(timer);
        resolvePromise({ child, port: Number(LISTENING.exec(line)![2]), listeningLine: line, stderr: () => err, exited });
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening; stderr:\n${err}`));
    });
  });
}

/** SIGKILL (kill -9): no shutdown hooks, no close, no checkpoint. */
export async function killHard(server: Server): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  server.child.kill('SIGKILL');
  return server.exited;
}

/** A stderr line of the form `  FIELD: message` (how the CLI lists each problem). */
export function problemLine(field: string): RegExp {
  return new RegExp(`^\\s+${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\S`, 'm');
}

/** The year after this one: any date in it is in the future. */
export const NEXT_YEAR = String(new Date().getFullYear() + 1);
