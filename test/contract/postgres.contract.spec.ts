import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { eventStoreContract } from './event-store.contract.js';
import { createThrowawayDatabase } from './postgres-throwaway-database.js';

eventStoreContract('postgres', async () => {
  const database = await createThrowawayDatabase();
  const store = new PostgresEventStore(database.url);
  await store.init();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});
