/**
 * Server mode: the same `strata` commands on PostgreSQL (STRATA_EVENT_STORE=postgres,
 * DATABASE_URL pointing at a throwaway database), invalid input still rejected with exit 2 and
 * nothing appended, and `strata serve` following the log: events another process appends
 * reach the server's read models within about a second, with nobody asking it to catch up.
 * Runs the real `strata` process (build first: `npx tsc -p tsconfig.build.json`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, StoredEvent } from '../../src/event-store/event-store.port.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../contract/postgres-throwaway-database.js';
import { BIN, childEnv, EXAMPLES, NEXT_YEAR, pgCount, problemLine, ROOT, strata, tmpDb, UUID, type TmpDb } from './support.js';

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LISTENING = /listening on http:\/\/[\d.]+:(\d+)/;

function startServer(args: readonly string[], env: Record<string, string>): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, 'serve', '--port', '0', '--follow-interval', '200'], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within 30 s:\n${err}`));
    }, 30_000);
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = LISTENING.exec(err);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, port: Number(m[1]), stderr: () => err, exited });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening:\n${err}`));
    });
  });
}

let database: ThrowawayDatabase;
let env: Record<string, string>;
let tmp: TmpDb;
const run = (...args: string[]) => strata(args, env);
/** stdout of a run that must succeed (the assertion shows stderr when it does not). */
async function ok(...args: string[]): Promise<string> {
  const r = await run(...args);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
}
const servers: Server[] = [];

beforeAll(async () => {
  database = await createThrowawayDatabase();
  env = { STRATA_EVENT_STORE: 'postgres', DATABASE_URL: database.url };
  tmp = tmpDb('strata-server-mode-');
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }
});
afterAll(async () => {
  await database?.drop();
  tmp?.cleanup();
});

