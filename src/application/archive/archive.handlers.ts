import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { studyStream, type FirmRegisteredData } from '../../domain/events.js';
import { EVENT_STORE, type AppendRequest, type EventStore, type StoredEvent } from '../../event-store/event-store.port.js';
import { ALL, COLLECTIONS } from '../../projections/collections.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';
import { StreamDecisions } from '../stream-decisions.js';
import { archiveLine, buildManifest, renderManifest, type ArchivedEvent, type ArchiveManifest } from './archive-format.js';

export interface RenderedArchive {
  readonly events: string;
  readonly manifest: string;
  readonly summary: ArchiveManifest;
}

/** The complete log of one study: its stream and its firms' streams, corrections and codings included. */
export class ExportStudyQuery extends Query<RenderedArchive> {
  constructor(readonly study: string) {
    super();
  }
}

/** Appends an archive's events with their ids, streams, revisions and recorded times. */
export class ImportArchiveCommand extends Command<{ study: string; events: number }> {
  constructor(
    readonly events: readonly ArchivedEvent[],
    readonly manifest: ArchiveManifest,
  ) {
    super();
  }
}

@QueryHandler(ExportStudyQuery)
export class ExportStudyHandler implements IQueryHandler<ExportStudyQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  async execute(q: ExportStudyQuery): Promise<RenderedArchive> {
    if (!(await this.readModels.get(COLLECTIONS.studies, ALL, q.study))) throw new NotFoundError('study', q.study, 'study');
    // Streams are learned while reading in global order: a firm joins the study with its registration.
    const streams = new Set([studyStream(q.study)]);
    const events: StoredEvent[] = [];
    for await (const e of this.store.readAll()) {
      if (e.type === 'firm-registered' && (e.data as FirmRegisteredData).study === q.study) streams.add(e.streamId);
      if (streams.has(e.streamId)) events.push(e);
    }
    const text = events.map((e) => `${archiveLine(e)}\n`).join('');
    const summary = buildManifest(q.study, events, text);
    return { events: text, manifest: renderManifest(summary), summary };
  }
}

@CommandHandler(ImportArchiveCommand)
export class ImportArchiveHandler implements ICommandHandler<ImportArchiveCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
    private readonly decisions: StreamDecisions,
  ) {}

  async execute(c: ImportArchiveCommand) {
    const requests: AppendRequest[] = [];
    for (const e of c.events) {
      const last = requests[requests.length - 1];
      const event = { id: e.id, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt };
      if (last && last.streamId === e.streamId) (last.events as unknown[]).push(event);
      else requests.push({ streamId: e.streamId, expectedVersion: e.revision === 0 ? 'no-stream' : e.revision - 1, events: [event] });
    }
    for (const streamId of new Set(requests.map((r) => r.streamId))) {
      if ((await this.store.streamRevision(streamId)) >= 0) {
        throw new ConflictError(`${streamId} already exists here; import an archive into a database without that study`, 'study');
      }
    }
    await this.store.appendMany(requests);
    this.decisions.forget();
    await this.projections.catchUp();
    return { study: c.manifest.study, events: c.events.length };
  }
}
