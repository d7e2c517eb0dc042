import { describe, expect, it } from '@jest/globals';
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AllStreamResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../../src/event-store/event-store.port.js';
import { KurrentDbEventStore } from '../../src/event-store/kurrentdb/kurrentdb-event-store.js';
import {
  appendedCount,
  assertUniqueIds,
  checkAppendPlan,
  isAfter,
  mapAppendError,
  positionToNumber,
  readPositionAfter,
  RECORDED_AT_KEY,
  toEventData,
  toStoredEvent,
  toStreamState,
} from '../../src/event-store/kurrentdb/kurrentdb-mapping.js';
import { newEvent, newEvents } from '../contract/contract-support.js';

/** A resolved event as the client hands it over (the shape of its convertRustRecord output). */
function resolved(overrides: Partial<NonNullable<AllStreamResolvedEvent['event']>> = {}): AllStreamResolvedEvent {
  return {
    event: {
      streamId: 'firm-7',
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      isJson: true,
      revision: 4n,
      type: 'CostFocusObserved',
      created: new Date('2026-02-03T04:05:06.789Z'),
      data: { level: 'high' },
      metadata: { recordedBy: 'ana' },
      position: { commit: 123_456n, prepare: 123_456n },
      ...overrides,
    } as NonNullable<AllStreamResolvedEvent['event']>,
  };
}