describe('the CLI on PostgreSQL', () => {
  let logged = '';

  it('firm add registers a firm (and its study) in the database', async () => {
    const r = await run('firm', 'add', 'kite', '--study', 's1', '--name', 'Kite');
    expect(r).toEqual({ code: 0, signal: null, stdout: '', stderr: 'registered firm kite in study s1\n' });
    expect(await pgCount(database.url)).toBe(2);
    const firms = JSON.parse(await ok('firm', 'list', '--json')) as Array<Record<string, unknown>>;
    expect(firms).toEqual([expect.objectContaining({ id: 'kite', name: 'Kite', study: 's1', eventCount: 0 })]);
  });

  it('log appends one event and prints its id', async () => {
    const r = await run(
      'log', 'strategy-decision', '--firm', 'kite', '--occurred', '2002-01-20', '--title', 'Town hall: cost leader',
      '--orientation', '-2', '--source', 'interview:INT-03:CEO',
    );
    expect(r.code).toBe(0);
    logged = r.stdout.trim();
    expect(logged).toMatch(UUID);
    expect(r.stderr).toBe('logged strategy-decision for kite\n');
    expect(await pgCount(database.url)).toBe(3);
  });

  it('import appends the example study in one go', async () => {
    const file = join(EXAMPLES, 'nordic-seat-frames.jsonl');
    const r = await run('import', file, '--study', 'nordic-seat-frames');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `imported ${file}: 124 line(s), 128 event(s) appended, 0 already present; new firm(s): ravn, kestrel, tern; new study: nordic-seat-frames\n`,
    );
    expect(await pgCount(database.url)).toBe(131);
    expect((await run('import', file, '--study', 'nordic-seat-frames')).stderr).toMatch(/0 event\(s\) appended, 124 already present/);
    expect(await pgCount(database.url)).toBe(131);
  });

  it('timeline shows what was logged, in timeline order', async () => {
    const t = JSON.parse(await ok('timeline', 'kite', '--json')) as { entries: Array<Record<string, unknown>> };
    expect(t.entries).toEqual([
      expect.objectContaining({ id: logged, kind: 'strategy-decision', occurred: '2002-01-20', orientation: -2, title: 'Town hall: cost leader' }),
    ]);
    const ravn = JSON.parse(await ok('timeline', 'ravn', '--json')) as { entries: Array<{ start: string }> };
    expect(ravn.entries).toHaveLength(44);
    const starts = ravn.entries.map((e) => e.start);
    expect(starts).toEqual([...starts].sort());
    const text = await ok('timeline', 'ravn');
    expect(text.split('\n')[0]).toMatch(/^ravn \(ravn, study nordic-seat-frames\): 44 event\(s\)$/);
  });

  it('report renders the firm from the PostgreSQL read models', async () => {
    const report = JSON.parse(await ok('report', 'ravn', '--format', 'json')) as { firm: string; study: string; phases: unknown[]; pattern: string };
    expect(report).toMatchObject({ firm: 'ravn', study: 'nordic-seat-frames' });
    expect(report.phases.length).toBeGreaterThan(0);
    expect(report.pattern.split(' > ')).toHaveLength(report.phases.length);
    expect(await ok('report', 'ravn')).toMatch(/^# /);
  });

  it('projections status: every projection at the head', async () => {
    const status = JSON.parse(await ok('projections', 'status', '--json')) as Array<{ name: string; lag: number; head: number }>;
    expect(status.map((s) => s.lag)).toEqual(status.map(() => 0));
    expect(status.every((s) => s.head >= 131)).toBe(true);
  });

  describe('invalid input exits 2, names the problem and appends nothing', () => {
    const badImport = () => {
      const file = tmp.file('bad.jsonl');
      writeFileSync(file, [
        JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010', title: 'A valid line' }),
        JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010', title: 'Bad orientation', orientation: 7 }),
        '',
      ].join('\n'));
      return file;
    };
    const CASES: Array<[string, () => string[], RegExp]> = [
      ['orientation 3', () => ['log', 'strategy-decision', '--firm', 'kite', '--occurred', '2002', '--title', 'T', '--orientation', '3'], problemLine('orientation')],
      ['occurred next year', () => ['log', 'strategy-decision', '--firm', 'kite', '--occurred', NEXT_YEAR, '--title', 'T'], problemLine('occurred')],
      ['an unknown firm', () => ['log', 'strategy-decision', '--firm', 'nope', '--occurred', '2002', '--title', 'T'], /^strata: firm "nope" does not exist$/m],
      ['a firm id that is not a slug', () => ['firm', 'add', 'Kite AB'], problemLine('id')],
      ['phase to before from', () => ['phase', 'declare', '--firm', 'kite', '--from', '2004', '--to', '2003', '--label', 'cost'], problemLine('to')],
      ['an import with one bad line', () => ['import', badImport()], /^ {2}line 2: orientation: /m],
      ['timeline for an unknown firm', () => ['timeline', 'nope'], /nope/],
      ['report for an unknown firm', () => ['report', 'nope'], /nope/],
    ];
    it.each(CASES)('%s', async (_name, args, stderr) => {
      const before = await pgCount(database.url);
      const r = await run(...args());
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(stderr);
      expect(await pgCount(database.url)).toBe(before);
    });
  });
});

/** A copy of a logged event under a new id and title, as another writer (not running projections) would append it. */
function another(template: StoredEvent, title: string) {
  return {
    id: randomUUID(),
    type: template.type,
    data: { ...(template.data as Record<string, unknown>), title },
    metadata: { ...template.metadata, recordedBy: 'other-writer' },
  };
}

