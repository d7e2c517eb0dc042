/**
 * SQLite checkpoints run from a worker thread (WalCheckpointer): what is committed reaches the
 * database file itself without any COMMIT of ours copying it, and closing the database leaves no
 * WAL behind (the worker's connection is closed first, so ours is the last and checkpoints).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { BACKSTOP_PAGES } from '../../src/event-store/sqlite/wal-checkpointer.js';

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

  it('an in-memory database has no worker and keeps the automatic checkpoint', () => {
    const database = new SqliteDatabase(':memory:');
    try {
      expect(database.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    } finally {
      database.close();
    }
  });
});
