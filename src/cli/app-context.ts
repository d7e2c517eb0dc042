import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { resolveConfig, type StrataConfig } from '../application/config.js';
import { StrataModule } from '../application/strata.module.js';

export interface GlobalOptions {
  readonly db?: string;
}

export interface Buses {
  readonly commands: CommandBus;
  readonly queries: QueryBus;
  readonly config: StrataConfig;
}

/** Starts the application core (no HTTP), runs one CLI action on its buses, and shuts it down. */
export async function withApp<T>(options: GlobalOptions, action: (buses: Buses) => Promise<T>): Promise<T> {
  const config = resolveConfig(options.db ? { db: options.db } : {});
  const app: INestApplicationContext = await NestFactory.createApplicationContext(StrataModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  try {
    await app.init();
    return await action({ commands: app.get(CommandBus), queries: app.get(QueryBus), config });
  } finally {
    await app.close();
  }
}
