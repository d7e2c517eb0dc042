import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests may create databases on; trust auth on this machine kind. */
export const ADMIN_URL = process.env.STRATA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ThrowawayDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database per test file, so runs never see each other's events (advisory locks are
 * per database too) and nothing is left behind: `drop()` forces out any connection still open.
 *
 * It is created with a linguistic collation (ICU en-US) where the server has ICU, like most
 * production databases, because this machine's default (C.UTF-8) would hide an ORDER BY that
 * forgot the schema's COLLATE "C" and sorted differently from SQLite.
 */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `strata_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`).catch(() =>
    admin(`CREATE DATABASE ${name}`),
  );
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
