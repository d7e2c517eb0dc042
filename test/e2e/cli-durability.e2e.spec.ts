/**
 * Durability and `strata serve`: an acknowledged append survives a process that holds the
 * database open being killed with SIGKILL (no shutdown hooks run), and the server binds
 * 127.0.0.1 unless told otherwise.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { cli, countEvents, eventIds, killHard, startServer, tmpDb, UUID, type Server, type TmpDb } from './support.js';

let tmp: TmpDb;
const servers: Server[] = [];

beforeAll(async () => {
  tmp = tmpDb();
  expect((await cli(tmp.db, ['init'])).code).toBe(0);
  expect((await cli(tmp.db, ['firm', 'add', 'ravn', '--study', 's1', '--name', 'Ravn'])).code).toBe(0);
});
afterEach(async () => {
  // Only the servers this suite started, by their own handle.
  for (const s of servers.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) await killHard(s);
});
afterAll(() => tmp?.cleanup());

async function timelineIds(): Promise<string[]> {
  const r = await cli(tmp.db, ['timeline', 'ravn', '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { entries: Array<{ id: string }> }).entries.map((e) => e.id);
}

describe('strata serve', () => {
  it('binds 127.0.0.1 by default and answers there', async () => {
    const server = await startServer(tmp.db);
    servers.push(server);
    expect(server.listeningLine).toMatch(/^Strata listening on http:\/\/127\.0\.0\.1:\d+ \(API docs: http:\/\/127\.0\.0\.1:\d+\/docs; store: sqlite /);
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', store: 'sqlite', events: countEvents(tmp.db) });
  });
});

describe('durability under SIGKILL', () => {
  it('an append acknowledged by a CLI process survives killing another process that holds the database open', async () => {
    const server = await startServer(tmp.db);
    servers.push(server);
    const before = countEvents(tmp.db);
    const r = await cli(tmp.db, [
      'log', 'strategy-decision', '--firm', 'ravn', '--occurred', '2002-01-20', '--title', 'Acknowledged while the server runs', '--orientation', '-2',
    ]);
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(UUID);

    const exit = await killHard(server);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });

    expect(countEvents(tmp.db)).toBe(before + 1);
    expect(eventIds(tmp.db)).toContain(id);
    expect(await timelineIds()).toContain(id);
  });

  it('an event acknowledged by the HTTP API (201) survives the server being killed at once', async () => {
    const server = await startServer(tmp.db);
    servers.push(server);
    const before = countEvents(tmp.db);
    const res = await fetch(`http://127.0.0.1:${server.port}/firms/ravn/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'planning-routine-change', occurred: '2004-09', title: 'Frozen three-week horizon', routine: 'production planning horizon', change: 'introduced', orientation: -2 }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; appended: boolean; firm: string; type: string };
    const exit = await killHard(server);
    expect(exit.signal).toBe('SIGKILL');

    expect(body).toEqual(expect.objectContaining({ firm: 'ravn', type: 'planning-routine-change', appended: true }));
    expect(body.id).toMatch(UUID);
    expect(countEvents(tmp.db)).toBe(before + 1);
    expect(await timelineIds()).toContain(body.id);
  });

  it('a burst of HTTP appends, each acknowledged, all survive a SIGKILL', async () => {
    const server = await startServer(tmp.db);
    servers.push(server);
    const before = countEvents(tmp.db);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`http://127.0.0.1:${server.port}/firms/ravn/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'demand-shift', occurred: `2003-0${i + 1}`, title: `Call-offs swing ${i}`, dimension: 'volatility' }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await killHard(server);
    expect(countEvents(tmp.db)).toBe(before + 5);
    expect(await timelineIds()).toEqual(expect.arrayContaining(ids));
  });
});
