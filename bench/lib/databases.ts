import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type StoreKind = 'sqlite' | 'postgres';

/**
 * A place to put one scenario's data: a fresh SQLite file in a temporary folder, or a fresh
 * PostgreSQL database on the local server (trust auth). Dropped when the scenario ends, so
 * runs never see each other's rows.
 */
export interface Target {
  readonly kind: StoreKind;
  /** SQLite file path, or PostgreSQL connection string. */
  readonly location: string;
  drop(): Promise<void>;
}

/** Server the bench creates its throwaway databases on. */
export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresAvailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable at ${ADMIN_URL}: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createTarget(kind: StoreKind, label: string): Promise<Target> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), `strata-bench-${label}-`));
    return { kind, location: join(dir, 'bench.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `strata_bench_${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { kind, location: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a fresh target and always drops it. */
export async function withTarget<T>(kind: StoreKind, label: string, fn: (t: Target) => Promise<T>): Promise<T> {
  const target = await createTarget(kind, label);
  try {
    return await fn(target);
  } finally {
    await target.drop();
  }
}