async function timelineTitles(port: number, firm: string): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${port}/firms/${firm}/timeline`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: Array<{ title: string }> }).entries.map((e) => e.title);
}

async function secondsUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return (Date.now() - started) / 1000;
}

interface Deployment {
  readonly args: string[];
  readonly env: Record<string, string>;
  /** The log as another process would open it. */
  open(): EventStore;
  done(): Promise<void>;
}

const DEPLOYMENTS: Array<[string, () => Promise<Deployment>]> = [
  [
    'PostgreSQL',
    async () => {
      const db = await createThrowawayDatabase();
      return { args: [], env: { STRATA_EVENT_STORE: 'postgres', DATABASE_URL: db.url }, open: () => new PostgresEventStore(db.url), done: () => db.drop() };
    },
  ],
  [
    'SQLite',
    async () => {
      const file = tmp.file(`follow-${randomUUID()}.db`);
      return { args: ['--db', file], env: {}, open: () => new SqliteEventStore(new SqliteDatabase(file)), done: async () => undefined };
    },
  ],
];

describe('--db with a URL', () => {
  it('--db postgres://… is server mode on that database, with no store variables set', async () => {
    const own = await createThrowawayDatabase();
    try {
      const r = await strata(['--db', own.url, 'firm', 'add', 'wren', '--study', 's-url'], {}, { cwd: tmp.dir });
      expect(r).toEqual({ code: 0, signal: null, stdout: '', stderr: 'registered firm wren in study s-url\n' });
      expect(await pgCount(own.url)).toBe(2);
      const firms = JSON.parse((await strata(['--db', own.url, 'firm', 'list', '--json'], {}, { cwd: tmp.dir })).stdout) as Array<{ id: string }>;
      expect(firms.map((f) => f.id)).toEqual(['wren']);
      // Nothing written where the command ran: no SQLite file in a folder called "postgres:".
      expect(readdirSync(tmp.dir)).not.toContain('postgres:');
    } finally {
      await own.drop();
    }
  });

  it('any other URL is refused with exit 2, and nothing is created', async () => {
    const r = await strata(['--db', 'kurrentdb://127.0.0.1:2113', 'firm', 'add', 'wren2', '--study', 's-url'], {}, { cwd: tmp.dir });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^strata: --db must be a SQLite file path or a postgres:\/\/ URL \(got "kurrentdb:\/\/127.0.0.1:2113"\)/);
    expect(readdirSync(tmp.dir)).not.toContain('kurrentdb:');
  });
});

describe.each(DEPLOYMENTS)('strata serve on %s follows the log', (_store, deploy) => {
  it('events appended by another process appear in its read models within about a second, and it stops cleanly', async () => {
    const d = await deploy();
    try {
      expect((await strata([...d.args, 'firm', 'add', 'kite', '--study', 's1'], d.env)).code).toBe(0);
      expect((await strata([...d.args, 'log', 'strategy-decision', '--firm', 'kite', '--occurred', '2002-01-20', '--title', 'Town hall: cost leader'], d.env)).code).toBe(0);
      const server = await startServer(d.args, d.env);
      servers.push(server);
      expect(await timelineTitles(server.port, 'kite')).toEqual(['Town hall: cost leader']);

      // Another writer appends straight to the log: no projections run in that process.
      const writer = d.open();
      await writer.init();
      try {
        let template: StoredEvent | undefined;
        for await (const e of writer.readStream('firm-kite')) if (e.type === 'strategy-decision') template = e;
        for (const title of ['Appended elsewhere 1', 'Appended elsewhere 2']) {
          await writer.appendToStream({ streamId: 'firm-kite', expectedVersion: 'stream-exists', events: [another(template!, title)] });
          const seconds = await secondsUntil(async () => (await timelineTitles(server.port, 'kite')).includes(title));
          expect(seconds).toBeLessThan(1.5);
        }
        expect(await timelineTitles(server.port, 'kite')).toEqual(['Town hall: cost leader', 'Appended elsewhere 1', 'Appended elsewhere 2']);
      } finally {
        await writer.close();
      }

      server.child.kill('SIGTERM');
      const exit = await server.exited;
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(server.stderr()).not.toMatch(/following the log failed|ERROR|Error/);
    } finally {
      await d.done();
    }
  });
});
