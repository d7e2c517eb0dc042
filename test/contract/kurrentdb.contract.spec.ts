import { describe, it } from '@jest/globals';
import { KurrentDbEventStore } from '../../src/event-store/kurrentdb/kurrentdb-event-store.js';
import { eventStoreContract } from './event-store.contract.js';

const connectionString = process.env.KURRENTDB_CONNECTION_STRING;

if (connectionString) {
  // The server is shared and keeps its data: the suite writes to fresh stream names and
  // measures the log relative to the head it saw first, and cleans up nothing but the client.
  eventStoreContract(
    'kurrentdb',
    async () => {
      const store = new KurrentDbEventStore(connectionString);
      await store.init();
      return { store, cleanup: () => store.close() };
    },
    { globallyUniqueEventIds: false },
  );
} else {
  const message = 'skipped: no KurrentDB (set KURRENTDB_CONNECTION_STRING to run the contract suite against a server)';
  console.log(message);
  describe('kurrentdb event store contract', () => {
    it.skip(message, () => undefined);
  });
}
