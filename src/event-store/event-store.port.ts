/**
 * The event store port: the only way application code reaches the log. Adapters (sqlite,
 * postgres, kurrentdb) implement it and are held to one contract suite (test/contract/).
 *
 * Revisions are 0-based per stream (the first event of a stream has revision 0), as in
 * KurrentDB, so the kurrentdb adapter maps them without arithmetic. Global positions are
 * positive, strictly increasing in commit order, and never reused.
 */
import type { ReadModelStore, ReadModelTransaction } from '../projections/read-model-store.port.js';

export const EVENT_STORE = Symbol('EVENT_STORE');

/** Expected state of the stream before an append. A number is the exact current revision. */
export type ExpectedVersion = 'no-stream' | 'stream-exists' | 'any' | number;

export interface NewEvent {
  /** UUID. Appending an event whose id the stream already holds appends nothing (idempotent retry). */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  /**
   * Only for copying a log between stores (migrate-store): keeps the original commit time.
   * Normal appends leave it out and the store stamps the commit time itself.
   */
  readonly recordedAt?: string;
}

export interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly globalPosition: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  /** ISO timestamp the store assigned at commit. */
  readonly recordedAt: string;
}

export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the stream's last event after the append (-1 if the stream is still empty). */
  readonly nextExpectedVersion: number;
  /** Global position of the last event of the stream after the append (0 if none). */
  readonly lastGlobalPosition: number;
  /** How many events were written; 0 when every event was an idempotent retry. */
  readonly appended: number;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events with a global position strictly greater than this; default 0 (from the start). */
  readonly after?: number;
  /** Rows fetched per round trip; iteration never holds more than two batches (an adapter may fetch the next while the caller consumes one). */
  readonly batchSize?: number;
  readonly maxCount?: number;
}

export interface EventStoreCapabilities {
  /** `appendMany` commits several streams' appends in one transaction. */
  readonly atomicMultiStreamAppend: boolean;
  /** Read models can live in the same database and commit with their checkpoint. */
  readonly sharedReadModelDatabase: boolean;
}

export interface EventStore {
  readonly name: string;
  readonly capabilities: EventStoreCapabilities;
  /** Creates the schema if needed. Safe to call from several processes at once. */
  init(): Promise<void>;
  appendToStream(request: AppendRequest): Promise<AppendResult>;
  /** All requests in one transaction: every one is checked before any is written. */
  appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]>;
  /**
   * Optional (stores whose read models can share their connection): whether transactions of
   * `readModels` run on this store's own connection, so `appendManyWithin` can join them.
   */
  canAppendWithin?(readModels: ReadModelStore): boolean;
  /**
   * appendMany inside `tx`, an open transaction of a read-model store for which
   * `canAppendWithin` said yes: the events commit with the transaction's read-model writes and
   * checkpoints, or roll back with them. Same checks, results and errors as appendMany; a failed
   * request leaves the transaction as it was before the call.
   */
  appendManyWithin?(tx: ReadModelTransaction, requests: readonly AppendRequest[]): Promise<AppendResult[]>;
  /**
   * Optional, with appendManyWithin: the events at global positions (after, head], exactly as
   * readAll would return them, when every one of them was appended within `tx` by this store;
   * undefined otherwise (the caller reads them).
   */
  appendedWithin?(tx: ReadModelTransaction, after: number, head: number): readonly StoredEvent[] | undefined;
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /**
   * Optional: the event with this id, or undefined when the log has none. Stores that index event
   * ids (sqlite, postgres: the unique index that makes retries idempotent) answer with one lookup;
   * callers fall back to scanning `readAll` when a store leaves it out (kurrentdb).
   */
  readEvent?(eventId: string): Promise<StoredEvent | undefined>;
  /** Current revision of the stream, or -1 if it does not exist. */
  streamRevision(streamId: string): Promise<number>;
  /** The highest global position committed and safe to read up to (no gaps below it). */
  headPosition(): Promise<number>;
  countEvents(): Promise<number>;
  close(): Promise<void>;
}

/** Thrown when the expected version does not match the stream. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      `stream ${streamId}: expected ${typeof expected === 'number' ? `revision ${expected}` : expected}, ` +
        `but it is ${actual < 0 ? 'absent' : `at revision ${actual}`}`,
    );
  }
}

/**
 * Thrown when an event id is already in the log but the retry does not match what is stored
 * (another stream, another position, or only part of the batch): a real conflict, not a retry.
 */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly eventId: string,
    readonly detail: string,
  ) {
    super(`event id ${eventId} is already in the log ${detail}`);
  }
}

/** Shared expected-version rule so every adapter decides conflicts the same way. */
export function expectedVersionMatches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual < 0;
  if (expected === 'stream-exists') return actual >= 0;
  return expected === actual;
}
