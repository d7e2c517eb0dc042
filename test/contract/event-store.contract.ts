import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DuplicateEventIdError,
  WrongExpectedVersionError,
  type EventStore,
  type ExpectedVersion,
} from '../../src/event-store/event-store.port.js';
import { collect, newEvent, newEvents, rejection, uniqueStream, type StoreFixture } from './contract-support.js';
import { concurrencyContract } from './event-store-concurrency.contract.js';
import { readingContract } from './event-store-reading.contract.js';

export interface EventStoreContractOptions {
  /**
   * The log rejects an event id used anywhere else in it (sqlite, postgres). KurrentDB only
   * recognises a retry of the events at the expected position, so it opts out of the
   * cross-stream and partial-retry cases (they are registered as skipped, not silently dropped).
   */
  readonly globallyUniqueEventIds?: boolean;
  /** Events in the large-stream test; 100,000 unless an adapter's test file says otherwise. */
  readonly largeStreamSize?: number;
}

/** Gives sub-suites the store created in beforeAll (it does not exist yet when they register). */
export type StoreRef = () => EventStore;

/** `it`, or `it.skip` for a case an adapter declares it does not support. */
export type TestRegistrar = (name: string, fn: () => Promise<void>) => void;

/**
 * The one behaviour every EventStore adapter must show. The factory runs once per suite; each
 * test writes to streams of its own and measures the global log relative to the head it saw
 * first, so the suite also runs against a shared KurrentDB server that holds other data.
 */
