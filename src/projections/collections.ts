/** Read-model collection names, shared by the projections that write them and the queries that read them. */
export const COLLECTIONS = {
  studies: 'studies',
  firms: 'firms',
  timeline: 'timeline',
  declaredPhases: 'declared-phases',
  analysis: 'analysis',
  analysisPending: 'analysis-pending',
  codings: 'codings',
  codebooks: 'codebooks',
} as const;

/** Partition for collections that are not split by firm. */
export const ALL = '_';

/** Sort key suffix for recording order: zero-padded so string order equals numeric order. */
export const positionKey = (position: number): string => String(position).padStart(15, '0');
