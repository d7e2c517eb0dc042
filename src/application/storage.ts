import type { EventStore } from '../event-store/event-store.port.js';
import type { ReadModelStore } from '../projections/read-model-store.port.js';
import type { StrataConfig } from './config.js';

export interface Storage {
  readonly events: EventStore;
  readonly readModels: ReadModelStore;
  close(): Promise<void>;
}

// Adapters are imported when chosen: the gRPC client and pg cost a CLI start-up that uses
// neither a noticeable part of a second.
const sqlite = async () => ({
  ...(await import('../event-store/sqlite/sqlite-database.js')),
  ...(await import('../event-store/sqlite/sqlite-event-store.js')),
  ...(await import('../event-store/sqlite/sqlite-read-model-store.js')),
});
const postgres = async () => ({
  ...(await import('../event-store/postgres/postgres-database.js')),
  ...(await import('../event-store/postgres/postgres-event-store.js')),
  ...(await import('../event-store/postgres/postgres-read-model-store.js')),
});

/** Read models for a store that cannot hold them (KurrentDB): PostgreSQL if configured, else the SQLite file. */
async function readModelsBeside(config: StrataConfig): Promise<{ readModels: ReadModelStore; close(): Promise<void> }> {
  if (config.databaseUrl) {
    const { PostgresDatabase, PostgresReadModelStore } = await postgres();
    const database = new PostgresDatabase(config.databaseUrl);
    const readModels = new PostgresReadModelStore(database);
    await readModels.init();
    return { readModels, close: () => database.close() };
  }
  const { SqliteDatabase, SqliteReadModelStore } = await sqlite();
  const database = new SqliteDatabase(config.dbPath);
  const readModels = new SqliteReadModelStore(database);
  await readModels.init();
  return { readModels, close: async () => database.close() };
}

/** Opens the configured adapters and brings their schema up to date (first use creates it). */
export async function openStorage(config: StrataConfig): Promise<Storage> {
  switch (config.store) {
    case 'sqlite': {
      const { SqliteDatabase, SqliteEventStore, SqliteReadModelStore } = await sqlite();
      const database = new SqliteDatabase(config.dbPath);
      const events = new SqliteEventStore(database);
      const readModels = new SqliteReadModelStore(database);
      await events.init();
      await readModels.init();
      return { events, readModels, close: async () => database.close() };
    }
    case 'postgres': {
      const { PostgresDatabase, PostgresEventStore, PostgresReadModelStore } = await postgres();
      const database = new PostgresDatabase(config.databaseUrl!);
      const events = new PostgresEventStore(database);
      const readModels = new PostgresReadModelStore(database);
      await events.init();
      await readModels.init();
      return { events, readModels, close: () => database.close() };
    }
    case 'kurrentdb': {
      const { KurrentDbEventStore } = await import('../event-store/kurrentdb/kurrentdb-event-store.js');
      const events = new KurrentDbEventStore(config.kurrentdbConnectionString!);
      await events.init();
      const beside = await readModelsBeside(config);
      return {
        events,
        readModels: beside.readModels,
        close: async () => {
          await events.close();
          await beside.close();
        },
      };
    }
  }
}
