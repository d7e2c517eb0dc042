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
/** One partition as last listed: keys, texts and documents by list position. */
interface Listed {
  readonly keys: string[];
  readonly texts: string[];
  readonly docs: unknown[];
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
    const id = `${collection}\u0000${partition}`;
    const previous = this.partitions.get(id);
    if (previous) this.forget(id, previous.keys.length);
    if (rows.length < this.minDocs) return rows.map((row) => JSON.parse(textOf(row)) as unknown);
    const next: Listed = { keys: new Array<string>(rows.length), texts: new Array<string>(rows.length), docs: new Array<unknown>(rows.length) };
    // Rows come in list order, and between two reads a few rows are inserted, removed or moved:
    // walk both lists side by side, re-finding our place through an index only when lost.
    let j = 0;
    let index: Map<string, number> | undefined;
    for (let i = 0; i < rows.length; i++) {
      const key = keyOf(rows[i]!);
      const text = textOf(rows[i]!);
      let doc: unknown;
      if (previous) {
        if (previous.keys[j] !== key && previous.keys[j + 1] === key) j++;
        else if (previous.keys[j] !== key) {
          index ??= new Map(previous.keys.map((k, n) => [k, n]));
          const at = index.get(key);
          if (at !== undefined) j = at;
        }
        if (previous.keys[j] === key) {
          if (previous.texts[j] === text) doc = previous.docs[j];
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
      } else {
        next.keys[i] = key;
        next.texts[i] = text;
        next.docs[i] = deepFreeze(JSON.parse(text) as unknown);
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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
