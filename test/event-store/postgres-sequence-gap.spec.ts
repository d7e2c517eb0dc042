import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { collect, newEvent, newEvents } from '../contract/contract-support.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../contract/postgres-throwaway-database.js';

/**
 * The classic sequence-gap problem, provoked for real: transaction A draws a position and
 * stays open, transaction B draws a higher one and commits, a reader checkpoints at B's
 * position, then A commits below the checkpoint and is never read. The adapter prevents it by
 * serialising appends on an advisory lock; the control case shows the hazard is real.
 */
describe('postgres: a reader never skips an event committed late', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    store = new PostgresEventStore(database.url);
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const waitingOnAdvisoryLock = async () => {
    const { rows } = await store.database.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
    );
    return Number(rows[0]!.n);
  };

  it('holds a later append back while an earlier one is open, so head and readAll never pass it', async () => {
    const checkpoint = await store.headPosition();
    const slowEvent = newEvent('Slow');
    const fastEvent = newEvent('Fast');

    const slow = await store.database.pool.connect();
    await slow.query('BEGIN');
    const [slowResult] = await store.appendWithin(slow, [
      { streamId: 'firm-slow', expectedVersion: 'no-stream', events: [slowEvent] },
    ]);

    let fastSettled = false;
    const fast = store.appendToStream({ streamId: 'firm-fast', expectedVersion: 'no-stream', events: [fastEvent] });
    void fast.finally(() => (fastSettled = true));
    await sleep(300);

    // While A is open: B is queued on the append lock, and a reader sees nothing new.
    expect(fastSettled).toBe(false);
    expect(await waitingOnAdvisoryLock()).toBe(1);
    expect(await collect(store.readAll({ after: checkpoint }))).toEqual([]);
    const headWhileOpen = await store.headPosition();
    expect(headWhileOpen).toBe(checkpoint);

    const releasedAt = Date.now();
    await slow.query('COMMIT');
    slow.release();
    const fastResult = await fast;

    // A reader resuming from what it saw gets A, then B, in position order.
    const resumed = await collect(store.readAll({ after: headWhileOpen }));
    expect(resumed.map((e) => e.id)).toEqual([slowEvent.id, fastEvent.id]);
    expect(slowResult!.lastGlobalPosition).toBeLessThan(fastResult.lastGlobalPosition);
    expect(await store.headPosition()).toBe(fastResult.lastGlobalPosition);
    // B is stamped when it got the lock, not when it asked: commit times follow position order.
    expect(Date.parse(resumed[1]!.recordedAt)).toBeGreaterThanOrEqual(releasedAt - 5);
  });

  it('control: a writer that bypasses the lock does open the gap the lock prevents', async () => {
    const checkpoint = await store.headPosition();
    const rogue = await store.database.pool.connect();
    try {
      await rogue.query('BEGIN');
      await rogue.query(
        `INSERT INTO events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at)
         VALUES (gen_random_uuid()::text, 'firm-rogue', 0, 'Rogue', '{}', '{}', now())`,
      );
      const fast = await store.appendToStream({ streamId: 'firm-after-rogue', expectedVersion: 'no-stream', events: [newEvent()] });
      const seen = await collect(store.readAll({ after: checkpoint }));
      expect(seen.map((e) => e.streamId)).toEqual(['firm-after-rogue']);
      await rogue.query('COMMIT');
      // The rogue event sits below a position the reader has already passed: it would be skipped.
      const resumed = await collect(store.readAll({ after: fast.lastGlobalPosition }));
      expect(resumed.map((e) => e.streamId)).not.toContain('firm-rogue');
      const all = await collect(store.readAll({ after: checkpoint }));
      expect(all.map((e) => e.streamId)).toEqual(['firm-rogue', 'firm-after-rogue']);
    } finally {
      rogue.release();
    }
  });

  it('a reader tailing the log during concurrent appends sees every event exactly once', async () => {
    const start = await store.headPosition();
    const writers = 8;
    const appendsEach = 25;
    let writing = true;
    const seen: string[] = [];
    const reader = (async () => {
      let checkpoint = start;
      for (;;) {
        const done = !writing; // decide before reading, so the last pass follows the last commit
        for await (const e of store.readAll({ after: checkpoint, batchSize: 7 })) {
          seen.push(e.id);
          checkpoint = e.globalPosition;
        }
        if (done) return;
        await sleep(2);
      }
    })();
    const written: string[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < appendsEach; i++) {
          const events = newEvents(1 + (i % 3));
          written.push(...events.map((e) => e.id));
          await store.appendToStream({ streamId: `firm-tail-${w}`, expectedVersion: 'any', events });
        }
      }),
    );
    writing = false;
    await reader;
    expect(seen).toHaveLength(written.length);
    expect(new Set(seen)).toEqual(new Set(written));
  });
});
