/**
 * SQLite checkpoints run from a worker thread (WalCheckpointer): what is committed reaches the
 * database file itself without any COMMIT of ours copying it, and closing the database leaves no
 * WAL behind (the worker's connection is closed first, so ours is the last and checkpoints).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { BACKSTOP_PAGES, WAL_IDLE_MS, WAL_SIZE_LIMIT_BYTES } from '../../src/event-store/sqlite/wal-checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-wal-'));
  dirs.push(dir);
  return join(dir, 'strata.db');
}

/** Rows of `notes` in the database file alone, as if the WAL were lost: only what was checkpointed. */
function rowsInMainFile(path: string): number {
  const copy = `${path}.main-only`;
  copyFileSync(path, copy);
  const db = new Database(copy, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'notes'").get() as { n: number };
    return hasTable.n ? (db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n : 0;
  } catch {
    return -1; // copied while a checkpoint was writing pages: try again
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('WAL checkpoints off the event loop', () => {
  it('commits reach the database file although no COMMIT crosses the automatic threshold', async () => {
    const path = freshPath();
    const database = new SqliteDatabase(path);
    try {
      expect(database.db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
      database.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
      const insert = database.db.prepare('INSERT INTO notes (text) VALUES (?)');
      for (let i = 0; i < 200; i++) insert.run(`note ${i}`);
      // A few hundred frames, far below the threshold: only the worker can have copied them.
      expect(await eventually(() => rowsInMainFile(path) === 200)).toBe(true);
      expect(existsSync(`${path}-wal`)).toBe(true); // still open: the WAL exists, it was not a close that copied
    } finally {
      database.close();
    }
  });

  it('closing leaves no WAL file: our connection closes last and checkpoints', async () => {
    const path = freshPath();
    const database = new SqliteDatabase(path);
    database.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    database.db.prepare('INSERT INTO notes (text) VALUES (?)').run('one');
    // Let the worker open its connection before closing, the case where the order matters.
    await new Promise((r) => setTimeout(r, 300));
    database.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(rowsInMainFile(path)).toBe(1);
  });

  it('a WAL grown past the size limit is cut back once writing has paused, not while it goes on', async () => {
    const path = freshPath();
    const database = new SqliteDatabase(path);
    const walBytes = () => statSync(`${path}-wal`).size;
    try {
      database.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
      const insert = database.db.prepare('INSERT INTO notes (text) VALUES (?)');
      const rows = 8_000; // ~3 KB each: ~24 MB of pages in one transaction, past the limit
      database.db.transaction(() => {
        for (let i = 0; i < rows; i++) insert.run(`${i} `.padEnd(3_000, 'x'));
      })();
      expect(walBytes()).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
      // Writing every 50 ms for longer than the idle time: the file keeps its size.
      const writingUntil = Date.now() + WAL_IDLE_MS + 1_000;
      let written = 0;
      while (Date.now() < writingUntil) {
        insert.run(`during ${written++}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(walBytes()).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
      // Then a pause: cut back, and nothing lost.
      expect(await eventually(() => walBytes() <= WAL_SIZE_LIMIT_BYTES, WAL_IDLE_MS + 5_000)).toBe(true);
      insert.run('after');
      expect(database.db.prepare('SELECT count(*) AS n FROM notes').pluck().get()).toBe(rows + written + 1);
    } finally {
      database.close();
    }
  }, 30_000);

  it('an in-memory database has no worker and keeps the automatic checkpoint', () => {
    const database = new SqliteDatabase(':memory:');
    try {
      expect(database.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    } finally {
      database.close();
    }
  });
});
