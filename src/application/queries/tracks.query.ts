import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { analyseFirm } from '../../analysis/analyse-firm.js';
import type { DetectedPhase } from '../../analysis/phases.js';
import { NotFoundError } from '../../domain/errors.js';
import { settledAnalysisOf, storedAnalysisOf, type StoredAnalysis, type StoredTrackPoint } from '../../projections/analysis.projection.js';
import { ALL, COLLECTIONS } from '../../projections/collections.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';
import { GetTimelineQuery } from './timeline.query.js';

export interface FirmTracks {
  readonly firm: string;
  readonly asOf?: string;
  readonly knownAt?: string;
  readonly pattern: string;
  readonly method: string;
  readonly tracks: readonly StoredTrackPoint[];
  readonly phases: readonly DetectedPhase[];
}

/**
 * Declared and enacted tracks, ambiguity and detected phases (default parameters). Without a cut
 * they come from the analysis projection; with `asOf` and/or `knownAt` they are computed from
 * the timeline as it stood (or was known) then.
 */
export class GetTracksQuery extends Query<FirmTracks> {
  constructor(
    readonly firm: string,
    readonly asOf?: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(GetTracksQuery)
export class GetTracksHandler implements IQueryHandler<GetTracksQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly runner: ProjectionRunner,
    private readonly queries: QueryBus,
  ) {}

  async execute(q: GetTracksQuery): Promise<FirmTracks> {
    if (q.asOf || q.knownAt) {
      const t = await this.queries.execute(new GetTimelineQuery(q.firm, q.asOf, q.knownAt));
      const { pattern, method, tracks, phases } = storedAnalysisOf(q.firm, analyseFirm(t.entries, t.declaredPhases));
      return {
        firm: q.firm,
        ...(t.asOf ? { asOf: t.asOf } : {}),
        ...(t.knownAt ? { knownAt: t.knownAt } : {}),
        pattern,
        method,
        tracks,
        phases,
      };
    }
    if (!(await this.readModels.get(COLLECTIONS.firms, ALL, q.firm))) throw new NotFoundError('firm', q.firm, 'firm');
    // Events other processes logged reach the read models first; their re-analysis stays deferred.
    await this.runner.catchUp({ deferSettle: true });
    if (await this.readModels.get(COLLECTIONS.analysisPending, ALL, q.firm)) {
      // Logging deferred this firm's re-analysis: analysed here from its timeline, as the
      // settle would (settledAnalysisOf, on the same documents), rather than settling every marked
      // firm first. Under steady logging that was the whole backlog: up to ~0.9 s in the bench.
      const t = await this.queries.execute(new GetTimelineQuery(q.firm));
      const { pattern, method, tracks, phases } = settledAnalysisOf(q.firm, t.entries, t.declaredPhases);
      return { firm: q.firm, pattern, method, tracks, phases };
    }
    const stored = await this.readModels.get<StoredAnalysis>(COLLECTIONS.analysis, ALL, q.firm);
    return {
      firm: q.firm,
      pattern: stored?.pattern ?? '',
      method: stored?.method ?? '',
      tracks: stored?.tracks ?? [],
      phases: stored?.phases ?? [],
    };
  }
}
