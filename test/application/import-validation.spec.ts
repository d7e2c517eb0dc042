/**
 * An import checks each field-event line once, with the decider's rules (normalizeFieldEvent),
 * and runs the class-validator DTO only for lines those rules reject or that
 * rejectedOnlyByDto() flags. These tests hold it to what the import reported when every line
 * went through the DTO first: the DTO's problems for every line it rejects (and only those,
 * when there are any), else the rules' problems; every problem named by line and field; nothing
 * appended.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { ImportEventsCommand, ImportRejectedError, type ImportProgress, type ImportRecord, type LineProblem } from '../../src/application/commands/import-events.command.js';
import { DeclarePhaseDto } from '../../src/application/dto/catalog.dto.js';
import { EventInputDto, rejectedOnlyByDto } from '../../src/application/dto/event-input.dto.js';
import { validateInput } from '../../src/application/dto/validate-input.js';
import { CountEventsQuery } from '../../src/application/queries/catalog.queries.js';
import { GetTimelineQuery } from '../../src/application/queries/timeline.query.js';
import { GetTracksQuery } from '../../src/application/queries/tracks.query.js';
import { normalizeFieldEvent, slugProblem } from '../../src/domain/field-event-rules.js';
import { tempApp, type TempApp } from '../support/temp-app.js';

const BASES: Array<Record<string, unknown>> = [
  { kind: 'strategy-decision', occurred: '2002-01-20', title: 'Town hall', mode: 'interactive', orientation: -2, sources: [{ kind: 'interview', ref: 'INT-03', informant: 'CEO' }], confidence: 'high', tags: ['a'], coder: 'ann', description: 'd', claimsResponsiveness: true },
  { kind: 'ownership-change', occurred: '2001-11', title: 'Founder sells', newOwner: 'Holding group', previousOwner: 'Founder' },
  { kind: 'demand-shift', occurred: '2005', title: 'Volume up', dimension: 'volume', direction: 'up', magnitudePct: 30 },
  { kind: 'planning-routine-change', occurred: '2002-Q1', title: 'Forecast planning', routine: 'MPS', change: 'resisted' },
  { kind: 'profitability-observation', occurred: '2003', title: 'Margins fall', trend: 'declining' },
  { kind: 'network-change', occurred: '2004-06', title: 'Outsourcing', change: 'outsourcing' },
  { kind: 'customer-response-observation', occurred: '2006', title: 'Delivery', trend: 'improving', measure: 'on-time delivery' },
];

const FIELDS = [
  'id', 'firm', 'kind', 'occurred', 'title', 'description', 'mode', 'orientation', 'claimsResponsiveness', 'sources', 'confidence', 'tags', 'coder',
  'newOwner', 'previousOwner', 'dimension', 'direction', 'magnitudePct', 'routine', 'change', 'trend', 'measure', 'from', 'label', 'unknownField',
];

const long = (n: number) => 'x'.repeat(n);
const VALUES: unknown[] = [
  undefined, null, '', ' ', 'x', 'interactive', 'medium', 'volume', 'up', 'introduced', 'improving', 'outsourcing', 'Founder',
  long(65), long(201), long(10_001), 'a\nb', 0, 1, 1.5, -3, 3, Number.NaN, true, 'true', [], {}, ['x'], [''], [long(65)], [1],
  [{}], [null], ['s'], [{ kind: 'interview', ref: '' }], [{ kind: 'podcast', ref: 'a' }], [{ kind: 'interview', ref: 'a', informant: '' }],
  [{ kind: 'interview', ref: 'a', extra: 1 }], [{ kind: 'interview', ref: 'a', informant: 'a\nb' }], [{ kind: 'interview', ref: ' ' }],
  Array.from({ length: 51 }, () => ({ kind: 'other', ref: 'r' })), Array.from({ length: 51 }, () => 't'),
  'not-a-uuid', 'UUID', '2099', '2010-13', '2010-Q5', '1700', '2010-02-30', 'strategy-decision', 'phase-declared', 'Ravn', '-ravn', long(64).toLowerCase(),
];

/** Every base record with one field set to (or, for undefined, removed in favour of) each value: about 9,000 lines. */
function corpus(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let n = 0;
  for (const base of BASES) {
    out.push({ ...base, firm: `f${n++}` });
    for (const field of FIELDS) {
      for (const raw of VALUES) {
        const value = raw === 'UUID' ? randomUUID() : raw;
        const record: Record<string, unknown> = { ...base, firm: `f${n++}` };
        if (value === undefined) delete record[field];
        else record[field] = value;
        out.push(record);
      }
    }
  }
  return out;
}

const dtoProblems = (r: unknown) => validateInput(EventInputDto, r).problems;

