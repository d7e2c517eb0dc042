import 'reflect-metadata';
import { afterEach } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/application/config.js';
import { StrataModule } from '../../src/application/strata.module.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../src/projections/read-model-store.port.js';

export interface TempApp {
  readonly app: INestApplicationContext;
  readonly commands: CommandBus;
  readonly queries: QueryBus;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly runner: ProjectionRunner;
  readonly dbPath: string;
  close(): Promise<void>;
}

/** The application core on a fresh SQLite file in a temporary folder (removed on close). */
export async function tempApp(dbPath?: string): Promise<TempApp> {
  const dir = dbPath ? undefined : mkdtempSync(join(tmpdir(), 'strata-test-'));
  const path = dbPath ?? join(dir!, 'strata.db');
  const app = await NestFactory.createApplicationContext(
    StrataModule.forRoot(resolveConfig({ db: path }, { STRATA_USER: 'test' })),
    { logger: false },
  );
  await app.init();
  return {
    app,
    commands: app.get(CommandBus),
    queries: app.get(QueryBus),
    store: app.get(EVENT_STORE),
    readModels: app.get(READ_MODEL_STORE),
    runner: app.get(ProjectionRunner),
    dbPath: path,
    close: async () => {
      await app.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `tempApp` for a test file whose apps are closed after each test: call at the top level, then
 * `await app()` (a fresh file) or `await app(other.dbPath)` (another process on the same file).
 */
export function tempAppsClosedAfterEach(): (dbPath?: string) => Promise<TempApp> {
  const apps: TempApp[] = [];
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
  });
  return async (dbPath?: string) => {
    const t = await tempApp(dbPath);
    apps.push(t);
    return t;
  };
}
