/**
 * The `strata` CLI as a user runs it: the real process against a temporary SQLite file.
 * Logging every kind, phases, idempotent ids, timeline order and as-of, projections.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { cli, countEvents, tmpDb, UUID, type TmpDb } from './support.js';

let tmp: TmpDb;
beforeAll(() => {
  tmp = tmpDb();
});
afterAll(() => tmp?.cleanup());

const run = (...args: string[]) => cli(tmp.db, args);

interface Entry {
  id: string;
  kind: string;
  occurred: string;
  precision: string;
  title: string;
  mode: string;
  orientation: number;
  confidence: string;
  sources: unknown[];
  tags: string[];
  recordedBy: string;
  [field: string]: unknown;
}
interface Timeline {
  firm: { id: string; name: string; study: string };
  asOf?: string;
  entries: Entry[];
  declaredPhases: Array<{ id: string; from: string; to: string; label: string }>;
}

async function timelineJson(firm: string, ...extra: string[]): Promise<Timeline> {
  const r = await run('timeline', firm, '--json', ...extra);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Timeline;
}

/** Logs and checks the acknowledgement: exit 0, only the new id on stdout, one more event. */
async function logOk(kind: string, ...flags: string[]): Promise<string> {
  const before = countEvents(tmp.db);
  const r = await run('log', kind, ...flags);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(new RegExp(`^logged ${kind} for `)) });
  const id = r.stdout.trim();
  expect(r.stdout).toBe(`${id}\n`);
  expect(id).toMatch(UUID);
  expect(countEvents(tmp.db)).toBe(before + 1);
  return id;
}

