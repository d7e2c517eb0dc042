import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../domain/errors.js';
import type { StoredAnalysis } from '../../projections/analysis.projection.js';
import { ALL, COLLECTIONS } from '../../projections/collections.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';

export interface FirmTracks {
  readonly firm: string;
  readonly pattern: string;
  readonly method: string;
  readonly tracks: unknown[];
  readonly phases: unknown[];
}

/** The stored tracks, ambiguity and phases (default parameters) from the analysis projection. */
export class GetTracksQuery extends Query<FirmTracks> {
  constructor(readonly firm: string) {
    super();
  }
}

@QueryHandler(GetTracksQuery)
export class GetTracksHandler implements IQueryHandler<GetTracksQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute(q: GetTracksQuery): Promise<FirmTracks> {
    // Logging defers the per-firm re-analysis; this read wants it done.
    await this.runner.settleNow();
    if (!(await this.readModels.get(COLLECTIONS.firms, ALL, q.firm))) throw new NotFoundError('firm', q.firm, 'firm');
    const stored = await this.readModels.get<StoredAnalysis>(COLLECTIONS.analysis, ALL, q.firm);
    return {
      firm: q.firm,
      pattern: stored?.pattern ?? '',
      method: stored?.method ?? '',
      tracks: [...(stored?.tracks ?? [])],
      phases: [...(stored?.phases ?? [])],
    };
  }
}
