export interface FollowOptions {
  /**
   * Told about every failed pass: the error, how many passes in a row have failed, and the
   * wait before the next try. The follower keeps going; it never rethrows.
   */
  readonly onError?: (error: unknown, failures: number, retryInMs: number) => void;
  /** Longest wait between tries after repeated failures; default 30 s. */
  readonly maxBackoffMs?: number;
}

/** A running follow loop; `stop()` resolves once no pass is running any more. */
export interface Follower {
  stop(): Promise<void>;
}

export interface FollowTarget {
  /** The log's head position, read every interval. */
  headPosition(): Promise<number>;
  /** Brings the read models up to the head; called only when the head moved. */
  catchUp(): Promise<void>;
}

/**
 * Every `intervalMs` reads the head of the log and, when it moved, catches up. Passes never
 * overlap (the next is scheduled only after the last finished). A failed pass is reported to
 * `onError` and retried with exponential backoff up to `maxBackoffMs`; the loop never throws.
 * Its timer does not keep the process alive. `onStop` is told once `stop()` is called.
 */
export function followLog(target: FollowTarget, intervalMs: number, options: FollowOptions, onStop: (f: Follower) => void): Follower {
  if (!(intervalMs > 0)) throw new RangeError(`follow: intervalMs must be positive (got ${intervalMs})`);
  const maxBackoff = Math.max(intervalMs, options.maxBackoffMs ?? 30_000);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let failures = 0;
  let caughtUpTo = -1;

  const tick = async () => {
    let wait = intervalMs;
    try {
      const head = await target.headPosition();
      if (head !== caughtUpTo && !stopped) {
        await target.catchUp();
        caughtUpTo = head;
      }
      failures = 0;
    } catch (err) {
      failures++;
      wait = Math.min(maxBackoff, intervalMs * 2 ** Math.min(failures, 20));
      if (!stopped) {
        try {
          options.onError?.(err, failures, wait);
        } catch {
          // A failing logger must not end the loop.
        }
      }
    }
    schedule(wait);
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      current = tick();
    }, ms);
    timer.unref();
  };

  const follower: Follower = {
    stop: async () => {
      stopped = true;
      onStop(follower);
      if (timer) clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
  schedule(0);
  return follower;
}