describe('strata --help', () => {
  it('exits 0 and lists every command', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: strata \[options\] \[command\]/);
    for (const command of ['init', 'study', 'firm', 'log', 'phase', 'import', 'timeline', 'report', 'serve', 'projections']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(r.stdout).toContain('Exit codes: 0 success, 2 invalid input, 1 other failure.');
  });

  it('log --help lists the common and the kind-specific flags and what each kind requires', async () => {
    const r = await run('log', '--help');
    expect(r.code).toBe(0);
    for (const flag of [
      '--firm <id>', '--occurred <date>', '--title <text>', '--description <text>', '--mode <mode>', '--orientation <n>',
      '--claims-responsiveness', '--source <kind:ref[:informant]>', '--confidence <level>', '--tag <tag>', '--id <uuid>',
      '--new-owner <name>', '--previous-owner <name>', '--dimension <d>', '--direction <d>', '--magnitude-pct <n>',
      '--routine <text>', '--change <c>', '--trend <t>', '--measure <text>',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toMatch(/^ {2}ownership-change\s+newOwner$/m);
    expect(r.stdout).toMatch(/^ {2}planning-routine-change\s+routine, change$/m);
    expect(r.stdout).toMatch(/^ {2}strategy-decision\s+-$/m);
  });
});

describe('init, firm add, log, phase declare', () => {
  it('init creates the database and appends nothing', async () => {
    const r = await run('init');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`database ready: ${tmp.db}\n`);
    expect(existsSync(tmp.db)).toBe(true);
    expect(countEvents(tmp.db)).toBe(0);
  });

  it('firm add registers the firm and creates its study', async () => {
    const r = await run('firm', 'add', 'ravn', '--study', 's1', '--name', 'Ravn');
    expect(r).toEqual({ code: 0, signal: null, stdout: '', stderr: 'registered firm ravn in study s1\n' });
    expect(countEvents(tmp.db)).toBe(2);
    const list = await run('firm', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: 'ravn', name: 'Ravn', study: 's1', eventCount: 0 })]);
    const studies = await run('study', 'list', '--json');
    expect(JSON.parse(studies.stdout)).toEqual([expect.objectContaining({ id: 's1', firms: 1 })]);
  });

  it('a second firm add of the same id fails and appends nothing', async () => {
    const r = await run('firm', 'add', 'ravn', '--study', 's1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('strata: firm "ravn" already exists\n');
    expect(countEvents(tmp.db)).toBe(2);
  });

  let townHall = '';
  it('log strategy-decision prints the new id and records the coding as given', async () => {
    townHall = await logOk(
      'strategy-decision', '--firm', 'ravn', '--occurred', '2002-01-20', '--title', 'Town hall: cost leader in our tier',
      '--orientation', '-2', '--source', 'interview:INT-03:CEO',
    );
    const t = await timelineJson('ravn');
    expect(t.entries).toEqual([
      expect.objectContaining({
        id: townHall, firm: 'ravn', kind: 'strategy-decision', occurred: '2002-01-20', precision: 'day',
        title: 'Town hall: cost leader in our tier', mode: 'interactive', orientation: -2, confidence: 'medium', tags: [],
        sources: [{ kind: 'interview', ref: 'INT-03', informant: 'CEO' }], recordedBy: 'e2e',
      }),
    ]);
  });

  const KINDS: Array<[string, string[], Record<string, unknown>]> = [
    ['ownership-change', ['--occurred', '2001-11', '--new-owner', 'H1', '--previous-owner', 'Founder', '--confidence', 'high'],
      { mode: 'context', newOwner: 'H1', previousOwner: 'Founder', confidence: 'high', orientation: 0 }],
    ['demand-shift', ['--occurred', '2003-Q2', '--dimension', 'mix', '--direction', 'up', '--magnitude-pct', '25'],
      { mode: 'context', dimension: 'mix', direction: 'up', magnitudePct: 25, precision: 'quarter' }],
    ['planning-routine-change', ['--occurred', '2004-09', '--routine', 'frozen planning horizon', '--change', 'introduced', '--orientation', '-2'],
      { mode: 'procedural', routine: 'frozen planning horizon', change: 'introduced', orientation: -2, precision: 'month' }],
    ['profitability-observation', ['--occurred', '2003', '--trend', 'irregular', '--tag', 'margin', '--tag', 'swing'],
      { mode: 'context', trend: 'irregular', tags: ['margin', 'swing'], precision: 'year' }],
    ['network-change', ['--occurred', '2008-09', '--change', 'co-design', '--orientation', '1', '--mode', 'context'],
      { mode: 'context', change: 'co-design', orientation: 1 }],
    ['customer-response-observation', ['--occurred', '2005-Q3', '--trend', 'declining', '--measure', 'on-time delivery of variants'],
      { mode: 'context', trend: 'declining', measure: 'on-time delivery of variants' }],
    ['strategy-decision', ['--occurred', '2005-02', '--claims-responsiveness', '--description', 'Brochure: 48-hour variant response',
      '--source', 'document:DOC-R9', '--source', 'observation:OBS-1:researcher'],
      { mode: 'interactive', claimsResponsiveness: true, description: 'Brochure: 48-hour variant response',
        sources: [{ kind: 'document', ref: 'DOC-R9' }, { kind: 'observation', ref: 'OBS-1', informant: 'researcher' }] }],
  ];

  const ids = new Map<string, string>();
  it.each(KINDS)('log %s with its required flags', async (kind, flags) => {
    ids.set(`${kind} e2e`, await logOk(kind, '--firm', 'ravn', '--title', `${kind} e2e`, ...flags));
  });

  it('the timeline holds each kind with its own fields, defaults and the recorder', async () => {
    const entries = (await timelineJson('ravn')).entries;
    for (const [kind, , expected] of KINDS) {
      const id = ids.get(`${kind} e2e`);
      expect(id).toMatch(UUID);
      expect(entries.find((e) => e.id === id)).toEqual(expect.objectContaining({ kind, title: `${kind} e2e`, recordedBy: 'e2e', ...expected }));
    }
  });

  it('phase declare prints the phase id and the timeline shows it', async () => {
    const before = countEvents(tmp.db);
    const r = await run('phase', 'declare', '--firm', 'ravn', '--from', '1996', '--to', '2001-11', '--label', 'customization');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(UUID);
    expect(r.stderr).toBe('declared phase customization (1996 to 2001-11) for ravn\n');
    expect(countEvents(tmp.db)).toBe(before + 1);
    const t = await timelineJson('ravn');
    expect(t.declaredPhases).toEqual([expect.objectContaining({ id: r.stdout.trim(), from: '1996', to: '2001-11', label: 'customization' })]);
  });

  it('logging the same --id twice appends it once and prints the same id', async () => {
    const id = '5b0c1f7e-6a51-4d7e-9a43-1d7d2b9c0a11';
    const flags = ['--firm', 'ravn', '--occurred', '2006', '--title', 'Sales plan keeps the promise', '--id', id];
    const first = await run('log', 'strategy-decision', ...flags);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${id}\n`);
    const count = countEvents(tmp.db);
    const second = await run('log', 'strategy-decision', ...flags);
    expect(second).toEqual({ code: 0, signal: null, stdout: `${id}\n`, stderr: `already logged (id ${id}); nothing appended\n` });
    expect(countEvents(tmp.db)).toBe(count);
    const list = JSON.parse((await run('firm', 'list', '--json')).stdout) as Array<{ eventCount: number }>;
    expect(list[0]!.eventCount).toBe(9);
  });
});

describe('timeline', () => {
  it('text lists the events in timeline order with their dates as logged', async () => {
    const r = await run('timeline', 'ravn');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Ravn (ravn, study s1): 9 event(s)');
    const rows = lines.filter((l) => /^\d{4}/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(rows).toEqual(['2001-11', '2002-01-20', '2003', '2003-Q2', '2004-09', '2005-02', '2005-Q3', '2006', '2008-09']);
    expect(r.stdout).toMatch(/^2002-01-20 +strategy-decision +interactive +-2 +Town hall: cost leader in our tier$/m);
    expect(r.stdout).toMatch(/^2008-09 +network-change +context +\+1 +network-change e2e$/m);
    expect(r.stdout).toContain('declared phases:\n  1996 .. 2001-11  customization');
  });

  it('--json parses and holds the same order', async () => {
    const t = await timelineJson('ravn');
    expect(t.firm).toEqual(expect.objectContaining({ id: 'ravn', name: 'Ravn', study: 's1' }));
    expect(t.entries.map((e) => e.occurred)).toEqual(['2001-11', '2002-01-20', '2003', '2003-Q2', '2004-09', '2005-02', '2005-Q3', '2006', '2008-09']);
  });

  it('--as-of 2003 keeps only what had begun by the end of 2003', async () => {
    const t = await timelineJson('ravn', '--as-of', '2003');
    expect(t.asOf).toBe('2003');
    expect(t.entries.map((e) => e.occurred)).toEqual(['2001-11', '2002-01-20', '2003', '2003-Q2']);
    const text = await run('timeline', 'ravn', '--as-of', '2003');
    expect(text.stdout.split('\n')[0]).toBe('Ravn (ravn, study s1) as of 2003: 4 event(s)');
  });

  it('orders imprecise dates by interval start, coarser first, then recording order', async () => {
    // Recorded (file order = recording order) deliberately out of timeline order.
    const file = tmp.file('order.jsonl');
    writeFileSync(file, [
      ['2004-03-15', 'day'], ['2004-03', 'month A'], ['2005', 'next year'], ['2004', 'year'], ['2004-03', 'month B'],
      ['2004-Q1', 'quarter'], ['2003-12-31', 'eve'], ['2004-03', 'month C'],
    ].map(([occurred, title]) => JSON.stringify({ firm: 'order', kind: 'strategy-decision', occurred, title })).join('\n'));
    const imported = await run('import', file, '--study', 's1');
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/8 line\(s\), 9 event\(s\) appended, 0 already present; new firm\(s\): order\n$/);
    // A later, separate process records one more event with the same date: it goes last among them.
    await logOk('strategy-decision', '--firm', 'order', '--occurred', '2004-03', '--title', 'month D');
    const expected = ['eve', 'year', 'quarter', 'month A', 'month B', 'month C', 'month D', 'day', 'next year'];
    const t = await timelineJson('order');
    expect(t.entries.map((e) => e.title)).toEqual(expected);
    const text = await run('timeline', 'order');
    // Columns: occurred (10), kind (29), mode (11), orientation (2), then the title.
    const titles = text.stdout.split('\n').filter((l) => /^\d{4}/.test(l)).map((l) => l.slice(10 + 1 + 29 + 1 + 11 + 1 + 2 + 2));
    expect(titles).toEqual(expected);
    const asOf = await timelineJson('order', '--as-of', '2004-02');
    expect(asOf.entries.map((e) => e.title)).toEqual(['eve', 'year', 'quarter']);
  });

  it('an unknown firm exits 2 and names it', async () => {
    const r = await run('timeline', 'nope');
    expect(r).toEqual({ code: 2, signal: null, stdout: '', stderr: 'strata: firm "nope" does not exist\n' });
  });

  it('an invalid --as-of exits 2 and names asOf', async () => {
    const r = await run('timeline', 'ravn', '--as-of', '2004-13');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\s+asOf: month 13 does not exist$/m);
  });
});

describe('projections', () => {
  it('status lists each projection caught up with the log', async () => {
    const head = countEvents(tmp.db);
    const r = await run('projections', 'status', '--json');
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as Array<{ name: string; position: number; head: number; lag: number }>;
    expect(status.map((s) => s.name).sort()).toEqual(['analysis', 'catalog', 'timeline']);
    for (const s of status) expect(s).toEqual(expect.objectContaining({ position: head, head, lag: 0 }));
    const text = await run('projections', 'status');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^projection +version +position +head +lag$/m);
    expect(text.stdout).toMatch(/^timeline +\d+ +\d+ +\d+ +0$/m);
  });

  it('rebuild exits 0, appends nothing and leaves the timeline as it was', async () => {
    const count = countEvents(tmp.db);
    const before = await timelineJson('ravn');
    const r = await run('projections', 'rebuild');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rebuilt (catalog|timeline|analysis), (catalog|timeline|analysis), (catalog|timeline|analysis)\n$/);
    expect(countEvents(tmp.db)).toBe(count);
    expect(await timelineJson('ravn')).toEqual(before);
  });
});
