import type { AppendRequest, AppendResult, EventStore, StoredEvent } from '../event-store/event-store.port.js';
import { DeferredSettle, SETTLE_SLICE_MS } from './deferred-settle.js';
import { GroupCommit, type Append, type JoinedOutcome } from './group-commit.js';
import { UNLIMITED_SETTLE, type Projection, type SettleBudget } from './projection.js';
import { followLog, type Follower, type FollowOptions } from './log-follower.js';
import type { Checkpoint, ReadModelStore, ReadModelTransaction } from './read-model-store.port.js';
import type { RunnerOptions } from './runner-options.js';

export type { Follower, FollowOptions, RunnerOptions };
export { MAX_GROUP } from './group-commit.js';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly storedVersion: number | null;
  readonly position: number;
  readonly head: number;
  /** Events in the log the projection has not applied yet (head - position, approximately for gapped logs). */
  readonly lag: number;
}

/**
 * Events per transaction when `rebuild()` replays the log (catch-up keeps `batchSize`, 500): a
 * replay is exclusive anyway, and fewer commits mean fewer commit flushes and fewer rewrites of
 * the same pages. 2,000 rather than more: on PostgreSQL 5,000 ran no faster at 100k events but
 * peaked ~180 MB higher (the batch's set-based write statement); on SQLite 2,000 and 5,000 ran
 * alike. One batch is held at a time (two pages being read on PostgreSQL).
 */
export const REBUILD_BATCH_SIZE = 2_000;

/** Thrown inside a batch's transaction when another process moved a checkpoint first: roll back, re-read, go again. */
class CheckpointMoved extends Error {}

/**
 * Runs every projection from its checkpoint to the head of the log. Each batch is applied to
 * all projections behind it in one read-model transaction that also moves their checkpoints,
 * so a crash can neither lose nor double-apply a batch. Catch-up is single-flight: concurrent
 * callers share one run, and a call arriving mid-run schedules one more pass. Rebuilds and
 * version-rebuilds on start truncate inside that same single flight, so a catch-up can never
 * write a checkpoint it read before the truncation.
 *
 * Other processes may run their own runner on the same read models (CLI commands beside a
 * server). Each batch re-reads the checkpoints inside its transaction, after `tx.lockRunners()`
 * (PostgreSQL: a lock row held until commit; SQLite: `BEGIN IMMEDIATE` already holds the file's
 * write lock), so runners take turns; if another process got there first the batch rolls back and the pass starts again from
 * the checkpoints as they now are, so no event is applied twice.
 */
