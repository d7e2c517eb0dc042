import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonical, copyStore, logChecksum } from '../../src/event-store/copy-store.js';
import type { StoredEvent } from '../../src/event-store/event-store.port.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { SqliteDatabase } from '../../src/event-store/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { collect, newEvent } from '../contract/contract-support.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../contract/postgres-throwaway-database.js';

const STREAMS = 7;
const EVENTS = 2_345;

/** What must survive a copy, position aside (each store numbers its own log). */
const essence = (e: StoredEvent) => [e.id, e.streamId, e.revision, e.type, canonical(e.data), canonical(e.metadata), e.recordedAt];

describe('copyStore: sqlite -> postgres -> sqlite', () => {
  let dir: string;
  let database: ThrowawayDatabase;
  let source: SqliteEventStore;
  let target: PostgresEventStore;
  let back: SqliteEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-copy-'));
    database = await createThrowawayDatabase();
    source = new SqliteEventStore(new SqliteDatabase(join(dir, 'source.db')));
    target = new PostgresEventStore(database.url);
    back = new SqliteEventStore(new SqliteDatabase(join(dir, 'back.db')));
    await Promise.all([source.init(), target.init(), back.init()]);
    // Interleaved streams, appends of varying size, old commit times, key orders jsonb reorders.
    let written = 0;
    for (let i = 0; written < EVENTS; i++) {
      const streamId = `firm-${i % STREAMS}`;
      const size = Math.min(1 + (i % 4), EVENTS - written);
      const events = Array.from({ length: size }, (_, k) => ({
        ...newEvent(i % 2 ? 'CostFocusObserved' : 'CustomizationObserved', {
          zeta: written + k,
          alpha: { b: [1, { y: 'é', x: null }], a: 'Coût "q" \\ 成本' },
          n: (written + k) / 7,
        }, { recordedBy: 'ana', causationId: `c-${i}` }),
        recordedAt: new Date(Date.UTC(2019, 0, 1) + (written + k) * 60_000).toISOString(),
      }));
      await source.appendToStream({ streamId, expectedVersion: 'any', events });
      written += size;
    }
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close(), back.close()]);
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every event in global order with ids, revisions, payloads and recordedAt intact, and verifies it', async () => {
    const progress: Array<[number, number]> = [];
    const result = await copyStore(source, target, { batchSize: 250, onProgress: (c, t) => progress.push([c, t]) });
    expect(result).toMatchObject({ copied: EVENTS, recordedAtMismatches: 0, ok: true });
    expect(result.checksumTo).toBe(result.checksumFrom);
    expect(result.checksumFrom).toMatch(/^[0-9a-f]{64}$/);
    expect(progress[progress.length - 1]).toEqual([EVENTS, EVENTS]);
    expect(progress.map(([c]) => c)).toEqual([...progress.map(([c]) => c)].sort((a, b) => a - b));

    const [from, to] = [await collect(source.readAll()), await collect(target.readAll())];
    expect(to.map(essence)).toEqual(from.map(essence));
    for (let s = 0; s < STREAMS; s++) expect(await target.streamRevision(`firm-${s}`)).toBe(await source.streamRevision(`firm-${s}`));
  });

  it('copies back to sqlite with the same checksum, so the round trip loses nothing', async () => {
    const result = await copyStore(target, back);
    expect(result.ok).toBe(true);
    expect(await logChecksum(back)).toBe(await logChecksum(source));
    const [from, again] = [await collect(source.readAll()), await collect(back.readAll())];
    expect(again.map(essence)).toEqual(from.map(essence));
  });

  it('refuses a target that already holds events', async () => {
    await expect(copyStore(source, target)).rejects.toThrow(/not empty/);
  });

  it('the checksum notices a changed payload and a changed order, but not jsonb key order', async () => {
    const before = await logChecksum(target);
    await target.database.pool.query(
      `UPDATE events SET data = jsonb_set(data, '{n}', '0') WHERE global_position = (SELECT max(global_position) FROM events)`,
    );
    expect(await logChecksum(target)).not.toBe(before);
    expect(await logChecksum(target, (await target.headPosition()) - 1)).toBe(
      await logChecksum(source, (await source.headPosition()) - 1),
    );
  });

  it('verification fails when the source moved on after the copy began', async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'strata-copy-late-'));
    const late = new SqliteEventStore(new SqliteDatabase(join(dir2, 'late.db')));
    await late.init();
    try {
      // A target that already got one extra event (as if written during the copy) must not verify.
      const result = await copyStore(back, late, {
        onProgress: (copied) => {
          if (copied === 500) void late.appendToStream({ streamId: 'stray', expectedVersion: 'any', events: [newEvent()] });
        },
      });
      expect(result.ok).toBe(false);
      expect(result.checksumTo).not.toBe(result.checksumFrom);
    } finally {
      await late.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
