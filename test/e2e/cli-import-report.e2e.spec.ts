/**
 * `strata import` (FORMAT.md JSON Lines and CSV, all or nothing, idempotent by id) and
 * `strata report` (the FORMAT.md JSON contract, Markdown, self-contained HTML and SVG).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, countEvents, eventIds, EXAMPLES, NEXT_YEAR, tmpDb, type TmpDb } from './support.js';

let tmp: TmpDb;
beforeAll(async () => {
  tmp = tmpDb();
  expect((await cli(tmp.db, ['init'])).code).toBe(0);
});
afterAll(() => tmp?.cleanup());

const NORDIC = join(EXAMPLES, 'nordic-seat-frames.jsonl');
const SMALL = join(EXAMPLES, 'small-firm.csv');
const run = (...args: string[]) => cli(tmp.db, args);

describe('import', () => {
  it('imports the example study: every line, plus its study and three firms', async () => {
    const r = await run('import', NORDIC, '--study', 'nordic-seat-frames');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `imported ${NORDIC}: 124 line(s), 128 event(s) appended, 0 already present; new firm(s): ravn, kestrel, tern; new study: nordic-seat-frames\n`,
    );
    expect(countEvents(tmp.db)).toBe(128);
    const lines = readFileSync(NORDIC, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { id: string });
    expect(eventIds(tmp.db)).toEqual(expect.arrayContaining(lines.map((l) => l.id)));
    const firms = JSON.parse((await run('firm', 'list', '--study', 'nordic-seat-frames', '--json')).stdout) as Array<{ id: string; eventCount: number }>;
    expect(firms.map((f) => f.id).sort()).toEqual(['kestrel', 'ravn', 'tern']);
    expect(firms.reduce((n, f) => n + f.eventCount, 0)).toBe(114);
  });

  it('importing the same file again appends nothing', async () => {
    const r = await run('import', NORDIC, '--study', 'nordic-seat-frames');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`imported ${NORDIC}: 124 line(s), 0 event(s) appended, 124 already present\n`);
    expect(countEvents(tmp.db)).toBe(128);
  });

  it('imports the CSV example into the default study', async () => {
    const r = await run('import', SMALL);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`imported ${SMALL}: 10 line(s), 12 event(s) appended, 0 already present; new firm(s): wren; new study: default\n`);
    expect(countEvents(tmp.db)).toBe(140);
    const t = JSON.parse((await run('timeline', 'wren', '--json')).stdout) as { entries: Array<Record<string, unknown>> };
    expect(t.entries).toHaveLength(10);
    expect(t.entries[0]).toEqual(expect.objectContaining({
      id: '1a233983-3345-41de-8655-2e6982e92c1d', kind: 'strategy-decision', occurred: '2003', orientation: 2,
      sources: [{ kind: 'interview', ref: 'INT-40', informant: 'owner' }], tags: ['founder'],
    }));
    expect(t.entries.find((e) => e.kind === 'demand-shift' && e.occurred === '2005')).toEqual(
      expect.objectContaining({ dimension: 'volume', direction: 'up', magnitudePct: 30, mode: 'context', confidence: 'high' }),
    );
    expect((await run('import', SMALL)).stderr).toMatch(/10 line\(s\), 0 event\(s\) appended, 10 already present/);
    expect(countEvents(tmp.db)).toBe(140);
  });

  it('rejects a file with several bad lines: every problem by line and field, nothing appended', async () => {
    const file = tmp.file('bad.jsonl');
    writeFileSync(file, [
      JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010', title: 'A valid line' }),
      JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010', title: 'Bad orientation', orientation: 7 }),
      'this line is not JSON',
      JSON.stringify({ firm: 'kite', occurred: '2010', title: 'No kind' }),
      '',
    ].join('\n'));
    const before = countEvents(tmp.db);
    const r = await run('import', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^strata: import rejected, nothing was appended \(3 problem\(s\)\):$/m);
    expect(r.stderr).toMatch(/^ {2}line 2: orientation: /m);
    expect(r.stderr).toMatch(/^ {2}line 3: \(line\): is not valid JSON/m);
    expect(r.stderr).toMatch(/^ {2}line 4: kind: /m);
    expect(r.stderr).not.toMatch(/line 1:/);
    expect(countEvents(tmp.db)).toBe(before);
    expect((await run('timeline', 'kite')).code).toBe(2);
  });

  it('lists shape problems of several lines together (all lines parse)', async () => {
    const file = tmp.file('bad-shapes.jsonl');
    writeFileSync(file, [
      JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010', title: 'A valid line' }),
      JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010-Q5', title: 'Bad date' }),
      JSON.stringify({ firm: 'kite', kind: 'ownership-change', occurred: '2010', title: 'No owner' }),
      JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010', title: 'Bad source', sources: [{ kind: 'podcast', ref: 'EP-1' }] }),
    ].join('\n'));
    const before = countEvents(tmp.db);
    const r = await run('import', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ {2}line 2: occurred: /m);
    expect(r.stderr).toMatch(/^ {2}line 3: newOwner: /m);
    expect(r.stderr).toMatch(/^ {2}line 4: sources\[0\]\.kind: /m);
    expect(countEvents(tmp.db)).toBe(before);
  });

  it('rejects the whole file when a line fails only the domain rules (a future date)', async () => {
    const file = tmp.file('future.jsonl');
    writeFileSync(file, [
      JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: '2010', title: 'A valid line' }),
      JSON.stringify({ firm: 'kite', kind: 'strategy-decision', occurred: `${NEXT_YEAR}-06`, title: 'From the future' }),
    ].join('\n'));
    const before = countEvents(tmp.db);
    const r = await run('import', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^ {2}line 2: occurred: ${NEXT_YEAR}-06 is in the future$`, 'm'));
    expect(countEvents(tmp.db)).toBe(before);
    expect((await run('timeline', 'kite')).code).toBe(2);
  });

  it('rejects a CSV row by its spreadsheet row number', async () => {
    const file = tmp.file('bad.csv');
    writeFileSync(file, 'firm,kind,occurred,title,orientation\nkite,strategy-decision,2010,Fine,1\nkite,strategy-decision,2010,Bad,x\n');
    const before = countEvents(tmp.db);
    const r = await run('import', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ {2}line 3: orientation: must be a number \(got "x"\)$/m);
    expect(countEvents(tmp.db)).toBe(before);
  });
});

interface Report {
  firm: string;
  asOf?: string | null;
  method: { name: string; parameters: Record<string, unknown> };
  tracks: Array<{ period: string; declared: number; enacted: number; ambiguity: number }>;
  phases: Array<{ from: string; to: string; label: string; declared: number; enacted: number; ambiguity: number; dominantMode: string; boundaryEvents: string[] }>;
  pattern: string;
  checks: Array<{ id: string; holds: boolean; evidence: string[] }>;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const inRange = (x: number, lo: number, hi: number) => typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;

describe('report', () => {
  let ravnIds: Set<string>;
  beforeAll(async () => {
    const t = JSON.parse((await run('timeline', 'ravn', '--json')).stdout) as { entries: Array<{ id: string }> };
    ravnIds = new Set(t.entries.map((e) => e.id));
  });

  it('--format json has the FORMAT.md fields with values in range', async () => {
    const r = await run('report', 'ravn', '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.firm).toBe('ravn');
    expect(report.method.name).toMatch(/\S/);
    expect(typeof report.method.parameters).toBe('object');
    expect(Object.keys(report.method.parameters).length).toBeGreaterThan(0);

    expect(report.tracks.length).toBeGreaterThan(12);
    report.tracks.forEach((t, i) => {
      expect(t.period).toMatch(PERIOD);
      if (i > 0) expect(t.period > report.tracks[i - 1]!.period).toBe(true);
      expect([t.declared, t.enacted].every((x) => inRange(x, -1, 1))).toBe(true);
      expect(inRange(t.ambiguity, 0, 1)).toBe(true);
    });

    expect(report.phases.length).toBeGreaterThan(1);
    report.phases.forEach((p, i) => {
      expect(p.from).toMatch(PERIOD);
      expect(p.to).toMatch(PERIOD);
      expect(p.from <= p.to).toBe(true);
      if (i > 0) expect(p.from > report.phases[i - 1]!.to).toBe(true);
      expect(p.label).toMatch(/^(customization|cost|mixed|decoupled|ambiguity)\b/);
      expect([p.declared, p.enacted].every((x) => inRange(x, -1, 1))).toBe(true);
      expect(inRange(p.ambiguity, 0, 1)).toBe(true);
      expect(['interactive', 'procedural', 'context']).toContain(p.dominantMode);
      for (const id of p.boundaryEvents) expect(ravnIds.has(id)).toBe(true);
    });
    expect(report.pattern.split(' > ')).toHaveLength(report.phases.length);

    expect(report.checks.length).toBeGreaterThan(0);
    for (const c of report.checks) {
      expect(c.id).toMatch(/\S/);
      expect(typeof c.holds).toBe('boolean');
      for (const id of c.evidence) expect(ravnIds.has(id)).toBe(true);
    }
    // examples/README.md: for ravn "the fallacy check should hold".
    expect(report.checks.find((c) => c.id === 'responsiveness-fallacy')).toEqual(expect.objectContaining({ holds: true }));
  });

  it('--as-of limits the report to what had happened by then', async () => {
    const r = await run('report', 'ravn', '--format', 'json', '--as-of', '2003');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.asOf).toBe('2003');
    expect(report.tracks.every((t) => t.period <= '2003-12')).toBe(true);
  });

  it('--format md starts with a heading', async () => {
    const r = await run('report', 'ravn', '--format', 'md');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# \S.*ravn/);
    expect((await run('report', 'ravn')).stdout.startsWith('# ')).toBe(true);
  });

  it('--format html --out --figure writes a self-contained HTML file with an inline SVG, and an SVG file', async () => {
    const html = tmp.file('ravn.html');
    const svg = tmp.file('ravn-figure.svg');
    const r = await run('report', 'ravn', '--format', 'html', '--out', html, '--figure', svg);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote html report for ravn to ${html}\nwrote figure to ${svg}\n`);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('<svg');
    expect(page).toMatch(/<\/html>\s*$/);
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(page).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(page).not.toMatch(/@import/i);
    expect(page).not.toMatch(/<script[^>]+src=/i);
    const figure = readFileSync(svg, 'utf8');
    expect(figure).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(figure).toMatch(/<\/svg>\s*$/);
    expect(figure).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  });
});
