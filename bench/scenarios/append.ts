import { plainEvents } from '../lib/dataset.js';
import { createTarget, type StoreKind, type Target } from '../lib/databases.js';
import { peerMissing } from '../lib/peer.js';
import type { Results } from '../lib/results.js';
import { settle } from '../lib/stats.js';
import {
  EmmettSubject,
  RawPostgresSubject,
  RawSqliteSubject,
  StrataCommandSubject,
  StrataStoreSubject,
  type Measured,
  type Subject,
} from '../lib/subjects.js';

export interface AppendParams {
  /** Measured rounds; each round runs every subject once, in rotated order (A/B interleaving). */
  readonly rounds: number;
  /** Rounds run first and thrown away (JIT, caches, file growth). */
  readonly warmupRounds: number;
  /** Single-event appends per subject per round. */
  readonly singles: number;
  /** Streams the single appends are spread over (each ends a round with singles/streams events). */
  readonly streams: number;
  /** 1,000-event transactions per subject per round. */
  readonly batches: number;
  readonly batchSize: number;
}

/** Single commands issued concurrently: this many outstanding at any time, each awaited on its own. */
export const IN_FLIGHT = 32;
export const CONCURRENT = `append 1/command, ${IN_FLIGHT} in flight`;

/** The import row with the time the command spends in its inline projection catch-up subtracted. */
export const NO_CATCH_UP = 'strata command, excl. projection catch-up';

const rate = (m: Measured) => (m.count / m.ms) * 1000;
const rotate = <T>(xs: readonly T[], k: number) => xs.map((_, i) => xs[(i + k) % xs.length]!);

/**
 * Append throughput and reads, on one store kind, for four subjects that each get their own
 * fresh database: Strata through the CommandBus, Strata's event-store adapter, the raw driver
 * (the limit) and Emmett (the peer). Every round runs each subject once, the order rotating
 * from round to round, so drift (file growth, autovacuum, CPU temperature) is spread evenly.
 */
