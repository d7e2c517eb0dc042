/**
 * Invalid HTTP input: 400 with `errors[]` naming each offending field, and nothing appended
 * (GET /health's event count is the same before and after). Unknown firm: 404.
 */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { resolveConfig } from '../../src/application/config.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { NEXT_YEAR, tmpDb, type TmpDb } from './support.js';

let tmp: TmpDb;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  tmp = tmpDb('strata-e2e-http-invalid-');
  app = await createHttpApp(resolveConfig({ db: tmp.db }, { STRATA_USER: 'e2e-http' }), { logger: false });
  await app.init();
  http = request(app.getHttpServer());
  expect((await http.post('/firms').send({ id: 'ravn', study: 's1', name: 'Ravn' })).status).toBe(201);
  expect((await http.post('/firms').send({ id: 'kestrel', study: 's1' })).status).toBe(201);
  const sold = await http.post('/firms/ravn/events').send({ kind: 'ownership-change', occurred: '2001-11', title: 'Founder sells to H1', newOwner: 'H1' });
  expect(sold.status).toBe(201);
});
afterAll(async () => {
  await app?.close();
  tmp?.cleanup();
});

const events = async (): Promise<number> => (await http.get('/health').expect(200)).body.events as number;

const decision = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ kind: 'strategy-decision', occurred: '2002', title: 'Town hall', ...extra });
const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

/** Each case: the route, the body, and the field errors[] must name. */
const CASES: Array<[string, string, Record<string, unknown>, string]> = [
  ['orientation 3', '/firms/ravn/events', decision({ orientation: 3 }), 'orientation'],
  ['orientation 1.5', '/firms/ravn/events', decision({ orientation: 1.5 }), 'orientation'],
  ['orientation "abc"', '/firms/ravn/events', decision({ orientation: 'abc' }), 'orientation'],
  ['orientation "2" (a string)', '/firms/ravn/events', decision({ orientation: '2' }), 'orientation'],
  ['occurred 2004-13', '/firms/ravn/events', decision({ occurred: '2004-13' }), 'occurred'],
  ['occurred 2004-Q5', '/firms/ravn/events', decision({ occurred: '2004-Q5' }), 'occurred'],
  ['occurred next year', '/firms/ravn/events', decision({ occurred: `${NEXT_YEAR}-01` }), 'occurred'],
  ['occurred missing', '/firms/ravn/events', without(decision(), 'occurred'), 'occurred'],
  ['title missing', '/firms/ravn/events', without(decision(), 'title'), 'title'],
  ['title of 201 characters', '/firms/ravn/events', decision({ title: 't'.repeat(201) }), 'title'],
  ['title blank', '/firms/ravn/events', decision({ title: '   ' }), 'title'],
  ['description over 10,000 characters', '/firms/ravn/events', decision({ description: 'd'.repeat(10_001) }), 'description'],
  ['unknown kind', '/firms/ravn/events', decision({ kind: 'town-hall' }), 'kind'],
  ['kind missing', '/firms/ravn/events', without(decision(), 'kind'), 'kind'],
  ['ownership-change without newOwner', '/firms/ravn/events', { kind: 'ownership-change', occurred: '2003', title: 'Sold' }, 'newOwner'],
  ['newOwner equal to the current owner', '/firms/ravn/events', { kind: 'ownership-change', occurred: '2003', title: 'Sold', newOwner: 'H1' }, 'newOwner'],
  ['newOwner equal to previousOwner', '/firms/ravn/events', { kind: 'ownership-change', occurred: '2003', title: 'Sold', newOwner: 'G2', previousOwner: 'G2' }, 'newOwner'],
  ['demand-shift without dimension', '/firms/ravn/events', { kind: 'demand-shift', occurred: '2003', title: 'D' }, 'dimension'],
  ['demand-shift with an unknown dimension', '/firms/ravn/events', { kind: 'demand-shift', occurred: '2003', title: 'D', dimension: 'weather' }, 'dimension'],
  ['planning-routine-change without routine', '/firms/ravn/events', { kind: 'planning-routine-change', occurred: '2004', title: 'P', change: 'introduced' }, 'routine'],
  ['planning-routine-change with a network-change value', '/firms/ravn/events',
    { kind: 'planning-routine-change', occurred: '2004', title: 'P', routine: 'horizon', change: 'outsourcing' }, 'change'],
  ['network-change with a routine value', '/firms/ravn/events', { kind: 'network-change', occurred: '2004', title: 'N', change: 'resisted' }, 'change'],
  ['profitability-observation without trend', '/firms/ravn/events', { kind: 'profitability-observation', occurred: '2004', title: 'P' }, 'trend'],
  ['customer-response-observation with trend irregular', '/firms/ravn/events',
    { kind: 'customer-response-observation', occurred: '2004', title: 'C', trend: 'irregular' }, 'trend'],
  ['a field of another kind', '/firms/ravn/events', decision({ newOwner: 'H2' }), 'newOwner'],
  ['sources[0].kind unknown', '/firms/ravn/events', decision({ sources: [{ kind: 'podcast', ref: 'EP-1' }] }), 'sources[0].kind'],
  ['sources[1].ref missing', '/firms/ravn/events', decision({ sources: [{ kind: 'interview', ref: 'INT-1' }, { kind: 'document' }] }), 'sources[1].ref'],
  ['confidence unknown', '/firms/ravn/events', decision({ confidence: 'certain' }), 'confidence'],
  ['mode unknown', '/firms/ravn/events', decision({ mode: 'rhetorical' }), 'mode'],
  ['claimsResponsiveness not a boolean', '/firms/ravn/events', decision({ claimsResponsiveness: 'yes' }), 'claimsResponsiveness'],
  ['id not a UUID', '/firms/ravn/events', decision({ id: 'event-1' }), 'id'],
  ['an unknown field (forbidNonWhitelisted)', '/firms/ravn/events', decision({ colour: 'red' }), 'colour'],
  ['recordedBy set by the client', '/firms/ravn/events', decision({ recordedBy: 'mallory' }), 'recordedBy'],
  ['firm in the body differs from the path', '/firms/ravn/events', decision({ firm: 'kestrel' }), 'firm'],
  ['POST /events without firm', '/events', decision(), 'firm'],
  ['POST /events with a firm that is not a slug', '/events', decision({ firm: 'Ravn AB' }), 'firm'],
  ['phase with to before from', '/firms/ravn/phases', { from: '2004', to: '2003', label: 'cost' }, 'to'],
  ['phase with a bad from', '/firms/ravn/phases', { from: '2004-Q7', to: '2005', label: 'cost' }, 'from'],
  ['phase without label', '/firms/ravn/phases', { from: '2004', to: '2005' }, 'label'],
  ['phase with a firm that differs from the path', '/firms/ravn/phases', { firm: 'kestrel', from: '2004', to: '2005', label: 'cost' }, 'firm'],
  ['firm id not a slug', '/firms', { id: 'Ravn AB' }, 'id'],
  ['study id not a slug', '/studies', { id: 'S 1' }, 'id'],
];