export function eventStoreContract(
  name: string,
  factory: () => Promise<StoreFixture<EventStore>>,
  options: EventStoreContractOptions = {},
): void {
  const globallyUnique = options.globallyUniqueEventIds ?? true;
  const itIfUniqueIds: TestRegistrar = globallyUnique ? it : it.skip;

  describe(`${name} event store contract`, () => {
    let fixture: StoreFixture<EventStore> | undefined;
    const store: StoreRef = () => {
      if (!fixture) throw new Error('store fixture not created');
      return fixture.store;
    };

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('init() is idempotent and safe to call concurrently', async () => {
      await Promise.all([store().init(), store().init()]);
      expect(await store().streamRevision(uniqueStream('init'))).toBe(-1);
    });

    describe('expected version', () => {
      async function expectConflict(streamId: string, expected: ExpectedVersion, actual: number) {
        const countBefore = await store().countEvents();
        const err = await rejection(store().appendToStream({ streamId, expectedVersion: expected, events: [newEvent()] }));
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({ streamId, expected, actual });
        // A conflict writes nothing.
        expect(await store().streamRevision(streamId)).toBe(actual);
        expect(await store().countEvents()).toBe(countBefore);
      }

      it("'no-stream' creates a stream and is rejected once it exists", async () => {
        const s = uniqueStream('no-stream');
        const events = [newEvent('A', { a: 1 }, { by: 'x' }), newEvent('B', { b: [1, 'two', null] }, {})];
        const result = await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events });
        expect(result).toMatchObject({ streamId: s, nextExpectedVersion: 1, appended: 2 });
        const read = await collect(store().readStream(s));
        expect(read.map((e) => [e.id, e.streamId, e.revision, e.type, e.data, e.metadata])).toEqual([
          [events[0]!.id, s, 0, 'A', { a: 1 }, { by: 'x' }],
          [events[1]!.id, s, 1, 'B', { b: [1, 'two', null] }, {}],
        ]);
        expect(result.lastGlobalPosition).toBe(read[1]!.globalPosition);
        for (const e of read) expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt);
        await expectConflict(s, 'no-stream', 1);
      });

      it("'stream-exists' is rejected for an absent stream and accepted for an existing one", async () => {
        const s = uniqueStream('exists');
        await expectConflict(s, 'stream-exists', -1);
        await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: [newEvent()] });
        const result = await store().appendToStream({ streamId: s, expectedVersion: 'stream-exists', events: newEvents(2) });
        expect(result).toMatchObject({ nextExpectedVersion: 2, appended: 2 });
      });

      it('an exact revision must equal the current one', async () => {
        const s = uniqueStream('exact');
        await expectConflict(s, 0, -1);
        // -1 as a number is the revision of an absent stream.
        expect(await store().appendToStream({ streamId: s, expectedVersion: -1, events: newEvents(3) })).toMatchObject({
          nextExpectedVersion: 2,
          appended: 3,
        });
        await expectConflict(s, 1, 2);
        await expectConflict(s, 3, 2);
        await expectConflict(s, -1, 2);
        expect(await store().appendToStream({ streamId: s, expectedVersion: 2, events: [newEvent()] })).toMatchObject({
          nextExpectedVersion: 3,
          appended: 1,
        });
      });

      it("'any' appends whatever the stream's state", async () => {
        const s = uniqueStream('any');
        expect(await store().appendToStream({ streamId: s, expectedVersion: 'any', events: [newEvent()] })).toMatchObject({
          nextExpectedVersion: 0,
        });
        expect(await store().appendToStream({ streamId: s, expectedVersion: 'any', events: newEvents(2) })).toMatchObject({
          nextExpectedVersion: 2,
        });
        expect(await store().streamRevision(s)).toBe(2);
      });

      it('an empty append checks the expected version and writes nothing', async () => {
        const s = uniqueStream('empty');
        await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: newEvents(2) });
        const countBefore = await store().countEvents();
        const result = await store().appendToStream({ streamId: s, expectedVersion: 1, events: [] });
        expect(result).toMatchObject({ streamId: s, nextExpectedVersion: 1, appended: 0 });
        const err = await rejection(store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: [] }));
        expect(err).toMatchObject({ name: 'WrongExpectedVersionError', actual: 1 });
        expect(await store().countEvents()).toBe(countBefore);
      });
    });

    describe('idempotent retry by event id', () => {
      it('appending the same events again appends nothing, even with the now-stale expected version', async () => {
        const s = uniqueStream('retry');
        const events = newEvents(3);
        const first = await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events });
        const countAfterFirst = await store().countEvents();
        const retry = await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events });
        expect(retry).toEqual({ ...first, appended: 0 });
        const again = await store().appendToStream({ streamId: s, expectedVersion: 'any', events });
        expect(again).toMatchObject({ nextExpectedVersion: 2, appended: 0 });
        expect(await store().countEvents()).toBe(countAfterFirst);
        expect((await collect(store().readStream(s))).map((e) => e.id)).toEqual(events.map((e) => e.id));
      });

      itIfUniqueIds('a batch that is only partly a retry is a DuplicateEventIdError and writes nothing', async () => {
        const s = uniqueStream('partial');
        const events = newEvents(2);
        await store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events });
        const countBefore = await store().countEvents();
        const err = await rejection(
          store().appendToStream({ streamId: s, expectedVersion: 1, events: [events[1]!, newEvent()] }),
        );
        expect(err).toBeInstanceOf(DuplicateEventIdError);
        expect(err).toMatchObject({ eventId: events[1]!.id });
        expect(await store().countEvents()).toBe(countBefore);
        expect(await store().streamRevision(s)).toBe(1);
      });

      itIfUniqueIds('an id already used in another stream is a DuplicateEventIdError', async () => {
        const a = uniqueStream('owner');
        const b = uniqueStream('thief');
        const event = newEvent();
        await store().appendToStream({ streamId: a, expectedVersion: 'no-stream', events: [event] });
        const err = await rejection(store().appendToStream({ streamId: b, expectedVersion: 'no-stream', events: [event] }));
        expect(err).toBeInstanceOf(DuplicateEventIdError);
        expect(err).toMatchObject({ eventId: event.id });
        expect(await store().streamRevision(b)).toBe(-1);
      });

      it('the same id twice in one append is a DuplicateEventIdError and writes nothing', async () => {
        const s = uniqueStream('twice');
        const event = newEvent();
        const err = await rejection(
          store().appendToStream({ streamId: s, expectedVersion: 'no-stream', events: [event, newEvent(), event] }),
        );
        expect(err).toBeInstanceOf(DuplicateEventIdError);
        expect(await store().streamRevision(s)).toBe(-1);
      });
    });

    concurrencyContract(store, itIfUniqueIds);
    readingContract(store, options.largeStreamSize ?? 100_000);
  });
}
