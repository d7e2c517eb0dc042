import { anchorMonth, occurred } from '../../src/domain/occurred.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { DEFAULT_MODE } from '../../src/domain/vocabulary.js';
import type { EventKind, Mode, PhaseLabel } from '../../src/domain/vocabulary.js';

/**
 * Synthetic firms with planted phases, for known-answer tests and benchmarks. Deterministic:
 * everything comes from a seeded PRNG (no Math.random, no clock).
 *
 * The world the generator plants (our reading of the theory, stated so the test is honest
 * about what it measures):
 * - a phase's configuration is set by a burst of acts at its start — a new programme is rarely
 *   one statement: two or three decisions and/or routine changes in its first two months;
 * - customization / cost / mixed: talk and routines at +1 / −1 / 0;
 * - decoupled: talk moves to the opposite pole while planners keep (and defend: `resisted`
 *   changes) their routines;
 * - ambiguity: demand shifts and irregular or declining profit every month or two, with talk
 *   wavering (±1), until the next phase's decisive acts;
 * - noise: contrary acts (opposite orientation), stray demand shifts, neutral observations,
 *   imprecise dates (quarter and year precision, placed by their anchor month), random ids and
 *   a shuffled recording order.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  readonly minPhases: number;
  readonly maxPhases: number;
  readonly minPhaseMonths: number;
  readonly maxPhaseMonths: number;
  /** Mean months between maintenance events inside a phase. */
  readonly meanGapMonths: number;
  /** Share of maintenance acts coded with the opposite orientation. */
  readonly contraryRate: number;
  /** Chance per month of a stray demand shift outside ambiguity phases. */
  readonly strayDemandShiftRate: number;
  readonly quarterPrecisionRate: number;
  readonly yearPrecisionRate: number;
  /** Maintenance events per slot; raise it to make very large firms (benchmarks). */
  readonly density: number;
}

export const DEFAULT_SYNTHETIC_OPTIONS: SyntheticOptions = {
  minPhases: 3,
  maxPhases: 6,
  minPhaseMonths: 8,
  maxPhaseMonths: 30,
  meanGapMonths: 2,
  contraryRate: 0.1,
  strayDemandShiftRate: 0.03,
  quarterPrecisionRate: 0.2,
  yearPrecisionRate: 0.05,
  density: 1,
};

export interface PlantedPhase {
  readonly label: PhaseLabel;
  /** First and last month, inclusive (`YYYY-MM`). */
  readonly from: string;
  readonly to: string;
}

export interface SyntheticFirm {
  readonly id: string;
  readonly seed: number;
  /** In a shuffled recording order. */
  readonly entries: TimelineEntry[];
  readonly planted: readonly PlantedPhase[];
  /** Every month of the firm's history and its planted label. */
  readonly months: readonly string[];
  readonly monthLabels: readonly PhaseLabel[];
}

type Pole = -1 | 0 | 1;

const TRANSITIONS: Readonly<Record<PhaseLabel, ReadonlyArray<[PhaseLabel, number]>>> = {
  customization: [['decoupled', 0.35], ['ambiguity', 0.3], ['cost', 0.15], ['mixed', 0.2]],
  decoupled: [['cost', 0.35], ['ambiguity', 0.3], ['customization', 0.2], ['mixed', 0.15]],
  ambiguity: [['cost', 0.4], ['decoupled', 0.2], ['customization', 0.2], ['mixed', 0.2]],
  cost: [['customization', 0.25], ['mixed', 0.3], ['ambiguity', 0.25], ['decoupled', 0.2]],
  mixed: [['customization', 0.3], ['cost', 0.3], ['ambiguity', 0.2], ['decoupled', 0.2]],
};

const monthText = (index: number): string =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

