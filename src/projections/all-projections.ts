import { analysisProjection } from './analysis.projection.js';
import { catalogProjection } from './catalog.projection.js';
import type { Projection } from './projection.js';
import { timelineProjection } from './timeline.projection.js';

/** Every projection the runner keeps up to date, in no particular order (dependencies are resolved). */
export const ALL_PROJECTIONS: readonly Projection[] = [catalogProjection, timelineProjection, analysisProjection];
