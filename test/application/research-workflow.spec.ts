import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ExportStudyQuery, ImportArchiveCommand } from '../../src/application/archive/archive.handlers.js';
import { parseArchive } from '../../src/application/archive/archive-format.js';
import { CodeEventsCommand, PublishCodebookCommand } from '../../src/application/commands/coding.commands.js';
import { AttachEvidenceCommand, RecodeEventCommand, RetractEventCommand } from '../../src/application/commands/corrections.commands.js';
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { LogEventCommand } from '../../src/application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../src/application/commands/study-and-firm.commands.js';
import { parseJsonLines } from '../../src/application/interchange/event-lines.js';
import { CountEventsQuery } from '../../src/application/queries/catalog.queries.js';
import { GetReportQuery } from '../../src/application/queries/report.query.js';
import { AgreementQuery, FindEvidenceQuery, GetCodebookQuery, GetEventHistoryQuery } from '../../src/application/queries/research.queries.js';
import { GetTimelineQuery } from '../../src/application/queries/timeline.query.js';
import { GetTracksQuery } from '../../src/application/queries/tracks.query.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import { ALL, COLLECTIONS } from '../../src/projections/collections.js';
import { tempAppsClosedAfterEach, type TempApp } from '../support/temp-app.js';

const app = tempAppsClosedAfterEach();
const tick = () => new Promise((r) => setTimeout(r, 5));
const count = (t: TempApp) => t.queries.execute(new CountEventsQuery());

async function withRavn(t: TempApp) {
  await t.commands.execute(new RegisterFirmCommand('ravn', 's1'));
  const decision = await t.commands.execute(
    new LogEventCommand({ firm: 'ravn', kind: 'strategy-decision', occurred: '2002-01-20', title: 'Town hall: cost leader', orientation: -2, sources: [{ kind: 'interview', ref: 'INT-03', informant: 'CEO' }] }),
  );
  const routine = await t.commands.execute(
    new LogEventCommand({ firm: 'ravn', kind: 'planning-routine-change', occurred: '2002-03', title: 'Forecast planning imposed', routine: 'MPS', change: 'resisted' }),
  );
  return { decision: decision.id, routine: routine.id };
}

