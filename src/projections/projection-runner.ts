import type { EventStore, StoredEvent } from '../event-store/event-store.port.js';
import type { Projection } from './projection.js';
import type { Checkpoint, ReadModelStore } from './read-model-store.port.js';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly storedVersion: number | null;
  readonly position: number;
  readonly head: number;
  /** Events in the log the projection has not applied yet (head - position, approximately for gapped logs). */
  readonly lag: number;
}

export interface RunnerOptions {
  readonly batchSize?: number;
  /** Called after each committed batch: events applied so far and the head being caught up to. */
  readonly onProgress?: (applied: number, head: number) => void;
}

/**
 * Runs every projection from its checkpoint to the head of the log. Each batch is applied to
 * all projections behind it in one read-model transaction that also moves their checkpoints,
 * so a crash can neither lose nor double-apply a batch. Catch-up is single-flight: concurrent
 * callers share one run, and a call arriving mid-run schedules one more pass.
 */
export class ProjectionRunner {
  private readonly projections: Projection[];
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    projections: readonly Projection[],
    private readonly batchSize = 500,
  ) {
    this.projections = orderByDependencies(projections);
  }

  names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** Rebuilds every projection whose stored version differs from its code's version, then catches up. */
  async start(options: RunnerOptions = {}): Promise<string[]> {
    const stale: string[] = [];
    for (const p of this.projections) {
      const cp = await this.readModels.checkpoint(p.name);
      if (cp && cp.version !== p.version) stale.push(p.name);
    }
    if (stale.length) await this.truncate(stale);
    await this.catchUp(options);
    return stale;
  }

  catchUp(options: RunnerOptions = {}): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.runOnce(options);
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Truncates the named projections (all when none are named) and replays the whole log into them. */
  async rebuild(names: readonly string[] = [], options: RunnerOptions = {}): Promise<string[]> {
    const unknown = names.filter((n) => !this.projections.some((p) => p.name === n));
    if (unknown.length) throw new Error(`unknown projection ${unknown.join(', ')}; known: ${this.names().join(', ')}`);
    const targets = names.length ? [...names] : this.names();
    await this.running;
    await this.truncate(targets);
    await this.catchUp(options);
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

  private async truncate(names: readonly string[]): Promise<void> {
    await this.readModels.transaction(async (tx) => {
      for (const p of this.projections) if (names.includes(p.name)) await tx.truncate(p.name, p.collections);
    });
  }

  private async runOnce(options: RunnerOptions): Promise<void> {
    const positions = new Map<string, number>();
    for (const p of this.projections) {
      const cp: Checkpoint | undefined = await this.readModels.checkpoint(p.name);
      positions.set(p.name, cp && cp.version === p.version ? cp.position : 0);
    }
    const from = Math.min(...positions.values());
    const head = await this.store.headPosition();
    if (from >= head) return;
    const batchSize = options.batchSize ?? this.batchSize;
    let batch: StoredEvent[] = [];
    let applied = 0;
    const flush = async () => {
      if (!batch.length) return;
      const events = batch;
      batch = [];
      const last = events[events.length - 1]!.globalPosition;
      await this.readModels.transaction(async (tx) => {
        for (const p of this.projections) {
          const after = positions.get(p.name)!;
          if (after >= last) continue;
          const pending = after < events[0]!.globalPosition ? events : events.filter((e) => e.globalPosition > after);
          await p.apply(tx, pending);
          await tx.setCheckpoint(p.name, p.version, last);
        }
      });
      for (const p of this.projections) positions.set(p.name, Math.max(positions.get(p.name)!, last));
      applied += events.length;
      options.onProgress?.(applied, head);
    };
    for await (const event of this.store.readAll({ after: from, batchSize })) {
      if (event.globalPosition > head) break;
      batch.push(event);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
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