export async function appendScenario(kind: StoreKind, p: AppendParams, results: Results, log: (s: string) => void): Promise<void> {
  const sample = plainEvents('bench-firm', 1000);
  const targets: Target[] = [];
  const subjects: Subject[] = [];
  const open = async <S extends Subject>(label: string, make: (t: Target) => Promise<S>): Promise<S> => {
    const t = await createTarget(kind, label);
    targets.push(t);
    const s = await make(t);
    subjects.push(s);
    return s;
  };
  const missing = peerMissing(kind);
  // Time the command spends in the projection catch-up it awaits (timeline, catalog, analysis
  // marks), so the import can also be reported without it: the append path alone, what the raw
  // driver and the adapter rows do. The events still get projected, inside the same window.
  let inCatchUp = 0;
  let command: StrataCommandSubject | undefined;
  try {
    command = await open('cmd', (t) => StrataCommandSubject.open(t));
    const runner = command.app.runner;
    const catchUp = runner.catchUp.bind(runner);
    runner.catchUp = async (options) => {
      const t0 = performance.now();
      try {
        return await catchUp(options);
      } finally {
        inCatchUp += performance.now() - t0;
      }
    };
    await open('store', (t) => StrataStoreSubject.open(t, sample));
    await open<Subject>('raw', (t) => (kind === 'sqlite' ? RawSqliteSubject.open(t, sample) : RawPostgresSubject.open(t, sample)));
    if (!missing) await open('emmett', (t) => EmmettSubject.open(t, sample));

    const single = new Map<string, number[]>();
    const concurrent = new Map<string, number[]>();
    const batch = new Map<string, number[]>();
    const batchNoCatchUp: number[] = [];
    const deferredMs: number[] = [];
    // Commands leave the per-firm analysis to a deferred settle; finish it (untimed) before the
    // next subject's window, so it is neither lost nor billed to another subject.
    const settleDeferred = async (s: Subject) => {
      if (s !== command) return 0;
      const t0 = performance.now();
      await command.app.runner.settleNow();
      return performance.now() - t0;
    };
    const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
    for (let r = 0; r < p.warmupRounds + p.rounds; r++) {
      const measured = r >= p.warmupRounds;
      for (const s of rotate(subjects, r)) {
        settle();
        const a = await s.appendSingle(`r${r}-single`, p.streams, p.singles);
        await settleDeferred(s);
        let c: Measured | undefined;
        if (s === command) {
          // The same number of single commands, IN_FLIGHT outstanding at a time (own firms, no conflicts).
          settle();
          c = await command.appendConcurrent(`r${r}-concurrent`, IN_FLIGHT, p.singles);
          await settleDeferred(s);
        }
        settle();
        inCatchUp = 0;
        const b = await s.appendBatch(`r${r}-batch`, p.batches, p.batchSize);
        const caughtUpMs = inCatchUp;
        const deferred = await settleDeferred(s);
        const excluded = s === command ? `, ${Math.round(rate({ count: b.count, ms: b.ms - caughtUpMs }))} ev/s without the catch-up (${Math.round(caughtUpMs)} of ${Math.round(b.ms)} ms; deferred settle ${Math.round(deferred)} ms after)` : '';
        const inFlight = c ? `, ${Math.round(rate(c))} ev/s single with ${IN_FLIGHT} in flight` : '';
        log(`  ${kind} round ${r + 1}/${p.warmupRounds + p.rounds}${measured ? '' : ' (warm-up)'} ${s.name}: ${Math.round(rate(a))} ev/s single${inFlight}, ${Math.round(rate(b))} ev/s batched${excluded}`);
        if (measured) {
          push(single, s.name, rate(a));
          push(batch, s.name, rate(b));
          if (c) push(concurrent, s.name, rate(c));
          if (s === command) {
            batchNoCatchUp.push(rate({ count: b.count, ms: b.ms - caughtUpMs }));
            deferredMs.push(deferred);
          }
        }
      }
    }

    // Reads over what every subject now holds (the same number of events each).
    const readers = subjects.filter((s) => s.readAll);
    const readAll = new Map<string, number[]>();
    const readStream = new Map<string, number[]>();
    let held = 0;
    for (let r = 0; r < p.warmupRounds + p.rounds; r++) {
      for (const s of rotate(readers, r)) {
        settle();
        const m = await s.readAll!();
        held = Math.max(held, m.count);
        if (r >= p.warmupRounds) push(readAll, s.name, rate(m));
        if (s.readStream) {
          settle();
          const st = await s.readStream(`r0-batch-0`);
          if (st.count !== p.batchSize) throw new Error(`${s.name} read ${st.count} events from a ${p.batchSize}-event stream`);
          if (r >= p.warmupRounds) push(readStream, s.name, rate(st));
        }
      }
    }
    log(`  ${kind} reads done (${held} events per store)`);

    const unit = 'events/s';
    const add = (scenario: string, m: Map<string, number[]>, subject: string, extra?: Record<string, number | string>) => {
      const runs = m.get(subject);
      if (runs) results.add({ scenario, store: kind, subject, unit, higherIsBetter: true, runs, ...(extra ? { extra } : {}) });
    };
    const streamsNote = { streams: p.streams, eventsPerStreamPerRound: Math.round(p.singles / p.streams) };
    for (const name of ['strata command', 'strata store', 'raw driver', 'emmett']) add('append 1/tx', single, name, streamsNote);
    add(CONCURRENT, concurrent, 'strata command', { inFlight: IN_FLIGHT, streams: IN_FLIGHT });
    for (const name of ['strata command', 'strata store', 'raw driver', 'emmett']) add('append 1000/tx', batch, name);
    // The same imports, with the time spent in the inline projection catch-up taken out.
    batch.set(NO_CATCH_UP, batchNoCatchUp);
    const medianDeferred = [...deferredMs].sort((x, y) => x - y)[Math.floor(deferredMs.length / 2)];
    add('append 1000/tx', batch, NO_CATCH_UP, medianDeferred === undefined ? undefined : { deferredSettleMsPerRound: Math.round(medianDeferred) });
    for (const name of ['strata store', 'raw driver', 'emmett']) add('read all (global order)', readAll, name, { events: held });
    for (const name of ['strata store', 'emmett']) add('read stream (1,000 events)', readStream, name);
    if (missing) {
      for (const sc of ['append 1/tx', 'append 1000/tx', 'read all (global order)', 'read stream (1,000 events)']) results.skip(sc, kind, 'emmett', missing);
    }

    const id = (sc: string, subject: string) => `${sc}:${kind}:${subject}`;
    for (const sc of ['append 1/tx', 'append 1000/tx', 'read all (global order)']) {
      for (const subject of ['strata command', NO_CATCH_UP, 'strata store']) results.compare(id(sc, subject), id(sc, 'raw driver'), 'raw');
    }
    for (const sc of ['append 1/tx', 'append 1000/tx', 'read all (global order)', 'read stream (1,000 events)']) {
      results.compare(id(sc, 'strata store'), id(sc, 'emmett'), 'emmett');
    }
    // Concurrent single commands against the same commands one after the other.
    results.compare(id(CONCURRENT, 'strata command'), id('append 1/tx', 'strata command'), 'sequential');
  } finally {
    for (const s of subjects.reverse()) await s.close().catch((e) => log(`  close failed: ${e}`));
    for (const t of targets) await t.drop().catch((e) => log(`  drop failed: ${e}`));
  }
}
