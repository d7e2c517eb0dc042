/**
 * The HTTP API in-process with supertest: health, OpenAPI, creating studies and firms,
 * logging every kind, idempotent ids, timeline, report formats, comparison, exports and tracks.
 */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import request from 'supertest';
import { resolveConfig } from '../../src/application/config.js';
import { CompareQuery, ExportEventsQuery, ExportSequencesQuery } from '../../src/application/queries/export.queries.js';
import { GetReportQuery } from '../../src/application/queries/report.query.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { tmpDb, UUID, type TmpDb } from './support.js';

let tmp: TmpDb;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  tmp = tmpDb('strata-e2e-http-');
  app = await createHttpApp(resolveConfig({ db: tmp.db }, { STRATA_USER: 'e2e-http' }), { logger: false });
  await app.init();
  http = request(app.getHttpServer());
});
afterAll(async () => {
  await app?.close();
  tmp?.cleanup();
});

const events = async (): Promise<number> => (await http.get('/health').expect(200)).body.events as number;

describe('health and docs', () => {
  it('GET /health answers ok with the event count', async () => {
    const res = await http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', store: 'sqlite', events: 0 });
  });

  it('GET /docs serves the Swagger UI page', async () => {
    const res = await http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>Swagger UI</title>');
    expect(res.text).toContain('swagger-ui');
  });

  it('GET /docs/ serves the page too, and the Swagger UI files it links to', async () => {
    const res = await http.get('/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    // Relative to /docs/, so without the docs/ prefix that the page at /docs needs.
    expect(res.text).toContain('href="./swagger-ui.css"');
    expect((await http.get('/docs')).text).toContain('href="./docs/swagger-ui.css"');
    for (const [path, type] of [
      ['/docs/swagger-ui.css', /^text\/css/],
      ['/docs/swagger-ui-bundle.js', /javascript/],
      ['/docs/swagger-ui-init.js', /^application\/javascript; charset=utf-8$/],
      ['/docs/favicon-32x32.png', /^image\/png$/],
    ] as const) {
      const asset = await http.get(path);
      expect([path, asset.status]).toEqual([path, 200]);
      expect(asset.headers['content-type']).toMatch(type);
    }
  });

  it('GET /docs-json is an OpenAPI 3 document with the event body schema', async () => {
    const res = await http.get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, any>; components: { schemas: Record<string, any> } };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/health', '/studies', '/firms', '/firms/{firm}/events', '/events', '/firms/{firm}/phases', '/firms/{firm}/timeline', '/firms/{firm}/report', '/firms/{firm}/tracks']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const schemaOf = (path: string) => {
      const ref = doc.paths[path].post.requestBody.content['application/json'].schema.$ref as string;
      return doc.components.schemas[ref.replace('#/components/schemas/', '')];
    };
    const full = schemaOf('/events');
    expect(full.required).toEqual(expect.arrayContaining(['firm', 'kind', 'occurred', 'title']));
    for (const schema of [full, schemaOf('/firms/{firm}/events')]) {
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining([
        'id', 'kind', 'occurred', 'title', 'description', 'mode', 'orientation', 'claimsResponsiveness', 'sources', 'confidence', 'tags',
        'newOwner', 'previousOwner', 'dimension', 'direction', 'magnitudePct', 'routine', 'change', 'trend', 'measure',
      ]));
      expect(schema.properties.orientation).toEqual(expect.objectContaining({ minimum: -2, maximum: 2 }));
      expect(schema.properties.kind.enum).toEqual([
        'strategy-decision', 'ownership-change', 'demand-shift', 'planning-routine-change', 'profitability-observation', 'network-change', 'customer-response-observation',
      ]);
      expect(schema.properties.title.maxLength).toBe(200);
      expect(schema.required).toEqual(expect.arrayContaining(['kind', 'occurred', 'title']));
    }
  });

  it('the firm-route body schema documents the optional firm it accepts', async () => {
    const doc = (await http.get('/docs-json')).body as { paths: Record<string, any>; components: { schemas: Record<string, any> } };
    const ref = doc.paths['/firms/{firm}/events'].post.requestBody.content['application/json'].schema.$ref as string;
    const schema = doc.components.schemas[ref.replace('#/components/schemas/', '')];
    // The controller accepts `firm` in the body (it must equal the path); forbidNonWhitelisted
    // clients generated from the document cannot know that unless it is listed.
    expect(Object.keys(schema.properties)).toContain('firm');
    expect(schema.required ?? []).not.toContain('firm');
  });
});

