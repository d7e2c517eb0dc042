import { createHash, type Hash } from 'node:crypto';
import type { AppendRequest, EventStore, NewEvent, StoredEvent } from './event-store.port.js';

export interface CopyOptions {
  /** Called after each committed batch with the events copied so far and the total to copy. */
  onProgress?(copied: number, total: number): void;
  /** Events per appendMany; default 500. */
  batchSize?: number;
  /**
   * Copy only the events of these streams (e.g. one study's: its study stream and its firms' streams); the default
   * is every stream. Order, ids, revisions and recordedAt are kept as for a whole copy, and the
   * source checksum covers the selected events only.
   */
  streams?: ReadonlySet<string>;
}

export interface CopyResult {
  readonly copied: number;
  /** Events selected in the source (up to the head seen at the start). */
  readonly countFrom: number;
  /** Events in the target after the copy. */
  readonly countTo: number;
  /** SHA-256 (hex) of the source log up to the head seen at the start. */
  readonly checksumFrom: string;
  /** SHA-256 (hex) of the whole target log after the copy. */
  readonly checksumTo: string;
  /** Events in the target whose recordedAt differs from the source's (0 when preserved). */
  readonly recordedAtMismatches: number;
  readonly ok: boolean;
}

/**
 * Copies a whole log into an empty store (e.g. sqlite -> postgres when a team outgrows the
 * embedded file), then verifies it. Events keep their ids, stream revisions, types, data,
 * metadata and recordedAt (NewEvent.recordedAt); global positions are the target's own, but
 * the global order is the same. Each run of consecutive events of one stream is appended with
 * the exact expected version `revision - 1`, so a target that numbered a stream differently
 * would fail loudly instead of copying silently wrong.
 *
 * Stop writers first: events appended to the source after the copy starts are not copied
 * (the copy stops at the head it saw), and the verification then reports the difference.
 */
export async function copyStore(from: EventStore, to: EventStore, opts: CopyOptions = {}): Promise<CopyResult> {
  const existing = await to.countEvents();
  if (existing > 0) throw new Error(`copyStore: the target ${to.name} store is not empty (${existing} events)`);
  const head = await from.headPosition();
  const selected = opts.streams;
  const total = selected ? await countStreams(from, selected) : await from.countEvents();
  const batchSize = opts.batchSize ?? 500;
  let copied = 0;
  let batch: StoredEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await to.appendMany(toRequests(batch));
    copied += batch.length;
    batch = [];
    opts.onProgress?.(copied, total);
  };
  for await (const event of from.readAll({ batchSize })) {
    if (event.globalPosition > head) break;
    if (selected && !selected.has(event.streamId)) continue;
    batch.push(event);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  const verdict = await compareLogs(from, head, to, selected);
  return { copied, ...verdict, ok: verdict.ok && verdict.countTo === copied };
}

/** Events in the given streams (their current length; writers are meant to be stopped). */
async function countStreams(store: EventStore, streams: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for (const s of streams) n += (await store.streamRevision(s)) + 1;
  return n;
}

/** Consecutive events of one stream become one request; the order of the batch is kept. */
function toRequests(events: readonly StoredEvent[]): AppendRequest[] {
  const requests: Array<{ streamId: string; expectedVersion: number; events: NewEvent[] }> = [];
  for (const e of events) {
    const last = requests[requests.length - 1];
    const event: NewEvent = { id: e.id, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt };
    if (last && last.streamId === e.streamId) last.events.push(event);
    else requests.push({ streamId: e.streamId, expectedVersion: e.revision - 1, events: [event] });
  }
  return requests;
}

/** Reads both logs side by side (one page of each in memory) and hashes each in global order. */
async function compareLogs(from: EventStore, head: number, to: EventStore, streams?: ReadonlySet<string>) {
  const hashFrom = createHash('sha256');
  const hashTo = createHash('sha256');
  const source = from.readAll()[Symbol.asyncIterator]();
  const target = to.readAll()[Symbol.asyncIterator]();
  const next = async (it: AsyncIterator<StoredEvent>, limit: number, only?: ReadonlySet<string>) => {
    for (;;) {
      const r = await it.next();
      if (r.done || r.value.globalPosition > limit) return undefined;
      if (!only || only.has(r.value.streamId)) return r.value;
    }
  };
  let countFrom = 0;
  let countTo = 0;
  let recordedAtMismatches = 0;
  let [left, right] = await Promise.all([next(source, head, streams), next(target, Number.MAX_SAFE_INTEGER)]);
  while (left || right) {
    if (left) {
      hashEvent(hashFrom, left);
      countFrom++;
    }
    if (right) {
      hashEvent(hashTo, right);
      countTo++;
    }
    if (left && right && left.recordedAt !== right.recordedAt) recordedAtMismatches++;
    [left, right] = await Promise.all([
      left ? next(source, head, streams) : undefined,
      right ? next(target, Number.MAX_SAFE_INTEGER) : undefined,
    ]);
  }
  await Promise.all([source.return?.(), target.return?.()]);
  const checksumFrom = hashFrom.digest('hex');
  const checksumTo = hashTo.digest('hex');
  return {
    checksumFrom,
    checksumTo,
    recordedAtMismatches,
    countFrom,
    countTo,
    ok: countFrom === countTo && checksumFrom === checksumTo && recordedAtMismatches === 0,
  };
}

/**
 * SHA-256 over (id, streamId, revision, type, canonical data, canonical metadata) per event,
 * in global order. Positions are left out (each store numbers its own), and JSON is
 * canonicalised (sorted keys) because PostgreSQL's jsonb does not keep key order.
 */
export async function logChecksum(store: EventStore, upTo = Number.MAX_SAFE_INTEGER): Promise<string> {
  const hash = createHash('sha256');
  for await (const e of store.readAll()) {
    if (e.globalPosition > upTo) break;
    hashEvent(hash, e);
  }
  return hash.digest('hex');
}

function hashEvent(hash: Hash, e: StoredEvent): void {
  hash.update(JSON.stringify([e.id, e.streamId, e.revision, e.type, canonical(e.data), canonical(e.metadata)]));
  hash.update('\n');
}

/** A copy of a JSON value with object keys sorted, so equal values serialise identically. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
