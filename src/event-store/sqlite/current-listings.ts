import { deepFreeze } from '../../domain/deep-freeze.js';
import type { ReadModelDoc } from '../../projections/read-model-store.port.js';
import { partitionId } from '../partition-id.js';

/** What a listing is kept current from: the connection's data version and single rows. */
export interface RowSource {
  /** SQLite's `PRAGMA data_version`: changes when another connection commits to the file. */
  dataVersion(): number;
  row(collection: string, partition: string, key: string): { sortKey: string; text: string } | undefined;
}

interface HeldRow {
  readonly listed: ReadModelDoc<unknown>;
  readonly text: string;
}

interface Held {
  readonly dataVersion: number;
  readonly rows: HeldRow[];
  /** Keys this connection wrote since the listing; `all` once the partition was cleared. */
  dirty: Set<string> | 'all';
}

/**
 * The last listing of each large partition (a big firm's timeline), kept current instead of
 * read again. Reading 10,000 timeline documents costs ~20 ms and ~10 MB of strings to find the
 * one or two a new event changed; here the listing is reused while it provably still holds:
 *
 * - no other connection has committed to the file since (`PRAGMA data_version`, read before
 *   the listing, is unchanged), and
 * - every write this connection made to the partition since is known, key by key (the store
 *   reports each put and delete, and a cleared or truncated partition is dropped), so those
 *   rows alone are read again and put in their place. A rolled-back transaction drops everything.
 *
 * Listings and documents are frozen: every caller shares them.
 */
export class CurrentListings {
  private readonly held = new Map<string, Held>();
  private size = 0;

  constructor(
    /** Beyond this many written keys a partition is listed again. */
    private readonly maxDirty = 256,
    /** Documents kept over all partitions; the least recently listed go first. */
    private readonly maxDocs = 20_000,
  ) {}

  /** The partition's rows in list order, if its last listing can be brought up to date. */
  current(collection: string, partition: string, source: RowSource): ReadModelDoc<unknown>[] | undefined {
    const id = partitionId(collection, partition);
    const held = this.held.get(id);
    if (!held) return undefined;
    if (held.dirty === 'all' || held.dirty.size > this.maxDirty || source.dataVersion() !== held.dataVersion) {
      this.drop(id);
      return undefined;
    }
    if (held.dirty.size > 0) {
      for (const key of held.dirty) refresh(held.rows, collection, partition, key, source);
      held.dirty = new Set();
    }
    // Most recently listed last: the eviction order.
    this.held.delete(id);
    this.held.set(id, held);
    return held.rows.map((r) => r.listed);
  }

  /**
   * Keeps a listing just read (documents already frozen). `dataVersion` must have been read
   * before the rows, so a commit in between makes it stale rather than wrongly current.
   */
  remember(collection: string, partition: string, dataVersion: number, listed: readonly ReadModelDoc<unknown>[], texts: readonly string[]): void {
    const id = partitionId(collection, partition);
    this.drop(id);
    const rows = listed.map((l, i) => ({ listed: Object.freeze(l), text: texts[i]! }));
    this.held.set(id, { dataVersion, rows, dirty: new Set() });
    this.size += rows.length;
    for (const [oldest, h] of this.held) {
      if (this.size <= this.maxDocs || oldest === id) break;
      this.drop(oldest, h);
    }
  }

  wrote(collection: string, partition: string, key: string): void {
    const held = this.held.get(partitionId(collection, partition));
    if (held && held.dirty !== 'all') held.dirty.add(key);
  }

  cleared(collection: string, partition: string): void {
    const held = this.held.get(partitionId(collection, partition));
    if (held) held.dirty = 'all';
  }

  truncated(collection: string): void {
    // Every partition id of the collection starts with its id for the empty partition name.
    const prefix = partitionId(collection, '');
    for (const id of [...this.held.keys()]) if (id.startsWith(prefix)) this.drop(id);
  }

  forgetAll(): void {
    this.held.clear();
    this.size = 0;
  }

  private drop(id: string, held = this.held.get(id)): void {
    if (!held) return;
    this.held.delete(id);
    this.size -= held.rows.length;
  }
}

/** Puts one written key's current row (or its absence) in its place in list order. */
function refresh(rows: HeldRow[], collection: string, partition: string, key: string, source: RowSource): void {
  const at = rows.findIndex((r) => r.listed.key === key);
  const now = source.row(collection, partition, key);
  const before = at >= 0 ? rows[at]! : undefined;
  if (before && now && before.text === now.text && before.listed.sortKey === now.sortKey) return;
  if (at >= 0) rows.splice(at, 1);
  if (!now) return;
  // A row only moved (same text, new sort key) keeps its document.
  const doc = before && before.text === now.text ? before.listed.doc : deepFreeze(JSON.parse(now.text) as unknown);
  const listed = Object.freeze({ key, sortKey: now.sortKey, doc });
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = rows[mid]!.listed;
    const c = byteOrder(m.sortKey, now.sortKey) || byteOrder(m.key, key);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  rows.splice(lo, 0, { listed, text: now.text });
}

/**
 * SQLite's BINARY order (UTF-8 bytes, i.e. code points). UTF-16 units agree with it except
 * that surrogates (code points above U+FFFF) must sort after U+E000–U+FFFF.
 */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
