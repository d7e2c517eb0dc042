import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../domain/errors.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { FirmSummary, StudySummary } from '../../projections/catalog.projection.js';
import { ALL, COLLECTIONS } from '../../projections/collections.js';
import { ProjectionRunner, type ProjectionStatus } from '../../projections/projection-runner.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';

export class ListStudiesQuery extends Query<Array<StudySummary & { firms: number }>> {}

export class ListFirmsQuery extends Query<FirmSummary[]> {
  constructor(readonly study?: string) {
    super();
  }
}

export class GetFirmQuery extends Query<FirmSummary> {
  constructor(readonly firm: string) {
    super();
  }
}

export class CountEventsQuery extends Query<number> {}

export class ProjectionStatusQuery extends Query<ProjectionStatus[]> {}

@QueryHandler(ListStudiesQuery)
export class ListStudiesHandler implements IQueryHandler<ListStudiesQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}
  async execute() {
    const studies = await this.readModels.list<StudySummary>(COLLECTIONS.studies, ALL);
    const firms = await this.readModels.list<FirmSummary>(COLLECTIONS.firms, ALL);
    return studies.map((s) => ({ ...s.doc, firms: firms.filter((f) => f.doc.study === s.doc.id).length }));
  }
}

@QueryHandler(ListFirmsQuery)
export class ListFirmsHandler implements IQueryHandler<ListFirmsQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}
  async execute(q: ListFirmsQuery) {
    const firms = (await this.readModels.list<FirmSummary>(COLLECTIONS.firms, ALL)).map((d) => d.doc);
    if (q.study && !(await this.readModels.get(COLLECTIONS.studies, ALL, q.study))) {
      throw new NotFoundError('study', q.study, 'study');
    }
    return q.study ? firms.filter((f) => f.study === q.study) : firms;
  }
}

@QueryHandler(GetFirmQuery)
export class GetFirmHandler implements IQueryHandler<GetFirmQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}
  async execute(q: GetFirmQuery) {
    const firm = await this.readModels.get<FirmSummary>(COLLECTIONS.firms, ALL, q.firm);
    if (!firm) throw new NotFoundError('firm', q.firm, 'firm');
    return firm;
  }
}

@QueryHandler(CountEventsQuery)
export class CountEventsHandler implements IQueryHandler<CountEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  execute() {
    return this.store.countEvents();
  }
}

@QueryHandler(ProjectionStatusQuery)
export class ProjectionStatusHandler implements IQueryHandler<ProjectionStatusQuery> {
  constructor(private readonly runner: ProjectionRunner) {}
  execute() {
    return this.runner.status();
  }
}
