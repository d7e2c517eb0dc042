import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, DEFAULT_DB_PATH, resolveConfig } from '../../src/application/config.js';

const URL = 'postgres://postgres@127.0.0.1:5432/strata';
const user = { STRATA_USER: 'tester' };

describe('resolveConfig', () => {
  it('defaults to the SQLite file ./strata.db', () => {
    expect(resolveConfig({}, user)).toEqual({ store: 'sqlite', dbPath: DEFAULT_DB_PATH, recordedBy: 'tester' });
  });

  it('takes --db over STRATA_DB for the SQLite file', () => {
    expect(resolveConfig({ db: 'flag.db' }, { ...user, STRATA_DB: 'env.db' }).dbPath).toBe('flag.db');
    expect(resolveConfig({}, { ...user, STRATA_DB: 'env.db' }).dbPath).toBe('env.db');
  });

  it('reads a postgres:// URL in --db or STRATA_DB as server mode on that database', () => {
    for (const config of [resolveConfig({ db: URL }, user), resolveConfig({}, { ...user, STRATA_DB: URL })]) {
      expect(config).toEqual({ store: 'postgres', dbPath: DEFAULT_DB_PATH, databaseUrl: URL, recordedBy: 'tester' });
    }
    expect(resolveConfig({ db: 'postgresql://h/db' }, user)).toMatchObject({ store: 'postgres', databaseUrl: 'postgresql://h/db' });
    // The same database named twice is fine; STRATA_EVENT_STORE=postgres agrees.
    expect(resolveConfig({ db: URL }, { ...user, DATABASE_URL: URL, STRATA_EVENT_STORE: 'postgres' })).toMatchObject({ store: 'postgres', databaseUrl: URL });
  });

  it('with kurrentdb, a postgres:// URL in --db holds the read models', () => {
    const env = { ...user, STRATA_EVENT_STORE: 'kurrentdb', KURRENTDB_CONNECTION_STRING: 'kurrentdb://127.0.0.1:2113?tls=false' };
    expect(resolveConfig({ db: URL }, env)).toMatchObject({ store: 'kurrentdb', databaseUrl: URL });
  });

  it('refuses settings that cannot work, naming the setting', () => {
    const refusal = (options: { db?: string }, env: Record<string, string>) => {
      try {
        resolveConfig(options, { ...user, ...env });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigurationError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigurationError');
    };
    expect(refusal({ db: 'kurrentdb://127.0.0.1:2113' }, {})).toMatch(/^--db must be a SQLite file path or a postgres:\/\/ URL \(got "kurrentdb:\/\/127.0.0.1:2113"\)/);
    expect(refusal({}, { STRATA_DB: 'mysql://h/db' })).toMatch(/^STRATA_DB must be a SQLite file path/);
    expect(refusal({ db: URL }, { STRATA_EVENT_STORE: 'sqlite' })).toMatch(/^--db is a PostgreSQL URL but STRATA_EVENT_STORE is sqlite/);
    expect(refusal({ db: URL }, { DATABASE_URL: 'postgres://other/db' })).toMatch(/^--db and DATABASE_URL name different PostgreSQL databases/);
    expect(refusal({}, { STRATA_EVENT_STORE: 'postgres' })).toMatch(/^STRATA_EVENT_STORE=postgres needs DATABASE_URL/);
    expect(refusal({}, { STRATA_EVENT_STORE: 'mongo' })).toMatch(/^STRATA_EVENT_STORE must be one of sqlite, postgres, kurrentdb \(got "mongo"\)/);
  });
});