describe('kurrentdb mapping (no server)', () => {
  it('maps every expected version to a stream state', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no-stream')).toBe(NO_STREAM);
    expect(toStreamState('stream-exists')).toBe(STREAM_EXISTS);
    expect(toStreamState(-1)).toBe(NO_STREAM);
    expect(toStreamState(0)).toBe(0n);
    expect(toStreamState(41)).toBe(41n);
    // Versions that can never match have no stream state; the adapter answers them from a read.
    expect(toStreamState(-2)).toBeUndefined();
    expect(toStreamState(1.5)).toBeUndefined();
  });

  it('builds JSON event data with the caller\'s id, and carries a copied recordedAt in metadata', () => {
    const plain = newEvent('A', { x: 1 }, { by: 'ana' });
    expect(toEventData(plain)).toEqual({ id: plain.id, contentType: 'application/json', type: 'A', data: { x: 1 }, metadata: { by: 'ana' } });
    const copied = { ...plain, recordedAt: '2019-01-01T00:00:00.000Z' };
    expect(toEventData(copied).metadata).toEqual({ by: 'ana', [RECORDED_AT_KEY]: '2019-01-01T00:00:00.000Z' });
    expect(plain.metadata).toEqual({ by: 'ana' }); // the caller's object is not touched
  });

  it('maps a resolved event to a StoredEvent: commit position, created time, metadata as written', () => {
    expect(toStoredEvent(resolved())).toEqual({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      streamId: 'firm-7',
      revision: 4,
      globalPosition: 123_456,
      type: 'CostFocusObserved',
      data: { level: 'high' },
      metadata: { recordedBy: 'ana' },
      recordedAt: '2026-02-03T04:05:06.789Z',
    });
    expect(toStoredEvent(resolved({ metadata: undefined }))?.metadata).toEqual({});
  });

  it('restores a copied recordedAt from metadata and strips the carrier key', () => {
    const stored = toStoredEvent(resolved({ metadata: { recordedBy: 'ana', [RECORDED_AT_KEY]: '2019-05-06T07:08:09.010Z' } }));
    expect(stored?.recordedAt).toBe('2019-05-06T07:08:09.010Z');
    expect(stored?.metadata).toEqual({ recordedBy: 'ana' });
  });

  it('skips system events and refuses events it cannot represent', () => {
    expect(toStoredEvent(resolved({ streamId: '$stats-127.0.0.1:2113' }))).toBeUndefined();
    expect(toStoredEvent(resolved({ type: '$>' }))).toBeUndefined();
    expect(toStoredEvent({})).toBeUndefined();
    expect(() => toStoredEvent(resolved({ isJson: false, data: new Uint8Array([1]) } as never))).toThrow(/not JSON/);
    expect(() => toStoredEvent(resolved({ metadata: ['x'] }))).toThrow(/not a JSON object/);
    expect(() => toStoredEvent(resolved({ position: undefined } as never))).toThrow(/no log position/);
  });

  it('turns commit positions into exact JS numbers and refuses ones that would round', () => {
    expect(positionToNumber({ commit: 9_007_199_254_740_991n, prepare: 9_007_199_254_740_991n })).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => positionToNumber({ commit: 9_007_199_254_740_992n, prepare: 0n })).toThrow(RangeError);
    expect(readPositionAfter(0)).toBe(START);
    expect(readPositionAfter(5120)).toEqual({ commit: 5120n, prepare: 5120n });
    expect(isAfter({ commit: 10n, prepare: 10n }, { commit: 9n, prepare: 12n })).toBe(true);
    expect(isAfter({ commit: 10n, prepare: 11n }, { commit: 10n, prepare: 10n })).toBe(true);
    expect(isAfter({ commit: 10n, prepare: 10n }, { commit: 10n, prepare: 10n })).toBe(false);
  });

  it("maps the client's WrongExpectedVersionError to the port's, with the actual revision", () => {
    const request = { streamId: 'firm-1', expectedVersion: 3 };
    const atRevision = new KurrentWrongExpectedVersionError(undefined, { streamName: 'firm-1', expected: 3n, current: 5n });
    expect(mapAppendError(atRevision, request)).toEqual(new WrongExpectedVersionError('firm-1', 3, 5));
    expect(mapAppendError(atRevision, request)).toMatchObject({ streamId: 'firm-1', expected: 3, actual: 5 });
    const absent = new KurrentWrongExpectedVersionError(undefined, { streamName: 'firm-1', expected: STREAM_EXISTS, current: NO_STREAM });
    expect(mapAppendError(absent, { streamId: 'firm-1', expectedVersion: 'stream-exists' })).toMatchObject({ actual: -1 });
    const other = new Error('unavailable');
    expect(mapAppendError(other, request)).toBe(other);
  });

  it('rejects an id used twice in one append', () => {
    const e = newEvent();
    expect(() => assertUniqueIds([e, newEvent(), e])).toThrow(DuplicateEventIdError);
    expect(() => assertUniqueIds(newEvents(3))).not.toThrow();
  });

  it('pre-checks appendMany: later requests see earlier ones, the first conflict is thrown', () => {
    const current = new Map([['a', 1]]);
    expect(() =>
      checkAppendPlan(
        [
          { streamId: 'a', expectedVersion: 1, events: newEvents(2) },
          { streamId: 'b', expectedVersion: 'no-stream', events: newEvents(1) },
          { streamId: 'a', expectedVersion: 3, events: newEvents(1) },
        ],
        current,
      ),
    ).not.toThrow();
    let thrown: unknown;
    try {
      checkAppendPlan(
        [
          { streamId: 'b', expectedVersion: 'any', events: newEvents(1) },
          { streamId: 'a', expectedVersion: 'no-stream', events: newEvents(1) },
        ],
        current,
      );
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(WrongExpectedVersionError);
    expect(thrown).toMatchObject({ streamId: 'a', expected: 'no-stream', actual: 1 });
  });

  it('tells a write from an idempotent retry by the revision reached', () => {
    expect(appendedCount(-1, 2, 3)).toBe(3); // new stream, three events
    expect(appendedCount(4, 7, 3)).toBe(3); // others may have written in between; still ours
    expect(appendedCount(7, 7, 3)).toBe(0); // retry of the last write
    expect(appendedCount(9, 7, 3)).toBe(0); // retry of an older write
  });

  it('the adapter constructs from a connection string without contacting a server', async () => {
    const store = new KurrentDbEventStore('kurrentdb://127.0.0.1:2113?tls=false');
    expect(store.name).toBe('kurrentdb');
    expect(store.capabilities).toEqual({ atomicMultiStreamAppend: false, sharedReadModelDatabase: false });
    await store.close();
  });
});
