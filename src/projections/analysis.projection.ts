import { analyseFirm } from '../analysis/analyse-firm.js';
import { isFieldEvent, type FieldEventData, type PhaseDeclaredData } from '../domain/events.js';
import type { DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import type { StoredEvent } from '../event-store/event-store.port.js';
import { ALL, COLLECTIONS } from './collections.js';
import type { Projection } from './projection.js';
import type { ReadModelTransaction } from './read-model-store.port.js';

export interface StoredPattern {
  readonly firm: string;
  readonly pattern: string;
  readonly phases: number;
  readonly periods: number;
  readonly method: string;
}

/**
 * Declared and enacted orientation tracks, goal ambiguity and detected phases per firm, with the
 * default method parameters. An event can land anywhere in a firm's past (imprecise, late-logged
 * dates), so a touched firm is recomputed whole from its timeline — once per batch, not per event.
 */
export const analysisProjection: Projection = {
  name: 'analysis',
  version: 2,
  collections: [COLLECTIONS.tracks, COLLECTIONS.phases, COLLECTIONS.patterns],
  dependsOn: ['timeline'],
  async apply(tx: ReadModelTransaction, events: readonly StoredEvent[]) {
    const touched = new Set<string>();
    for (const e of events) {
      if (isFieldEvent(e)) touched.add((e.data as FieldEventData).firm);
      else if (e.type === 'phase-declared') touched.add((e.data as PhaseDeclaredData).firm);
    }
    for (const firm of [...touched].sort()) await recompute(tx, firm);
  },
};

async function recompute(tx: ReadModelTransaction, firm: string): Promise<void> {
  const entries = (await tx.list<TimelineEntry>(COLLECTIONS.timeline, firm)).map((d) => d.doc);
  const declared = (await tx.list<DeclaredPhase>(COLLECTIONS.declaredPhases, firm)).map((d) => d.doc);
  const analysis = analyseFirm(entries, declared);
  await tx.deletePartition(COLLECTIONS.tracks, firm);
  await tx.deletePartition(COLLECTIONS.phases, firm);
  for (const t of analysis.tracks) {
    await tx.put(COLLECTIONS.tracks, firm, t.period, t.period, {
      period: t.period,
      declared: t.declared,
      enacted: t.enacted,
      ambiguity: t.ambiguity,
      label: t.label,
    });
  }
  for (const [i, p] of analysis.phases.entries()) {
    const key = String(i).padStart(4, '0');
    await tx.put(COLLECTIONS.phases, firm, key, key, p);
  }
  const pattern: StoredPattern = {
    firm,
    pattern: analysis.pattern,
    phases: analysis.phases.length,
    periods: analysis.tracks.length,
    method: `${analysis.method.name} ${analysis.method.version}`,
  };
  await tx.put(COLLECTIONS.patterns, ALL, firm, firm, pattern);
}
