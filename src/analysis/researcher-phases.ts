import { isOccurredError, parseOccurred } from '../domain/occurred.js';
import type { DeclaredPhase } from '../domain/timeline.js';
import { PHASE_LABELS } from '../domain/vocabulary.js';
import type { PhaseLabel } from '../domain/vocabulary.js';
import { cohensKappa, percentAgreement } from './agreement.js';
import { periodIndexOfMonth } from './periods.js';
import type { PeriodGrid } from './periods.js';

/** Words researchers use for the detector's labels; "hybrid" is the seeds' word for mixed. */
const SYNONYMS: ReadonlyArray<[RegExp, PhaseLabel]> = [
  [/\bcustomi[sz]ation\b|\bcustomi[sz]ed\b|\bresponsive(ness)?\b|\bagile\b/, 'customization'],
  [/\bcost\b|\bstandardi[sz]ation\b|\blean\b/, 'cost'],
  [/\bdecoupled\b|\bdecoupling\b|\bresistance\b/, 'decoupled'],
  [/\bambigu(ity|ous)\b/, 'ambiguity'],
  [/\bmixed\b|\bhybrid\b|\bleagile\b/, 'mixed'],
];

/**
 * A researcher's own label mapped onto the detector's vocabulary, or `null` when it names none
 * of them (it is then shown but not counted in agreement). An exact label wins; otherwise the
 * first vocabulary word found in it ("Founder customization" → customization).
 */
export function normaliseLabel(label: string): PhaseLabel | null {
  const l = label.trim().toLowerCase();
  if ((PHASE_LABELS as readonly string[]).includes(l)) return l as PhaseLabel;
  for (const [re, mapped] of SYNONYMS) if (re.test(l)) return mapped;
  return null;
}

export interface ResearcherPhase {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly description?: string;
  /** The label in the detector's vocabulary, or null when it has no counterpart. */
  readonly normalisedLabel: PhaseLabel | null;
  /** Periods of the analysis grid this phase covers. */
  readonly periods: number;
  /** Share of those periods the detector labelled the same; null when not comparable. */
  readonly agreement: number | null;
  /** Most frequent detected label over those periods (earliest on a tie). */
  readonly detectedLabel: PhaseLabel | null;
}

export interface ResearcherComparison {
  readonly phases: readonly ResearcherPhase[];
  /** Over every period covered by a comparable declared phase. */
  readonly comparedPeriods: number;
  readonly labelAgreement: number | null;
  readonly kappa: number | null;
}

/** Grid slots a declared phase spans, clipped to the grid; empty when the dates are unusable. */
function slotsOf(phase: DeclaredPhase, grid: PeriodGrid): number[] {
  const from = parseOccurred(phase.from);
  const to = parseOccurred(phase.to);
  if (isOccurredError(from) || isOccurredError(to)) return [];
  const a = Math.max(0, periodIndexOfMonth(from.start.slice(0, 7), grid.granularity) - grid.first);
  const b = Math.min(grid.count - 1, periodIndexOfMonth(to.end.slice(0, 7), grid.granularity) - grid.first);
  const slots: number[] = [];
  for (let s = a; s <= b; s++) slots.push(s);
  return slots;
}

/**
 * The researcher's temporal bracketing beside the detector's labels. Where declared phases
 * overlap, the later-declared one (higher global position) owns the shared periods, as a
 * correction would.
 */
export function compareWithResearcher(
  declared: readonly DeclaredPhase[],
  detectedLabels: readonly PhaseLabel[],
  grid: PeriodGrid,
): ResearcherComparison {
  const ordered = [...declared].sort((a, b) => a.globalPosition - b.globalPosition || (a.id < b.id ? -1 : 1));
  const owner = new Array<PhaseLabel | null>(grid.count).fill(null);
  const phases: ResearcherPhase[] = ordered.map((p) => {
    const slots = slotsOf(p, grid);
    const normalisedLabel = normaliseLabel(p.label);
    for (const s of slots) owner[s] = normalisedLabel;
    const counts = new Map<PhaseLabel, number>();
    for (const s of slots) counts.set(detectedLabels[s]!, (counts.get(detectedLabels[s]!) ?? 0) + 1);
    let detectedLabel: PhaseLabel | null = null;
    for (const s of slots) {
      const l = detectedLabels[s]!;
      if (detectedLabel === null || counts.get(l)! > counts.get(detectedLabel)!) detectedLabel = l;
    }
    const agreement =
      normalisedLabel === null || slots.length === 0
        ? null
        : slots.filter((s) => detectedLabels[s] === normalisedLabel).length / slots.length;
    return {
      id: p.id,
      from: p.from,
      to: p.to,
      label: p.label,
      ...(p.description !== undefined ? { description: p.description } : {}),
      normalisedLabel,
      periods: slots.length,
      agreement,
      detectedLabel,
    };
  });
  // Present them in time order, whatever order they were declared in.
  const startOf = (text: string): string => {
    const o = parseOccurred(text);
    return isOccurredError(o) ? text : `${o.start}#${o.end}`;
  };
  phases.sort((a, b) => {
    const ka = startOf(a.from);
    const kb = startOf(b.from);
    return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : 1;
  });
  const theirs: PhaseLabel[] = [];
  const ours: PhaseLabel[] = [];
  owner.forEach((l, s) => {
    if (l !== null) {
      theirs.push(l);
      ours.push(detectedLabels[s]!);
    }
  });
  return {
    phases,
    comparedPeriods: theirs.length,
    labelAgreement: percentAgreement(theirs, ours),
    kappa: cohensKappa(theirs, ours),
  };
}
