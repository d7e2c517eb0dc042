import {
  DuplicateEventIdError,
  WrongExpectedVersionError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
} from '../event-store/event-store.port.js';
import type { ReadModelTransaction } from './read-model-store.port.js';
import type { RunnerOptions } from './runner-options.js';

/**
 * Most callers one group commit takes (fewer when the runner's batch size is smaller): the
 * group's latency stays bounded, and a group of single-event commands stays within one
 * catch-up batch.
 */
export const MAX_GROUP = 256;

export type Append = (within?: ReadModelTransaction) => Promise<AppendResult[]>;

/** What a joined transaction did: whether it projected the appends (false: far behind, catch up after) and how many events. */
export interface JoinedOutcome {
  readonly projected: boolean;
  readonly applied: number;
}

/** The parts of the projection runner a group commit uses. */
export interface GroupCommitHost {
  readonly store: EventStore;
  readonly batchSize: number;
  /** Whether the store can append inside a read-model transaction (SQLite: one file, one connection). */
  joinsTransactions(): boolean;
  /** ONE read-model transaction: `appendIn(tx)`, then the projections caught up over what it appended, one commit. Throws when it rolled back. */
  appendWithin(appendIn: (tx: ReadModelTransaction) => Promise<AppendResult[]>, options: RunnerOptions): Promise<JoinedOutcome>;
  /** Deferred work after a joined commit applied events (now, or soon when `deferSettle`). */
  settleAfter(options: RunnerOptions): Promise<void>;
  catchUp(options: RunnerOptions): Promise<void>;
}

/** One caller of appendAndCatchUp, waiting in (or taking part in) a group commit. */
interface Caller {
  readonly append: Append;
  /** What `append` appends, when known: lets a store that cannot join a transaction append a group in one appendMany. */
  readonly requests: readonly AppendRequest[] | undefined;
  readonly options: RunnerOptions;
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (err: unknown) => void;
  /** pending: not tried (or tried in a transaction that rolled back); appended: `results` are its; failed: `error` is its. */
  state: 'pending' | 'appended' | 'failed';
  results?: AppendResult[];
  error?: unknown;
}

/** Thrown inside a group's transaction when every caller's append was refused: roll back, nothing to commit. */
class NothingAppended extends Error {}

/** Refusals an append makes by the port's rules, leaving the transaction as it was (the others' appends stand). */
const refused = (err: unknown) => err instanceof WrongExpectedVersionError || err instanceof DuplicateEventIdError;

/** Whether two callers' options let them share one catch-up (progress reporters and batch sizes go alone). */
const sameCatchUp = (a: RunnerOptions, b: RunnerOptions) =>
  a === b || (a.deferSettle === b.deferSettle && a.batchSize === b.batchSize && !a.onProgress && !b.onProgress);

const fail = (c: Caller, error: unknown) => Object.assign(c, { state: 'failed', error });

/**
 * Group commit for ProjectionRunner.appendAndCatchUp (the contract is documented there): callers
 * arriving while a commit is in flight wait, and the next commit takes all of them. Why: on this
 * hardware a commit (the flush, the catch-up's fixed cost) costs more than a single command's
 * rows, so concurrent commands sharing one ran ~3× faster than one commit each.
 */
export class GroupCommit {
  /** Callers waiting for the group commit in flight to finish. */
  private readonly queue: Caller[] = [];
  /** The group commits in flight, one group after the other, while callers keep arriving. */
  private committing: Promise<void> | undefined;
  private draining = false;

  constructor(private readonly host: GroupCommitHost) {}

