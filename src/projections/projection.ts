import type { StoredEvent } from '../event-store/event-store.port.js';
import type { ReadModelTransaction } from './read-model-store.port.js';

/**
 * How much deferred work one settle transaction may do. Checked after each unit (one firm), so
 * at least one unit runs; a settle that stops early leaves the rest marked for the next slice.
 */
export interface SettleBudget {
  readonly spent: () => boolean;
}

export const UNLIMITED_SETTLE: SettleBudget = { spent: () => false };

/**
 * A projection turns events into read-model documents. The runner hands it events in global
 * order, in batches, inside one transaction that also moves its checkpoint. Raising the
 * version makes the runner rebuild it (truncate + replay) on start.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  /** Collections it owns; truncated on rebuild and compared by the rebuild test. */
  readonly collections: readonly string[];
  /** Projections it reads in apply(); they are applied first within each batch. */
  readonly dependsOn?: readonly string[];
  apply(tx: ReadModelTransaction, events: readonly StoredEvent[]): Promise<void>;
  /**
   * Deferred work, run once a catch-up has applied everything up to the head (and once on
   * start, to finish what a crash interrupted). A projection whose state is a function of
   * other read models (recomputed whole per firm) marks what to redo in apply() and redoes it
   * here, so a replay of a million events recomputes each firm once, not once per batch.
   * Resolves true when nothing is left marked, false when it stopped because `budget` was spent.
   */
  settle?(tx: ReadModelTransaction, budget: SettleBudget): Promise<boolean>;
}