describe('corrections without erasure', () => {
  it('a recode changes the timeline from now on; known-at before it shows the old coding', async () => {
    const t = await app();
    const { decision } = await withRavn(t);
    await tick();
    const before = new Date().toISOString();
    await tick();
    await t.commands.execute(new RecodeEventCommand(decision, { orientation: -1, occurred: '2002-02' }, 'second interview softens it'));
    const now = await t.queries.execute(new GetTimelineQuery('ravn'));
    const then = await t.queries.execute(new GetTimelineQuery('ravn', undefined, before));
    const at = (tl: typeof now) => tl.entries.find((e) => e.id === decision)!;
    expect([at(now).orientation, at(now).occurred, at(now).month, at(now).recodes]).toEqual([-1, '2002-02', '2002-02', 1]);
    expect(at(now).originalCoding).toEqual({ mode: 'interactive', orientation: -2 });
    expect([at(then).orientation, at(then).occurred]).toEqual([-2, '2002-01-20']);
  });

  it('a correction recorded after a report leaves the known-at-earlier report byte-identical', async () => {
    const t = await app();
    const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
    await t.commands.execute(new ImportEventsCommand(records, 'nordic'));
    await tick();
    const cut = new Date().toISOString();
    const first = await t.queries.execute(new GetReportQuery('ravn', 'json'));
    const asKnownBefore = await t.queries.execute(new GetReportQuery('ravn', 'json', undefined, {}, cut));
    await tick();
    const target = JSON.parse(first.body).phases[1].boundaryEvents[0] as string;
    await t.commands.execute(new RecodeEventCommand(target, { orientation: 2 }, 'misread the town hall'));
    await t.commands.execute(new RetractEventCommand(records.map((r) => (r.record as { id: string }).id)[5]!, 'duplicate entry'));
    const later = await t.queries.execute(new GetReportQuery('ravn', 'json'));
    const asKnown = await t.queries.execute(new GetReportQuery('ravn', 'json', undefined, {}, cut));
    expect(later.body).not.toEqual(first.body);
    expect(asKnown.body).toEqual(asKnownBefore.body);
    // The known-at report is the report as it stood, stamped with its cut.
    const { knownAt, ...rest } = JSON.parse(asKnown.body);
    expect(knownAt).toBe(cut);
    expect(rest).toEqual({ ...JSON.parse(first.body), knownAt: undefined });
  });

  it('a retraction removes the event from the timeline but not from the log; its history lists every step', async () => {
    const t = await app();
    const { decision } = await withRavn(t);
    await t.commands.execute(new AttachEvidenceCommand(decision, [{ kind: 'document', ref: 'DOC-9' }]));
    await t.commands.execute(new RetractEventCommand(decision, 'was about a sister plant'));
    const events = await count(t);
    expect((await t.queries.execute(new GetTimelineQuery('ravn'))).entries.map((e) => e.id)).not.toContain(decision);
    const { history } = await t.queries.execute(new GetEventHistoryQuery(decision));
    expect(history.map((h) => h.type)).toEqual(['strategy-decision', 'evidence-attached', 'event-retracted']);
    expect(history.every((h) => h.recordedBy === 'test')).toBe(true);
    await expect(t.commands.execute(new RecodeEventCommand(decision, { orientation: 1 }, 'x'))).rejects.toBeInstanceOf(ConflictError);
    expect(await count(t)).toBe(events);
  });

  it('invalid corrections name the field and append nothing', async () => {
    const t = await app();
    const { decision, routine } = await withRavn(t);
    const events = await count(t);
    const problems = async (p: Promise<unknown>) => ((await p.catch((e) => e)) as InvalidInputError).problems.map((x) => x.field);
    expect(await problems(t.commands.execute(new RecodeEventCommand(decision, { orientation: 3 }, 'x')))).toEqual(['orientation']);
    expect(await problems(t.commands.execute(new RecodeEventCommand(decision, { orientation: -1 }, '  ')))).toEqual(['reason']);
    expect(await problems(t.commands.execute(new RecodeEventCommand(decision, { routine: 'MPS' }, 'x')))).toEqual(['routine']);
    expect(await problems(t.commands.execute(new RecodeEventCommand(routine, { change: 'offshoring' }, 'x')))).toEqual(['change']);
    expect(await problems(t.commands.execute(new RecodeEventCommand(decision, { title: 'new' }, 'x')))).toEqual(['title']);
    expect(await problems(t.commands.execute(new RecodeEventCommand(decision, { orientation: -2 }, 'x')))).toEqual(['changes']);
    expect(await problems(t.commands.execute(new AttachEvidenceCommand(decision, [{ kind: 'rumour', ref: 'x' }])))).toEqual(['sources[0].kind']);
    await expect(t.commands.execute(new RetractEventCommand('no-such-event', 'x'))).rejects.toBeInstanceOf(NotFoundError);
    expect(await count(t)).toBe(events);
  });
});

describe('tracks, bitemporally', () => {
  it('asOf cuts the periods; knownAt before a recode shows the tracks as they were', async () => {
    const t = await app();
    const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
    await t.commands.execute(new ImportEventsCommand(records, 'nordic'));
    await tick();
    const cut = new Date().toISOString();
    const before = await t.queries.execute(new GetTracksQuery('ravn'));
    const townHall = (await t.queries.execute(new GetTimelineQuery('ravn'))).entries.find((e) => e.title.startsWith('Town hall'))!;
    await t.commands.execute(new RecodeEventCommand(townHall.id, { orientation: 2 }, 'read it the other way'));
    const after = await t.queries.execute(new GetTracksQuery('ravn'));
    const known = await t.queries.execute(new GetTracksQuery('ravn', undefined, cut));
    const at = (r: typeof before) => r.tracks.find((p) => p.period === '2002-02')!.declared;
    expect(at(after)).not.toEqual(at(before));
    expect(known.tracks).toEqual(before.tracks);
    expect(known.pattern).toEqual(before.pattern);
    const asOf = await t.queries.execute(new GetTracksQuery('ravn', '2003'));
    expect(asOf.tracks[asOf.tracks.length - 1]!.period <= '2003-12').toBe(true);
    expect(asOf.tracks.map((p) => p.period)).toEqual(before.tracks.map((p) => p.period).slice(0, asOf.tracks.length));
  });
});

