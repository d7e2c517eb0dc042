import type { FirmAnalysis } from '../analysis/analyse-firm.js';
import { sharedAnalyses } from '../analysis/analysis-memo.js';
import type { DetectedPhase } from '../analysis/phases.js';
import { isFieldEvent, type FieldEventData, type PhaseDeclaredData } from '../domain/events.js';
import type { DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import type { PhaseLabel } from '../domain/vocabulary.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { ALL, COLLECTIONS } from './collections.js';
import type { Projection, SettleBudget } from './projection.js';
import type { ReadModelTransaction } from './read-model-store.port.js';

export interface StoredTrackPoint {
  readonly period: string;
  readonly declared: number;
  readonly enacted: number;
  readonly ambiguity: number;
  readonly label: PhaseLabel;
}

/** One document per firm: its tracks, phases and pattern under the default parameters. */
export interface StoredAnalysis {
  readonly firm: string;
  readonly pattern: string;
  readonly method: string;
  readonly tracks: readonly StoredTrackPoint[];
  readonly phases: readonly DetectedPhase[];
}

/**
 * Declared and enacted orientation tracks, goal ambiguity and detected phases per firm, with the
 * default method parameters. An event can land anywhere in a firm's past (imprecise, late-logged
 * dates), so a touched firm is recomputed whole from its timeline. apply() only marks the firm;
 * settle() recomputes each marked firm once when the catch-up is done, so a replay of the whole
 * log analyses every firm once rather than once per batch. Recomputing is idempotent, so a crash
 * between the two just leaves marks that the next start settles.
 */
export const analysisProjection: Projection = {
  name: 'analysis',
  version: 3,
  collections: [COLLECTIONS.analysis, COLLECTIONS.analysisPending],
  dependsOn: ['timeline'],
  async apply(tx: ReadModelTransaction, events: readonly StoredEvent[]) {
    const touched = new Set<string>();
    for (const e of events) {
      if (isFieldEvent(e)) touched.add((e.data as FieldEventData).firm);
      else if (e.type === 'phase-declared' || e.type === 'event-recoded' || e.type === 'event-retracted') {
        touched.add((e.data as PhaseDeclaredData).firm);
      }
    }
    for (const firm of touched) await tx.put(COLLECTIONS.analysisPending, ALL, firm, firm, { firm });
  },
  async settle(tx: ReadModelTransaction, budget: SettleBudget) {
    const marked = await tx.list(COLLECTIONS.analysisPending, ALL);
    for (let i = 0; i < marked.length; i++) {
      const firm = marked[i]!.key;
      await recompute(tx, firm);
      await tx.delete(COLLECTIONS.analysisPending, ALL, firm);
      if (i < marked.length - 1 && budget.spent()) return false;
    }
    return true;
  },
};

async function recompute(tx: ReadModelTransaction, firm: string): Promise<void> {
  const entries = (await tx.list<TimelineEntry>(COLLECTIONS.timeline, firm)).map((d) => d.doc);
  const declared = (await tx.list<DeclaredPhase>(COLLECTIONS.declaredPhases, firm)).map((d) => d.doc);
  await tx.put(COLLECTIONS.analysis, ALL, firm, firm, settledAnalysisOf(firm, entries, declared));
}

/** What the settle stores for a firm with this timeline; a reader that cannot wait for the settle computes the same. */
export function settledAnalysisOf(firm: string, entries: readonly TimelineEntry[], declared: readonly DeclaredPhase[]): StoredAnalysis {
  return storedAnalysisOf(firm, sharedAnalyses.analyse(entries, declared).analysis);
}

/** What the read model keeps of a firm's analysis (also the shape of GetTracksQuery's answer). */
export function storedAnalysisOf(firm: string, analysis: FirmAnalysis): StoredAnalysis {
  return {
    firm,
    pattern: analysis.pattern,
    method: `${analysis.method.name} ${analysis.method.version}`,
    tracks: analysis.tracks.map(({ period, declared, enacted, ambiguity, label }) => ({ period, declared, enacted, ambiguity, label })),
    phases: analysis.phases,
  };
}