describe('invalid input is 400, names the field and appends nothing', () => {
  it.each(CASES)('%s', async (_name, path, body, field) => {
    const before = await events();
    const res = await http.post(path).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: 400, error: 'Bad Request', errors: expect.any(Array) }));
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    for (const e of res.body.errors) expect(e).toEqual({ field: expect.any(String), message: expect.stringMatching(/\S/) });
    expect(await events()).toBe(before);
  });

  it('lists every problem of one body at once', async () => {
    const before = await events();
    const res = await http.post('/firms/ravn/events').send({ kind: 'strategy-decision', occurred: '2004-Q5', title: 'x'.repeat(201), orientation: 9, colour: 'red', sources: [{ kind: 'podcast', ref: 'EP' }] });
    expect(res.status).toBe(400);
    const fields = new Set(res.body.errors.map((e: { field: string }) => e.field));
    expect([...fields].sort()).toEqual(['colour', 'occurred', 'orientation', 'sources[0].kind', 'title']);
    expect(await events()).toBe(before);
  });

  it('a body that is not JSON is 400 and appends nothing', async () => {
    const before = await events();
    const res = await http.post('/firms/ravn/events').set('content-type', 'application/json').send('{"kind": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: 400, errors: expect.any(Array) }));
    expect(await events()).toBe(before);
  });
});

describe('unknown firm and repeated ids', () => {
  it('an event for an unknown firm is 404 and appends nothing', async () => {
    const before = await events();
    for (const [path, body] of [
      ['/firms/nope/events', decision()],
      ['/events', decision({ firm: 'nope' })],
      ['/firms/nope/phases', { from: '2004', to: '2005', label: 'cost' }],
    ] as const) {
      const res = await http.post(path).send(body);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'firm "nope" does not exist', errors: [{ field: 'firm', message: 'firm "nope" does not exist' }] });
    }
    expect(await events()).toBe(before);
    expect((await http.get('/firms/nope/timeline')).status).toBe(404);
  });

  it('the same id twice appends once', async () => {
    const body = decision({ id: '7d1b8a3c-2f4e-4a6b-9c8d-0e1f2a3b4c5d', title: 'Once only' });
    expect((await http.post('/firms/ravn/events').send(body)).body.appended).toBe(true);
    const count = await events();
    const again = await http.post('/firms/ravn/events').send(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(expect.objectContaining({ id: body.id, appended: false }));
    expect(await events()).toBe(count);
  });

  it('a phase declared twice with the same id is recorded once', async () => {
    const body = { id: '3c9d2e1f-8a7b-4c6d-9e0f-1a2b3c4d5e6f', from: '1996', to: '2001-11', label: 'customization' };
    expect((await http.post('/firms/ravn/phases').send(body)).status).toBe(201);
    const count = await events();
    const again = await http.post('/firms/ravn/phases').send(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(expect.objectContaining({ id: body.id, type: 'phase-declared', appended: false }));
    expect(await events()).toBe(count);
  });

  it('an id already used by another firm is 409 naming id, and appends nothing', async () => {
    const body = decision({ id: '7d1b8a3c-2f4e-4a6b-9c8d-0e1f2a3b4c5d', title: 'Once only' });
    const count = await events();
    const res = await http.post('/firms/kestrel/events').send(body);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    expect(await events()).toBe(count);
  });

  it('the log is still consistent: ravn has exactly its two valid events', async () => {
    const t = await http.get('/firms/ravn/timeline');
    expect(t.body.entries.map((e: { title: string }) => e.title)).toEqual(['Founder sells to H1', 'Once only']);
    expect((await http.get('/firms/kestrel/timeline')).body.entries).toEqual([]);
  });
});