export function syntheticFirm(seed: number, overrides: Partial<SyntheticOptions> = {}): SyntheticFirm {
  const o = { ...DEFAULT_SYNTHETIC_OPTIONS, ...overrides };
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const weighted = <T>(xs: ReadonlyArray<[T, number]>): T => {
    let r = rnd() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const firmId = `synthetic-${seed}`;

  // Plant the phase sequence.
  const count = int(o.minPhases, o.maxPhases);
  const labels: PhaseLabel[] = [weighted<PhaseLabel>([['customization', 0.6], ['mixed', 0.25], ['cost', 0.15]])];
  while (labels.length < count) labels.push(weighted(TRANSITIONS[labels[labels.length - 1]!]));
  const start = (1990 + int(0, 10)) * 12 + int(0, 11);
  const planted: Array<PlantedPhase & { first: number; last: number }> = [];
  let cursor = start;
  for (const label of labels) {
    const len = int(o.minPhaseMonths, o.maxPhaseMonths);
    planted.push({ label, from: monthText(cursor), to: monthText(cursor + len - 1), first: cursor, last: cursor + len - 1 });
    cursor += len;
  }

  const raw: Array<Omit<TimelineEntry, 'id' | 'firm' | 'precision' | 'start' | 'end' | 'month' | 'occurred' | 'recordedAt' | 'recordedBy' | 'globalPosition' | 'sources' | 'tags' | 'confidence' | 'title' | 'mode'> & { m: number; mode?: Mode; title?: string }> = [];
  const add = (m: number, kind: EventKind, fields: Record<string, unknown> = {}): void => {
    raw.push({ m, kind, orientation: 0, ...fields });
  };
  const decide = (m: number, orientation: number): void => {
    const kind = pick(['strategy-decision', 'strategy-decision', 'strategy-decision', 'network-change'] as const);
    if (kind === 'network-change') add(m, kind, { orientation, change: orientation < 0 ? pick(['offshoring', 'supplier-base-cut', 'outsourcing']) : pick(['co-design', 'alliance']) });
    else add(m, kind, { orientation });
  };
  const routineChange = (m: number, orientation: number, change: 'introduced' | 'modified' | 'resisted'): void =>
    add(m, 'planning-routine-change', { orientation, change, routine: pick(['production planning horizon', 'batch rule', 'CODP', 'S&OP']) });
  const neutral = (m: number): void => {
    const k = pick(['profit', 'response', 'profit'] as const);
    if (k === 'profit') add(m, 'profitability-observation', { trend: pick(['stable', 'improving']) });
    else add(m, 'customer-response-observation', { trend: pick(['stable', 'improving']) });
  };
  const ambiguitySignal = (m: number): void => {
    const k = pick(['demand', 'demand', 'irregular', 'declining'] as const);
    if (k === 'demand') add(m, 'demand-shift', { dimension: pick(['volume', 'mix', 'volatility', 'requirements']), direction: pick(['up', 'down', 'mixed']) });
    else add(m, 'profitability-observation', { trend: k });
  };

  let d: Pole = 0;
  let e: Pole = 0;
  let wave: 1 | -1 = 1;
  planted.forEach((phase, index) => {
    const { label, first, last } = phase;
    // Opening burst: the acts that set this phase's configuration.
    let nd: Pole = d;
    let ne: Pole = e;
    if (label === 'customization') [nd, ne] = [1, 1];
    else if (label === 'cost') [nd, ne] = [-1, -1];
    else if (label === 'mixed') [nd, ne] = [0, 0];
    else if (label === 'decoupled') nd = e !== 0 ? (-e as Pole) : pick([-1, 1] as const);
    if (index > 0 && nd < d && rnd() < 0.4) add(first, 'ownership-change', { newOwner: pick(['Holding group', 'Private equity fund', 'Competitor']) });
    if (label !== 'ambiguity') {
      const burst = index === 0 ? 2 : 3;
      if (nd !== d || index === 0 || label === 'decoupled') for (let k = 0; k < burst; k++) decide(first + (k === 0 ? 0 : int(0, 1)), nd * 2);
      if (label === 'decoupled') routineChange(first + int(1, 2), nd * 2, 'resisted');
      else if (ne !== e || index === 0) for (let k = 0; k < burst; k++) routineChange(first + (k === 0 ? 0 : int(0, 1)), ne * 2, k === 0 ? 'introduced' : 'modified');
    } else {
      ambiguitySignal(first);
      ambiguitySignal(first);
    }
    d = nd;
    e = ne;

    // Maintenance events through the phase.
    for (let m = first + 2; m <= last; m += int(1, Math.max(1, 2 * o.meanGapMonths - 1))) {
      for (let k = 0; k < o.density; k++) maintain(m);
    }
    function maintain(m: number): void {
      const contrary = rnd() < o.contraryRate;
      const r = rnd();
      if (label === 'ambiguity') {
        if (r < 0.6) ambiguitySignal(m);
        else if (r < 0.8) {
          decide(m, wave);
          wave = wave === 1 ? -1 : 1;
        } else neutral(m);
        return;
      }
      if (label === 'decoupled') {
        if (r < 0.45) decide(m, (contrary ? -d : d) * int(1, 2));
        else if (r < 0.8) routineChange(m, d * 2, 'resisted');
        else neutral(m);
        return;
      }
      // customization, cost, mixed: a pole or 0; contrary acts lean the other way.
      const lean = (p: Pole): number => (p === 0 ? (contrary ? pick([-1, 1]) : 0) : (contrary ? -p : p) * int(1, 2));
      if (r < 0.4) decide(m, lean(d));
      else if (r < 0.75) routineChange(m, lean(e), 'modified');
      else neutral(m);
    }
    for (let m = first; m <= last; m++) if (label !== 'ambiguity' && rnd() < o.strayDemandShiftRate) ambiguitySignal(m);
  });

  // Dates (with imprecision), ids, and a shuffled recording order.
  const entries: TimelineEntry[] = raw.map((r, i) => {
    const month = monthText(r.m);
    const p = rnd();
    const text =
      p < o.yearPrecisionRate
        ? month.slice(0, 4)
        : p < o.yearPrecisionRate + o.quarterPrecisionRate
          ? `${month.slice(0, 4)}-Q${Math.floor((r.m % 12) / 3) + 1}`
          : rnd() < 0.5
            ? month
            : `${month}-${String(int(1, 28)).padStart(2, '0')}`;
    const occ = occurred(text);
    const { m: _m, ...fields } = r;
    return {
      ...fields,
      id: `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
      firm: firmId,
      occurred: text,
      precision: occ.precision,
      start: occ.start,
      end: occ.end,
      month: anchorMonth(occ),
      title: `${r.kind} #${i}`,
      mode: DEFAULT_MODE[r.kind],
      sources: [],
      confidence: 'medium',
      tags: [],
      recordedAt: '2024-01-01T00:00:00.000Z',
      recordedBy: 'generator',
      globalPosition: 0,
    } as TimelineEntry;
  });
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const recorded = entries.map((x, i) => ({ ...x, globalPosition: i + 1 }));

  const months: string[] = [];
  const monthLabels: PhaseLabel[] = [];
  for (const ph of planted) {
    for (let m = ph.first; m <= ph.last; m++) {
      months.push(monthText(m));
      monthLabels.push(ph.label);
    }
  }
  return {
    id: firmId,
    seed,
    entries: recorded,
    planted: planted.map(({ label, from, to }) => ({ label, from, to })),
    months,
    monthLabels,
  };
}

export function syntheticFirms(count: number, seed = 1, overrides: Partial<SyntheticOptions> = {}): SyntheticFirm[] {
  return Array.from({ length: count }, (_, i) => syntheticFirm(seed * 100_003 + i, overrides));
}
