import { PostgresReadModelStore } from '../../src/event-store/postgres/postgres-read-model-store.js';
import { createThrowawayDatabase } from './postgres-throwaway-database.js';
import { readModelStoreContract } from './read-model-store.contract.js';

readModelStoreContract('postgres', async () => {
  const database = await createThrowawayDatabase();
  const store = new PostgresReadModelStore(database.url);
  await store.init();
  const other = new PostgresReadModelStore(database.url);
  return {
    store,
    other,
    cleanup: async () => {
      await other.close();
      await store.close();
      await database.drop();
    },
  };
});