  enqueue(append: Append, requests: readonly AppendRequest[] | undefined, options: RunnerOptions): Promise<AppendResult[]> {
    const groups = this.host.joinsTransactions() || (requests !== undefined && this.host.store.capabilities.atomicMultiStreamAppend);
    if (!groups) return this.separately(append, options);
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.queue.push({ append, requests, options, resolve, reject, state: 'pending' });
      if (!this.draining) {
        this.draining = true;
        // The first group starts once the event loop has handled the I/O it read this round: each
        // request read in it has reached this queue by then. Started at once, a SQLite group was
        // always one request: its transaction is synchronous statements between settled awaits,
        // so it committed in the microtasks after its own socket's read, before the next request
        // read in the same round was even parsed (1,000 requests/s: 100% groups of one).
        this.committing = new Promise<void>((started) => setImmediate(started)).then(() => this.drain());
      }
    });
  }

  /** Resolves once no group commit is in flight (never rejects: each caller is answered on its own). */
  async idle(): Promise<void> {
    await this.committing;
  }

  /** The old way, and the fallback: append on its own, then a normal catch-up. */
  private async separately(append: Append, options: RunnerOptions): Promise<AppendResult[]> {
    const results = await append();
    await this.host.catchUp(options);
    return results;
  }

  /** Group commits, one after the other, until no caller waits. Never rejects: each caller is answered. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const group = this.nextGroup();
        try {
          if (this.host.joinsTransactions()) await this.commitJoined(group);
          else await this.commitMerged(group);
        } catch (err) {
          // Not expected (the commits handle their own failures): nobody is left waiting.
          for (const c of group) if (c.state !== 'failed') fail(c, err);
        }
        for (const c of group) {
          if (c.state === 'appended') c.resolve(c.results!);
          else c.reject(c.state === 'failed' ? c.error : new Error('group commit: caller left unanswered'));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** The callers waiting longest, up to MAX_GROUP (and the batch size), as long as they share a catch-up. */
  private nextGroup(): Caller[] {
    const limit = Math.max(1, Math.min(MAX_GROUP, this.host.batchSize));
    const first = this.queue[0]!;
    let n = 1;
    while (n < limit && n < this.queue.length && sameCatchUp(first.options, this.queue[n]!.options)) n++;
    return this.queue.splice(0, n);
  }

  /**
   * One transaction: every caller's append (each on its own: the store's savepoint), the
   * projections caught up over all of them, one commit. Leaves each caller appended (with its
   * results) or failed (with its error).
   */
  private async commitJoined(group: Caller[]): Promise<void> {
    const options = group[0]!.options;
    let tried = false;
    let outcome: JoinedOutcome;
    try {
      outcome = await this.host.appendWithin(async (tx) => {
        tried = true;
        for (const c of group) {
          try {
            c.results = await c.append(tx);
            c.state = 'appended';
          } catch (err) {
            fail(c, err);
            // The store undid the refused append alone; anything else: the whole group rolls back.
            if (!refused(err)) throw err;
          }
        }
        const appended = group.filter((c) => c.state === 'appended');
        if (!appended.length) throw new NothingAppended();
        return appended.flatMap((c) => c.results!);
      }, options);
    } catch (err) {
      if (!tried) {
        // The transaction never started: every caller fails with it, as each alone would have.
        for (const c of group) fail(c, err);
        return;
      }
      // Rolled back. A caller whose own append failed keeps its error; the rest (appended but rolled
      // back, or not reached) go separately: logged on their own, then caught up.
      const again = group.filter((c) => c.state !== 'failed');
      for (const c of again) {
        c.state = 'pending';
        c.results = undefined;
      }
      await this.appendEachThenCatchUp(again, options);
      return;
    }
    const appended = group.filter((c) => c.state === 'appended');
    if (!outcome.projected) {
      await this.catchUpFor(appended, options);
      return;
    }
    if (outcome.applied === 0) return;
    try {
      await this.host.settleAfter(options);
    } catch (err) {
      for (const c of appended) fail(c, err);
    }
  }

  /**
   * A store that cannot join a read-model transaction: the group's requests as ONE appendMany
   * (one commit), then one catch-up. When that appendMany is refused, each caller's append goes
   * on its own, so only the refused one fails.
   */
  private async commitMerged(group: Caller[]): Promise<void> {
    const options = group[0]!.options;
    if (group.length > 1) {
      const all = group.flatMap((c) => c.requests!);
      let results: AppendResult[] | undefined;
      try {
        results = await this.host.store.appendMany(all);
      } catch {
        // One of them was refused (or the transaction failed): nothing was appended; each on its own.
      }
      if (results) {
        let at = 0;
        for (const c of group) {
          c.results = results.slice(at, at + c.requests!.length);
          c.state = 'appended';
          at += c.requests!.length;
        }
        await this.catchUpFor(group, options);
        return;
      }
    }
    await this.appendEachThenCatchUp(group, options);
  }

  /** Each pending caller's append on its own (no transaction of ours), then one catch-up for those that appended. */
  private async appendEachThenCatchUp(group: Caller[], options: RunnerOptions): Promise<void> {
    for (const c of group) {
      if (c.state !== 'pending') continue;
      try {
        c.results = await c.append();
        c.state = 'appended';
      } catch (err) {
        fail(c, err);
      }
    }
    await this.catchUpFor(group.filter((c) => c.state === 'appended'), options);
  }

  /** A normal catch-up after these callers' appends committed; its failure is theirs (their events stay logged). */
  private async catchUpFor(appended: Caller[], options: RunnerOptions): Promise<void> {
    if (!appended.length) return;
    try {
      await this.host.catchUp(options);
    } catch (err) {
      for (const c of appended) fail(c, err);
    }
  }
}
