/**
 * `strata migrate-store`: a study logged in a SQLite file moves to PostgreSQL (or to another
 * file) with ids, order and recordedAt intact, is verified by counts and checksums, and the
 * target answers `report` and `timeline` exactly as the source did. Runs the real `strata`
 * process (build first: `npx tsc -p tsconfig.build.json`) against throwaway PostgreSQL databases.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../contract/postgres-throwaway-database.js';
import { countEvents, EXAMPLES, pgCount, strata, tmpDb, type CliResult, type TmpDb } from './support.js';

/** `report --format json` without the time it was generated. */
function reportOf(r: CliResult): Record<string, unknown> {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const report = JSON.parse(r.stdout) as Record<string, unknown>;
  delete report.generatedAt;
  return report;
}

function json<T>(r: CliResult): T {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as T;
}

const NORDIC = join(EXAMPLES, 'nordic-seat-frames.jsonl');
const SMALL = join(EXAMPLES, 'small-firm.csv');

let tmp: TmpDb;
let target: ThrowawayDatabase;
let pgEnv: Record<string, string>;
const onSqlite = (...args: string[]) => strata(['--db', tmp.db, ...args]);
const onPostgres = (...args: string[]) => strata(args, pgEnv);

beforeAll(async () => {
  tmp = tmpDb('strata-migrate-');
  target = await createThrowawayDatabase();
  pgEnv = { STRATA_EVENT_STORE: 'postgres', DATABASE_URL: target.url };
  // Two studies: nordic-seat-frames (3 firms, 128 events) and default (1 firm, 12 events).
  expect((await onSqlite('import', NORDIC, '--study', 'nordic-seat-frames')).code).toBe(0);
  expect((await onSqlite('import', SMALL)).code).toBe(0);
  expect(countEvents(tmp.db)).toBe(140);
});
afterAll(async () => {
  await target?.drop();
  tmp?.cleanup();
});

describe('migrate-store sqlite -> postgres', () => {
  let migrated: CliResult;
  beforeAll(async () => {
    migrated = await strata(['migrate-store', '--from', `sqlite:${tmp.db}`, '--to', target.url]);
  });

  it('copies every event, verifies counts and checksums, and builds the read models', async () => {
    expect(migrated.code).toBe(0);
    expect(migrated.stderr).toBe('');
    const lines = migrated.stdout.trimEnd().split('\n');
    const source = /^source: +140 event\(s\) +sha256 ([0-9a-f]{64})$/.exec(lines.find((l) => l.startsWith('source:')) ?? '');
    const copy = /^target: +140 event\(s\) +sha256 ([0-9a-f]{64})$/.exec(lines.find((l) => l.startsWith('target:')) ?? '');
    expect(source).not.toBeNull();
    expect(copy?.[1]).toBe(source![1]);
    expect(lines).toContain('copied:    140 event(s), 0 recordedAt mismatch(es)');
    expect(lines).toContain('verified:  yes');
    expect(lines).toContain('read models: built (catalog, timeline, analysis) up to position 140');
    expect(await pgCount(target.url)).toBe(140);
  });

  it('the target reports the firm exactly as the SQLite file does', async () => {
    const [fromSqlite, fromPostgres] = await Promise.all([
      onSqlite('report', 'ravn', '--format', 'json'),
      onPostgres('report', 'ravn', '--format', 'json'),
    ]);
    expect(reportOf(fromPostgres)).toEqual(reportOf(fromSqlite));
  });

  it('timelines are identical, ids, recordedAt and positions included', async () => {
    for (const firm of ['ravn', 'kestrel', 'tern', 'wren']) {
      const [a, b] = await Promise.all([onSqlite('timeline', firm, '--json'), onPostgres('timeline', firm, '--json')]);
      const [fromSqlite, fromPostgres] = [json<{ entries: Array<Record<string, unknown>> }>(a), json<{ entries: Array<Record<string, unknown>> }>(b)];
      expect(fromPostgres.entries.length).toBeGreaterThan(0);
      expect(fromPostgres.entries.map((e) => [e.id, e.recordedAt])).toEqual(fromSqlite.entries.map((e) => [e.id, e.recordedAt]));
      expect(fromPostgres).toEqual(fromSqlite);
    }
  });

  it('the target is caught up: every projection at the head, no lag', async () => {
    const status = json<Array<{ name: string; lag: number; head: number }>>(await onPostgres('projections', 'status', '--json'));
    expect(status.map((s) => [s.name, s.head, s.lag])).toEqual([
      ['catalog', 140, 0],
      ['timeline', 140, 0],
      ['analysis', 140, 0],
    ]);
  });

  it('refuses a second copy into the now non-empty target: exit 2, nothing appended', async () => {
    const r = await strata(['migrate-store', '--from', `sqlite:${tmp.db}`, '--to', target.url]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^strata: --to: the target already holds 140 event\(s\)/);
    expect(await pgCount(target.url)).toBe(140);
  });

  it('copies back from PostgreSQL into a new file with the same checksum', async () => {
    const back = tmp.file('back.db');
    const r = await strata(['migrate-store', '--from', target.url, '--to', `sqlite:${back}`, '--json']);
    const result = json<{ source: { events: number; sha256: string }; target: { events: number; sha256: string }; verified: boolean }>(r);
    expect(result).toMatchObject({ source: { events: 140 }, target: { events: 140 }, verified: true });
    expect(result.target.sha256).toBe(result.source.sha256);
    expect(reportOf(await strata(['--db', back, 'report', 'tern', '--format', 'json']))).toEqual(
      reportOf(await onSqlite('report', 'tern', '--format', 'json')),
    );
  });
});