describe('studies and firms', () => {
  it('POST /studies creates a study; a duplicate is 409', async () => {
    const res = await http.post('/studies').send({ id: 's1', name: 'Seat frames' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ study: 's1', created: true });
    const dup = await http.post('/studies').send({ id: 's1' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(expect.objectContaining({ statusCode: 409, errors: [expect.objectContaining({ field: 'study' })] }));
    expect(await events()).toBe(1);
  });

  it('POST /firms registers a firm; a duplicate is 409 and appends nothing', async () => {
    const res = await http.post('/firms').send({ id: 'ravn', study: 's1', name: 'Ravn' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ firm: 'ravn', study: 's1', id: expect.stringMatching(UUID) });
    expect(await events()).toBe(2);
    const dup = await http.post('/firms').send({ id: 'ravn', study: 's1' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([expect.objectContaining({ field: 'firm' })]);
    expect(await events()).toBe(2);
    const list = await http.get('/firms');
    expect(list.body).toEqual([expect.objectContaining({ id: 'ravn', study: 's1', name: 'Ravn', eventCount: 0 })]);
    expect((await http.get('/firms/ravn')).body).toEqual(expect.objectContaining({ id: 'ravn', name: 'Ravn' }));
  });
});

const KINDS: Array<[string, Record<string, unknown>]> = [
  ['ownership-change', { occurred: '2001-11', newOwner: 'H1', previousOwner: 'Founder' }],
  ['strategy-decision', { occurred: '2002-01-20', orientation: -2, sources: [{ kind: 'interview', ref: 'INT-03', informant: 'CEO' }] }],
  ['demand-shift', { occurred: '2003-Q2', dimension: 'mix', direction: 'up', magnitudePct: 40 }],
  ['profitability-observation', { occurred: '2003-06', trend: 'irregular' }],
  ['planning-routine-change', { occurred: '2004-09', routine: 'production planning horizon', change: 'introduced', orientation: -2 }],
  ['customer-response-observation', { occurred: '2005-Q3', trend: 'declining', measure: 'on-time delivery of variants' }],
  ['network-change', { occurred: '2008-09', change: 'co-design', orientation: 1, tags: ['co-design'] }],
];
const DEFAULT_MODE: Record<string, string> = {
  'strategy-decision': 'interactive', 'ownership-change': 'context', 'demand-shift': 'context', 'planning-routine-change': 'procedural',
  'profitability-observation': 'context', 'network-change': 'interactive', 'customer-response-observation': 'context',
};

describe('logging events', () => {
  it.each(KINDS)('POST /firms/ravn/events logs a %s', async (kind, fields) => {
    const before = await events();
    const res = await http.post('/firms/ravn/events').send({ kind, title: `${kind} via HTTP`, ...fields });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(UUID), firm: 'ravn', type: kind, appended: true, globalPosition: before + 1 });
    expect(await events()).toBe(before + 1);
    const entry = (await http.get('/firms/ravn/timeline')).body.entries.find((e: { id: string }) => e.id === res.body.id);
    expect(entry).toEqual(expect.objectContaining({ kind, ...fields, mode: DEFAULT_MODE[kind], recordedBy: 'e2e-http', confidence: 'medium' }));
  });

  it('POST /events takes the firm from the body', async () => {
    const before = await events();
    const res = await http.post('/events').send({ firm: 'ravn', kind: 'strategy-decision', occurred: '2006', title: 'Sales plan: 48-hour variants', claimsResponsiveness: true });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({ firm: 'ravn', type: 'strategy-decision', appended: true }));
    expect(await events()).toBe(before + 1);
  });

  it('POST /firms/ravn/events accepts the same firm in the body', async () => {
    const res = await http.post('/firms/ravn/events').send({ firm: 'ravn', kind: 'strategy-decision', occurred: '2006-03', title: 'Trade fair stand' });
    expect(res.status).toBe(201);
  });

  it('POST /firms/ravn/phases records a declared phase', async () => {
    const before = await events();
    const res = await http.post('/firms/ravn/phases').send({ from: '1996', to: '2001-11', label: 'customization' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({ id: expect.stringMatching(UUID), firm: 'ravn', type: 'phase-declared', appended: true }));
    expect(await events()).toBe(before + 1);
    expect((await http.get('/firms/ravn/timeline')).body.declaredPhases).toEqual([
      expect.objectContaining({ id: res.body.id, from: '1996', to: '2001-11', label: 'customization' }),
    ]);
  });

  it('posting the same id twice appends once; the second answer says appended:false', async () => {
    const body = { id: '0f6f2a52-3c1e-4d0e-8f7a-4b8c9d0e1f2a', kind: 'strategy-decision', occurred: '2007', title: 'Retry me' };
    const first = await http.post('/firms/ravn/events').send(body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual(expect.objectContaining({ id: body.id, appended: true }));
    const count = await events();
    const second = await http.post('/firms/ravn/events').send(body);
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ id: body.id, firm: 'ravn', type: 'strategy-decision', appended: false, globalPosition: first.body.globalPosition });
    expect(await events()).toBe(count);
  });
});

describe('reading', () => {
  const ORDER = ['2001-11', '2002-01-20', '2003-Q2', '2003-06', '2004-09', '2005-Q3', '2006', '2006-03', '2007', '2008-09'];

  it('GET /firms/ravn/timeline lists the entries in timeline order', async () => {
    const res = await http.get('/firms/ravn/timeline');
    expect(res.status).toBe(200);
    expect(res.body.firm).toEqual(expect.objectContaining({ id: 'ravn', study: 's1' }));
    expect(res.body.entries.map((e: { occurred: string }) => e.occurred)).toEqual(ORDER);
  });

  it('?asOf=2003 keeps what had begun by the end of 2003', async () => {
    const res = await http.get('/firms/ravn/timeline?asOf=2003');
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe('2003');
    expect(res.body.entries.map((e: { occurred: string }) => e.occurred)).toEqual(['2001-11', '2002-01-20', '2003-Q2', '2003-06']);
  });

  it('?asOf=garbage is 400 naming asOf', async () => {
    const res = await http.get('/firms/ravn/timeline?asOf=garbage');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
  });

  it('an unknown firm is 404', async () => {
    for (const path of ['/firms/nope/timeline', '/firms/nope/report', '/firms/nope/tracks', '/firms/nope']) {
      const res = await http.get(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'firm "nope" does not exist', errors: [expect.objectContaining({ field: 'firm' })] });
    }
  });

  it('GET /firms/ravn/report serves json, md, html and svg with their content types', async () => {
    const json = await http.get('/firms/ravn/report?format=json');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const report = JSON.parse(json.text) as { firm: string; method: { name: string }; tracks: unknown[]; phases: unknown[]; pattern: string; checks: unknown[] };
    expect(report).toEqual(expect.objectContaining({ firm: 'ravn', method: expect.objectContaining({ name: expect.any(String), parameters: expect.any(Object) }), pattern: expect.any(String) }));
    expect(report.tracks.length).toBeGreaterThan(0);

    const md = await http.get('/firms/ravn/report?format=md');
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.text).toMatch(/^# /);
    const dflt = await http.get('/firms/ravn/report');
    expect(dflt.headers['content-type']).toBe('text/markdown; charset=utf-8');

    const html = await http.get('/firms/ravn/report?format=html');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text).toMatch(/^<!doctype html>/i);
    expect(html.text).toContain('<svg');
    // Sent as the rendered bytes: the length header counts UTF-8 bytes of the whole page.
    expect(Number(html.headers['content-length'])).toBe(Buffer.byteLength(html.text, 'utf8'));
    expect(html.text.trimEnd()).toMatch(/<\/html>$/i);

    const svg = await http.get('/firms/ravn/report?format=svg').buffer(true).parse((res, cb) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => cb(null, data));
    });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.body as string).toContain('<svg');
  });

  it('reports, the comparison and the exports are sent byte for byte as rendered, with their content types', async () => {
    const queries = app.get(QueryBus);
    const report = async (format: string) => (await queries.execute(new GetReportQuery('ravn', format))).bytes;
    const text = async (body: Promise<{ body: string }>) => Buffer.from((await body).body, 'utf8');
    const cases: Array<[string, string, () => Promise<Buffer>]> = [
      ['/firms/ravn/report', 'text/markdown; charset=utf-8', () => report('md')],
      ['/firms/ravn/report?format=json', 'application/json; charset=utf-8', () => report('json')],
      ['/firms/ravn/report?format=html', 'text/html; charset=utf-8', () => report('html')],
      ['/firms/ravn/report?format=svg', 'image/svg+xml; charset=utf-8', () => report('svg')],
      ['/compare', 'text/markdown; charset=utf-8', () => text(queries.execute(new CompareQuery('md')))],
      ['/compare?format=json', 'application/json; charset=utf-8', () => text(queries.execute(new CompareQuery('json')))],
      ['/compare?format=html', 'text/html; charset=utf-8', () => text(queries.execute(new CompareQuery('html')))],
      ['/export/events', 'application/x-ndjson; charset=utf-8', () => text(queries.execute(new ExportEventsQuery('jsonl')))],
      ['/export/events?format=csv', 'text/csv; charset=utf-8', () => text(queries.execute(new ExportEventsQuery('csv')))],
      ['/export/sequences', 'text/csv; charset=utf-8', () => text(queries.execute(new ExportSequencesQuery()))],
    ];
    for (const [path, type, rendered] of cases) {
      const res = await http.get(path).buffer(true).parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 200, type]);
      const expected = await rendered();
      expect(expected.length).toBeGreaterThan(0);
      expect((res.body as Buffer).equals(expected)).toBe(true);
      expect(Number(res.headers['content-length'])).toBe(expected.length);
    }
  });

  it('?format=pdf is 400 naming format; ?period=decade is 400 naming period', async () => {
    const pdf = await http.get('/firms/ravn/report?format=pdf');
    expect(pdf.status).toBe(400);
    expect(pdf.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    const period = await http.get('/firms/ravn/report?period=decade');
    expect(period.status).toBe(400);
    expect(period.body.errors).toEqual([expect.objectContaining({ field: 'period' })]);
    const asOf = await http.get('/firms/ravn/report?format=json&asOf=2004-13');
    expect(asOf.status).toBe(400);
    expect(asOf.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
  });

  it('GET /firms/ravn/tracks returns the tracks and phases', async () => {
    const res = await http.get('/firms/ravn/tracks');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ firm: 'ravn', pattern: expect.stringMatching(/\S/), tracks: expect.any(Array), phases: expect.any(Array) }));
    expect(res.body.tracks.length).toBeGreaterThan(0);
    for (const t of res.body.tracks) {
      expect(t.period).toMatch(/^\d{4}-\d{2}$/);
      expect(Math.abs(t.declared)).toBeLessThanOrEqual(1);
      expect(Math.abs(t.enacted)).toBeLessThanOrEqual(1);
      expect(t.ambiguity).toBeGreaterThanOrEqual(0);
      expect(t.ambiguity).toBeLessThanOrEqual(1);
    }
    expect(res.body.phases.length).toBeGreaterThan(0);
    for (const p of res.body.phases) expect(p).toEqual(expect.objectContaining({ from: expect.any(String), to: expect.any(String), label: expect.any(String) }));
    const report = JSON.parse((await http.get('/firms/ravn/report?format=json')).text) as { pattern: string };
    expect(res.body.pattern).toBe(report.pattern);
  });

  it('GET /projections shows every projection caught up', async () => {
    const head = await events();
    const res = await http.get('/projections');
    expect(res.status).toBe(200);
    for (const p of res.body) expect(p).toEqual(expect.objectContaining({ position: head, head, lag: 0 }));
  });
});
