import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ImportEventsCommand } from '../../src/application/commands/import-events.command.js';
import { resolveConfig } from '../../src/application/config.js';
import { parseJsonLines } from '../../src/application/interchange/event-lines.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { CommandBus } from '@nestjs/cqrs';

/**
 * The HTML report and the API docs as a researcher sees them: rendered by a real Chromium
 * (Debian's, never a downloaded one), with nothing fetched from outside this machine.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.log(`skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
const suite = available ? describe : describe.skip;

suite('report and docs in a browser', () => {
  let dir: string;
  let app: INestApplication;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-browser-'));
    app = await createHttpApp(resolveConfig({ db: join(dir, 'strata.db') }, { STRATA_USER: 'browser' }), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    const { records } = parseJsonLines(readFileSync('examples/nordic-seat-frames.jsonl', 'utf8'));
    await app.get(CommandBus).execute(new ImportEventsCommand(records, 'nordic'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws both tracks, ambiguity, one band per phase and one marker per event, loading nothing from outside', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const external: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const json = (await (await fetch(`${base}/firms/ravn/report?format=json`)).json()) as { phases: unknown[] };
    const timeline = (await (await fetch(`${base}/firms/ravn/timeline`)).json()) as { entries: unknown[] };
    await page.goto(`${base}/firms/ravn/report?format=html`);

    expect(await page.locator('svg path.declared').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('svg path.enacted').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('svg path.ambiguity').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('svg g.phases > g').count()).toBe(json.phases.length);
    expect(await page.locator('svg g.events > g').count()).toBe(timeline.entries.length);
    // The declared line has a real extent on screen, not a zero-size path.
    const box = await page.locator('svg path.declared').first().boundingBox();
    expect(box!.width).toBeGreaterThan(400);
    // Each marker carries its tooltip: the event's title and id.
    const tip = await page.locator('svg g.events > g > title').first().textContent();
    expect(tip).toMatch(/\[[0-9a-f-]{36}\]$/);
    expect(await page.locator('h2', { hasText: 'Evidence behind the phase boundaries' }).count()).toBe(1);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it.each(['/docs', '/docs/'])('serves Swagger UI at %s from this machine, listing the event routes', async (docs) => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await page.goto(`${base}${docs}`);
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/firms/{firm}/events', '/firms/{firm}/report']));
    expect(external).toEqual([]);
  });
});
