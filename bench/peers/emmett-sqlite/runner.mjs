// Emmett's SQLite event store (@event-driven-io/emmett-sqlite 0.38.5, node-sqlite3) driven by
// Strata's benchmark. The main bench forks this file and sends one JSON message per operation;
// every reply is JSON: { ok: true, ms, count, ... } or { ok: false, error }. The timed part is
// only the store calls: events are built before the clock starts, as on Strata's side.
//
// Setup: npm --prefix bench/peers/emmett-sqlite ci
import { randomUUID } from 'node:crypto';
import { getSQLiteEventStore, readMessagesBatch, sqliteConnection } from '@event-driven-io/emmett-sqlite';

let store;
let fileName;
let sample = [];
/** Next expected stream version per stream (bigint), as appendToStream returns it. */
const versions = new Map();

/**
 * emmett-sqlite 0.38.5 opens a new node-sqlite3 connection per operation and issues
 * `PRAGMA journal_mode = WAL` on it without waiting; node-sqlite3 runs statements in parallel,
 * so now and then COMMIT finds that PRAGMA still running and fails with SQLITE_BUSY ("SQL
 * statements in progress"). The append was rolled back, so we retry it as an application
 * would; the retry's time counts, and the number of retries is reported.
 */
let retries = 0;
async function withRetry(fn) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err?.code !== 'SQLITE_BUSY' || attempt >= 10) throw err;
      retries++;
    }
  }
}

const now = () => process.hrtime.bigint();
const msSince = (t) => Number(process.hrtime.bigint() - t) / 1e6;

/** Fresh copies of the sample events (Emmett assigns its own message ids; we add ours to metadata like Strata's id). */
function eventsFor(count, offset = 0) {
  return Array.from({ length: count }, (_, i) => {
    const e = sample[(offset + i) % sample.length];
    return { type: e.type, data: e.data, metadata: { ...e.metadata, eventId: randomUUID() } };
  });
}

const ops = {
  async init(msg) {
    fileName = msg.location;
    sample = msg.sample;
    store = getSQLiteEventStore({ fileName, schema: { autoMigration: 'CreateOrUpdate' } });
    // First call creates the schema (outside any timing).
    await withRetry(() => store.appendToStream(`warmup-${randomUUID()}`, eventsFor(1)));
    return {};
  },

  /** `count` appends of one event each, round-robin over `streams` streams, each with its exact expected version. */
  async appendSingle({ prefix, streams, count }) {
    const names = Array.from({ length: streams }, (_, i) => `${prefix}-${i}`);
    const batches = Array.from({ length: count }, (_, i) => eventsFor(1, i));
    const t = now();
    for (let i = 0; i < count; i++) {
      const name = names[i % streams];
      const expected = versions.get(name);
      const r = await withRetry(() =>
        store.appendToStream(name, batches[i], expected === undefined ? { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' } : { expectedStreamVersion: expected }),
      );
      versions.set(name, r.nextExpectedStreamVersion);
    }
    return { ms: msSince(t), count };
  },

  /** `batches` appends of `size` events, each to a new stream (one transaction each). */
  async appendBatch({ prefix, batches, size }) {
    const prepared = Array.from({ length: batches }, (_, b) => eventsFor(size, b * size));
    const t = now();
    for (let b = 0; b < batches; b++) {
      await withRetry(() => store.appendToStream(`${prefix}-${b}`, prepared[b], { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' }));
    }
    return { ms: msSince(t), count: batches * size };
  },

  async readStream({ stream }) {
    const t = now();
    const { events } = await withRetry(() => store.readStream(stream));
    let count = 0;
    for (const e of events) if (e.data) count++;
    return { ms: msSince(t), count };
  },

  /** Every event in global order, 1,000 per query (the page Strata's readAll uses). */
  async readAll({ batchSize = 1000 }) {
    const connection = sqliteConnection({ fileName });
    try {
      const t = now();
      let after = 0n;
      let count = 0;
      for (;;) {
        const batch = await readMessagesBatch(connection, { after, batchSize });
        for (const m of batch.messages) if (m.data) count++;
        if (batch.messages.length < batchSize) break;
        after = batch.currentGlobalPosition;
      }
      return { ms: msSince(t), count };
    } finally {
      connection.close();
    }
  },

  async close() {
    return {};
  },
};

process.on('message', async (msg) => {
  try {
    retries = 0;
    const result = await ops[msg.op](msg);
    process.send({ id: msg.id, ok: true, retries, ...result });
    if (msg.op === 'close') process.disconnect();
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.send({ ready: true, peer: 'emmett-sqlite', versions: process.versions.node });
