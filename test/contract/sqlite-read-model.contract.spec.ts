import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { SqliteReadModelStore } from '../../src/event-store/sqlite/sqlite-read-model-store.js';
import { readModelStoreContract } from './read-model-store.contract.js';

readModelStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-read-models-'));
  const database = new SqliteDatabase(join(dir, 'strata.db'));
  const store = new SqliteReadModelStore(database);
  await store.init();
  const otherDatabase = new SqliteDatabase(join(dir, 'strata.db'));
  const other = new SqliteReadModelStore(otherDatabase);
  await other.init();
  return {
    store,
    other,
    cleanup: async () => {
      otherDatabase.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
