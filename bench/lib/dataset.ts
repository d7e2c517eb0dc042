import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION, firmStream, studyStream } from '../../src/domain/events.js';
import { decideFirm, evolveFirm, initialFirmState, type FirmState } from '../../src/domain/firm-decider.js';
import { decideStudy, initialStudyState } from '../../src/domain/study-decider.js';
import type { AppendRequest, NewEvent } from '../../src/event-store/event-store.port.js';
import { mulberry32 } from '../../test/analysis/synthetic-firms.js';

// The known-answer test's seeded generator: the bench's data is as reproducible as the test's.
export { mulberry32 };

/**
 * Deterministic field events shaped like a real study (FORMAT.md lines): a firm moves through
 * phases of a few years each (customization, cost, decoupled talk vs. routines), logged as
 * decisions, routine changes, demand shifts and profit observations with month, quarter and
 * year precision, one or two sources and tags. About 600 bytes of JSON per event, so the bench
 * moves realistic payloads rather than `{"n":1}`.
 */

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const LAST_YEAR = 2023; // every date is in the past, so the decider accepts it
const YEARS = 34; // default span: 1990..2023

const TITLES = [
  'Board confirms the programme for the coming planning cycle',
  'Planner rewrites the weekly scheduling routine around call-offs',
  'Key customer asks for a wider variant range on the next platform',
  'Controller reports margin pressure on the standard product lines',
  'Sales director restates the promise of made-to-order delivery',
  'Plant manager introduces a fixed production wheel for runners',
];
const DESCRIPTION =
  'Retrospective account from two informants, cross-checked against the archived planning files. ' +
  'Coded from the minutes of the management meeting and the planner interview; dates are as given by the informants.';

/** One FORMAT.md record (the body of POST /firms/:firm/events or one import line, without id). */
export function fieldRecord(firm: string, i: number, n: number, rnd: () => number, years = YEARS): Record<string, unknown> {
  // Spread the n events over `years` years ending in 2023; a phase flips orientation every ~5 years.
  const month = Math.min(years * 12 - 1, Math.floor(((i + rnd()) / n) * years * 12));
  const year = LAST_YEAR - years + 1 + Math.floor(month / 12);
  const m = (month % 12) + 1;
  const phaseSign = Math.floor(month / 60) % 2 === 0 ? 1 : -1;
  const r = rnd();
  const occurred = r < 0.7 ? `${year}-${String(m).padStart(2, '0')}` : r < 0.9 ? `${year}-Q${Math.floor((m - 1) / 3) + 1}` : `${year}`;
  const base = {
    firm,
    occurred,
    title: pick(rnd, TITLES),
    description: DESCRIPTION,
    sources: [
      { kind: 'interview', ref: `INT-${String(1 + Math.floor(rnd() * 40)).padStart(2, '0')}`, informant: 'production planner' },
      ...(rnd() < 0.5 ? [{ kind: 'document', ref: `DOC-${Math.floor(rnd() * 900) + 100} planning minutes` }] : []),
    ],
    confidence: pick(rnd, ['low', 'medium', 'high'] as const),
    tags: ['bench', pick(rnd, ['call-off', 'variants', 'margin', 'routine'])],
  };
  const k = rnd();
  if (k < 0.35) {
    return { ...base, kind: 'strategy-decision', mode: 'interactive', orientation: phaseSign * (rnd() < 0.8 ? 2 : 1) };
  }
  if (k < 0.65) {
    // In "decoupled" stretches routines keep the previous direction.
    const lag = Math.floor(month / 60) % 3 === 2 ? -phaseSign : phaseSign;
    return {
      ...base,
      kind: 'planning-routine-change',
      mode: 'procedural',
      orientation: lag * (rnd() < 0.7 ? 2 : 1),
      routine: 'weekly production scheduling',
      change: pick(rnd, ['introduced', 'modified', 'resisted'] as const),
    };
  }
  if (k < 0.85) {
    return { ...base, kind: 'demand-shift', mode: 'context', orientation: 0, dimension: pick(rnd, ['volume', 'mix', 'requirements'] as const), direction: pick(rnd, ['up', 'down'] as const) };
  }
  return { ...base, kind: 'profitability-observation', mode: 'context', orientation: 0, trend: pick(rnd, ['improving', 'stable', 'declining', 'irregular'] as const) };
}

/**
 * `n` records for one firm. Contents are seeded by the firm's name (every run sees the same
 * firm); ids are random UUIDs, because a 32-bit seeded generator would repeat ids across a
 * million events.
 */
