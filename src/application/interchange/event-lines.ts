import type { FieldProblem } from '../../domain/errors.js';
import type { ImportRecord, LineProblem } from '../commands/import-events.command.js';
import { parseCsv } from '../../reports/csv.js';

/** FORMAT.md columns in the order an export writes them. */
export const CSV_COLUMNS = [
  'id', 'firm', 'kind', 'occurred', 'title', 'description', 'mode', 'orientation', 'claimsResponsiveness',
  'sources', 'confidence', 'tags', 'newOwner', 'previousOwner', 'dimension', 'direction', 'magnitudePct',
  'routine', 'change', 'trend', 'measure', 'coder', 'from', 'to', 'label',
] as const;

const NUMERIC = new Set(['orientation', 'magnitudePct']);

export interface ParsedLines {
  readonly records: ImportRecord[];
  readonly problems: LineProblem[];
}

/** One JSON object per line; blank lines are skipped but still counted, so numbers match an editor. */
export function parseJsonLines(text: string): ParsedLines {
  const records: ImportRecord[] = [];
  const problems: LineProblem[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    try {
      const record = JSON.parse(raw) as unknown;
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        problems.push({ line, field: '(line)', message: 'must be a JSON object' });
      } else records.push({ line, record });
    } catch (err) {
      problems.push({ line, field: '(line)', message: `is not valid JSON: ${(err as Error).message}` });
    }
  });
  return { records, problems };
}

function sourcesFromCell(cell: string, problems: FieldProblem[]): unknown[] {
  return cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item, i) => {
      const [kind, ref, ...informant] = item.split(':');
      if (!ref) problems.push({ field: `sources[${i}]`, message: `"${item}" must be kind:ref or kind:ref:informant` });
      return { kind, ref, ...(informant.length ? { informant: informant.join(':') } : {}) };
    });
}

/**
 * CSV with FORMAT.md field names as the header. Empty cells are absent fields; `sources` are
 * `kind:ref:informant` items and `tags` items, both separated by `;`. Row numbers count the
 * header as row 1, as a spreadsheet shows them.
 */
export function parseCsvEvents(text: string): ParsedLines {
  const rows = parseCsv(text);
  const records: ImportRecord[] = [];
  const problems: LineProblem[] = [];
  const [header, ...body] = rows;
  if (!header) return { records, problems: [{ line: 1, field: '(header)', message: 'the file is empty' }] };
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) {
    problems.push({ line: 1, field: '(header)', message: `unknown column(s) ${unknown.join(', ')}; known: ${CSV_COLUMNS.join(', ')}` });
    return { records, problems };
  }
  body.forEach((cells, i) => {
    const line = i + 2;
    const record: Record<string, unknown> = {};
    const rowProblems: FieldProblem[] = [];
    header.forEach((column, c) => {
      const cell = (cells[c] ?? '').trim();
      if (cell === '') return;
      if (column === 'sources') record.sources = sourcesFromCell(cell, rowProblems);
      else if (column === 'tags') record.tags = cell.split(';').map((t) => t.trim()).filter(Boolean);
      else if (column === 'claimsResponsiveness') {
        if (!['true', 'false'].includes(cell.toLowerCase())) rowProblems.push({ field: column, message: 'must be true or false' });
        record[column] = cell.toLowerCase() === 'true';
      } else if (NUMERIC.has(column)) {
        const n = Number(cell);
        if (Number.isNaN(n)) rowProblems.push({ field: column, message: `must be a number (got "${cell}")` });
        record[column] = Number.isNaN(n) ? cell : n;
      } else record[column] = cell;
    });
    if (rowProblems.length) problems.push(...rowProblems.map((p) => ({ ...p, line })));
    else records.push({ line, record });
  });
  return { records, problems };
}

export function parseEventFile(name: string, text: string): ParsedLines {
  return /\.csv$/i.test(name) ? parseCsvEvents(text) : parseJsonLines(text);
}
