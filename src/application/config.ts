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

/** A setting that cannot work as given (the CLI exits 2, like other invalid usage). */
export class ConfigurationError extends Error {}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
const ANY_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Precedence: explicit option (CLI flag) > environment variable > default.
 *
 * `--db` / STRATA_DB may also be a `postgres://` URL: server mode on that database, as
 * STRATA_EVENT_STORE=postgres with DATABASE_URL would be (with kurrentdb: its read models). Any
 * other URL is refused: taken as a file path, `postgres:…` once became a SQLite file in a folder
 * named `postgres:`, with no word said.
 */
export function resolveConfig(options: { db?: string; store?: string } = {}, env: NodeJS.ProcessEnv = process.env): StrataConfig {
  const db = options.db ?? env.STRATA_DB;
  const dbSetting = options.db !== undefined ? '--db' : 'STRATA_DB';
  const dbIsPostgres = db !== undefined && POSTGRES_URL.test(db);
  if (db !== undefined && !dbIsPostgres && ANY_URL.test(db)) {
    throw new ConfigurationError(
      `${dbSetting} must be a SQLite file path or a postgres:// URL (got "${db}"); ` +
        'for KurrentDB set STRATA_EVENT_STORE=kurrentdb and KURRENTDB_CONNECTION_STRING',
    );
  }
  const store = (options.store ?? env.STRATA_EVENT_STORE ?? (dbIsPostgres ? 'postgres' : 'sqlite')) as StoreKind;
  if (!STORE_KINDS.includes(store)) {
    throw new ConfigurationError(`STRATA_EVENT_STORE must be one of ${STORE_KINDS.join(', ')} (got "${store}")`);
  }
  if (dbIsPostgres && store === 'sqlite') {
    throw new ConfigurationError(`${dbSetting} is a PostgreSQL URL but STRATA_EVENT_STORE is sqlite: give a file path, or unset STRATA_EVENT_STORE`);
  }
  if (dbIsPostgres && env.DATABASE_URL && env.DATABASE_URL !== db) {
    throw new ConfigurationError(`${dbSetting} and DATABASE_URL name different PostgreSQL databases: set only one`);
  }
  const databaseUrl = dbIsPostgres ? db : env.DATABASE_URL;
  if (store === 'postgres' && !databaseUrl) {
    throw new ConfigurationError('STRATA_EVENT_STORE=postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/strata)');
  }
  if (store === 'kurrentdb' && !env.KURRENTDB_CONNECTION_STRING) {
    throw new ConfigurationError('STRATA_EVENT_STORE=kurrentdb needs KURRENTDB_CONNECTION_STRING (e.g. kurrentdb://127.0.0.1:2113?tls=false)');
  }
  return {
    store,
    dbPath: dbIsPostgres ? DEFAULT_DB_PATH : (db ?? DEFAULT_DB_PATH),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(env.KURRENTDB_CONNECTION_STRING ? { kurrentdbConnectionString: env.KURRENTDB_CONNECTION_STRING } : {}),
    recordedBy: env.STRATA_USER ?? osUser(),
  };
}
