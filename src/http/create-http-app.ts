import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { StrataConfig } from '../application/config.js';
import { StrataModule } from '../application/strata.module.js';
import { CompareController } from './controllers/compare.controller.js';
import { FirmsController } from './controllers/firms.controller.js';
import { HealthController } from './controllers/health.controller.js';
import { ProjectionsController } from './controllers/projections.controller.js';
import { ResearchController } from './controllers/research.controller.js';
import { StudiesController } from './controllers/studies.controller.js';
import { DomainErrorFilter } from './domain-error.filter.js';
import { strataValidationPipe } from './validation.pipe.js';

@Module({})
class HttpModule {
  static forRoot(config: StrataConfig): DynamicModule {
    return {
      module: HttpModule,
      imports: [StrataModule.forRoot(config)],
      controllers: [HealthController, StudiesController, FirmsController, ResearchController, CompareController, ProjectionsController],
    };
  }
}

/** The HTTP application, configured but not listening (tests use it with supertest). */
export async function createHttpApp(config: StrataConfig, options: { logger?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(HttpModule.forRoot(config), {
    logger: options.logger === false ? false : ['error', 'warn'],
  });
  app.useGlobalPipes(strataValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Strata')
      .setDescription(
        'Event-sourced strategizing tracker: log strategy decisions, ownership changes, demand shifts and ' +
          'planning-routine changes; replay a firm\'s timeline; read its phase-pattern report.',
      )
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
