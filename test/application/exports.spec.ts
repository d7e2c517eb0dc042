import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { parseCsvEvents, parseJsonLines } from '../../src/application/interchange/event-lines.js';
import { CompareQuery, ExportEventsQuery, ExportSequencesQuery } from '../../src/application/queries/export.queries.js';
import { GetReportQuery } from '../../src/application/queries/report.query.js';
import { parseCsv } from '../../src/reports/csv.js';
import { tempAppsClosedAfterEach, type TempApp } from '../support/temp-app.js';

const openApp = tempAppsClosedAfterEach();
async function loaded(text: string, parse = parseJsonLines): Promise<TempApp> {
  const t = await openApp();
  const { records, problems } = parse(text);
  expect(problems).toEqual([]);
  await t.commands.execute(new ImportEventsCommand(records, 'nordic'));
  return t;
}
const example = readFileSync('examples/nordic-seat-frames.jsonl', 'utf8');

describe('exports', () => {
  it('JSON Lines: export → import into an empty database → export is identical, and so are the reports', async () => {
    const a = await loaded(example);
    const first = await a.queries.execute(new ExportEventsQuery('jsonl', undefined, 'nordic'));
    expect(first.lines).toBe(124);
    const b = await loaded(first.body);
    expect((await b.queries.execute(new ExportEventsQuery('jsonl', undefined, 'nordic'))).body).toBe(first.body);
    const report = (t: TempApp) => t.queries.execute(new GetReportQuery('ravn', 'json')).then((r) => JSON.parse(r.body));
    const [ra, rb] = await Promise.all([report(a), report(b)]);
    // Same analysis; only the recorded times of the log differ between the two databases.
    expect({ ...rb, generatedAt: null }).toEqual({ ...ra, generatedAt: null });
  });

  it('CSV: export → import → export is identical', async () => {
    const a = await loaded(example);
    const first = await a.queries.execute(new ExportEventsQuery('csv', undefined, 'nordic'));
    const b = await loaded(first.body, parseCsvEvents);
    expect((await b.queries.execute(new ExportEventsQuery('csv', undefined, 'nordic'))).body).toBe(first.body);
  });

  it("STS: one row per firm, one column per period, each firm's labels in its own periods", async () => {
    const a = await loaded(example);
    const { body } = await a.queries.execute(new ExportSequencesQuery('nordic', { granularity: 'year' }));
    const [header, ...rows] = parseCsv(body);
    expect(header![0]).toBe('id');
    expect(header!.slice(1)).toEqual(Array.from({ length: header!.length - 1 }, (_, i) => String(1996 + i)));
    expect(rows.map((r) => r[0])).toEqual(['kestrel', 'ravn', 'tern']);
    const report = JSON.parse((await a.queries.execute(new GetReportQuery('ravn', 'json', undefined, { granularity: 'year' }))).body);
    const ravn = rows.find((r) => r[0] === 'ravn')!;
    for (const t of report.tracks as Array<{ period: string; label: string }>) expect(ravn[header!.indexOf(t.period)]).toBe(t.label);
  });

  it('compare: every firm with its pattern, a symmetric distance matrix with a zero diagonal', async () => {
    const a = await loaded(example);
    const r = JSON.parse((await a.queries.execute(new CompareQuery('json', 'nordic'))).body);
    const firms = ['kestrel', 'ravn', 'tern'];
    expect(r.firms.map((f: { firm: string }) => f.firm)).toEqual(firms);
    const ravnReport = JSON.parse((await a.queries.execute(new GetReportQuery('ravn', 'json'))).body);
    expect(r.firms.find((f: { firm: string }) => f.firm === 'ravn').pattern).toBe(ravnReport.pattern);
    const d = r.distances as number[][];
    for (let i = 0; i < 3; i++) {
      expect(d[i]![i]).toBe(0);
      for (let j = 0; j < 3; j++) expect(d[i]![j]).toBe(d[j]![i]);
    }
    expect(r.clusters.flatMap((c: { firms: string[] }) => c.firms).sort()).toEqual(firms);
  });
});