describe('tracks while logging defers re-analysis', () => {
  it('answer for the firm asked about as the settle would, and leave the other firms marked', async () => {
    const t = await app();
    const pending = (firm: string) => t.readModels.get(COLLECTIONS.analysisPending, ALL, firm);
    await withRavn(t);
    await t.commands.execute(new RegisterFirmCommand('other', 's1'));
    await t.runner.settleNow();
    const settledBefore = await t.queries.execute(new GetTracksQuery('ravn'));
    // Logged through commands: their re-analysis is deferred, both firms stay marked.
    await t.commands.execute(
      new LogEventCommand({ firm: 'ravn', kind: 'strategy-decision', occurred: '2004-06', title: 'Back to custom work', orientation: 2, sources: [{ kind: 'interview', ref: 'INT-04' }] }),
    );
    await t.commands.execute(
      new LogEventCommand({ firm: 'other', kind: 'strategy-decision', occurred: '2001', title: 'Cost focus', orientation: -1, sources: [{ kind: 'document', ref: 'AR-2001' }] }),
    );
    expect([await pending('ravn'), await pending('other')]).toEqual([{ firm: 'ravn' }, { firm: 'other' }]);

    const whileDeferred = await t.queries.execute(new GetTracksQuery('ravn'));
    expect(whileDeferred.tracks.some((p) => p.period.startsWith('2004'))).toBe(true);
    expect(whileDeferred.tracks).not.toEqual(settledBefore.tracks);
    expect(await pending('other')).toEqual({ firm: 'other' }); // not settled on the way

    await t.runner.settleNow();
    expect(await pending('ravn')).toBeUndefined();
    expect(await t.queries.execute(new GetTracksQuery('ravn'))).toEqual(whileDeferred);
  });
});

describe('evidence', () => {
  it('lists every event resting on a source or an informant, attached sources included', async () => {
    const t = await app();
    const { decision, routine } = await withRavn(t);
    await t.commands.execute(new AttachEvidenceCommand(routine, [{ kind: 'interview', ref: 'INT-03', informant: 'planner' }]));
    const byRef = await t.queries.execute(new FindEvidenceQuery('int-03'));
    expect(byRef.map((m) => m.eventId).sort()).toEqual([decision, routine].sort());
    const byInformant = await t.queries.execute(new FindEvidenceQuery(undefined, 'Planner'));
    expect(byInformant.map((m) => m.eventId)).toEqual([routine]);
  });
});

describe('coders', () => {
  it("compares a blind second coding with the first coder's original coding: agreement, kappa, disagreements", async () => {
    const t = await app();
    await t.commands.execute(new RegisterFirmCommand('ravn', 's1'));
    const coded: Array<[string, number]> = [['interactive', -2], ['interactive', 2], ['procedural', -1], ['context', 0]];
    const ids: string[] = [];
    for (const [i, [mode, orientation]] of coded.entries()) {
      const r = await t.commands.execute(new LogEventCommand({ firm: 'ravn', kind: 'strategy-decision', occurred: `200${i}`, title: `d${i}`, mode, orientation, coder: 'ann' }));
      ids.push(r.id);
    }
    // Ann later recodes event 0 after discussion; agreement must still use her original code.
    await t.commands.execute(new RecodeEventCommand(ids[0]!, { orientation: -1 }, 'after discussion'));
    await t.commands.execute(
      new CodeEventsCommand('bo', [
        { line: 2, eventId: ids[0]!, mode: 'interactive', orientation: -1 },
        { line: 3, eventId: ids[1]!, mode: 'interactive', orientation: 2 },
        { line: 4, eventId: ids[2]!, mode: 'interactive', orientation: -1 },
        { line: 5, eventId: ids[3]!, mode: 'context', orientation: 0 },
      ]),
    );
    const r = await t.queries.execute(new AgreementQuery('ann', 'bo', 'ravn'));
    expect(r.units).toBe(4);
    const mode = r.fields.find((f) => f.field === 'mode')!;
    const orientation = r.fields.find((f) => f.field === 'orientation')!;
    // Hand-computed. Mode: ann I,I,P,C vs bo I,I,I,C: po = 3/4; pe = (2/4·3/4) + (1/4·0) + (1/4·1/4) = 7/16; κ = (12/16 − 7/16)/(9/16) = 5/9.
    expect(mode.agreement).toBeCloseTo(0.75, 10);
    expect(mode.kappa).toBeCloseTo(5 / 9, 10);
    // Orientation: ann −2,2,−1,0 vs bo −1,2,−1,0: po = 3/4; pe = (1/4·2/4)[−1] + (1/4·1/4)[2] + (1/4·1/4)[0] = 4/16; κ = (12/16 − 4/16)/(12/16) = 2/3.
    expect(orientation.agreement).toBeCloseTo(0.75, 10);
    expect(orientation.kappa).toBeCloseTo(2 / 3, 10);
    expect(r.disagreements.map((d) => [d.eventId, d.fields.map((f) => f.field)])).toEqual([
      [ids[0], ['orientation']],
      [ids[2], ['mode']],
    ]);
  });

  it('a coding sheet with a bad row is rejected whole, by row and field', async () => {
    const t = await app();
    const { decision, routine } = await withRavn(t);
    const events = await count(t);
    const err = (await t.commands
      .execute(new CodeEventsCommand('bo', [
        { line: 2, eventId: decision, mode: 'interactive', orientation: -2 },
        { line: 3, eventId: routine, mode: 'rhetoric', orientation: 5 },
        { line: 4, eventId: 'unknown', mode: 'context', orientation: 0 },
      ]))
      .catch((e) => e)) as InvalidInputError;
    expect(err.problems.map((p) => p.field)).toEqual(['line 3: mode', 'line 3: orientation', 'line 4: eventId']);
    expect(await count(t)).toBe(events);
  });
});

