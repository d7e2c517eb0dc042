import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../domain/errors.js';
import { SCHEMA_VERSION } from '../domain/events.js';
import {
  EVENT_STORE,
  WrongExpectedVersionError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type NewEvent,
} from '../event-store/event-store.port.js';
import type { ProjectionRunner, RunnerOptions } from '../projections/projection-runner.js';
import { STRATA_CONFIG, type StrataConfig } from './config.js';
import type { Decider } from './decider.js';

/**
 * How a single command brings the projections up to date before it returns: its own rows now,
 * the per-firm re-analysis settled a moment later (a burst of logged events is analysed once).
 */
const COMMAND_CATCH_UP: RunnerOptions = { deferSettle: true };

interface Cached {
  state: unknown;
  revision: number;
}

export interface Decided<E> {
  readonly streamId: string;
  readonly events: ReadonlyArray<E & { id: string }>;
  readonly expectedRevision: number;
  /** The folded state after these events, cached once the append succeeds. */
  readonly stateAfter: unknown;
}

const CACHE_LIMIT = 2_000;

/**
 * Load stream -> decide -> append with the expected revision. States are cached per stream
 * (only newer events are read before deciding), so logging into a long-studied firm does not
 * re-read its whole history each time. A concurrent writer makes the append fail its expected
 * version; the command is then decided once more on the fresh state.
 */
