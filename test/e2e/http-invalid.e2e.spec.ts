/**
 * Invalid HTTP input: 400 with `errors[]` naming each offending field, and nothing appended
 * (GET /health's event count is the same before and after). Unknown firm: 404. Requests the
 * HTTP layer itself rejects or reads in its own way (bodies that are not JSON, other content
 * types, size limit, unknown routes, paths and query strings) are answered as the Express
 * server answered them, in the usual error body.
 */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
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
  // Listening (rather than left to supertest) so that raw() can send what supertest would not.
  await app.listen(0, '127.0.0.1');
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
    expect(res.body).toEqual({ statusCode: 400, error: 'BadRequest', message: 'Unexpected end of JSON input', errors: [] });
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

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A request exactly as given: supertest would add a Content-Type to a string body. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawResponse> {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The usual error body with no field errors, as the HTTP layer's own rejections carry. */
const plain = (statusCode: number, error: string, message: string | ReturnType<typeof expect.stringMatching>) => ({ statusCode, error, message, errors: [] });
const eventBody = JSON.stringify(decision({ title: 'Sent raw' }));

describe('bodies are read as the Express server read them', () => {
  it('JSON that does not parse is 400 with JSON.parse\'s message', async () => {
    const before = await events();
    for (const text of ['{"kind": ', '   ']) {
      const res = await raw('POST', '/firms/ravn/events', { 'content-type': 'application/json' }, text);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual(plain(400, 'BadRequest', 'Unexpected end of JSON input'));
    }
    expect(await events()).toBe(before);
  });

  it('a JSON string, number or null at the top is 400 (only an object or array is a body)', async () => {
    for (const [text, token] of [['"s6"', '"'], ['42', '4'], ['null', 'n']]) {
      const res = await raw('POST', '/studies', { 'content-type': 'application/json' }, text);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual(plain(400, 'BadRequest', `Unexpected token '${token}', "${text}" is not valid JSON`));
    }
  });

  it('a body without Content-Type, or of another type, is ignored: 400 naming the missing fields', async () => {
    const before = await events();
    for (const headers of [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/xml' }, { 'content-type': 'application/vnd.api+json' }] as Array<Record<string, string>>) {
      const res = await raw('POST', '/firms/ravn/events', headers, eventBody);
      expect(res.status).toBe(400);
      const body = JSON.parse(res.text) as { error: string; errors: Array<{ field: string }> };
      expect(body.error).toBe('Bad Request');
      expect(body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['kind', 'occurred', 'title']));
    }
    expect(await events()).toBe(before);
  });

  it('an empty JSON body is an empty object: 400 naming the missing fields', async () => {
    for (const headers of [{ 'content-type': 'application/json', 'content-length': '0' }, { 'content-length': '0' }] as Array<Record<string, string>>) {
      const res = await raw('POST', '/studies', headers);
      expect(res.status).toBe(400);
      expect((JSON.parse(res.text) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain('id');
    }
  });

  it('a charset other than UTF is 415', async () => {
    const res = await raw('POST', '/studies', { 'content-type': 'application/json; charset=latin1' }, '{"id":"latin"}');
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text)).toEqual(plain(415, 'Http', 'unsupported charset "LATIN1"'));
    expect((await raw('POST', '/studies', { 'content-type': 'application/json; charset=UTF-8' }, '{"id":"utf"}')).status).toBe(201);
  });

  it('a body over 100 KiB is 413 and appends nothing; one just under it is read', async () => {
    const before = await events();
    const over = await http.post('/firms/ravn/events').send(decision({ description: 'd'.repeat(110 * 1024) }));
    expect(over.status).toBe(413);
    expect(over.body).toEqual(plain(413, 'Http', 'request entity too large'));
    const under = await http.post('/firms/ravn/events').send(decision({ description: 'd'.repeat(99 * 1024) }));
    expect(under.status).toBe(400);
    expect(under.body.errors).toEqual([expect.objectContaining({ field: 'description' })]);
    expect(await events()).toBe(before);
  });

  it('a gzip-compressed JSON body is inflated; a corrupt or unknown encoding is 400 / 415', async () => {
    const ok = await raw('POST', '/studies', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"id":"zipped"}'));
    expect(ok.status).toBe(201);
    const corrupt = await raw('POST', '/studies', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip');
    expect(corrupt.status).toBe(400);
    expect(JSON.parse(corrupt.text)).toEqual(plain(400, 'Http', expect.stringMatching(/\S/)));
    const unknown = await raw('POST', '/studies', { 'content-type': 'application/json', 'content-encoding': 'compress' }, '{"id":"x"}');
    expect(unknown.status).toBe(415);
    expect(JSON.parse(unknown.text)).toEqual(plain(415, 'Http', 'unsupported content encoding "compress"'));
  });

  it('a __proto__ key is dropped, never merged into a prototype', async () => {
    const res = await raw('POST', '/studies', { 'content-type': 'application/json' }, '{"id":"proto","__proto__":{"polluted":true}}');
    expect(res.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a malformed Content-Type header or HTTP request gets the usual error body', async () => {
    const media = await raw('POST', '/studies', { 'content-type': 'json' }, '{"id":"x"}');
    expect(media.status).toBe(415);
    expect(JSON.parse(media.text)).toEqual(plain(415, 'Http', expect.stringMatching(/Content-Type/)));
    const { port } = app.getHttpServer().address() as AddressInfo;
    const reply = await new Promise<string>((resolve, reject) => {
      let data = '';
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP\r\n\r\n'));
      socket.on('data', (c) => (data += c.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual(plain(400, 'Bad Request', 'malformed HTTP request'));
  });
});

describe('routes, paths and query strings are matched as the Express server matched them', () => {
  it('an unknown route is 404 naming the method and path', async () => {
    expect((await http.get('/nope?x=1')).body).toEqual(plain(404, 'NotFound', 'Cannot GET /nope?x=1'));
    const post = await http.post('/nope').send({});
    expect(post.status).toBe(404);
    expect(post.body).toEqual(plain(404, 'NotFound', 'Cannot POST /nope'));
    expect((await http.delete('/firms')).body).toEqual(plain(404, 'NotFound', 'Cannot DELETE /firms'));
  });

  it('a trailing slash and the letter case of the path do not matter', async () => {
    const firm = (await http.get('/firms/ravn')).body as unknown;
    expect((await http.get('/firms/ravn/')).body).toEqual(firm);
    expect((await http.get('/Firms/ravn')).body).toEqual(firm);
    expect((await http.get('/health/')).status).toBe(200);
    expect((await http.post('/studies/').send({ id: 'slashed' })).status).toBe(201);
    expect((await http.get('//health')).status).toBe(404);
  });

  it('a path parameter of any length reaches the controller; a broken %-escape is 400', async () => {
    const long = 'a'.repeat(150);
    const res = await http.get(`/firms/${long}`);
    expect(res.status).toBe(404);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'firm' })]);
    expect((await http.get('/firms/ra%76n')).body.id).toBe('ravn');
    const broken = await http.get('/firms/ra%ZZvn');
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual(plain(400, 'BadRequest', "Failed to decode param 'ra%ZZvn'"));
  });

  it('a repeated query key is a list, which the routes refuse by name', async () => {
    const format = await http.get('/firms/ravn/report?format=json&format=md');
    expect(format.status).toBe(400);
    expect(format.body.errors).toEqual([{ field: 'format', message: 'must be one of md, json, html, svg (got "json,md")' }]);
    const study = await http.get('/firms?study=s1&study=s2');
    expect(study.status).toBe(404);
    expect(study.body.errors).toEqual([expect.objectContaining({ field: 'study' })]);
    // Brackets are not parsed: "format[]" is another key, so the default format applies.
    expect((await http.get('/firms/ravn/report?format[]=json')).headers['content-type']).toBe('text/markdown; charset=utf-8');
  });
});

describe('caching headers are the Express server\'s', () => {
  it('a report has a weak ETag; asked again with it, the answer is 304 without a body', async () => {
    const first = await raw('GET', '/firms/ravn/report?format=html');
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    const again = await raw('GET', '/firms/ravn/report?format=html', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers['content-length']).toBeUndefined();
    expect((await raw('GET', '/firms/ravn/report?format=html', { 'if-none-match': etag, 'cache-control': 'no-cache' })).status).toBe(200);
    const head = await raw('HEAD', '/firms/ravn/report?format=html');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    expect((await raw('HEAD', '/firms/ravn/report?format=html', { 'if-none-match': etag })).status).toBe(304);
  });

  it('a POST is never 304, and an error body has no 304 either', async () => {
    const res = await raw('POST', '/studies', { 'content-type': 'application/json', 'if-none-match': '*' }, '{"id":"s1"}');
    expect(res.status).toBe(409);
    expect((await raw('GET', '/firms/nope', { 'if-none-match': '*' })).status).toBe(404);
  });
});
