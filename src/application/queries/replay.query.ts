import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AnalysisParameters } from '../../analysis/parameters.js';
import { replayFrames, type ReplayFrame } from '../../analysis/replay.js';
import { GetTimelineQuery } from './timeline.query.js';

/** The firm's tracks and current phase, period by period, each computed from the events up to it. */
export class ReplayQuery extends Query<{ firm: string; frames: ReplayFrame[] }> {
  constructor(
    readonly firm: string,
    readonly asOf?: string,
    readonly knownAt?: string,
    readonly parameters: Partial<AnalysisParameters> = {},
  ) {
    super();
  }
}

@QueryHandler(ReplayQuery)
export class ReplayHandler implements IQueryHandler<ReplayQuery> {
  constructor(private readonly queries: QueryBus) {}

  async execute(q: ReplayQuery) {
    const t = await this.queries.execute(new GetTimelineQuery(q.firm, q.asOf, q.knownAt));
    return { firm: q.firm, frames: replayFrames(t.entries, t.declaredPhases, q.parameters) };
  }
}