@Injectable()
export class StreamDecisions {
  private readonly cache = new Map<string, Cached>();
  /** Per stream, the end of the queue of commands waiting for their turn (see turn). */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STRATA_CONFIG) private readonly config: StrataConfig,
  ) {}

  async state<S, E>(streamId: string, decider: Decider<unknown, S, E, any>): Promise<{ state: S; revision: number }> {
    const cached = this.cache.get(streamId);
    const folded = await this.fold(streamId, decider, (cached?.state as S | undefined) ?? decider.initialState(), cached?.revision ?? -1);
    this.remember(streamId, folded.state, folded.revision);
    return folded;
  }

  /**
   * The stream folded afresh from the store, for a caller that decides several commands on it in
   * place (an import, a coding run, a dry run) without taking the stream's turn: never the cached
   * state that single commands decide on, so none of them sees what this caller has decided but
   * not appended.
   */
  freshState<S, E>(streamId: string, decider: Decider<unknown, S, E, any>): Promise<{ state: S; revision: number }> {
    return this.fold(streamId, decider, decider.initialState(), -1);
  }

  /** `state` at `revision`, evolved with the stream's events after it. */
  private async fold<S, E>(streamId: string, decider: Decider<unknown, S, E, any>, state: S, revision: number): Promise<{ state: S; revision: number }> {
    for await (const e of this.store.readStream(streamId, { fromRevision: revision + 1 })) {
      state = decider.evolve(state, { type: e.type, data: e.data, id: e.id } as unknown as E & { id: string });
      revision = e.revision;
    }
    return { state, revision };
  }

  /** Decides without appending: for imports that check every line before writing any. */
  decideOn<C, S, E, Ctx>(
    streamId: string,
    decider: Decider<C, S, E, Ctx>,
    state: S,
    revision: number,
    command: C & { id?: string },
    ctx: Ctx,
  ): Decided<E> & { state: S } {
    const produced = decider.decide(command, state, ctx);
    const events = produced.map((e, i) => ({ ...e, id: i === 0 && command.id ? command.id : randomUUID() }));
    let next = state;
    for (const e of events) next = decider.evolve(next, e);
    return { streamId, events, expectedRevision: revision, stateAfter: next, state: next };
  }

  /**
   * With `project`, the projections are caught up with the append before this returns, in the
   * same transaction as the append where the store allows (ProjectionRunner.appendAndCatchUp),
   * with the deferred settle of COMMAND_CATCH_UP. Commands on different streams handled
   * concurrently share that transaction (group commit); commands on one stream take turns (see
   * turn). One refused for its expected version (another process appended) is decided again on
   * the fresh state, up to three tries in all.
   *
   * A stream whose state is cached is decided on that state without reading the stream's tail
   * first: the append's expected revision checks it anyway, so reading ahead only saved a refusal
   * in the rare case another process wrote to the stream, at a read per command (~65 µs of a
   * ~260 µs command on SQLite). Whatever refuses such an optimistic try (the decider, on a state
   * that lacks another process's events; the expected revision; the store answering the ids as
   * already logged) drops the cached state, and the command goes again from a fresh read without
   * counting as one of the three tries.
   */
  async handle<C, S, E, Ctx>(
    streamId: string,
    decider: Decider<C, S, E, Ctx>,
    command: C & { id?: string },
    ctx: Ctx,
    project?: ProjectionRunner,
  ): Promise<{ events: ReadonlyArray<E & { id: string }>; result: AppendResult }> {
    let refused = 0;
    for (;;) {
      const done = await this.turn(streamId);
      // A cached state is decided on unread (see above). Dropping it makes the next try read afresh;
      // true when this try was such an optimistic one, whose refusal is then not a real one yet.
      const cached = this.cache.get(streamId) as { state: S; revision: number } | undefined;
      const dropCached = () => (this.cache.delete(streamId), cached !== undefined);
      try {
        const { state, revision } = cached ?? (await this.state(streamId, decider));
        let decided: Decided<E>;
        try {
          decided = this.decideOn(streamId, decider, state, revision, command, ctx);
        } catch (err) {
          // Refused on what this process knew (say, recoding an event another process logged).
          if (dropCached()) continue;
          throw err;
        }
        if (decided.events.length === 0) {
          // A retry of a command whose id is already in the stream: answer it, append nothing.
          let position = 0;
          for await (const e of this.store.readStream(streamId)) if (e.id === command.id) position = e.globalPosition;
          if (project) await project.catchUp(COMMAND_CATCH_UP);
          return { events: [], result: { streamId, nextExpectedVersion: revision, lastGlobalPosition: position, appended: 0 } };
        }
        try {
          const [result] = project ? await this.appendAndProject([decided], project) : await this.append([decided]);
          // Answered as already done: another process logged these ids; answer as a retry, from a fresh read.
          if (result!.appended === 0 && dropCached()) continue;
          return { events: decided.events, result: result! };
        } catch (err) {
          const optimistic = dropCached();
          if (err instanceof WrongExpectedVersionError && (optimistic || ++refused < 3)) continue;
          if (err instanceof WrongExpectedVersionError) {
            throw new ConflictError(`${streamId} kept changing while this command was decided; try again`);
          }
          throw err;
        }
      } finally {
        done();
      }
    }
  }

  /**
   * Waits for the commands on `streamId` that came first, then holds the stream's turn (deciding
   * and appending) until the returned function is called. Deciding folds the events it produces
   * into the stream's cached state in place (evolveFirm grows its id set and event map rather
   * than copy them), so two commands deciding on one stream at once would each see the other's
   * events before either was appended: one answered "already logged", or checked against an
   * ownership that never landed. And only one of them could land anyway; the others would be
   * refused and decided again. Taking turns, each decides on the state the one before it left.
   * Commands on different streams never wait for each other, and a lone command only for a
   * microtask.
   */
  private async turn(streamId: string): Promise<() => void> {
    const before = this.turns.get(streamId);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const turn = before ? before.then(() => mine) : mine;
    this.turns.set(streamId, turn);
    await before;
    return () => {
      release();
      if (this.turns.get(streamId) === turn) this.turns.delete(streamId);
    };
  }

  /** Appends decided batches atomically (one transaction where the store allows). */
  async append(batches: ReadonlyArray<Decided<unknown>>): Promise<AppendResult[]> {
    const requests = this.requestsOf(batches);
    if (requests.length === 0) return [];
    const results = await this.store.appendMany(requests);
    this.rememberAppended(batches, results);
    return results;
  }

  /**
   * Appends decided batches and catches the projections up with them (see
   * ProjectionRunner.appendRequestsAndCatchUp, with its group commit). States are cached only once
   * the append has committed: a joined transaction can still roll back after the append itself succeeded.
   */
  async appendAndProject(
    batches: ReadonlyArray<Decided<unknown>>,
    runner: ProjectionRunner,
    options: RunnerOptions = COMMAND_CATCH_UP,
  ): Promise<AppendResult[]> {
    const requests = this.requestsOf(batches);
    if (requests.length === 0) {
      await runner.catchUp(options);
      return [];
    }
    // Concurrent commands share one commit (the runner's group commit); each gets its own results.
    const results = await runner.appendRequestsAndCatchUp(requests, options);
    this.rememberAppended(batches, results);
    return results;
  }

  private requestsOf(batches: ReadonlyArray<Decided<unknown>>): AppendRequest[] {
    return batches
      .filter((b) => b.events.length > 0)
      .map((b) => ({
        streamId: b.streamId,
        expectedVersion: b.expectedRevision < 0 ? 'no-stream' : b.expectedRevision,
        events: b.events.map((e) => this.toNewEvent(e as { id: string; type: string; data: unknown })),
      }));
  }

  private rememberAppended(batches: ReadonlyArray<Decided<unknown>>, results: readonly AppendResult[]): void {
    for (const b of batches) {
      const r = results.find((x) => x.streamId === b.streamId);
      if (!r || b.events.length === 0) continue;
      // Cached only when exactly these events landed right after the state decided on: a state is
      // decided on without reading the stream first, so it must be the stream's true state.
      if (r.appended === b.events.length && r.nextExpectedVersion === b.expectedRevision + b.events.length) {
        this.remember(b.streamId, b.stateAfter, r.nextExpectedVersion);
      } else this.cache.delete(b.streamId);
    }
  }

  forget(streamId?: string): void {
    if (streamId) this.cache.delete(streamId);
    else this.cache.clear();
  }

  private toNewEvent(e: { id: string; type: string; data: unknown }): NewEvent {
    return {
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: { schemaVersion: SCHEMA_VERSION, recordedBy: this.config.recordedBy },
    };
  }

  private remember(streamId: string, state: unknown, revision: number): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, { state, revision });
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
  }
}
