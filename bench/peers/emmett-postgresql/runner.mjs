// Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql 0.42.0, pg via dumbo)
// driven by Strata's benchmark. The main bench forks this file and sends one JSON message per
// operation; every reply is JSON: { ok: true, ms, count, ... } or { ok: false, error }. The
// timed part is only the store calls: events are built before the clock starts, as on Strata's side.
//
// Setup: npm --prefix bench/peers/emmett-postgresql ci
import { randomUUID } from 'node:crypto';
import { dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';

let store;
let connectionString;
let sample = [];
const versions = new Map();

const now = () => process.hrtime.bigint();
const msSince = (t) => Number(process.hrtime.bigint() - t) / 1e6;

function eventsFor(count, offset = 0) {
  return Array.from({ length: count }, (_, i) => {
    const e = sample[(offset + i) % sample.length];
    return { type: e.type, data: e.data, metadata: { ...e.metadata, eventId: randomUUID() } };
  });
}

const ops = {
  async init(msg) {
    connectionString = msg.location;
    sample = msg.sample;
    store = getPostgreSQLEventStore(connectionString, { schema: { autoMigration: 'CreateOrUpdate' } });
    await store.schema.migrate();
    await store.appendToStream(`warmup-${randomUUID()}`, eventsFor(1));
    return {};
  },

  async appendSingle({ prefix, streams, count }) {
    const names = Array.from({ length: streams }, (_, i) => `${prefix}-${i}`);
    const batches = Array.from({ length: count }, (_, i) => eventsFor(1, i));
    const t = now();
    for (let i = 0; i < count; i++) {
      const name = names[i % streams];
      const expected = versions.get(name);
      const r = await store.appendToStream(name, batches[i], expected === undefined ? { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' } : { expectedStreamVersion: expected });
      versions.set(name, r.nextExpectedStreamVersion);
    }
    return { ms: msSince(t), count };
  },

  async appendBatch({ prefix, batches, size }) {
    const prepared = Array.from({ length: batches }, (_, b) => eventsFor(size, b * size));
    const t = now();
    for (let b = 0; b < batches; b++) {
      await store.appendToStream(`${prefix}-${b}`, prepared[b], { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' });
    }
    return { ms: msSince(t), count: batches * size };
  },

  async readStream({ stream }) {
    const t = now();
    const { events } = await store.readStream(stream);
    let count = 0;
    for (const e of events) if (e.data) count++;
    return { ms: msSince(t), count };
  },

  /** Every event in global order, 1,000 per query: the primitive Emmett's consumers page with. */
  async readAll({ batchSize = 1000 }) {
    const pool = dumbo({ connectionString });
    try {
      const t = now();
      let after = 0n;
      let count = 0;
      for (;;) {
        const batch = await readMessagesBatch(pool.execute, { after, batchSize });
        for (const m of batch.messages) if (m.data) count++;
        if (batch.messages.length < batchSize) break;
        after = batch.currentGlobalPosition;
      }
      return { ms: msSince(t), count };
    } finally {
      await pool.close();
    }
  },

  async close() {
    await store?.close();
    return {};
  },
};

process.on('message', async (msg) => {
  try {
    const result = await ops[msg.op](msg);
    process.send({ id: msg.id, ok: true, ...result });
    if (msg.op === 'close') process.disconnect();
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.send({ ready: true, peer: 'emmett-postgresql' });