export function firmRecords(firm: string, n: number, options: { seed?: number; years?: number } = {}): Array<Record<string, unknown>> {
  const rnd = mulberry32(hash(firm) ^ (options.seed ?? 1));
  return Array.from({ length: n }, (_, i) => ({ id: randomUUID(), ...fieldRecord(firm, i, n, rnd, options.years) }));
}

/**
 * `count` records spread over `firms` round-robin (each firm's first, then each firm's second,
 * ...), the order the single-append row and its experiments send commands in.
 */
export function roundRobinRecords(firms: readonly string[], count: number): Array<Record<string, unknown>> {
  const perFirm = firms.map((f) => firmRecords(f, Math.ceil(count / firms.length)));
  return Array.from({ length: count }, (_, i) => perFirm[i % firms.length]![Math.floor(i / firms.length)]!);
}

export const firmName = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(5, '0')}`;

const TODAY = new Date('2025-01-01T00:00:00Z');

export interface StoreEventsOptions {
  readonly recordedBy?: string;
}

/**
 * The exact events the application would append for "create the study, register the firm, log
 * these records" — decided by the domain's own deciders and wrapped as StreamDecisions does
 * (metadata: schemaVersion, recordedBy) — so a store-level load is indistinguishable from one
 * made through the CommandBus, only faster (no projection per command).
 */
export function studyCreation(study: string, options: StoreEventsOptions = {}): AppendRequest {
  const [event] = decideStudy({ type: 'create-study', study }, initialStudyState());
  return {
    streamId: studyStream(study),
    expectedVersion: 'no-stream',
    events: [{ id: randomUUID(), type: event!.type, data: event!.data, metadata: meta(options) }],
  };
}

export function firmStreamAppend(
  study: string,
  firm: string,
  records: ReadonlyArray<Record<string, unknown>>,
  options: StoreEventsOptions = {},
): AppendRequest {
  let state: FirmState = initialFirmState();
  const events: NewEvent[] = [];
  const decide = (command: Parameters<typeof decideFirm>[0]) => {
    for (const e of decideFirm(command, state, { today: TODAY })) {
      const withId = { ...e, id: command.id };
      state = evolveFirm(state, withId);
      events.push({ id: command.id, type: e.type, data: e.data, metadata: meta(options) });
    }
  };
  decide({ type: 'register-firm', id: randomUUID(), firm, study });
  for (const r of records) {
    const { id, ...input } = r;
    decide({ type: 'log-event', id: id as string, input });
  }
  return { streamId: firmStream(firm), expectedVersion: 'no-stream', events };
}

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

function meta(options: StoreEventsOptions): Record<string, unknown> {
  return { schemaVersion: SCHEMA_VERSION, recordedBy: options.recordedBy ?? 'bench' };
}

/**
 * A large study without deciding every event: `templates` firms are decided for real (domain
 * decider, as above), and firm i reuses template i % templates with its own firm name and fresh
 * ids. Deciding a million events one by one would take the bench longer than the rebuild it
 * sets up; the payloads, kinds and dates are exactly what the decider produced.
 */
export class StudyGenerator {
  private readonly templates: AppendRequest[];

  constructor(
    readonly study: string,
    readonly eventsPerFirm: number,
    options: { templates?: number; years?: number } = {},
  ) {
    this.templates = Array.from({ length: options.templates ?? 16 }, (_, i) =>
      firmStreamAppend(study, `template-${i}`, firmRecords(`template-${i}`, eventsPerFirm, { seed: i + 1, ...(options.years ? { years: options.years } : {}) })),
    );
  }

  /** The append for firm `name` (registration + eventsPerFirm field events), one transaction. */
  firm(index: number, name: string): AppendRequest {
    const t = this.templates[index % this.templates.length]!;
    return {
      streamId: firmStream(name),
      expectedVersion: 'no-stream',
      events: t.events.map((e) =>
        e.type === 'firm-registered'
          ? { ...e, id: randomUUID(), data: { ...(e.data as object), firm: name, name } }
          : { ...e, id: randomUUID(), data: { ...(e.data as object), firm: name } },
      ),
    };
  }
}

/** Plain copies of field events for the peer and raw-driver scenarios (same payloads, fresh ids). */
export function plainEvents(prefix: string, n: number, seed = 7): NewEvent[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const { kind, ...rest } = fieldRecord(`${prefix}`, i, n, rnd);
    return { id: randomUUID(), type: kind as string, data: { kind, ...rest }, metadata: { schemaVersion: SCHEMA_VERSION, recordedBy: 'bench' } };
  });
}
