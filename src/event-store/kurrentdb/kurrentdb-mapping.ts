import {
  ANY,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  DuplicateEventIdError,
  expectedVersionMatches,
  WrongExpectedVersionError,
  type AppendRequest,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
} from '../event-store.port.js';

/**
 * Pure translation between the port and the KurrentDB client, kept apart from the adapter so
 * it can be tested without a server (test/event-store/kurrentdb-mapping.spec.ts).
 */

/**
 * KurrentDB stamps `created` itself and offers no way to set it, so a copied event's original
 * commit time (NewEvent.recordedAt) travels in its metadata under this key. Reading maps it
 * back to StoredEvent.recordedAt and removes it, so metadata round-trips unchanged.
 */
export const RECORDED_AT_KEY = 'originalRecordedAt';

/** `undefined` when the expected version can never match (a number below -1 or a fraction). */
export function toStreamState(expected: ExpectedVersion): AppendStreamState | undefined {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      // -1 is the port's revision of an absent stream; KurrentDB revisions are unsigned.
      if (expected === -1) return NO_STREAM;
      return Number.isSafeInteger(expected) && expected >= 0 ? BigInt(expected) : undefined;
  }
}

export function toEventData(event: NewEvent): EventData {
  const metadata =
    event.recordedAt === undefined ? event.metadata : { ...event.metadata, [RECORDED_AT_KEY]: event.recordedAt };
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata });
}

/** Streams and event types starting with `$` belong to KurrentDB itself ($stats, $settings, links). */
export function isSystemEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  const e = resolved.event;
  return !e || e.streamId.startsWith('$') || e.type.startsWith('$');
}

/**
 * Global position = the event's commit position in the transaction log, as a JS number.
 *
 * `$all` positions are byte offsets, not a dense counter: strictly increasing and never
 * reused, which is all the port promises. Commit and prepare positions differ only for
 * events written in legacy explicit transactions, which the gRPC client cannot create, so the
 * commit position alone orders and identifies our events. A number is exact below 2^53 bytes
 * (8 PiB of log); beyond that we refuse rather than round, since a rounded checkpoint could
 * skip or repeat events.
 */
export function positionToNumber(position: Position): number {
  if (position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`KurrentDB commit position ${position.commit} exceeds 2^53; it cannot be a JS number exactly`);
  }
  return Number(position.commit);
}

/** Where to start reading `$all` for events after `after` (0 = the beginning). */
export function readPositionAfter(after: number): ReadPosition {
  if (after <= 0) return START;
  const p = BigInt(after);
  return { commit: p, prepare: p };
}

/** Whether `a` comes strictly after `b` in `$all` order (commit, then prepare). */
export function isAfter(a: Position, b: Position): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);
}

/** A read event as the port's StoredEvent; `undefined` for system events (never ours). */
export function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined {
  if (isSystemEvent(resolved)) return undefined;
  const e = resolved.event!;
  if (!e.isJson) throw new Error(`event ${e.id} in stream ${e.streamId} is not JSON; Strata streams hold JSON events only`);
  if (!e.position) throw new Error(`event ${e.id} has no log position (KurrentDB older than 22.6 is not supported)`);
  const raw = e.metadata ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) {
    throw new Error(`event ${e.id} in stream ${e.streamId} has metadata that is not a JSON object`);
  }
  const { [RECORDED_AT_KEY]: original, ...metadata } = raw as Record<string, unknown>;
  return {
    id: e.id,
    streamId: e.streamId,
    revision: Number(e.revision),
    globalPosition: positionToNumber(e.position),
    type: e.type,
    data: e.data,
    metadata,
    recordedAt: typeof original === 'string' ? original : e.created.toISOString(),
  };
}

export function revisionFromState(state: CurrentStreamState): number {
  return state === NO_STREAM ? -1 : Number(state);
}

/** The client's conflict as the port's; anything else passes through unchanged. */
export function mapAppendError(err: unknown, request: Pick<AppendRequest, 'streamId' | 'expectedVersion'>): unknown {
  if (err instanceof KurrentWrongExpectedVersionError) {
    return new WrongExpectedVersionError(request.streamId, request.expectedVersion, revisionFromState(err.actualState));
  }
  return err;
}

/** KurrentDB would store both copies; the port rejects an id used twice in one append. */
export function assertUniqueIds(events: readonly NewEvent[]): void {
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.id)) throw new DuplicateEventIdError(e.id, 'twice in the same append');
    seen.add(e.id);
  }
}

/**
 * appendMany's pre-check: every request's expected version against the revisions read just
 * before, a later request for the same stream seeing the earlier ones' events. Throws the
 * first conflict, so nothing is written when any request would be rejected.
 */
export function checkAppendPlan(requests: readonly AppendRequest[], current: ReadonlyMap<string, number>): void {
  const projected = new Map(current);
  for (const r of requests) {
    const revision = projected.get(r.streamId) ?? -1;
    if (!expectedVersionMatches(r.expectedVersion, revision)) {
      throw new WrongExpectedVersionError(r.streamId, r.expectedVersion, revision);
    }
    projected.set(r.streamId, revision + r.events.length);
  }
}

/**
 * KurrentDB answers an idempotent retry with success and the revision the original write
 * reached, not with a count. That revision is above the one read before the append only if
 * this call wrote the events; a retry's is at or below it.
 */
export function appendedCount(revisionBefore: number, nextExpectedRevision: number, events: number): number {
  return nextExpectedRevision > revisionBefore ? events : 0;
}
