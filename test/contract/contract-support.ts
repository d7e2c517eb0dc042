import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { EventStore, NewEvent, StoredEvent } from '../../src/event-store/event-store.port.js';

/** What a contract suite needs from an adapter's test file: a ready store and a way to dispose of it. */
export interface StoreFixture<S> {
  readonly store: S;
  cleanup(): Promise<void>;
}

/** A stream name no other test (or earlier run against a shared server) uses. */
export function uniqueStream(label: string): string {
  return `firm-${label}-${randomUUID()}`;
}

export function newEvent(type = 'FocusObserved', data: unknown = { n: 1 }, metadata: Record<string, unknown> = {}): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

export function newEvents(count: number, type = 'FocusObserved'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { i }, { seq: i }));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Resolves to the rejection reason, or fails the test if the promise fulfils. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the operation to be rejected, but it succeeded');
}

/** Events this test wrote, read from the global log after `after` (a shared server may hold others). */
export async function readOwn(store: EventStore, after: number, streams: readonly string[], batchSize?: number) {
  const own = new Set(streams);
  const all = await collect(store.readAll({ after, ...(batchSize ? { batchSize } : {}) }));
  return all.filter((e: StoredEvent) => own.has(e.streamId));
}

/**
 * A callable `gc` without starting Node with --expose-gc, so heap measurements in the
 * large-stream test compare live memory rather than garbage that has not been collected yet.
 */
export function exposedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

export function liveHeap(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
