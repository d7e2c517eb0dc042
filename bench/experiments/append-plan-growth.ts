/**
 * Whether `strata_append` stays fast when the events table grows behind a session's back: one
 * session appends a few single events (PL/pgSQL makes its generic plans after five calls), another
 * adds 300,000 rows, then the first appends single events and 1,000-event batches again.
 * With a seq-scan generic plan the 1,000-event appends took ~2.7 s each; they should stay ~20 ms.
 *
 *   node dist/bench/experiments/append-plan-growth.js [rows=300000]
 *   WITHOUT_GUARD=1 …   the same with the function's `enable_seqscan = off` removed first
 */
import pg from 'pg';
import { createTarget } from '../lib/databases.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';

const rows = Number(process.argv[2] ?? 300_000);
const target = await createTarget('postgres', 'plan-growth');
try {
  const store = new PostgresEventStore(target.location);
  await store.init();
  await store.close();
  const a = new pg.Client(target.location);
  const b = new pg.Client(target.location);
  await a.connect();
  await b.connect();
  if (process.env.WITHOUT_GUARD) {
    await b.query('ALTER FUNCTION strata_append(text, text, bigint, boolean, text[], text[], jsonb[], jsonb[], timestamptz[]) RESET ALL');
  }
  const append = async (tag: string, n: number) => {
    const ids = Array.from({ length: n }, (_, i) => `${tag}-${i}`);
    const t0 = performance.now();
    await a.query('SELECT * FROM strata_append($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      `stream-${tag}`, 'no-stream', null, true, ids, ids.map(() => 't'), ids.map(() => '{}'), ids.map(() => '{}'), ids.map(() => null),
    ]);
    return (performance.now() - t0).toFixed(2);
  };
  const small: string[] = [];
  for (let i = 0; i < 8; i++) small.push(await append(`small-${i}`, 1));
  console.log(`small table, 1 event each: ${small.join(', ')} ms`);
  await b.query(
    `INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
     SELECT 'bulk-' || g, 'bulk-' || (g / 100), g % 100, 't', '{}', '{}', now() FROM generate_series(1, $1::int) g`,
    [rows],
  );
  const single: string[] = [];
  for (let i = 0; i < 5; i++) single.push(await append(`grown-${i}`, 1));
  console.log(`after ${rows} rows, 1 event each: ${single.join(', ')} ms`);
  const batch: string[] = [];
  for (let i = 0; i < 3; i++) batch.push(await append(`batch-${i}`, 1000));
  console.log(`after ${rows} rows, 1,000 events each: ${batch.join(', ')} ms`);
  await a.end();
  await b.end();
} finally {
  await target.drop();
}
