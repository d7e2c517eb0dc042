import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { hasBegunBy, isOccurredError, parseOccurred, type Occurred } from '../../domain/occurred.js';
import type { DeclaredPhase, TimelineEntry } from '../../domain/timeline.js';
import type { FirmSummary } from '../../projections/catalog.projection.js';
import { ALL, COLLECTIONS } from '../../projections/collections.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';

export interface FirmTimeline {
  readonly firm: FirmSummary;
  readonly asOf?: string;
  readonly entries: TimelineEntry[];
  readonly declaredPhases: DeclaredPhase[];
}

/** A firm's events in timeline order; with `asOf`, only those that had begun by that date. */
export class GetTimelineQuery extends Query<FirmTimeline> {
  constructor(
    readonly firm: string,
    readonly asOf?: string,
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

@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async execute(q: GetTimelineQuery): Promise<FirmTimeline> {
    const asOf = parseAsOf(q.asOf);
    const firm = await this.readModels.get<FirmSummary>(COLLECTIONS.firms, ALL, q.firm);
    if (!firm) throw new NotFoundError('firm', q.firm, 'firm');
    let entries = (await this.readModels.list<TimelineEntry>(COLLECTIONS.timeline, q.firm)).map((d) => d.doc);
    let declaredPhases = (await this.readModels.list<DeclaredPhase>(COLLECTIONS.declaredPhases, q.firm)).map((d) => d.doc);
    if (asOf) {
      entries = entries.filter((e) => hasBegunBy(parseOccurred(e.occurred) as Occurred, asOf));
      declaredPhases = declaredPhases.filter((p) => hasBegunBy(parseOccurred(p.from) as Occurred, asOf));
    }
    return { firm, ...(asOf ? { asOf: asOf.text } : {}), entries, declaredPhases };
  }
}
