/** How a catch-up (or a group commit's catch-up) runs. */
export interface RunnerOptions {
  readonly batchSize?: number;
  /** Called after each committed batch: events applied so far and the head being caught up to. */
  readonly onProgress?: (applied: number, head: number) => void;
  /**
   * Leave deferred work (Projection.settle) to a moment later instead of doing it before
   * returning: a single logged event then costs its own rows, not a re-analysis of its firm.
   * Readers of settled read models call `settleNow()` first, or analyse a firm still marked
   * themselves (the tracks query).
   */
  readonly deferSettle?: boolean;
}
