import type { EventStore } from '../event-store/event-store.port.js';
import { SqliteDatabase } from '../event-store/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { SqliteReadModelStore } from '../event-store/sqlite/sqlite-read-model-store.js';
import type { ReadModelStore } from '../projections/read-model-store.port.js';
import type { StrataConfig } from './config.js';

export interface Storage {
  readonly events: EventStore;
  readonly readModels: ReadModelStore;
  close(): Promise<void>;
}

/** Opens the configured adapters and brings their schema up to date (first use creates it). */
export async function openStorage(config: StrataConfig): Promise<Storage> {
  switch (config.store) {
    case 'sqlite': {
      const database = new SqliteDatabase(config.dbPath);
      const events = new SqliteEventStore(database);
      const readModels = new SqliteReadModelStore(database);
      await events.init();
      await readModels.init();
      return { events, readModels, close: async () => database.close() };
    }
    case 'postgres':
    case 'kurrentdb':
      throw new Error(`the ${config.store} adapter is not wired yet`);
  }
}
