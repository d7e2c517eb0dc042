import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
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
import { answerClientError, answerFrameworkError } from './framework-errors.js';
import { readBodiesAsBefore } from './request-bodies.js';
import { sendHeadersAsBefore } from './response-headers.js';
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

/** Body-parser's default limit, which the Express server had: a larger body is answered 413. */
const BODY_LIMIT = 100 * 1024;

/**
 * Fastify (in the HTTP bench it takes ~1,830 event POSTs/s where Express took ~1,460), set
 * up to route as Express did: a trailing slash and the letter case of the path do not matter, and
 * a path parameter may be as long as a URL Node accepts (Fastify would answer 414 past 100
 * characters). Idle keep-alive connections close after Node's default 5 s, as before.
 */
function fastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    logger: false,
    bodyLimit: BODY_LIMIT,
    keepAliveTimeout: 5_000,
    // A `__proto__` key in a form body is dropped: Express kept it as a plain key, which the
    // validation pipe ignored, so such a request is still accepted (JSON: see request-bodies.ts).
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 16 * 1024 },
  });
}

/**
 * The HTTP application, initialised and ready but not listening: tests hand
 * `getHttpServer()` to supertest, `serve` and the bench call `listen(port, host)`.
 */
export async function createHttpApp(config: StrataConfig, options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(HttpModule.forRoot(config), fastifyAdapter(), {
    logger: options.logger === false ? false : ['error', 'warn'],
  });
  readBodiesAsBefore(app, BODY_LIMIT);
  sendHeadersAsBefore(app.getHttpAdapter().getInstance());
  app.useGlobalPipes(strataValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter(app.getHttpAdapter()));
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
  // Swagger UI's files are served by @fastify/static, held at 10.1.3 in package.json (its
  // override lets Nest's peer range of ^10.1.10 take it): later releases require() an ESM-only
  // content-disposition, which neither Jest 29 nor Node before 20.19 can load.
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // Fastify adds routes and plugins (Swagger UI's static files among them) when it becomes
  // ready; a raw server handed to supertest before that would answer nothing.
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
