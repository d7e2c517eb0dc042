import { deepFreeze } from '../domain/deep-freeze.js';
import { partitionId } from './partition-id.js';

/**
 * Parsed read-model documents, reused while their stored text is unchanged.
 *
 * A report reads a firm's whole timeline: 10,000 documents of ~1 KB, and JSON.parse of them
 * was about half of that read (~100 ms on the bench machine). Between two reads of the same
 * partition usually none or one document changed (a new event), so a row whose text is exactly
 * the text parsed last time gets the object parsed last time. The check is the row's own text,
 * as the database returned it just now, so the cache can never hand out a stale document
 * whoever wrote the row (another process, a rebuild, a rolled-back transaction).
 *
 * Cached documents are shared by every caller that lists them, so they are deep-frozen: a caller
 * that tried to modify one would throw instead of silently changing another caller's data.
 * Only large partitions are kept (small ones parse in microseconds), and only the most recently
 * listed ones up to a bound on documents, so memory stays flat in rebuilds that list every firm.
 */
/** One partition as last listed: keys, texts, versions and documents by list position. */
interface Listed {
  readonly keys: string[];
  readonly texts: string[];
  /** The store's row version (PostgreSQL: xmin and ctid) when the text was read outside a transaction. */
  readonly versions: (string | undefined)[];
  readonly docs: unknown[];
}

/** A partition as this cache held it at some moment (opaque to callers). */
export type HeldPartition = Listed;

/**
 * One partition's rows as just read: key, and either the text, or a version that may stand for
 * the text when it is the version this cache holds (then `text` is asked for only otherwise).
 */
export interface ListedRows {
  readonly length: number;
  key(i: number): string;
  version(i: number): string | undefined;
  text(i: number): string | undefined;
}

export class ParsedDocCache {
  private readonly partitions = new Map<string, Listed>();
  private size = 0;

  constructor(
    /** Partitions with fewer documents are parsed every time and not kept. */
    private readonly minDocs = 500,
    /**
     * Documents kept over all partitions; the least recently listed partitions go first. 10,000
     * bench timeline documents with their texts take ~22 MB of heap, so this bounds it at ~45 MB.
     */
    private readonly maxDocs = 20_000,
  ) {}

  /** The documents of `rows` (one partition's, as just read), in the same order. */
  parse<R>(collection: string, partition: string, rows: readonly R[], keyOf: (row: R) => string, textOf: (row: R) => string): unknown[] {
    return this.merge(collection, partition, {
      length: rows.length,
      key: (i) => keyOf(rows[i]!),
      version: () => undefined,
      text: (i) => textOf(rows[i]!),
    });
  }

  /** Whether a partition of this many documents is kept (its documents come deep-frozen). */
  keeps(documents: number): boolean {
    return documents >= this.minDocs;
  }

  /** Whether the partition is held, so a version-only listing can stand for most of its texts. */
  holds(collection: string, partition: string): boolean {
    return this.partitions.has(partitionId(collection, partition));
  }

  /**
   * The keys among `rows` whose version is not the one held: the rows whose text must be read.
   * `base` is what they were checked against; pass it to `merge` with the rows, so a listing of
   * the same partition that finishes in between cannot change what a held version stands for.
   */
  stale(collection: string, partition: string, rows: Omit<ListedRows, 'text'>): { keys: string[]; base: HeldPartition | undefined } {
    const base = this.partitions.get(partitionId(collection, partition));
    const held = new Map<string, string | undefined>();
    base?.keys.forEach((k, j) => held.set(k, base.versions[j]));
    const keys: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const v = rows.version(i);
      if (v === undefined || held.get(rows.key(i)) !== v) keys.push(rows.key(i));
    }
    return { keys, base };
  }

  /**
   * The documents of `rows`, in the same order; a row whose text is the one held, or whose
   * version is held in `previous` (default: what is held now), reuses its document.
   */
  merge(
    collection: string,
    partition: string,
    rows: ListedRows,
    previous: HeldPartition | undefined = this.partitions.get(partitionId(collection, partition)),
  ): unknown[] {
    const id = partitionId(collection, partition);
    const held = this.partitions.get(id);
    if (held) this.forget(id, held.keys.length);
    const textAt = (i: number): string => {
      const text = rows.text(i);
      if (text === undefined) throw new Error(`read model ${collection}/${partition}: no text for ${rows.key(i)}`);
      return text;
    };
    if (rows.length < this.minDocs) return Array.from({ length: rows.length }, (_, i) => JSON.parse(textAt(i)) as unknown);
    const next: Listed = {
      keys: new Array<string>(rows.length),
      texts: new Array<string>(rows.length),
      versions: new Array<string | undefined>(rows.length),
      docs: new Array<unknown>(rows.length),
    };
    // Rows come in list order, and between two reads a few rows are inserted, removed or moved:
    // walk both lists side by side, re-finding our place through an index only when lost.
    let j = 0;
    let index: Map<string, number> | undefined;
    for (let i = 0; i < rows.length; i++) {
      const key = rows.key(i);
      const version = rows.version(i);
      let doc: unknown;
      let text: string | undefined;
      if (previous) {
        if (previous.keys[j] !== key && previous.keys[j + 1] === key) j++;
        else if (previous.keys[j] !== key) {
          index ??= new Map(previous.keys.map((k, n) => [k, n]));
          const at = index.get(key);
          if (at !== undefined) j = at;
        }
        if (previous.keys[j] === key) {
          if (version !== undefined && previous.versions[j] === version) doc = previous.docs[j];
          else if (previous.texts[j] === (text = textAt(i))) doc = previous.docs[j];
          j++;
        }
      }
      if (doc !== undefined) {
        // Keep the strings already held (long-lived, in the old generation) and let the ones
        // just read die young: holding the fresh copies promoted ~10 MB per listing of a large
        // firm, and the major collections that followed were a third of a report's time.
        next.keys[i] = previous!.keys[j - 1]!;
        next.texts[i] = previous!.texts[j - 1]!;
        next.docs[i] = doc;
        // A row read without a version (inside a transaction) whose text is the one held keeps
        // the held version: that version's text is still exactly this text.
        next.versions[i] = version ?? previous!.versions[j - 1];
      } else {
        text ??= textAt(i);
        next.keys[i] = key;
        next.texts[i] = text;
        next.docs[i] = deepFreeze(JSON.parse(text) as unknown);
        next.versions[i] = version;
      }
    }
    // Re-inserted last: Map order is the recency order used for eviction.
    this.partitions.set(id, next);
    this.size += rows.length;
    for (const [oldest, listed] of this.partitions) {
      if (this.size <= this.maxDocs || oldest === id) break;
      this.forget(oldest, listed.keys.length);
    }
    return next.docs;
  }

  private forget(id: string, docs: number): void {
    this.partitions.delete(id);
    this.size -= docs;
  }
}