export class ProjectionRunner {
  private readonly projections: Projection[];
  private running: Promise<void> | undefined;
  private again = false;
  private readonly followers = new Set<Follower>();
  /**
   * Where each projection resumes, as this runner last committed or read it; undefined when
   * unknown. Saves reading the checkpoints before every pass: each batch re-reads them inside its
   * transaction anyway, and when another process moved them (or truncated) the batch rolls back
   * and this is forgotten.
   */
  private known: Map<string, number> | undefined;
  private readonly group: GroupCommit;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    projections: readonly Projection[],
    private readonly batchSize = 500,
  ) {
    this.projections = orderByDependencies(projections);
    this.group = new GroupCommit({
      store,
      batchSize,
      joinsTransactions: () => !!store.appendManyWithin && !!store.canAppendWithin?.(readModels),
      appendWithin: (appendIn, options) => this.appendWithin(appendIn, options),
      settleAfter: (options) => (options.deferSettle ? Promise.resolve(this.settleSoon()) : this.settleNow()),
      catchUp: (options) => this.catchUp(options),
    });
  }

  names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** Rebuilds every projection whose stored version differs from its code's version, then catches up. */
  async start(options: RunnerOptions = {}): Promise<string[]> {
    const stale: string[] = [];
    await this.exclusive(options, async () => {
      const stored = new Map((await this.readModels.checkpoints()).map((c) => [c.projection, c.version]));
      for (const p of this.projections) {
        const version = stored.get(p.name);
        if (version !== undefined && version !== p.version) stale.push(p.name);
      }
      if (stale.length) await this.truncate(stale);
      // Deferred work a crash left marked but undone.
      await this.settle();
    });
    return stale;
  }

  catchUp(options: RunnerOptions = {}): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    return this.pass(options);
  }

  /**
   * `append`, then the projections caught up as `catchUp(options)` does. When the store can
   * append inside a read-model transaction (SQLite: the log and the read models are one file on
   * one connection), the append and the projection of its events are ONE transaction, one
   * commit instead of two. That keeps every guarantee of a separate catch-up:
   * - crash safety: the events, the read-model rows and the checkpoints commit together or not
   *   at all, so no crash can leave an event applied twice or skipped;
   * - no double apply across processes: the transaction holds the database's write lock from
   *   BEGIN IMMEDIATE to COMMIT (and `lockRunners()`), and the checkpoints are read inside it,
   *   after the append, so what it applies is exactly (checkpoint, head] as nobody else can
   *   change it until it commits;
   * - nothing is skipped: events other writers appended before ours are applied first, from the
   *   checkpoints as read inside the transaction.
   * When the projections are further behind than one batch (a rebuild or another process's
   * import in progress), the transaction commits the append alone and a normal catch-up
   * follows. When projecting fails, the transaction rolls back whole and the call falls back to
   * append-then-catch-up, so the events are logged and the projection's error is reported as
   * before. `append` is called with the transaction in the joined case, without one otherwise
   * (and again without one after such a rollback).
   *
   * Group commit: a call arriving while another one's transaction is in flight waits for it,
   * and then ONE transaction runs the appends of every caller that arrived meanwhile (up to
   * MAX_GROUP), each on its own (the store's savepoint), catches the projections up once over all
   * of them and commits once. A caller whose append is refused (WrongExpectedVersionError,
   * DuplicateEventIdError) leaves the others' appends standing and is rejected alone, once the
   * transaction has ended; any other failure rolls the group back and each caller goes
   * separately as above. Every caller gets its own results, after the commit. A lone caller
   * waits only for the end of the event loop's current round (setImmediate), so that the
   * requests read in one round share a commit; nothing waits for company longer.
   */
  appendAndCatchUp(append: Append, options: RunnerOptions = {}): Promise<AppendResult[]> {
    return this.enqueue(append, undefined, options);
  }

  /**
   * `requests` appended (appendManyWithin or appendMany), then the projections caught up, as
   * `appendAndCatchUp` does. Knowing the requests also lets a store that cannot join a read-model
   * transaction (PostgreSQL) group: the appends of the callers that waited are tried as ONE
   * appendMany, then the projections are caught up once; when that appendMany is refused, each
   * caller's requests are appended on their own (so only the refused one fails).
   */
  appendRequestsAndCatchUp(requests: readonly AppendRequest[], options: RunnerOptions = {}): Promise<AppendResult[]> {
    const store = this.store;
    return this.enqueue((tx) => (tx ? store.appendManyWithin!(tx, requests) : store.appendMany(requests)), requests, options);
  }

  /** Into the group commit; a command that will defer its settle first stops a settle run in flight. */
  private enqueue(append: Append, requests: readonly AppendRequest[] | undefined, options: RunnerOptions): Promise<AppendResult[]> {
    if (options.deferSettle) this.deferred.loggingResumed();
    return this.group.enqueue(append, requests, options);
  }

  /**
   * One read-model transaction: `appendIn(tx)`, then, unless the projections are more than a batch
   * behind, every projection caught up over what was appended and over what others appended
   * before it, one commit (see appendAndCatchUp for why this keeps every guarantee).
   */
  private async appendWithin(
    appendIn: (tx: ReadModelTransaction) => Promise<AppendResult[]>,
    options: RunnerOptions,
  ): Promise<JoinedOutcome> {
    let projected: Map<string, number> | undefined;
    let applied = 0;
    this.known = undefined; // set again once this commits
    await this.readModels.transaction(async (tx) => {
      const results = await appendIn(tx);
      await tx.lockRunners();
      const positions = this.resumePositions(await tx.checkpoints());
      const from = Math.min(...positions.values());
      // What was just inserted under the write lock is the head; ask only when nothing was.
      let head = 0;
      for (const r of results) if (r.appended > 0) head = Math.max(head, r.lastGlobalPosition);
      if (head === 0) head = await this.store.headPosition();
      if (head - from > this.batchSize) return; // far behind: a normal catch-up, after the commit
      // What this transaction appended is handed over as written; anything else is read.
      const events = head > from ? (this.store.appendedWithin?.(tx, from, head) ?? (await this.readRange(from, head))) : [];
      if (events.length) await this.applyBatch(tx, positions, events, true);
      applied = events.length;
      projected = positions;
    });
    if (!projected) return { projected: false, applied: 0 };
    this.known = projected;
    return { projected: true, applied };
  }

  /** The events at positions (after, head], read from the log. */
  private async readRange(after: number, head: number): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const e of this.store.readAll({ after, batchSize: head - after })) {
      if (e.globalPosition > head) break;
      events.push(e);
      if (e.globalPosition === head) break; // no need to ask for the (empty) next page
    }
    return events;
  }

  /**
   * Keeps catching up in the background: every `intervalMs` it reads the head of the log and,
   * when it moved, catches up, so events appended by other processes (a CLI import into the
   * same SQLite file or PostgreSQL database) reach these read models within about one interval.
   * Passes never overlap (the next is scheduled only after the last finished, and catch-up is
   * single-flight with everything else). A failed pass is reported to `onError` and retried
   * with exponential backoff up to `maxBackoffMs`; the loop never throws. Its timer does not
   * keep the process alive. Stopped by `stop()` or `onModuleDestroy()` (Nest shutdown).
   */
  follow(intervalMs = 500, options: FollowOptions = {}): Follower {
    const follower = followLog(
      { headPosition: () => this.store.headPosition(), catchUp: () => this.catchUp() },
      intervalMs,
      options,
      (f) => this.followers.delete(f),
    );
    this.followers.add(follower);
    return follower;
  }

  /** Nest calls this on shutdown, before the storage closes: stop following, let a running pass finish. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.followers].map((f) => f.stop()));
    await this.group.idle();
    await this.running?.catch(() => undefined);
    if (this.deferred.cancel()) {
      // A CLI command exits right after its write: settle its deferred analysis now, so the
      // next command (or a reader in another process) does not inherit the marks.
      await this.settleNow().catch(() => undefined); // the marks stay; the next start redoes them
    }
    await this.deferred.idle();
  }

  /** Truncates the named projections (all when none are named) and replays the whole log into them. */
  async rebuild(names: readonly string[] = [], options: RunnerOptions = {}): Promise<string[]> {
    const unknown = names.filter((n) => !this.projections.some((p) => p.name === n));
    if (unknown.length) throw new Error(`unknown projection ${unknown.join(', ')}; known: ${this.names().join(', ')}`);
    const targets = names.length ? [...names] : this.names();
    // A replay from the first event: larger batches, far fewer commits (see REBUILD_BATCH_SIZE).
    const replay = { ...options, batchSize: options.batchSize ?? Math.max(this.batchSize, REBUILD_BATCH_SIZE) };
    await this.exclusive(replay, () => this.truncate(targets));
    return targets;
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const checkpoints = new Map((await this.readModels.checkpoints()).map((c) => [c.projection, c]));
    return this.projections.map((p) => {
      const cp = checkpoints.get(p.name);
      const position = cp?.position ?? 0;
      return { name: p.name, version: p.version, storedVersion: cp?.version ?? null, position, head, lag: Math.max(0, head - position) };
    });
  }

  /** One single-flight run of catch-up passes, after an optional step (a truncation). */
  private pass(options: RunnerOptions, before?: () => Promise<unknown>): Promise<void> {
    const run = (async () => {
      try {
        if (before) await before();
        do {
          this.again = false;
          await this.runOnce(options);
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    this.running = run;
    return run;
  }

  /** Waits for the run in flight (whatever its outcome), then runs `before` and a catch-up as the only run. */
  private async exclusive(options: RunnerOptions, before: () => Promise<unknown>): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    await this.pass(options, before);
  }

  private async truncate(names: readonly string[]): Promise<void> {
    this.known = undefined;
    await this.readModels.transaction(async (tx) => {
      // Waits for a batch another process is committing, so none of its rows outlive the truncation.
      await tx.lockRunners();
      for (const p of this.projections) if (names.includes(p.name)) await tx.truncate(p.name, p.collections);
    });
  }

  /** Where each projection resumes according to `checkpoints`: its position, or 0 when it has none or one written by another version. */
  private resumePositions(checkpoints: readonly Checkpoint[]): Map<string, number> {
    const byName = new Map(checkpoints.map((c) => [c.projection, c]));
    return new Map(
      this.projections.map((p) => {
        const cp = byName.get(p.name);
        return [p.name, cp && cp.version === p.version ? cp.position : 0];
      }),
    );
  }

  /**
   * Applies `events` (consecutive in the log) inside `tx` to every projection behind them and
   * moves their checkpoints, after taking the runners' lock and checking that the checkpoints
   * are still `positions` (else CheckpointMoved: another process got there first). `positions`
   * is updated to what the transaction will have committed.
   */
  private async applyBatch(
    tx: ReadModelTransaction,
    positions: Map<string, number>,
    events: readonly StoredEvent[],
    /** The caller already took the lock and read `positions` inside `tx`. */
    checked = false,
  ): Promise<void> {
    const last = events[events.length - 1]!.globalPosition;
    if (!checked) {
      await tx.lockRunners();
      const current = this.resumePositions(await tx.checkpoints());
      for (const p of this.projections) {
        if (current.get(p.name) !== positions.get(p.name)) throw new CheckpointMoved();
      }
    }
    for (const p of this.projections) {
      const after = positions.get(p.name)!;
      if (after >= last) continue;
      const pending = after < events[0]!.globalPosition ? events : events.filter((e) => e.globalPosition > after);
      await p.apply(tx, pending);
      await tx.setCheckpoint(p.name, p.version, last);
      positions.set(p.name, last);
    }
  }

  private async runOnce(options: RunnerOptions): Promise<void> {
    try {
      await this.applyPending(options);
    } catch (err) {
      this.known = undefined; // re-read from the database on the next pass
      if (!(err instanceof CheckpointMoved)) throw err;
      this.again = true;
    }
  }

  private async applyPending(options: RunnerOptions): Promise<void> {
    let positions = this.known;
    positions ??= this.resumePositions(await this.readModels.checkpoints());
    this.known = undefined; // until this pass commits or finds nothing
    const from = Math.min(...positions.values());
    // The head bounds the pass and tells progress reporters the total. Without a reporter,
    // reading the log up to its end does the same (positions commit in order, without gaps)
    // and saves a query when there is nothing, or little, to do.
    const head = options.onProgress ? await this.store.headPosition() : Number.POSITIVE_INFINITY;
    if (from >= head) {
      this.known = positions;
      return;
    }
    const batchSize = options.batchSize ?? this.batchSize;
    let batch: StoredEvent[] = [];
    let applied = 0;
    const flush = async () => {
      if (!batch.length) return;
      const events = batch;
      batch = [];
      const next = new Map(positions);
      await this.readModels.transaction((tx) => this.applyBatch(tx, next, events));
      positions = next;
      applied += events.length;
      options.onProgress?.(applied, head);
    };
    for await (const event of this.store.readAll({ after: from, batchSize })) {
      if (event.globalPosition > head) break;
      batch.push(event);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    this.known = positions;
    if (applied === 0) return;
    if (options.deferSettle) this.settleSoon();
    else await this.settle();
  }

  /** Brings deferred work up to date now (after any catch-up in flight). */
  async settleNow(): Promise<void> {
    await this.exclusive({}, () => this.settle());
  }

  /** SETTLE_SLICE_MS; a test sets 0 to settle one firm per transaction. */
  settleSliceMs = SETTLE_SLICE_MS;

  private readonly deferred = new DeferredSettle(async () => {
    let done = true;
    let spentMs = 0;
    // deferSettle: a catch-up this pass makes for commands that came in leaves its settle to us.
    await this.exclusive({ deferSettle: true }, async () => {
      const started = performance.now();
      done = await this.settle(this.settleSliceMs);
      spentMs = performance.now() - started;
    });
    return { done, spentMs };
  });

  /** Settles once logging is quiet for a moment, in slices (DeferredSettle). */
  private settleSoon(): void {
    this.deferred.soon();
  }

  /** Settles everything marked now, in transactions of about settleSliceMs, yielding between them. */
  async settleInSlices(): Promise<void> {
    await this.deferred.inSlices();
  }

  /**
   * Runs every projection's deferred work in one transaction (see Projection.settle), all of it,
   * or, given `sliceMs`, until that much time has gone by (at least one unit each); resolves
   * true when nothing is left.
   */
  private async settle(sliceMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const settling = this.projections.filter((p) => p.settle);
    if (!settling.length) return true;
    const deadline = performance.now() + sliceMs;
    const budget: SettleBudget = Number.isFinite(sliceMs) ? { spent: () => performance.now() >= deadline } : UNLIMITED_SETTLE;
    let done = true;
    await this.readModels.transaction(async (tx) => {
      await tx.lockRunners();
      for (const p of settling) if (!(await p.settle!(tx, budget))) done = false;
    });
    return done;
  }
}

/** Dependencies first (a projection reading another's read model sees this batch applied). */
function orderByDependencies(projections: readonly Projection[]): Projection[] {
  const byName = new Map(projections.map((p) => [p.name, p]));
  const ordered: Projection[] = [];
  const visiting = new Set<string>();
  const visit = (p: Projection) => {
    if (ordered.includes(p)) return;
    if (visiting.has(p.name)) throw new Error(`projection dependency cycle at ${p.name}`);
    visiting.add(p.name);
    for (const d of p.dependsOn ?? []) {
      const dep = byName.get(d);
      if (!dep) throw new Error(`projection ${p.name} depends on unknown projection ${d}`);
      visit(dep);
    }
    ordered.push(p);
  };
  projections.forEach(visit);
  return ordered;
}
