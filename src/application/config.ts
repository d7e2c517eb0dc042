import { userInfo } from 'node:os';

export type StoreKind = 'sqlite' | 'postgres' | 'kurrentdb';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres', 'kurrentdb'];

export const STRATA_CONFIG = Symbol('STRATA_CONFIG');

/** Where the log and read models live and who is recording; resolved once at start-up. */
export interface StrataConfig {
  readonly store: StoreKind;
  /** SQLite file: the embedded default, and the read-model database for kurrentdb without DATABASE_URL. */
  readonly dbPath: string;
  /** PostgreSQL connection string for server mode (and read models with kurrentdb). */
  readonly databaseUrl?: string;
  readonly kurrentdbConnectionString?: string;
  /** Written into every event's `recordedBy`; set by the system, never by the client. */
  readonly recordedBy: string;
}

export const DEFAULT_DB_PATH = './strata.db';

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Precedence: explicit option (CLI flag) > environment variable > default. */
export function resolveConfig(options: { db?: string; store?: string } = {}, env: NodeJS.ProcessEnv = process.env): StrataConfig {
  const store = (options.store ?? env.STRATA_EVENT_STORE ?? 'sqlite') as StoreKind;
  if (!STORE_KINDS.includes(store)) {
    throw new Error(`STRATA_EVENT_STORE must be one of ${STORE_KINDS.join(', ')} (got "${store}")`);
  }
  if (store === 'postgres' && !env.DATABASE_URL) {
    throw new Error('STRATA_EVENT_STORE=postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/strata)');
  }
  if (store === 'kurrentdb' && !env.KURRENTDB_CONNECTION_STRING) {
    throw new Error('STRATA_EVENT_STORE=kurrentdb needs KURRENTDB_CONNECTION_STRING (e.g. kurrentdb://127.0.0.1:2113?tls=false)');
  }
  return {
    store,
    dbPath: options.db ?? env.STRATA_DB ?? DEFAULT_DB_PATH,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.KURRENTDB_CONNECTION_STRING ? { kurrentdbConnectionString: env.KURRENTDB_CONNECTION_STRING } : {}),
    recordedBy: env.STRATA_USER ?? osUser(),
  };
}
