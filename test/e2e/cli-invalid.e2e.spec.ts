/**
 * Invalid input on the command line: exit 2, stderr names the offending field, and the log is
 * untouched (the event count, read from the SQLite file, is the same before and after).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cli, countEvents, NEXT_YEAR, problemLine, tmpDb, type TmpDb } from './support.js';

let tmp: TmpDb;
beforeAll(async () => {
  tmp = tmpDb();
  expect((await cli(tmp.db, ['init'])).code).toBe(0);
  expect((await cli(tmp.db, ['firm', 'add', 'ravn', '--study', 's1', '--name', 'Ravn'])).code).toBe(0);
  const sold = await cli(tmp.db, [
    'log', 'ownership-change', '--firm', 'ravn', '--occurred', '2001-11', '--title', 'Founder sells to H1', '--new-owner', 'H1',
  ]);
  expect(sold.code).toBe(0);
});
afterAll(() => tmp?.cleanup());

const DECISION = ['log', 'strategy-decision', '--firm', 'ravn', '--title', 'Town hall'];

/** Each case: its args and how stderr must name the problem. */
const CASES: Array<[string, string[], RegExp]> = [
  ['orientation 3', [...DECISION, '--occurred', '2002', '--orientation', '3'], problemLine('orientation')],
  ['orientation 1.5', [...DECISION, '--occurred', '2002', '--orientation', '1.5'], problemLine('orientation')],
  ['orientation "abc"', [...DECISION, '--occurred', '2002', '--orientation', 'abc'], problemLine('orientation')],
  ['occurred 2004-13', [...DECISION, '--occurred', '2004-13'], /^\s+occurred: month 13 does not exist$/m],
  ['occurred 2004-Q5', [...DECISION, '--occurred', '2004-Q5'], problemLine('occurred')],
  ['occurred next year', [...DECISION, '--occurred', NEXT_YEAR], new RegExp(`^\\s+occurred: ${NEXT_YEAR} is in the future$`, 'm')],
  ['occurred 13 months ahead', [...DECISION, '--occurred', `${NEXT_YEAR}-12`], problemLine('occurred')],
  ['missing --title', ['log', 'strategy-decision', '--firm', 'ravn', '--occurred', '2002'], /required option '--title <text>' not specified/],
  ['title of 201 characters', ['log', 'strategy-decision', '--firm', 'ravn', '--occurred', '2002', '--title', 'x'.repeat(201)], problemLine('title')],
  ['description of 10,001 characters', [...DECISION, '--occurred', '2002', '--description', 'd'.repeat(10_001)], problemLine('description')],
  ['unknown kind', ['log', 'town-hall', '--firm', 'ravn', '--occurred', '2002', '--title', 'T'], problemLine('kind')],
  ['ownership-change without --new-owner', ['log', 'ownership-change', '--firm', 'ravn', '--occurred', '2003', '--title', 'Sold'], problemLine('newOwner')],
  ['--new-owner equal to the current owner',
    ['log', 'ownership-change', '--firm', 'ravn', '--occurred', '2003', '--title', 'Sold again', '--new-owner', 'H1'],
    /^\s+newOwner: "H1" already owns ravn$/m],
  ['planning-routine-change with a network-change value',
    ['log', 'planning-routine-change', '--firm', 'ravn', '--occurred', '2004', '--title', 'P', '--routine', 'horizon', '--change', 'outsourcing'],
    problemLine('change')],
  ['unknown firm', ['log', 'strategy-decision', '--firm', 'nope', '--occurred', '2002', '--title', 'T'], /^strata: firm "nope" does not exist$/m],
  ['bad --source kind', [...DECISION, '--occurred', '2002', '--source', 'podcast:EP-1'], problemLine('sources[0].kind')],
  ['bad --confidence (commander choices)', [...DECISION, '--occurred', '2002', '--confidence', 'huge'],
    /option '--confidence <level>' argument 'huge' is invalid\. Allowed choices are low, medium, high\./],
  ['bad --mode (commander choices)', [...DECISION, '--occurred', '2002', '--mode', 'weird'],
    /option '--mode <mode>' argument 'weird' is invalid\. Allowed choices are interactive, procedural, context\./],
  ['unknown option', [...DECISION, '--occurred', '2002', '--colour', 'red'], /unknown option '--colour'/],
  ['phase declare with to before from', ['phase', 'declare', '--firm', 'ravn', '--from', '2004', '--to', '2003', '--label', 'cost'], problemLine('to')],
];

describe('invalid input exits 2, names the field and appends nothing', () => {
  it.each(CASES)('%s', async (_name, args, stderr) => {
    const before = countEvents(tmp.db);
    const r = await cli(tmp.db, args);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(stderr);
    expect(countEvents(tmp.db)).toBe(before);
  });

  it('lists every problem of one command at once', async () => {
    const before = countEvents(tmp.db);
    const r = await cli(tmp.db, [...DECISION, '--occurred', '2004-Q5', '--orientation', '7', '--source', 'podcast:EP-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^strata: invalid input, nothing was appended:$/m);
    for (const field of ['occurred', 'orientation', 'sources[0].kind']) expect(r.stderr).toMatch(problemLine(field));
    expect(countEvents(tmp.db)).toBe(before);
  });

  it('states each problem once', async () => {
    const r = await cli(tmp.db, [...DECISION, '--occurred', '2002', '--orientation', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr.match(/^\s+orientation: /gm)).toHaveLength(1);
  });

  it('the log still takes valid input afterwards and the owner is unchanged', async () => {
    const before = countEvents(tmp.db);
    const r = await cli(tmp.db, ['log', 'ownership-change', '--firm', 'ravn', '--occurred', '2011', '--title', 'PE buys', '--new-owner', 'P3']);
    expect(r.code).toBe(0);
    expect(countEvents(tmp.db)).toBe(before + 1);
    const firms = JSON.parse((await cli(tmp.db, ['firm', 'list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(firms).toEqual([expect.objectContaining({ id: 'ravn', eventCount: 2, owner: 'P3' })]);
  });
});

describe('other usage errors', () => {
  it('an unknown command exits 2', async () => {
    const r = await cli(tmp.db, ['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('report with an unknown --format exits 2', async () => {
    const r = await cli(tmp.db, ['report', 'ravn', '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/argument 'pdf' is invalid\. Allowed choices are md, json, html\./);
  });

  it('import of a missing file exits 2 and names the file', async () => {
    const missing = tmp.file('missing.jsonl');
    const r = await cli(tmp.db, ['import', missing]);
    expect(r).toEqual({ code: 2, signal: null, stdout: '', stderr: `strata: cannot read ${missing}: ENOENT\n` });
  });

  it('serve with a bad --port exits 2', async () => {
    const r = await cli(tmp.db, ['serve', '--port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('strata: --port must be 0..65535 (got "70000")\n');
  });
});
