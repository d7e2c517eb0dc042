import { deepFreeze } from '../domain/deep-freeze.js';
import type { DeclaredPhase, TimelineEntry } from '../domain/timeline.js';
import { analyseSortedFirm, type FirmAnalysis } from './analyse-firm.js';
import { sortForAnalysis } from './order.js';
import { resolveParameters, type AnalysisParameters } from './parameters.js';

/** A firm's entries in analysis order and their analysis. */
export interface SortedAnalysis {
  readonly sorted: readonly TimelineEntry[];
  readonly analysis: FirmAnalysis;
}

interface Remembered {
  readonly entries: readonly TimelineEntry[];
  readonly declared: string;
  readonly parameters: string;
  readonly value: SortedAnalysis;
}

/**
 * Analyses of the last few timelines, for callers that analyse the same firm again without a
 * change in between. The analysis projection analyses a touched firm when a command has logged
 * an event; the report asked for right after it reads the same timeline and analysed it all
 * again (a 10,000-event firm: 25–40 ms of a ~100 ms report).
 *
 * A timeline is the same only if it holds the very same entry objects, in the same order, and
 * every one is frozen: the read-model adapters hand out deep-frozen documents that stay the same
 * objects while their stored text is unchanged (parsed-doc-cache.ts), so identity proves the
 * input is unchanged and the remembered result can never be stale. Declared phases are few and
 * not kept by the adapters, so they are compared by their JSON. Anything else (unfrozen entries
 * from tests, replays or small partitions) is analysed every time and not kept.
 *
 * Results are deep-frozen, since every caller of the same timeline shares them.
 */
export class AnalysisMemo {
  private readonly recent: Remembered[] = [];

  constructor(
    /** Timelines kept; the least recently used goes first. */
    private readonly capacity = 4,
  ) {}

  analyse(
    entries: readonly TimelineEntry[],
    declared: readonly DeclaredPhase[] = [],
    overrides: Partial<AnalysisParameters> = {},
  ): SortedAnalysis {
    const compute = (): SortedAnalysis => {
      const sorted = sortForAnalysis(entries);
      return { sorted, analysis: analyseSortedFirm(sorted, declared, overrides) };
    };
    if (!allFrozen(entries)) return compute();
    const key = { declared: JSON.stringify(declared), parameters: JSON.stringify(resolveParameters(overrides)) };
    const at = this.recent.findIndex(
      (r) => r.declared === key.declared && r.parameters === key.parameters && sameObjects(r.entries, entries),
    );
    if (at >= 0) {
      const [hit] = this.recent.splice(at, 1);
      this.recent.push(hit!);
      return hit!.value;
    }
    const value = deepFreeze(compute());
    this.recent.push({ entries: [...entries], ...key, value });
    if (this.recent.length > this.capacity) this.recent.shift();
    return value;
  }

  /** Forgets every remembered analysis (tests). */
  clear(): void {
    this.recent.length = 0;
  }
}

function allFrozen(entries: readonly TimelineEntry[]): boolean {
  if (entries.length === 0) return false;
  for (const e of entries) if (!Object.isFrozen(e)) return false;
  return true;
}

function sameObjects(a: readonly TimelineEntry[], b: readonly TimelineEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The one memo shared by the analysis projection and the queries of the same process, so what
 * the projection computed for a firm serves the report asked for next.
 */
export const sharedAnalyses = new AnalysisMemo();
