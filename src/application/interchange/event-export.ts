import type { DeclaredPhase, TimelineEntry } from '../../domain/timeline.js';
import { toCsv } from '../../reports/csv.js';
import { dataOf } from '../../projections/timeline-entry.js';
import { CSV_COLUMNS } from './event-lines.js';

/**
 * The current coding of events as FORMAT.md lines (recodes applied, retracted events left
 * out), re-importable with `strata import`. The full history is the archive's job
 * (`strata export`); this is the researcher's working file.
 */
export function eventLine(entry: TimelineEntry): Record<string, unknown> {
  return { id: entry.id, ...dataOf(entry) };
}

export function phaseLine(p: DeclaredPhase): Record<string, unknown> {
  return { id: p.id, firm: p.firm, kind: 'phase-declared', from: p.from, to: p.to, label: p.label, ...(p.description ? { description: p.description } : {}) };
}

export function toJsonLines(records: readonly Record<string, unknown>[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** CSV with FORMAT.md's columns; sources as `kind:ref:informant` items and tags joined by `;` (quotes do not fit and are left out). */
export function toEventCsv(records: readonly Record<string, unknown>[]): string {
  const cell = (column: string, value: unknown): string => {
    if (value === undefined || value === null) return '';
    if (column === 'sources') {
      return (value as Array<{ kind: string; ref: string; informant?: string }>)
        .map((s) => [s.kind, s.ref, ...(s.informant ? [s.informant] : [])].join(':'))
        .join(';');
    }
    if (column === 'tags') return (value as string[]).join(';');
    return String(value);
  };
  return toCsv([[...CSV_COLUMNS], ...records.map((r) => CSV_COLUMNS.map((c) => cell(c, r[c])))]);
}
