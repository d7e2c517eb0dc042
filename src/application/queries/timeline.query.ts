import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { firmStream, type FirmRegisteredData } from '../../domain/events.js';
import { hasBegunBy, isOccurredError, occurred, parseOccurred, type Occurred } from '../../domain/occurred.js';
import type { Coding, DeclaredPhase, TimelineEntry } from '../../domain/timeline.js';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../event-store/event-store.port.js';
import type { FirmSummary } from '../../projections/catalog.projection.js';
import { ALL, COLLECTIONS } from '../../projections/collections.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';
import { phaseSortKey, timelineSortKey } from '../../projections/timeline-entry.js';
import { foldTimeline } from '../../projections/timeline-fold.js';
import { parseKnownAt } from './known-at.js';

export interface FirmTimeline {
  readonly firm: FirmSummary;
  readonly asOf?: string;
  readonly knownAt?: string;
  readonly entries: TimelineEntry[];
  readonly declaredPhases: DeclaredPhase[];
  readonly codings: Coding[];
  /** When the latest event this timeline rests on was recorded: the log "as recorded up to" then. */
  readonly basisRecordedAt: string;
}

/**
 * A firm's events in timeline order, bitemporally: `asOf` (an occurred date) keeps the events
 * that had begun by then; `knownAt` (a recorded time) replays only what had been logged by then,
 * corrections included — so a report can be regenerated exactly as it could have been written.
 */
export class GetTimelineQuery extends Query<FirmTimeline> {
  constructor(
    readonly firm: string,
    readonly asOf?: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

export function parseAsOf(asOf: string | undefined, field = 'asOf'): Occurred | undefined {
  if (asOf === undefined || asOf === '') return undefined;
  const parsed = parseOccurred(asOf);
  if (isOccurredError(parsed)) throw InvalidInputError.field(field, parsed.error);
  return parsed;
}

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute(q: GetTimelineQuery): Promise<FirmTimeline> {
    const asOf = parseAsOf(q.asOf);
    const knownAt = parseKnownAt(q.knownAt);
    const firm = await this.readModels.get<FirmSummary>(COLLECTIONS.firms, ALL, q.firm);
    if (!firm) throw new NotFoundError('firm', q.firm, 'firm');
    let { entries, declaredPhases, codings, basisRecordedAt } = knownAt ? await this.replay(q.firm, knownAt) : await this.current(firm);
    if (asOf) {
      entries = entries.filter((e) => hasBegunBy(occurred(e.occurred), asOf));
      declaredPhases = declaredPhases.filter((p) => hasBegunBy(occurred(p.from), asOf));
    }
    return {
      firm,
      ...(asOf ? { asOf: asOf.text } : {}),
      ...(knownAt ? { knownAt } : {}),
      entries,
      declaredPhases,
      codings,
      basisRecordedAt,
    };
  }

  private async current({ id: firm, lastRecordedAt, registeredAt }: FirmSummary) {
    return {
      basisRecordedAt: lastRecordedAt ?? registeredAt,
      entries: (await this.readModels.list<TimelineEntry>(COLLECTIONS.timeline, firm)).map((d) => d.doc),
      declaredPhases: (await this.readModels.list<DeclaredPhase>(COLLECTIONS.declaredPhases, firm)).map((d) => d.doc),
      codings: (await this.readModels.list<Coding>(COLLECTIONS.codings, firm)).map((d) => d.doc),
    };
  }

  /** The firm as the log knew it at `knownAt`: its stream up to then, through the projection's own fold. */
  private async replay(firm: string, knownAt: string) {
    const upTo: StoredEvent[] = [];
    let registered = false;
    for await (const e of this.store.readStream(firmStream(firm))) {
      // Commit times rise along a stream, but a clock step back must not end the replay early.
      if (e.recordedAt > knownAt) continue;
      if (e.type === 'firm-registered' && (e.data as FirmRegisteredData).firm === firm) registered = true;
      upTo.push(e);
    }
    if (!registered) throw new NotFoundError(`firm (as known at ${knownAt})`, firm, 'firm');
    const folded = await foldTimeline(upTo);
    return {
      basisRecordedAt: upTo.reduce((latest, e) => (e.recordedAt > latest ? e.recordedAt : latest), ''),
      entries: folded.entries.sort(byKey(timelineSortKey)),
      declaredPhases: folded.phases.sort(byKey(phaseSortKey)),
      codings: folded.codings,
    };
  }
}