describe('codebook', () => {
  it('starts at the built-in version 0; publishing increments; the report cites the version in force', async () => {
    const t = await app();
    await withRavn(t);
    expect((await t.queries.execute(new GetCodebookQuery('s1'))).version).toBe(0);
    const r = await t.commands.execute(
      new PublishCodebookCommand('s1', { kinds: { 'strategy-decision': { definition: 'A goal set or reframed.' } }, modes: {}, orientation: {} }, 'first own version'),
    );
    expect(r.version).toBe(1);
    const report = JSON.parse((await t.queries.execute(new GetReportQuery('ravn', 'json'))).body);
    expect(report.codebook).toEqual(expect.objectContaining({ study: 's1', version: 1 }));
    await expect(t.commands.execute(new PublishCodebookCommand('s1', { kinds: { rumour: { definition: 'x' } }, modes: {}, orientation: {} }))).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('archive', () => {
  it('export → import into an empty database → export gives identical files and identical reports', async () => {
    const a = await app();
    const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
    await a.commands.execute(new ImportEventsCommand(records, 'nordic'));
    const id = (records[3]!.record as { id: string }).id;
    await a.commands.execute(new RecodeEventCommand(id, { confidence: 'low' }, 'single informant'));
    await a.commands.execute(new CodeEventsCommand('bo', [{ line: 1, eventId: id, mode: 'context', orientation: 0 }]));
    const first = await a.queries.execute(new ExportStudyQuery('nordic'));

    const b = await app();
    const parsed = parseArchive(first.events, first.manifest);
    if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
    await b.commands.execute(new ImportArchiveCommand(parsed.events, parsed.manifest));
    const second = await b.queries.execute(new ExportStudyQuery('nordic'));
    expect(second.events).toEqual(first.events);
    expect(second.manifest).toEqual(first.manifest);
    for (const format of ['json', 'md', 'html'] as const) {
      const ra = await a.queries.execute(new GetReportQuery('tern', format));
      const rb = await b.queries.execute(new GetReportQuery('tern', format));
      expect(rb.body).toEqual(ra.body);
    }
  });

  it('rejects an archive whose events file does not match the manifest checksum', async () => {
    const a = await app();
    await withRavn(a);
    const archive = await a.queries.execute(new ExportStudyQuery('s1'));
    const tampered = archive.events.replace('"orientation":-2', '"orientation":2');
    const parsed = parseArchive(tampered, archive.manifest);
    expect('problems' in parsed && parsed.problems[0]!.message).toMatch(/does not match the manifest/);
  });
});
