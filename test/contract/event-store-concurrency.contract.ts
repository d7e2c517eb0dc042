import { describe, expect, it } from '@jest/globals';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../../src/event-store/event-store.port.js';
import { collect, newEvent, newEvents, rejection, uniqueStream } from './contract-support.js';
import type { StoreRef, TestRegistrar } from './event-store.contract.js';

const WRITERS = 8;

/** Optimistic concurrency under real parallel writers, and appendMany's all-or-nothing rule. */
export function concurrencyContract(store: StoreRef, itIfUniqueIds: TestRegistrar): void {
  describe('concurrent writers', () => {
    it(`${WRITERS} writers racing on one expected version: exactly one wins, the others conflict`, async () => {
      const s = uniqueStream('race');
      await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: [newEvent()] });
      const batches = Array.from({ length: WRITERS }, () => newEvents(2));
      const outcomes = await Promise.allSettled(
        batches.map((events) => store().appendToStream({ streamId: s, expectedVersion: 0, events })),
      );
      const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') {
          expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(o.reason).toMatchObject({ streamId: s, expected: 0, actual: 2 });
        }
      }
      const stored = await collect(store().readStream(s));
      expect(stored.slice(1).map((e) => e.id)).toEqual(batches[winners[0]!]!.map((e) => e.id));
    });

    it(`${WRITERS} writers retrying on conflict: no event lost or duplicated, revisions dense`, async () => {
      const s = uniqueStream('retrying');
      const perWriter = 5;
      const conflicts: unknown[] = [];
      const writer = async (w: number) => {
        for (let i = 0; i < perWriter; i++) {
          const event = newEvent('Step', { w, i });
          for (;;) {
            const revision = await store().streamRevision(s);
            try {
              await store().appendToStream({ streamId: s, expectedVersion: revision, events: [event] });
              break;
            } catch (err) {
              conflicts.push(err);
              if (!(err instanceof WrongExpectedVersionError)) throw err;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      expect(conflicts.every((c) => c instanceof WrongExpectedVersionError)).toBe(true);
      const stored = await collect(store().readStream(s));
      expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: WRITERS * perWriter }, (_, i) => i));
      expect(new Set(stored.map((e) => e.id)).size).toBe(WRITERS * perWriter);
      for (let w = 0; w < WRITERS; w++) {
        const mine = stored.filter((e) => (e.data as { w: number }).w === w).map((e) => (e.data as { i: number }).i);
        expect(mine).toEqual(Array.from({ length: perWriter }, (_, i) => i));
      }
      const positions = stored.map((e) => e.globalPosition);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });
  });

  describe('appendMany', () => {
    it('appends several streams in request order, a later request seeing an earlier one', async () => {
      const [a, b] = [uniqueStream('many-a'), uniqueStream('many-b')];
      const results = await store().appendMany([
        { streamId: a, expectedVersion: 'no-stream', events: newEvents(2) },
        { streamId: b, expectedVersion: 'no-stream', events: newEvents(1) },
        { streamId: a, expectedVersion: 1, events: newEvents(1) },
      ]);
      expect(results.map((r) => [r.streamId, r.nextExpectedVersion, r.appended])).toEqual([
        [a, 1, 2],
        [b, 0, 1],
        [a, 2, 1],
      ]);
      expect(results[0]!.lastGlobalPosition).toBeLessThan(results[1]!.lastGlobalPosition);
      expect(results[1]!.lastGlobalPosition).toBeLessThan(results[2]!.lastGlobalPosition);
    });

    it('checks every request before writing any: one conflict means nothing is written', async () => {
      const [a, b, c] = [uniqueStream('atomic-a'), uniqueStream('atomic-b'), uniqueStream('atomic-c')];
      await store().appendToStream({ streamId: b, expectedVersion: 'no-stream', events: [newEvent()] });
      const countBefore = await store().countEvents();
      const err = await rejection(
        store().appendMany([
          { streamId: a, expectedVersion: 'no-stream', events: newEvents(2) },
          { streamId: b, expectedVersion: 'no-stream', events: newEvents(1) },
          { streamId: c, expectedVersion: 'any', events: newEvents(1) },
        ]),
      );
      expect(err).toBeInstanceOf(WrongExpectedVersionError);
      expect(err).toMatchObject({ streamId: b, actual: 0 });
      expect(await store().countEvents()).toBe(countBefore);
      expect([await store().streamRevision(a), await store().streamRevision(c)]).toEqual([-1, -1]);
    });

    itIfUniqueIds('answers each request on its own: an empty request and a retry among others', async () => {
      const [a, b, c] = [uniqueStream('each-a'), uniqueStream('each-b'), uniqueStream('each-c')];
      const logged = newEvents(2);
      await store().appendToStream({ streamId: b, expectedVersion: 'no-stream', events: logged });
      const countBefore = await store().countEvents();
      const results = await store().appendMany([
        { streamId: a, expectedVersion: 'no-stream', events: newEvents(1) },
        { streamId: c, expectedVersion: 'any', events: [] },
        { streamId: b, expectedVersion: 'no-stream', events: logged },
        { streamId: a, expectedVersion: 0, events: newEvents(2) },
      ]);
      expect(results.map((r) => [r.streamId, r.nextExpectedVersion, r.appended])).toEqual([
        [a, 0, 1],
        [c, -1, 0],
        [b, 1, 0],
        [a, 2, 2],
      ]);
      expect(await store().countEvents()).toBe(countBefore + 3);
      expect(await store().streamRevision(c)).toBe(-1);
    });

    itIfUniqueIds('a duplicate id in a later request rolls back the earlier ones (when atomic)', async () => {
      const atomic = store().capabilities.atomicMultiStreamAppend;
      const [a, b] = [uniqueStream('dup-a'), uniqueStream('dup-b')];
      const taken = newEvent();
      await store().appendToStream({ streamId: uniqueStream('dup-owner'), expectedVersion: 'any', events: [taken] });
      const countBefore = await store().countEvents();
      const err = await rejection(
        store().appendMany([
          { streamId: a, expectedVersion: 'no-stream', events: newEvents(3) },
          { streamId: b, expectedVersion: 'no-stream', events: [newEvent(), taken] },
        ]),
      );
      expect(err).toBeInstanceOf(DuplicateEventIdError);
      // A store declaring appendMany non-atomic documents that a failure its pre-check cannot
      // see leaves the earlier requests written.
      expect(await store().countEvents()).toBe(countBefore + (atomic ? 0 : 3));
      expect(await store().streamRevision(a)).toBe(atomic ? -1 : 2);
    });

    it('does not let the caller change what is written by mutating its arrays afterwards', async () => {
      const s = uniqueStream('mutate');
      const events = newEvents(2);
      const pending = store().appendMany([{ streamId: s, expectedVersion: 'no-stream', events }]);
      events.push(newEvent());
      await pending;
      expect(await store().streamRevision(s)).toBe(1);
    });
  });
}
