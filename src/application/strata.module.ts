import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE } from '../event-store/event-store.port.js';
import { ALL_PROJECTIONS } from '../projections/all-projections.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { READ_MODEL_STORE } from '../projections/read-model-store.port.js';
import { ExportStudyHandler, ImportArchiveHandler } from './archive/archive.handlers.js';
import { CodeEventsHandler, PublishCodebookHandler } from './commands/coding.commands.js';
import { AttachEvidenceHandler, RecodeEventHandler, RetractEventHandler } from './commands/corrections.commands.js';
import { ImportEventsHandler } from './commands/import-events.command.js';
import { DeclarePhaseHandler, LogEventHandler } from './commands/log-event.commands.js';
import { RebuildProjectionsHandler } from './commands/projections.commands.js';
import { CreateStudyHandler, RegisterFirmHandler } from './commands/study-and-firm.commands.js';
import { STRATA_CONFIG, type StrataConfig } from './config.js';
import {
  CountEventsHandler,
  GetFirmHandler,
  ListFirmsHandler,
  ListStudiesHandler,
  ProjectionStatusHandler,
} from './queries/catalog.queries.js';
import { CompareHandler, ExportEventsHandler, ExportSequencesHandler } from './queries/export.queries.js';
import { ReplayHandler } from './queries/replay.query.js';
import { GetReportHandler } from './queries/report.query.js';
import {
  AgreementHandler,
  FindEvidenceHandler,
  GetCodebookHandler,
  GetEventHistoryHandler,
} from './queries/research.queries.js';
import { GetTimelineHandler } from './queries/timeline.query.js';
import { GetTracksHandler } from './queries/tracks.query.js';
import { openStorage, type Storage } from './storage.js';
import { EventLocator } from './event-locator.js';
import { StreamDecisions } from './stream-decisions.js';

const STORAGE = Symbol('STORAGE');

const COMMAND_HANDLERS = [
  CreateStudyHandler,
  RegisterFirmHandler,
  LogEventHandler,
  DeclarePhaseHandler,
  ImportEventsHandler,
  RebuildProjectionsHandler,
  RecodeEventHandler,
  RetractEventHandler,
  AttachEvidenceHandler,
  CodeEventsHandler,
  PublishCodebookHandler,
  ImportArchiveHandler,
];
const QUERY_HANDLERS = [
  ListStudiesHandler,
  ListFirmsHandler,
  GetFirmHandler,
  GetTimelineHandler,
  GetTracksHandler,
  GetReportHandler,
  CountEventsHandler,
  ProjectionStatusHandler,
  GetEventHistoryHandler,
  FindEvidenceHandler,
  AgreementHandler,
  GetCodebookHandler,
  ExportStudyHandler,
  ReplayHandler,
  CompareHandler,
  ExportEventsHandler,
  ExportSequencesHandler,
];

/**
 * The application core as a Nest module: storage adapters chosen by config, the projection
 * runner, and the command/query handlers. HTTP and CLI both import it and only dispatch.
 */
@Module({})
export class StrataModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly runner: ProjectionRunner,
  ) {}

  static forRoot(config: StrataConfig): DynamicModule {
    return {
      module: StrataModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: STRATA_CONFIG, useValue: config },
        { provide: STORAGE, useFactory: () => openStorage(config) },
        { provide: EVENT_STORE, useFactory: (s: Storage) => s.events, inject: [STORAGE] },
        { provide: READ_MODEL_STORE, useFactory: (s: Storage) => s.readModels, inject: [STORAGE] },
        {
          provide: ProjectionRunner,
          useFactory: (s: Storage) => new ProjectionRunner(s.events, s.readModels, ALL_PROJECTIONS),
          inject: [STORAGE],
        },
        StreamDecisions,
        EventLocator,
        ...COMMAND_HANDLERS,
        ...QUERY_HANDLERS,
      ],
      exports: [STRATA_CONFIG, EVENT_STORE, READ_MODEL_STORE, ProjectionRunner],
    };
  }

  /** A projection whose version changed rebuilds itself; the rest catch up with the log. */
  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close();
  }
}
