import { describe, expect, it } from '@jest/globals';
import { RecodeEventCommand } from '../../src/application/commands/corrections.commands.js';
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { GetReportQuery } from '../../src/application/queries/report.query.js';
import { GetTimelineQuery } from '../../src/application/queries/timeline.query.js';
import { tempAppsClosedAfterEach, type TempApp } from '../support/temp-app.js';

// Reports are reused while the read models are unchanged, and a large timeline's unchanged
// documents are not parsed again: neither may ever show a report the log no longer supports.

const app = tempAppsClosedAfterEach();

/** 600 events: above the size from which parsed timeline documents are kept. */
function records(firm: string) {
  return Array.from({ length: 600 }, (_, i) => ({
    line: i + 1,
    record: {
      firm,
      kind: i % 3 === 0 ? 'planning-routine-change' : 'strategy-decision',
      occurred: `${2000 + Math.floor(i / 60)}-${String((i % 12) + 1).padStart(2, '0')}`,
      title: `event ${i}`,
      orientation: i % 120 < 60 ? 2 : -2,
      ...(i % 3 === 0 ? { routine: 'weekly scheduling', change: 'introduced' } : {}),
      sources: [{ kind: 'interview', ref: `INT-${i % 7}` }],
    },
  }));
}

const report = async (t: TempApp, format = 'json') => (await t.queries.execute(new GetReportQuery('ravn', format))).body;

describe('report freshness', () => {
  it('a repeated report is the same; after a new event, a recode or a write by another process it is recomputed', async () => {
    const a = await app();
    await a.commands.execute(new ImportEventsCommand(records('ravn'), 's1'));
    const first = await report(a);
    expect(await report(a)).toBe(first);

    // A new event: the same as a fresh process computes it.
    await a.commands.execute(new LogEventCommand({ firm: 'ravn', kind: 'ownership-change', occurred: '2004-06', title: 'Sold', newOwner: 'Group' }));
    const afterLog = await report(a);
    expect(afterLog).not.toBe(first);
    const fresh = await app(a.dbPath);
    expect(await report(fresh)).toBe(afterLog);

    // A recode changes a document in place (same key, same sort key).
    const { entries } = await a.queries.execute(new GetTimelineQuery('ravn'));
    const target = entries.find((e) => e.title === 'event 1')!;
    await a.commands.execute(new RecodeEventCommand(target.id, { orientation: -1 }, 'second interview'));
    const afterRecode = await report(a);
    expect(afterRecode).not.toBe(afterLog);
    expect(JSON.parse(afterRecode)).toEqual(JSON.parse(await report(await app(a.dbPath))));

    // Another process on the same file logs an event; the first process's next report shows it.
    await fresh.commands.execute(new LogEventCommand({ firm: 'ravn', kind: 'strategy-decision', occurred: '2005-01', title: 'Back to customers', orientation: 2 }));
    await a.runner.catchUp();
    const afterOther = await report(a, 'html');
    expect(afterOther).toContain('Back to customers');
    expect(afterOther).toBe(await report(await app(a.dbPath), 'html'));
  });

  it('timeline documents handed out twice are the same values and cannot be modified', async () => {
    const a = await app();
    await a.commands.execute(new ImportEventsCommand(records('ravn'), 's1'));
    const one = await a.queries.execute(new GetTimelineQuery('ravn'));
    const two = await a.queries.execute(new GetTimelineQuery('ravn'));
    expect(two.entries).toEqual(one.entries);
    expect(() => {
      (two.entries[0] as { title: string }).title = 'changed';
    }).toThrow(TypeError);
    expect(one.entries[0]!.title).not.toBe('changed');
  });
});