/** What the import's DTO pass reported for a line (a phase line has its own DTO). */
function inputProblems(r: Record<string, unknown>) {
  if (r.kind !== 'phase-declared') return dtoProblems(r);
  const { value, problems } = validateInput(DeclarePhaseDto, r);
  if (!value) return problems;
  return value.firm ? [] : [{ field: 'firm', message: 'is required' }];
}

describe('the rules cover the DTO', () => {
  it('a line the rules accept and rejectedOnlyByDto() lets through passes the DTO too', () => {
    const today = new Date();
    const escaped = corpus().filter(
      (r) => !rejectedOnlyByDto(r) && slugProblem(r.firm) === undefined && normalizeFieldEvent(r, today).problems.length === 0 && dtoProblems(r).length > 0,
    );
    expect(escaped.map((r) => ({ record: r, problems: dtoProblems(r) }))).toEqual([]);
  });

  it('rejectedOnlyByDto() flags exactly the inputs the DTO rejects and the rules accept', () => {
    const base = { firm: 'ravn', kind: 'strategy-decision', occurred: '2002', title: 't' };
    const v9 = randomUUID().replace(/^(.{14})./, '$19');
    for (const extra of [{ id: 'not-a-uuid' }, { id: 7 }, { id: v9 }, { id: `${randomUUID()} ` }, { mode: '' }, { confidence: '' }, { coder: '' }]) {
      const r = { ...base, ...extra };
      expect(rejectedOnlyByDto(r)).toBe(true);
      expect(dtoProblems(r).length).toBeGreaterThan(0);
      expect(normalizeFieldEvent(r, new Date()).problems).toEqual([]);
    }
    const nil = '00000000-0000-0000-0000-000000000000';
    for (const extra of [{}, { id: randomUUID() }, { id: randomUUID().toUpperCase() }, { id: nil }, { id: null }, { mode: 'context' }, { coder: 'bo' }]) {
      expect(rejectedOnlyByDto({ ...base, ...extra })).toBe(false);
      expect(dtoProblems({ ...base, ...extra })).toEqual([]);
    }
  });
});

