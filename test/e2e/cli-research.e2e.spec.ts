import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, EXAMPLES, tmpDb, UUID, type TmpDb } from './support.js';

/** The research workflow through the real `strata` process (issue: bitemporal replay, corrections, evidence, coders, archive). */
describe('strata research workflow (CLI)', () => {
  let t: TmpDb;
  let townHall: string;
  let cut: string;

  beforeAll(async () => {
    t = tmpDb();
    expect((await cli(t.db, ['import', join(EXAMPLES, 'nordic-seat-frames.jsonl'), '--study', 'nordic'])).code).toBe(0);
    const timeline = JSON.parse((await cli(t.db, ['timeline', 'ravn', '--json'])).stdout);
    townHall = timeline.entries.find((e: { title: string }) => e.title.startsWith('Town hall')).id;
    await new Promise((r) => setTimeout(r, 20));
    cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => t.cleanup());

  it('recode prints the new event id; timeline shows the new coding, --known-at before it the old one', async () => {
    const r = await cli(t.db, ['recode', townHall, '--orientation', '-1', '--reason', 'second interview softens it']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(UUID);
    const now = JSON.parse((await cli(t.db, ['timeline', 'ravn', '--json'])).stdout);
    const then = JSON.parse((await cli(t.db, ['timeline', 'ravn', '--json', '--known-at', cut])).stdout);
    const find = (tl: { entries: Array<{ id: string; orientation: number }> }) => tl.entries.find((e) => e.id === townHall)!.orientation;
    expect([find(now), find(then)]).toEqual([-1, -2]);
  });

  it('invalid corrections exit 2 naming the field; a missing reason is a usage error', async () => {
    const bad = await cli(t.db, ['recode', townHall, '--orientation', '9', '--reason', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/orientation: must be an integer/);
    const noReason = await cli(t.db, ['retract', townHall]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason/);
    const unknown = await cli(t.db, ['retract', '00000000-0000-4000-8000-000000000000', '--reason', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/event "00000000-0000-4000-8000-000000000000" does not exist/);
    const badKnownAt = await cli(t.db, ['timeline', 'ravn', '--known-at', 'yesterday']);
    expect(badKnownAt.code).toBe(2);
    expect(badKnownAt.stderr).toMatch(/knownAt: must be a date/);
  });

  it('evidence add and find; history lists every step with who recorded it', async () => {
    expect((await cli(t.db, ['evidence', 'add', townHall, '--source', 'document:DOC-77:HR'])).code).toBe(0);
    const found = await cli(t.db, ['evidence', 'find', '--ref', 'DOC-77', '--json']);
    expect(JSON.parse(found.stdout).map((m: { eventId: string }) => m.eventId)).toEqual([townHall]);
    const history = JSON.parse((await cli(t.db, ['history', townHall, '--json'])).stdout);
    expect(history.history.map((h: { type: string }) => h.type)).toEqual(['strategy-decision', 'event-recoded', 'evidence-attached']);
    expect(new Set(history.history.map((h: { recordedBy: string }) => h.recordedBy))).toEqual(new Set(['e2e']));
  });

  it('coding sheet → import by a second coder → agreement with kappa and disagreements', async () => {
    const sheet = t.file('sheet.csv');
    expect((await cli(t.db, ['coding', 'sheet', '--firm', 'tern', '--out', sheet])).code).toBe(0);
    const [header, ...rows] = readFileSync(sheet, 'utf8').trim().split('\r\n');
    expect(header).toBe('eventId,firm,occurred,kind,title,description,sources,mode,orientation,note');
    // The second coder fills in the first three rows; the sheet does not show the first coding.
    const filled = rows.map((row, i) => (i < 3 ? row.replace(/,,,$/, `,interactive,${i - 1},`) : row));
    writeFileSync(sheet, [header, ...filled].join('\r\n') + '\r\n');
    expect((await cli(t.db, ['coding', 'import', sheet, '--coder', 'bo'])).code).toBe(0);
    const r = JSON.parse((await cli(t.db, ['agreement', '--coders', 'e2e,bo', '--firm', 'tern', '--json'])).stdout);
    expect(r.units).toBe(3);
    expect(r.fields.map((f: { field: string }) => f.field)).toEqual(['mode', 'orientation', 'orientationDirection']);
    expect(r.disagreements.length).toBeGreaterThan(0);
    const text = await cli(t.db, ['agreement', '--coders', 'e2e,bo', '--firm', 'tern']);
    expect(text.stdout).toMatch(/kappa/);
  });

  it('replay steps through the periods, each with tracks and a phase', async () => {
    const r = await cli(t.db, ['replay', 'ravn', '--period', 'year', '--json']);
    expect(r.code).toBe(0);
    const frames = JSON.parse(r.stdout);
    expect(frames.map((f: { period: string }) => f.period)).toEqual(Array.from({ length: frames.length }, (_, i) => String(1996 + i)));
    const text = await cli(t.db, ['replay', 'ravn', '--period', 'year']);
    expect(text.stdout.split('\n').filter((l) => /^\d{4}\s+declared/.test(l))).toHaveLength(frames.length);
  });

  it('export → import into an empty database → export: identical archive files and identical reports', async () => {
    const a = t.file('arch-a');
    const b = t.file('arch-b');
    const other = t.file('other.db');
    expect((await cli(t.db, ['export', '--study', 'nordic', '--format', 'jsonl', '--out', a])).code).toBe(0);
    expect((await cli(other, ['import', a])).code).toBe(0);
    expect((await cli(other, ['export', '--study', 'nordic', '--out', b])).code).toBe(0);
    for (const f of ['events.jsonl', 'manifest.json']) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
    for (const format of ['json', 'html']) {
      const ra = await cli(t.db, ['report', 'ravn', '--format', format]);
      const rb = await cli(other, ['report', 'ravn', '--format', format]);
      expect(rb.stdout).toBe(ra.stdout);
    }
    // Importing the same archive again is refused: the study's streams exist.
    const again = await cli(other, ['import', a]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });
});
