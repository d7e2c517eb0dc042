import pg from 'pg';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import type { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';

/**
 * Counts COMMITs while `fn` runs. SQLite: on the connection (by exec or a prepared statement).
 * PostgreSQL: statements sent by any client of this process (pooled clients are pg.Clients),
 * and an append function called outside a transaction, which commits on its own (autocommit).
 */
export async function commitsDuring(kind: 'sqlite' | 'postgres', store: EventStore, fn: () => Promise<unknown>): Promise<number> {
  const isCommit = (sql: unknown) => typeof sql === 'string' && /^\s*(COMMIT|END)\b/i.test(sql);
  let commits = 0;
  if (kind === 'postgres') {
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = proto.query;
    const inTransaction = new WeakSet<object>();
    proto.query = function (this: object, ...args: unknown[]) {
      const text = typeof args[0] === 'object' && args[0] !== null ? (args[0] as { text?: unknown }).text : args[0];
      if (typeof text === 'string') {
        if (/^\s*BEGIN\b/i.test(text)) inTransaction.add(this);
        else if (/^\s*(COMMIT|END|ROLLBACK)\b/i.test(text)) inTransaction.delete(this);
        else if (/\bstrata_append\w*\(/.test(text) && !inTransaction.has(this)) commits++;
      }
      if (isCommit(text)) commits++;
      return query.apply(this, args);
    };
    try {
      await fn();
    } finally {
      proto.query = query;
    }
    return commits;
  }
  const db = (store as SqliteEventStore).database.db;
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    if (isCommit(sql)) commits++;
    return exec(sql);
  };
  const statements = Object.getPrototypeOf(db.prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown };
  const run = statements.run;
  statements.run = function (this: { source: string; database: unknown }, ...args: unknown[]) {
    if (this.database === db && isCommit(this.source)) commits++;
    return run.apply(this, args);
  };
  try {
    await fn();
  } finally {
    db.exec = exec;
    statements.run = run;
  }
  return commits;
}
