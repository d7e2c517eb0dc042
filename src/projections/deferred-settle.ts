/**
 * How long one transaction of the deferred settle may run before it yields to requests waiting
 * (it finishes the firm in hand first). Short enough that a request waits little more than one
 * firm's re-analysis; long enough that a settle of many small firms does not pay a commit each.
 */
export const SETTLE_SLICE_MS = 5;

/** Quiet time after the last logged event before its firm is re-analysed (see DeferredSettle.soon). */
export const SETTLE_QUIET_MS = 250;
export const SETTLE_BACKOFF = 4;
export const SETTLE_MAX_QUIET_MS = 2_000;

/** One settle transaction: whether nothing is left, and the event-loop time it took. */
export type SettleSlice = () => Promise<{ done: boolean; spentMs: number }>;

/**
 * When the runner's deferred work (Projection.settle) runs after commands that deferred it: once
 * logging is quiet for a moment, and then in slices (see inSlices).
 */
export class DeferredSettle {
  private timer: NodeJS.Timeout | undefined;
  /** The timer's run, while it goes (one at a time; it goes on until nothing is marked). */
  private running: Promise<void> | undefined;
  /** Event-loop time the last run took, all slices together. */
  private lastMs = 0;
  /** Whether logging deferred more work since the timer's run in flight began (see inSlices). */
  private loggedDuringRun = false;
  /** SETTLE_MAX_QUIET_MS once the timer's run was cut short by logging; 0 once a run finishes. */
  private interruptedQuietMs = 0;

  constructor(private readonly slice: SettleSlice) {}

  /**
   * Settles once things are quiet for a moment; a burst of logged events is settled once. The
   * moment is at least SETTLE_QUIET_MS, and at least SETTLE_BACKOFF times what the last settle
   * took: under logging that only pauses briefly (a client sending a burst every second) the
   * re-analysis of growing firms then takes at most about a fifth of the time, not most of it.
   * And once logging resumed before a run finished (it then stops, see inSlices), the moment is
   * the longest, SETTLE_MAX_QUIET_MS, until a run finishes: logging in bursts a second apart is
   * not a pause, and each run started between two bursts put a firm's re-analysis (10–50 ms for
   * a large firm) in front of the next burst's first requests (bench, 1,000 requests/s: p99
   * 18–36 ms with the moment doubled each time instead, 13–22 ms with this). Capped, so one
   * large settle (after an import) does not leave the next single event unsettled for long.
   */
  soon(): void {
    this.loggingResumed();
    if (this.timer) clearTimeout(this.timer);
    const quiet = Math.min(SETTLE_MAX_QUIET_MS, Math.max(SETTLE_QUIET_MS, SETTLE_BACKOFF * this.lastMs, this.interruptedQuietMs));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running ??= this.inSlices(true)
        .then((finished) => {
          this.interruptedQuietMs = finished ? 0 : SETTLE_MAX_QUIET_MS;
        })
        .catch(() => undefined) // the marks stay; the next settle or start redoes them
        .finally(() => (this.running = undefined));
    }, quiet);
    this.timer.unref();
  }

  /**
   * Everything marked, one slice after another, yielding to the event loop between them.
   * Re-analysing a firm is synchronous work (better-sqlite3, the analysis), so one transaction
   * over every marked firm held the loop for as long as all of them took: with 20 firms of a few
   * thousand events, 100–300 ms during which no request was answered. Between slices, commands
   * and requests that arrived meanwhile go first.
   *
   * With `untilLogged` (the timer's run), the run also stops once logging has resumed (a command
   * queued during a slice or while the run yielded, see loggingResumed): the rest stays marked for
   * the run that follows the next quiet moment. Without that, a run that began in a pause kept
   * going through the next burst of logging, as each command marked its firm again: at 1,000
   * requests/s in bursts, runs of 300–400 slices and 40 % of the event loop, and a whole firm's
   * re-analysis in front of many requests. Resolves true when nothing is left marked.
   */
  async inSlices(untilLogged = false): Promise<boolean> {
    let spent = 0;
    this.loggedDuringRun = false;
    for (;;) {
      const { done, spentMs } = await this.slice();
      spent += spentMs;
      this.lastMs = spent;
      if (done) return true;
      await new Promise((resolve) => setImmediate(resolve));
      // Checked after the yield: requests read meanwhile have queued their commands by now.
      if (untilLogged && this.loggedDuringRun) return false;
    }
  }

  /**
   * A command that will defer work is on its way (it has queued its append): the timer's run in
   * flight stops before its next slice. Told at once rather than at the command's commit, which
   * waits for that very slice when the slice is first in line.
   */
  loggingResumed(): void {
    if (this.running) this.loggedDuringRun = true;
  }

  /** Cancels a settle still waiting for quiet; true if there was one (its work is still marked). */
  cancel(): boolean {
    if (!this.timer) return false;
    clearTimeout(this.timer);
    this.timer = undefined;
    return true;
  }

  /** Resolves once the timer's run in flight, if any, is over. */
  async idle(): Promise<void> {
    await this.running;
  }
}
