import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { intercoderAgreement, type IntercoderReport } from '../../analysis/intercoder.js';
import { DEFAULT_CODEBOOK } from '../../domain/codebook.js';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { firmStream, type Source } from '../../domain/events.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { FirmSummary, PublishedCodebook } from '../../projections/catalog.projection.js';
import { ALL, COLLECTIONS } from '../../projections/collections.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';
import { EventLocator } from '../event-locator.js';
import { parseKnownAt } from './known-at.js';
import { GetTimelineQuery } from './timeline.query.js';

export interface HistoryStep {
  readonly type: string;
  readonly eventId: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly data: unknown;
}

/** An event as first logged and everything recorded about it since, in recording order. */
export class GetEventHistoryQuery extends Query<{ eventId: string; firm: string; history: HistoryStep[] }> {
  constructor(
    readonly eventId: string,
    readonly firm?: string,
  ) {
    super();
  }
}

export interface EvidenceMatch {
  readonly firm: string;
  readonly eventId: string;
  readonly occurred: string;
  readonly kind: string;
  readonly title: string;
  readonly sources: readonly Source[];
}

/** Every current event resting on a source (by ref) and/or an informant, across a study or all firms. */
export class FindEvidenceQuery extends Query<EvidenceMatch[]> {
  constructor(
    readonly ref?: string,
    readonly informant?: string,
    readonly study?: string,
  ) {
    super();
  }
}

export class AgreementQuery extends Query<IntercoderReport & { scope: string }> {
  constructor(
    readonly coderA: string,
    readonly coderB: string,
    readonly firm?: string,
    readonly study?: string,
  ) {
    super();
  }
}

export interface CodebookView {
  readonly study: string;
  readonly version: number;
  readonly codebook: PublishedCodebook['codebook'];
  readonly publishedAt: string | null;
  readonly note?: string;
}

/** The codebook in force for a study (latest version, or as known at a recorded time); version 0 is the built-in one. */
export class GetCodebookQuery extends Query<CodebookView> {
  constructor(
    readonly study: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(GetEventHistoryQuery)
export class GetEventHistoryHandler implements IQueryHandler<GetEventHistoryQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly locator: EventLocator,
  ) {}

  async execute(q: GetEventHistoryQuery) {
    const firm = await this.locator.firmOf(q.eventId, q.firm);
    const history: HistoryStep[] = [];
    for await (const e of this.store.readStream(firmStream(firm))) {
      const about = e.id === q.eventId || (e.data as { eventId?: string }).eventId === q.eventId;
      if (about) history.push({ type: e.type, eventId: e.id, recordedAt: e.recordedAt, recordedBy: String(e.metadata.recordedBy ?? 'unknown'), data: e.data });
    }
    if (!history.length) throw new NotFoundError('event', q.eventId, 'eventId');
    return { eventId: q.eventId, firm, history };
  }
}

async function firmsIn(readModels: ReadModelStore, study?: string): Promise<FirmSummary[]> {
  const firms = (await readModels.list<FirmSummary>(COLLECTIONS.firms, ALL)).map((d) => d.doc);
  if (study && !(await readModels.get(COLLECTIONS.studies, ALL, study))) throw new NotFoundError('study', study, 'study');
  return study ? firms.filter((f) => f.study === study) : firms;
}

@QueryHandler(FindEvidenceQuery)
export class FindEvidenceHandler implements IQueryHandler<FindEvidenceQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async execute(q: FindEvidenceQuery): Promise<EvidenceMatch[]> {
    if (!q.ref && !q.informant) throw InvalidInputError.field('ref', 'give a source ref, an informant, or both');
    const same = (a: string | undefined, b: string) => a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
    const matches: EvidenceMatch[] = [];
    for (const firm of await firmsIn(this.readModels, q.study)) {
      for (const { doc: e } of await this.readModels.list<TimelineEntry>(COLLECTIONS.timeline, firm.id)) {
        const hits = e.sources.filter((s) => (!q.ref || same(s.ref, q.ref)) && (!q.informant || same(s.informant, q.informant)));
        if (hits.length) matches.push({ firm: e.firm, eventId: e.id, occurred: e.occurred, kind: e.kind, title: e.title, sources: hits });
      }
    }
    return matches;
  }
}

@QueryHandler(AgreementQuery)
export class AgreementHandler implements IQueryHandler<AgreementQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly queries: QueryBus,
  ) {}

  async execute(q: AgreementQuery) {
    if (!q.coderA || !q.coderB || q.coderA === q.coderB) throw InvalidInputError.field('coders', 'name two different coders');
    const firms = q.firm ? [q.firm] : (await firmsIn(this.readModels, q.study)).map((f) => f.id);
    const timelines = await Promise.all(firms.map((f) => this.queries.execute(new GetTimelineQuery(f))));
    const report = intercoderAgreement(
      timelines.flatMap((t) => t.entries),
      timelines.flatMap((t) => t.codings),
      q.coderA,
      q.coderB,
    );
    return { ...report, scope: q.firm ? `firm ${q.firm}` : q.study ? `study ${q.study}` : 'all firms' };
  }
}

@QueryHandler(GetCodebookQuery)
export class GetCodebookHandler implements IQueryHandler<GetCodebookQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async execute(q: GetCodebookQuery): Promise<CodebookView> {
    const knownAt = parseKnownAt(q.knownAt);
    if (!(await this.readModels.get(COLLECTIONS.studies, ALL, q.study))) throw new NotFoundError('study', q.study, 'study');
    const versions = (await this.readModels.list<PublishedCodebook>(COLLECTIONS.codebooks, q.study))
      .map((d) => d.doc)
      .filter((c) => !knownAt || c.publishedAt <= knownAt);
    const latest = versions[versions.length - 1];
    if (!latest) return { study: q.study, version: 0, codebook: DEFAULT_CODEBOOK, publishedAt: null };
    return { study: q.study, version: latest.version, codebook: latest.codebook, publishedAt: latest.publishedAt, ...(latest.note ? { note: latest.note } : {}) };
  }
}