describe('ImportEventsCommand: validation', () => {
  let t: TempApp;
  beforeAll(async () => {
    t = await tempApp();
  });
  afterAll(() => t?.close());

  const count = () => t.queries.execute(new CountEventsQuery());
  const numbered = (records: unknown[]): ImportRecord[] => records.map((record, i) => ({ line: i + 1, record }));
  const rejection = async (records: unknown[], study = 'imports') => {
    const err = await t.commands.execute(new ImportEventsCommand(numbered(records), study)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImportRejectedError);
    return (err as ImportRejectedError).lineProblems.map((p) => ({ line: p.line, field: p.field, message: p.message }));
  };
  const valid = (firm: string, extra: Record<string, unknown> = {}) => ({ firm, kind: 'strategy-decision', occurred: '2002', title: 'A valid line', ...extra });

  it('a file with lines the DTO rejects: exactly the DTO problems of every such line, by line, and nothing appended', async () => {
    const lines = corpus();
    const expected: LineProblem[] = lines.flatMap((r, i) => inputProblems(r).map((p) => ({ line: i + 1, ...p })));
    expect(expected.length).toBeGreaterThan(1000);
    const before = await count();
    expect(await rejection(lines)).toEqual(expected);
    expect(await count()).toBe(before);
  });

  it('a file whose lines all pass the DTO: exactly the rule problems of every line that breaks a rule, and nothing appended', async () => {
    const today = new Date();
    // A firm id longer than the rules allow passes the DTO's pattern; it is reported by line too (below).
    const lines = corpus().filter((r) => inputProblems(r).length === 0 && slugProblem(r.firm) === undefined);
    const expected: LineProblem[] = lines.flatMap((r, i) => normalizeFieldEvent(r, today).problems.map((p) => ({ line: i + 1, ...p })));
    expect(expected.length).toBeGreaterThan(20);
    const before = await count();
    expect(await rejection(lines)).toEqual(expected);
    expect(await count()).toBe(before);
  });

  it('lines only the DTO rejects (empty mode, confidence or coder; an id that is not a UUID) get its messages', async () => {
    const before = await count();
    const problems = await rejection([
      valid('kite'),
      valid('kite', { mode: '' }),
      valid('kite', { confidence: '' }),
      valid('kite', { coder: '' }),
      valid('kite', { id: 'line-5' }),
      valid('kite', { title: 'two\nlines' }), // a rule problem only: hidden while the DTO has some, as before
    ]);
    expect(problems).toEqual([
      { line: 2, field: 'mode', message: 'must be one of interactive, procedural, context' },
      { line: 3, field: 'confidence', message: 'must be one of low, medium, high' },
      { line: 4, field: 'coder', message: 'should not be empty' },
      { line: 5, field: 'id', message: 'must be a UUID' },
    ]);
    expect(await count()).toBe(before);
    await expect(t.queries.execute(new GetTimelineQuery('kite'))).rejects.toThrow();
  });

  it('a firm id longer than 64 characters is a problem of its line', async () => {
    const before = await count();
    expect(await rejection([valid('kite'), valid('k'.repeat(65))])).toEqual([
      { line: 2, field: 'firm', message: 'must be at most 64 characters' },
    ]);
    expect(await count()).toBe(before);
  });

  it('a rule broken only against the firm state (the owner already owns it) is named by line', async () => {
    const before = await count();
    const owner = { firm: 'gull', kind: 'ownership-change', occurred: '2001', title: 'Sold', newOwner: 'Holding' };
    expect(await rejection([owner, { ...owner, occurred: '2003' }])).toEqual([
      { line: 2, field: 'newOwner', message: '"Holding" already owns gull' },
    ]);
    expect(await count()).toBe(before);
  });

  it('a rejected import leaves no trace in the state single commands decide on: a command with one of its ids is logged', async () => {
    const id = randomUUID();
    const owner = { firm: 'heron', kind: 'ownership-change', occurred: '2001', title: 'Sold', newOwner: 'Holding' };
    await t.commands.execute(new ImportEventsCommand(numbered([valid('heron')]), 'herons'));
    // A single command first, so the firm's state is cached for the next one.
    expect((await t.commands.execute(new LogEventCommand(valid('heron', { title: 'Cached' })))).appended).toBe(true);
    // Decided line by line, then rejected for its third line: nothing is appended ...
    const before = await count();
    expect(await rejection([valid('heron', { id }), owner, { ...owner, occurred: '2003' }], 'herons')).toEqual([
      { line: 3, field: 'newOwner', message: '"Holding" already owns heron' },
    ]);
    expect(await count()).toBe(before);
    // ... and nothing the import decided is taken as logged: not its id, not its ownership.
    const logged = await t.commands.execute(new LogEventCommand(valid('heron', { id })));
    expect([logged.id, logged.appended]).toEqual([id, true]);
    expect((await t.commands.execute(new LogEventCommand(owner))).appended).toBe(true);
  });

  it('re-importing appends nothing; a changed line whose id is present is still checked like before', async () => {
    const id = randomUUID();
    const first = await t.commands.execute(new ImportEventsCommand(numbered([valid('tern', { id }), valid('tern')]), 'terns'));
    // The study, the firm and the two events.
    expect([first.appended, first.alreadyPresent, first.firmsCreated, first.studiesCreated]).toEqual([4, 0, ['tern'], ['terns']]);
    const after = await count();
    const again = await t.commands.execute(new ImportEventsCommand(numbered([valid('tern', { id })]), 'terns'));
    expect([again.appended, again.alreadyPresent]).toEqual([0, 1]);
    // Same id, now with a field the DTO rejects: rejected by line and field, as when the DTO ran first.
    expect(await rejection([valid('tern', { id, orientation: 9 })], 'terns')).toEqual([
      { line: 1, field: 'orientation', message: 'must be an integer from -2 to +2' },
    ]);
    // Same id, breaking only a rule (a title on two lines): the id is present, so the line is skipped, as before.
    const skipped = await t.commands.execute(new ImportEventsCommand(numbered([valid('tern', { id, title: 'two\nlines' })]), 'terns'));
    expect([skipped.appended, skipped.alreadyPresent]).toEqual([0, 1]);
    expect(await count()).toBe(after);
  });

  it('the imported events are in the timeline when the command returns, and in the tracks; progress is reported', async () => {
    const progress: ImportProgress[] = [];
    const lines = Array.from({ length: 30 }, (_, i) => valid('wren', { occurred: `${2000 + (i % 10)}`, title: `e${i}`, orientation: (i % 5) - 2 }));
    const r = await t.commands.execute(new ImportEventsCommand(numbered(lines), 'terns', (p) => progress.push(p)));
    expect([r.lines, r.appended]).toEqual([30, 31]);
    const timeline = await t.queries.execute(new GetTimelineQuery('wren'));
    expect(timeline.entries.map((e) => e.title).sort()).toEqual(lines.map((l) => l.title).sort());
    // The analysis is settled after the command returned, before the tracks are read: the same
    // tracks as computed from the timeline on the spot.
    const tracks = await t.queries.execute(new GetTracksQuery('wren'));
    const computed = await t.queries.execute(new GetTracksQuery('wren', undefined, new Date(Date.now() + 1000).toISOString()));
    expect(tracks.tracks.length).toBeGreaterThan(0);
    expect([tracks.pattern, tracks.tracks, tracks.phases]).toEqual([computed.pattern, computed.tracks, computed.phases]);
    expect(progress.filter((p) => p.stage === 'checking').map((p) => p.done)).toEqual(lines.map((_, i) => i + 1));
    expect(progress.some((p) => p.stage === 'appending')).toBe(true);
    expect(progress.at(-1)).toEqual(expect.objectContaining({ stage: 'projecting' }));
  });
});