describe('migrate-store --study', () => {
  it('copies only the study stream and its firms, and the target answers for them alone', async () => {
    const file = tmp.file('nordic-only.db');
    const r = await strata(['migrate-store', '--from', `sqlite:${tmp.db}`, '--to', `sqlite:${file}`, '--study', 'nordic-seat-frames', '--json']);
    const result = json<Record<string, unknown>>(r);
    expect(result).toMatchObject({
      study: 'nordic-seat-frames',
      streams: ['firm-kestrel', 'firm-ravn', 'firm-tern', 'study-nordic-seat-frames'],
      source: { events: 128 },
      target: { events: 128 },
      copied: 128,
      recordedAtMismatches: 0,
      verified: true,
      readModels: { built: ['catalog', 'timeline', 'analysis'], position: 128 },
    });
    expect(countEvents(file)).toBe(128);

    const onFile = (...args: string[]) => strata(['--db', file, ...args]);
    expect(json<Array<{ id: string }>>(await onFile('study', 'list', '--json')).map((s) => s.id)).toEqual(['nordic-seat-frames']);
    expect(json<Array<{ id: string }>>(await onFile('firm', 'list', '--json')).map((f) => f.id).sort()).toEqual(['kestrel', 'ravn', 'tern']);
    expect(json(await onFile('timeline', 'ravn', '--json'))).toEqual(json(await onSqlite('timeline', 'ravn', '--json')));
    expect(reportOf(await onFile('report', 'kestrel', '--format', 'json'))).toEqual(reportOf(await onSqlite('report', 'kestrel', '--format', 'json')));
    const wren = await onFile('timeline', 'wren');
    expect(wren.code).toBe(2);
  });

  it('an unknown study exits 2 and leaves no target file behind', async () => {
    const file = tmp.file('nothing.db');
    const r = await strata(['migrate-store', '--from', `sqlite:${tmp.db}`, '--to', `sqlite:${file}`, '--study', 'no-such-study']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`strata: --study: study "no-such-study" is not in sqlite:${tmp.db}\n`);
    expect(existsSync(file)).toBe(false);
  });
});

describe('migrate-store with bad arguments exits 2 and copies nothing', () => {
  const CASES: Array<[string, () => string[], RegExp]> = [
    ['an unknown scheme', () => ['--from', 'mysql://root@127.0.0.1/strata', '--to', `sqlite:${tmp.file('x1.db')}`], /--from must be sqlite:FILE or postgres:\/\//],
    ['a bare path without sqlite:', () => ['--from', tmp.db, '--to', `sqlite:${tmp.file('x2.db')}`], /--from must be sqlite:FILE/],
    ['a KurrentDB target', () => ['--from', `sqlite:${tmp.db}`, '--to', 'kurrentdb://127.0.0.1:2113?tls=false'], /KurrentDB is not supported/],
    ['a missing source file', () => ['--from', `sqlite:${tmp.file('missing.db')}`, '--to', `sqlite:${tmp.file('x3.db')}`], /--from: no such file .*missing\.db$/m],
    ['the same store on both sides', () => ['--from', `sqlite:${tmp.db}`, '--to', `sqlite:${tmp.db}`], /--from and --to are the same store/],
    ['a PostgreSQL database that does not exist', () => ['--from', `sqlite:${tmp.db}`, '--to', `${target.url}_missing`], /--to: database ".*_missing" does not exist/],
    ['a study that is not a slug', () => ['--from', `sqlite:${tmp.db}`, '--to', `sqlite:${tmp.file('x4.db')}`, '--study', 'Nordic Frames'], /--study must be a slug/],
    ['no --to', () => ['--from', `sqlite:${tmp.db}`], /required option '--to <store>' not specified/],
  ];
  it.each(CASES)('%s', async (_name, args, message) => {
    const r = await strata(['migrate-store', ...args()]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
    for (const f of ['x1.db', 'x2.db', 'x3.db', 'x4.db']) expect(existsSync(tmp.file(f))).toBe(false);
    expect(countEvents(tmp.db)).toBe(140);
  });
});

describe('migrate-store when the copy does not verify', () => {
  it('exits 1, prints both checksums, and builds no read models', async () => {
    // A target whose schema exists (init appends nothing) with a trigger that alters one row as it lands.
    const file = tmp.file('tampered.db');
    expect((await strata(['--db', file, 'init'])).code).toBe(0);
    const db = new Database(file);
    db.exec(`CREATE TRIGGER tamper AFTER INSERT ON events WHEN NEW.global_position = 5
             BEGIN UPDATE events SET data = json_set(data, '$.title', 'tampered') WHERE global_position = 5; END`);
    db.close();

    const r = await strata(['migrate-store', '--from', `sqlite:${tmp.db}`, '--to', `sqlite:${file}`]);
    expect(r.code).toBe(1);
    const sums = [...r.stdout.matchAll(/sha256 ([0-9a-f]{64})/g)].map((m) => m[1]);
    expect(sums).toHaveLength(2);
    expect(sums[0]).not.toBe(sums[1]);
    expect(r.stdout).toMatch(/^verified: +NO$/m);
    expect(r.stdout).toMatch(/^read models: not built$/m);
    expect(r.stderr).toMatch(/^strata: verification failed: .*140 event\(s\) selected, 140 in the target, checksums differ/);
  });
});
