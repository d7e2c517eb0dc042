import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { resolveConfig, type StrataConfig } from '../../src/application/config.js';
import { openStorage, type Storage } from '../../src/application/storage.js';
import { StrataModule } from '../../src/application/strata.module.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import type { Target } from './databases.js';

/** The configuration the CLI and server would resolve for this target. */
export function configFor(target: Target): StrataConfig {
  return target.kind === 'sqlite'
    ? resolveConfig({ store: 'sqlite', db: target.location }, { STRATA_USER: 'bench' })
    : resolveConfig({ store: 'postgres' }, { DATABASE_URL: target.location, STRATA_USER: 'bench' });
}

export interface BenchApp {
  readonly app: INestApplicationContext;
  readonly commands: CommandBus;
  readonly queries: QueryBus;
  readonly runner: ProjectionRunner;
  close(): Promise<void>;
}

/** The application core (StrataModule: CommandBus, QueryBus, projection runner) on the target, as the CLI boots it. */
export async function bootApp(target: Target): Promise<BenchApp> {
  const app = await NestFactory.createApplicationContext(StrataModule.forRoot(configFor(target)), { logger: false });
  await app.init();
  return {
    app,
    commands: app.get(CommandBus),
    queries: app.get(QueryBus),
    runner: app.get(ProjectionRunner),
    close: () => app.close(),
  };
}

/** Only the adapters (event store + read-model store), as openStorage gives them to the module. */
export function openStore(target: Target): Promise<Storage> {
  return openStorage(configFor(target));
}
