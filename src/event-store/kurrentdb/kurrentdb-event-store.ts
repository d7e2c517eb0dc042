import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  KurrentDBClient,
  StreamNotFoundError,
  type Position,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import {
  expectedVersionMatches,
  WrongExpectedVersionError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type EventStoreCapabilities,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
} from '../event-store.port.js';
import {
  appendedCount,
  assertUniqueIds,
  checkAppendPlan,
  isAfter,
  mapAppendError,
  readPositionAfter,
  toEventData,
  toStoredEvent,
  toStreamState,
} from './kurrentdb-mapping.js';

const DEFAULT_BATCH = 1000;

/**
 * For logs that outgrow one machine. The port's streamId is the KurrentDB stream name (one
 * stream per firm); global positions are `$all` commit positions (see kurrentdb-mapping.ts).
 * Projection checkpoints live in the read-model database (sqlite or postgres), not here.
 *
 * Differences from the SQL adapters, all forced by the server and covered by the contract
 * options in test/contract/kurrentdb.contract.spec.ts:
 * - Event ids are not unique across the log: KurrentDB only recognises a retry of the events
 *   at the expected position. An id reused in another stream is not detected, and a partial
 *   retry surfaces as WrongExpectedVersionError (or is appended, with 'any').
 * - `appendMany` is not atomic (capabilities say so): it checks every expected version first,
 *   then appends request by request. A request that fails after the check (a concurrent writer)
 *   leaves the earlier ones written. KurrentDB 25.1's multi-stream append would make it atomic
 *   but accepts only string-valued metadata, which our events do not have.
 * - `countEvents()` reads the whole `$all` (there is no count), so it costs O(log size).
 */
export class KurrentDbEventStore implements EventStore {
  readonly name = 'kurrentdb';
  readonly capabilities: EventStoreCapabilities = { atomicMultiStreamAppend: false, sharedReadModelDatabase: false };
  readonly client: KurrentDBClient;

  constructor(connection: string | KurrentDBClient) {
    this.client = typeof connection === 'string' ? KurrentDBClient.connectionString(connection) : connection;
  }

  /** Nothing to create; one read so a wrong connection string fails at start-up, not mid-request. */
  async init(): Promise<void> {
    await this.headPosition();
  }

  async appendToStream(request: AppendRequest): Promise<AppendResult> {
    return this.appendOne({ ...request, events: [...request.events] });
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    const copied = requests.map((r) => ({ ...r, events: [...r.events] }));
    for (const r of copied) assertUniqueIds(r.events);
    const streams = [...new Set(copied.map((r) => r.streamId))];
    const current = new Map(await Promise.all(streams.map(async (s) => [s, await this.streamRevision(s)] as const)));
    checkAppendPlan(copied, current);
    const results: AppendResult[] = [];
    // One by one, each still guarded by its own expected version on the server.
    for (const r of copied) results.push(await this.appendOne(r));
    return results;
  }

  private async appendOne(request: AppendRequest): Promise<AppendResult> {
    const { streamId, events, expectedVersion } = request;
    assertUniqueIds(events);
    const streamState = toStreamState(expectedVersion);
    const before = await this.streamRevision(streamId);
    if (events.length === 0 || streamState === undefined) {
      // Nothing to write (or an expected version that can never match): answer from a read.
      if (!expectedVersionMatches(expectedVersion, before)) throw new WrongExpectedVersionError(streamId, expectedVersion, before);
      return { streamId, nextExpectedVersion: before, lastGlobalPosition: await this.positionOf(streamId, before), appended: 0 };
    }
    let next: number;
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), { streamState });
      next = Number(result.nextExpectedRevision);
    } catch (err) {
      throw mapAppendError(err, request);
    }
    return {
      streamId,
      nextExpectedVersion: next,
      // Read back rather than trusting the append's position, which is not documented as the last event's.
      lastGlobalPosition: await this.positionOf(streamId, next),
      appended: appendedCount(before, next, events.length),
    };
  }

  /** Global position of the event at `revision` (0 for -1, the absent stream). */
  private async positionOf(streamId: string, revision: number): Promise<number> {
    if (revision < 0) return 0;
    for await (const e of this.readStream(streamId, { fromRevision: revision, maxCount: 1 })) return e.globalPosition;
    return 0;
  }

  /** Pages of at most 1,000 events; a missing stream reads as empty. */
  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    while (remaining > 0) {
      const size = Math.min(DEFAULT_BATCH, remaining);
      const page: StoredEvent[] = [];
      try {
        for await (const resolved of this.client.readStream(streamId, {
          fromRevision: BigInt(from),
          maxCount: size,
          direction: FORWARDS,
        })) {
          const stored = toStoredEvent(resolved);
          if (stored) page.push(stored);
        }
      } catch (err) {
        if (err instanceof StreamNotFoundError) return;
        throw err;
      }
      yield* page;
      if (page.length < size) return;
      remaining -= page.length;
      from = page[page.length - 1]!.revision + 1;
    }
  }

  /**
   * Pages of `batchSize` user events (system events filtered out by the server). Each page
   * resumes from the last event's full log position and drops anything at or before it, so
   * it does not matter whether the server treats `fromPosition` as inclusive. The end is an
   * empty page, not a short one: a filtered page may be short before the end.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let from: ReadPosition = readPositionAfter(options.after ?? 0);
    let last: Position | undefined = from === 'start' ? undefined : (from as Position);
    while (remaining > 0) {
      const size = Math.min(batch, remaining);
      const page: StoredEvent[] = [];
      for await (const resolved of this.client.readAll({
        fromPosition: from,
        maxCount: size + 1, // one more, in case the first is the event we resume after
        direction: FORWARDS,
        filter: excludeSystemEvents(),
      })) {
        const position = resolved.event?.position;
        if (!position || (last && !isAfter(position, last))) continue;
        const stored = toStoredEvent(resolved);
        if (!stored) continue;
        page.push(stored);
        last = position;
        if (page.length === size) break;
      }
      if (page.length === 0) return;
      yield* page;
      remaining -= page.length;
      from = last!;
    }
  }

  async streamRevision(streamId: string): Promise<number> {
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return Number(resolved.event.revision);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return -1;
      throw err;
    }
    return -1;
  }

  /** The last user event's commit position; `$all` is read only up to what is committed. */
  async headPosition(): Promise<number> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: excludeSystemEvents(),
    })) {
      const stored = toStoredEvent(resolved);
      if (stored) return stored.globalPosition;
    }
    return 0;
  }

  async countEvents(): Promise<number> {
    let n = 0;
    for await (const _ of this.readAll()) n++;
    return n;
  }

  close(): Promise<void> {
    return this.client.dispose();
  }
}
