import type { FirmAnalysis, MethodDescription } from '../analysis/analyse-firm.js';
import type { MechanismCheck } from '../analysis/checks.js';
import { sortForAnalysis } from '../analysis/order.js';
import type { BoundaryMarker, DominantMode } from '../analysis/phases.js';
import type { ResearcherComparison } from '../analysis/researcher-phases.js';
import { monthsPerPeriod, periodIndexOfMonth, periodKey } from '../analysis/periods.js';
import type { Source } from '../domain/events.js';
import type { DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import type { Confidence, EventKind, Mode, PhaseLabel } from '../domain/vocabulary.js';

/** Everything a renderer needs, already rounded and ordered: renderers only format. */
export interface ReportFirm {
  readonly id: string;
  readonly name: string;
  readonly study: string;
}

export interface ReportEvent {
  readonly id: string;
  readonly kind: EventKind;
  readonly occurred: string;
  /** Period of the analysis grid the event falls in. */
  readonly period: string;
  readonly title: string;
  readonly mode: Mode;
  readonly orientation: number;
  readonly confidence: Confidence;
  readonly claimsResponsiveness: boolean;
  /** The kind's own qualifier (routine change, trend, network change, demand dimension, owner). */
  readonly qualifier: string | null;
  readonly sources: number;
}

export interface ReportTrackPoint {
  readonly period: string;
  readonly declared: number;
  readonly enacted: number;
  readonly ambiguity: number;
  readonly label: PhaseLabel;
}

export interface ReportPhase {
  readonly from: string;
  readonly to: string;
  /** First and last period in the analysis granularity (equal to from/to for months). */
  readonly fromPeriod: string;
  readonly toPeriod: string;
  readonly label: PhaseLabel;
  readonly declared: number;
  readonly enacted: number;
  readonly ambiguity: number;
  readonly dominantMode: DominantMode;
  readonly boundaryEvents: readonly string[];
  readonly boundaryMarkers: readonly BoundaryMarker[];
  readonly periods: number;
  readonly months: number;
  readonly eventCount: number;
}

/** The codebook version the events were coded under (0 = the built-in one). */
export interface ReportCodebook {
  readonly study: string;
  readonly version: number;
  readonly publishedAt: string | null;
}

/** The sources behind one boundary event of a phase (the report's evidence appendix). */
export interface BoundaryEvidence {
  readonly phase: number;
  readonly eventId: string;
  readonly occurred: string;
  readonly title: string;
  readonly sources: readonly Source[];
  readonly confidence: Confidence;
}

export interface ReportModel {
  readonly firm: ReportFirm;
  /** Not a wall-clock time: when the latest event the report rests on was recorded, so the same log renders the same bytes. */
  readonly generatedAt: string;
  readonly asOf: string | null;
  /** The recorded-time cut ("as known at"), when the report was replayed to one. */
  readonly knownAt: string | null;
  readonly codebook: ReportCodebook | null;
  readonly boundaryEvidence: readonly BoundaryEvidence[];
  readonly method: MethodDescription;
  readonly tracks: readonly ReportTrackPoint[];
  readonly phases: readonly ReportPhase[];
  readonly pattern: string;
  readonly checks: readonly MechanismCheck[];
  readonly researcherPhases: ResearcherComparison;
  readonly declaredPhases: readonly DeclaredPhase[];
  /** In analysis order (see analysis/order.ts). */
  readonly events: readonly ReportEvent[];
}

export interface ReportInput {
  readonly firm: ReportFirm;
  readonly entries: readonly TimelineEntry[];
  /** `entries` in analysis order, when the caller already has them so (saves sorting again). */
  readonly sorted?: readonly TimelineEntry[];
  readonly declared: readonly DeclaredPhase[];
  readonly analysis: FirmAnalysis;
  /** ISO timestamp, passed in so the same input renders the same bytes. */
  readonly generatedAt: string;
  /** The occurred date the timeline was cut at ("as of"), when it was. */
  readonly asOf?: string;
  readonly knownAt?: string;
  readonly codebook?: ReportCodebook;
}

/** Three decimals: more would be false precision for coded interview data; −0 becomes 0. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000 + 0;

function qualifier(e: TimelineEntry): string | null {
  switch (e.kind) {
    case 'planning-routine-change':
      return [e.change, e.routine].filter(Boolean).join(': ') || null;
    case 'profitability-observation':
    case 'customer-response-observation':
      return [e.trend, e.measure].filter(Boolean).join(': ') || null;
    case 'network-change':
      return e.change ?? null;
    case 'demand-shift':
      return [e.dimension, e.direction].filter(Boolean).join(' ') || null;
    case 'ownership-change':
      return e.newOwner ?? null;
    case 'strategy-decision':
      return null;
  }
}

function boundaryEvidence(analysis: FirmAnalysis, entries: readonly TimelineEntry[]): BoundaryEvidence[] {
  // Only the few boundary events are looked up; the last entry with an id wins, as in a Map of all.
  const wanted = new Set(analysis.phases.flatMap((p) => p.boundaryEvents));
  const byId = new Map<string, TimelineEntry>();
  for (const e of entries) if (wanted.has(e.id)) byId.set(e.id, e);
  return analysis.phases.flatMap((p, i) =>
    p.boundaryEvents.flatMap((id) => {
      const e = byId.get(id);
      // Sources in one field order whatever the store kept (PostgreSQL's jsonb reorders keys).
      const sources = e?.sources.map(({ kind, ref, informant, quote }) => ({ kind, ref, ...(informant ? { informant } : {}), ...(quote ? { quote } : {}) }));
      return e ? [{ phase: i + 1, eventId: id, occurred: e.occurred, title: e.title, sources: sources!, confidence: e.confidence }] : [];
    }),
  );
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { analysis } = input;
  const g = analysis.method.parameters.granularity;
  // Thousands of events share a few hundred months: name each month's period once.
  const periods = new Map<string, string>();
  const periodOf = (month: string): string => {
    let period = periods.get(month);
    if (period === undefined) periods.set(month, (period = periodKey(periodIndexOfMonth(month, g), g)));
    return period;
  };
  return {
    firm: input.firm,
    generatedAt: input.generatedAt,
    asOf: input.asOf ?? null,
    knownAt: input.knownAt ?? null,
    codebook: input.codebook ?? null,
    boundaryEvidence: boundaryEvidence(analysis, input.entries),
    method: analysis.method,
    tracks: analysis.tracks.map((t) => ({
      period: t.period,
      declared: round3(t.declared),
      enacted: round3(t.enacted),
      ambiguity: round3(t.ambiguity),
      label: t.label,
    })),
    phases: analysis.phases.map((p) => ({
      from: p.from,
      to: p.to,
      fromPeriod: p.fromPeriod,
      toPeriod: p.toPeriod,
      label: p.label,
      declared: round3(p.declared),
      enacted: round3(p.enacted),
      ambiguity: round3(p.ambiguity),
      dominantMode: p.dominantMode,
      boundaryEvents: p.boundaryEvents,
      boundaryMarkers: p.boundaryMarkers,
      periods: p.periods,
      months: p.periods * monthsPerPeriod(g),
      eventCount: p.eventCount,
    })),
    pattern: analysis.pattern,
    checks: analysis.checks,
    researcherPhases: analysis.researcherPhases,
    declaredPhases: [...input.declared].sort((a, b) => a.globalPosition - b.globalPosition),
    events: (input.sorted ?? sortForAnalysis(input.entries)).map((e) => {
      const known = Object.isFrozen(e) ? EVENTS.get(e) : undefined;
      const period = periodOf(e.month);
      if (known && known.period === period) return known;
      const event: ReportEvent = Object.freeze({
        id: e.id,
        kind: e.kind,
        occurred: e.occurred,
        period,
        title: e.title,
        mode: e.mode,
        orientation: e.orientation,
        confidence: e.confidence,
        claimsResponsiveness: e.claimsResponsiveness === true,
        qualifier: qualifier(e),
        sources: e.sources.length,
      });
      if (Object.isFrozen(e)) EVENTS.set(e, event);
      return event;
    }),
  };
}

// A frozen timeline entry cannot change (the read-model adapters hand out frozen documents and
// reuse them while unchanged), so its report row is kept with it and reused by the next report
// at the same granularity; the row is frozen too, so renderers can keep what they make of it.
const EVENTS = new WeakMap<TimelineEntry, ReportEvent>();
