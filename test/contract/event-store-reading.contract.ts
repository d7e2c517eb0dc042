import { describe, expect, it } from '@jest/globals';
import type { StoredEvent } from '../../src/event-store/event-store.port.js';
import { collect, exposedGc, liveHeap, newEvent, newEvents, readOwn, uniqueStream } from './contract-support.js';
import type { StoreRef } from './event-store.contract.js';

/** Global order, reading from a position, stream slices, and reading a large stream in bounded memory. */
export function readingContract(store: StoreRef, largeStreamSize: number): void {
  describe('global order and reading', () => {
    it('readAll returns every append in commit order with strictly increasing positions', async () => {
      const head = await store().headPosition();
      const streams = [uniqueStream('order-a'), uniqueStream('order-b'), uniqueStream('order-c')];
      const written: string[] = [];
      const lastPositions: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (const s of streams) {
          const events = newEvents(round + 1);
          const r = await store().appendToStream({ streamId: s, expectedVersion: 'any', events });
          written.push(...events.map((e) => e.id));
          lastPositions.push(r.lastGlobalPosition);
        }
      }
      const own = await readOwn(store(), head, streams);
      expect(own.map((e) => e.id)).toEqual(written);
      expect(own[0]!.globalPosition).toBeGreaterThan(head);
      for (let i = 1; i < own.length; i++) expect(own[i]!.globalPosition).toBeGreaterThan(own[i - 1]!.globalPosition);
      // Each append reports the position of the last event it wrote.
      const byId = new Map(own.map((e) => [e.id, e.globalPosition]));
      expect(lastPositions[lastPositions.length - 1]).toBe(own[own.length - 1]!.globalPosition);
      expect(lastPositions.every((p) => [...byId.values()].includes(p))).toBe(true);
      expect(await store().headPosition()).toBeGreaterThanOrEqual(own[own.length - 1]!.globalPosition);
    });

    it('readEvent (where the store has it) returns the stored event by id, or undefined', async () => {
      const s = store();
      if (!s.readEvent) return; // optional: callers scan readAll instead (kurrentdb)
      const stream = uniqueStream('by-id');
      const events = newEvents(3);
      await s.appendToStream({ streamId: stream, expectedVersion: 'no-stream', events });
      const [stored] = (await collect(s.readStream(stream))).slice(1, 2);
      expect(await s.readEvent(events[1]!.id)).toEqual(stored);
      expect(await s.readEvent('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('readAll({ after }) starts strictly after the position; batchSize and maxCount page correctly', async () => {
      const head = await store().headPosition();
      const s = uniqueStream('from');
      await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: newEvents(7) });
      const own = await readOwn(store(), head, [s]);
      expect(own.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      const fromThird = await readOwn(store(), own[2]!.globalPosition, [s]);
      expect(fromThird.map((e) => e.revision)).toEqual([3, 4, 5, 6]);
      // Pages that do not divide the count, and pages of one.
      for (const batchSize of [1, 2, 3]) {
        expect((await readOwn(store(), head, [s], batchSize)).map((e) => e.id)).toEqual(own.map((e) => e.id));
      }
      const limited = await collect(store().readAll({ after: own[0]!.globalPosition, maxCount: 3, batchSize: 2 }));
      expect(limited).toHaveLength(3);
      expect(limited[0]!.globalPosition).toBeGreaterThan(own[0]!.globalPosition);
      const last = own[own.length - 1]!.globalPosition;
      expect((await collect(store().readAll({ after: last }))).filter((e) => e.streamId === s)).toEqual([]);
    });

    it('readAll events carry what was appended', async () => {
      const head = await store().headPosition();
      const s = uniqueStream('content');
      const data = { text: 'Coût, 成本 — "quoted" \\ back\nslash', n: -12.5, big: 2 ** 40, ok: true, none: null, list: [{ a: [] }] };
      const event = newEvent('CostFocusObserved', data, { recordedBy: 'ana', correlationId: 'c-1', tags: ['x'] });
      await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: [event] });
      const [stored] = await readOwn(store(), head, [s]);
      expect(stored).toMatchObject({
        id: event.id,
        streamId: s,
        revision: 0,
        type: 'CostFocusObserved',
        data,
        metadata: event.metadata,
      });
      expect(Number.isSafeInteger(stored!.globalPosition)).toBe(true);
      expect(Date.parse(stored!.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('readStream honours fromRevision and maxCount; an absent stream reads empty', async () => {
      const s = uniqueStream('slice');
      await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: newEvents(10) });
      const revisions = async (o: { fromRevision?: number; maxCount?: number }) =>
        (await collect(store().readStream(s, o))).map((e) => e.revision);
      expect(await revisions({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await revisions({ fromRevision: 3, maxCount: 4 })).toEqual([3, 4, 5, 6]);
      expect(await revisions({ fromRevision: 8, maxCount: 10 })).toEqual([8, 9]);
      expect(await revisions({ fromRevision: 10 })).toEqual([]);
      expect(await revisions({ maxCount: 0 })).toEqual([]);
      expect(await collect(store().readStream(uniqueStream('absent')))).toEqual([]);
      expect(await store().streamRevision(s)).toBe(9);
    });

    it('countEvents and headPosition move with appends', async () => {
      const [count, head] = [await store().countEvents(), await store().headPosition()];
      const r = await store().appendToStream({ streamId: uniqueStream('count'), expectedVersion: 'any', events: newEvents(4) });
      expect(await store().countEvents()).toBe(count + 4);
      expect(await store().headPosition()).toBeGreaterThanOrEqual(r.lastGlobalPosition);
      expect(r.lastGlobalPosition).toBeGreaterThan(head);
    });
  });

  describe('large streams', () => {
    it(
      `reads a ${largeStreamSize.toLocaleString('en')}-event stream in bounded memory`,
      async () => {
        const gc = exposedGc();
        const s = uniqueStream('large');
        const headBefore = await store().headPosition();
        const note = 'n'.repeat(300);
        const chunk = 5000;
        for (let from = 0; from < largeStreamSize; from += chunk) {
          const events = Array.from({ length: Math.min(chunk, largeStreamSize - from) }, (_, k) =>
            newEvent('Tick', { i: from + k, note }, { seq: from + k }),
          );
          await store().appendToStream({ streamId: s, expectedVersion: from - 1, events });
        }

        // What holding events costs: keep one tenth of the stream alive and measure it.
        const tenth = Math.floor(largeStreamSize / 10);
        const base = liveHeap(gc);
        let held: StoredEvent[] | undefined = await collect(store().readStream(s, { maxCount: tenth }));
        const costOfTenth = liveHeap(gc) - base;
        expect(held).toHaveLength(tenth);
        held = undefined;

        // Streaming the whole stream must stay far below what loading it would take (10x that).
        const scan = async (iterable: AsyncIterable<StoredEvent>, keep: (e: StoredEvent) => boolean) => {
          const start = liveHeap(gc);
          let count = 0;
          let outOfOrder = 0;
          let peak = 0;
          for await (const e of iterable) {
            if (!keep(e)) continue;
            if ((e.data as { i: number }).i !== count) outOfOrder++;
            count++;
            if (count % tenth === 0) peak = Math.max(peak, liveHeap(gc) - start);
          }
          return { count, outOfOrder, peak };
        };
        const byStream = await scan(store().readStream(s), () => true);
        expect(byStream).toMatchObject({ count: largeStreamSize, outOfOrder: 0 });
        const byLog = await scan(store().readAll({ after: headBefore, batchSize: 500 }), (e) => e.streamId === s);
        expect(byLog).toMatchObject({ count: largeStreamSize, outOfOrder: 0 });
        // Loading everything would grow the heap by ~10 x costOfTenth; a page at a time stays
        // under 3 x (a tenth of the stream is 10,000 events, pages are 500-1,000).
        for (const peak of [byStream.peak, byLog.peak]) expect(peak).toBeLessThan(3 * costOfTenth);
        expect(costOfTenth).toBeGreaterThan(1_000_000); // the yardstick itself measured something real
      },
      120_000,
    );
  });
}
