/** Number formatting shared by the human-readable renderers. */
export const signed = (x: number): string => (x > 0 ? `+${x.toFixed(2)}` : x.toFixed(2));
export const fixed2 = (x: number): string => x.toFixed(2);
export const percent = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
export const kappaText = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
export const duration = (months: number): string => {
  const y = Math.floor(months / 12);
  const m = months % 12;
  if (y === 0) return `${m} mo`;
  return m === 0 ? `${y} y` : `${y} y ${m} mo`;
};

/** Parameters as `name = value` rows, nested objects flattened with a dot. */
export function parameterRows(params: object, prefix = ''): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && typeof v === 'object') rows.push(...parameterRows(v as object, `${prefix}${k}.`));
    else rows.push([`${prefix}${k}`, v === null ? 'null' : String(v)]);
  }
  return rows;
}

/** What each parameter means, for the method section (kept beside the names so they stay in step). */
export const PARAMETER_NOTES: Readonly<Record<string, string>> = {
  granularity: 'width of one period',
  until: 'last period shown (null: latest event)',
  declaredStepWeight: 'share of the distance to an interactive event’s orientation the declared track moves',
  enactedStepWeight: 'share of the distance to a procedural event’s orientation the enacted track moves',
  trackMedianOf: 'a track steps towards the median of its last this-many acts (1: each act alone)',
  trackMemoryPeriods: 'acts older than this many periods leave that median',
  'confidenceWeights.low': 'step multiplier for low-confidence events',
  'confidenceWeights.medium': 'step multiplier for medium-confidence events',
  'confidenceWeights.high': 'step multiplier for high-confidence events',
  unobservedTrackMirrorsOther: 'a track with no own event yet shows the other track',
  ambiguityFromDemandShift: 'ambiguity added by a demand shift',
  ambiguityFromIrregularProfit: 'ambiguity added by irregular profitability',
  ambiguityFromDecliningProfit: 'ambiguity added by declining profitability',
  ambiguityFromConflictingDecisions: 'ambiguity added by opposite-signed decisions close together',
  conflictWindowPeriods: 'how close (periods) opposite-signed decisions conflict',
  ambiguityHalfLifePeriods: 'ambiguity halves after this many quiet periods',
  ambiguityResolvedByCommitment: 'share of ambiguity removed by an act agreeing with its track’s recent acts',
  ambiguityExitThreshold: 'once ambiguous, a period stays ambiguity down to this level',
  customizationThreshold: 'mean orientation at or above → customization',
  costThreshold: 'mean orientation at or below → cost',
  decoupledGap: '|declared − enacted| at or above → decoupled',
  ambiguityThreshold: 'ambiguity at or above → ambiguity',
  minPhasePeriods: 'shortest phase (periods)',
  deviationTolerancePeriods: 'longest deviation absorbed inside a phase (periods)',
  boundaryWindowPeriods: 'events cited within this many periods of a boundary',
  resistanceMinPeriods: 'procedural resistance: gap must last this many periods',
  mechanismWindowMonths: 'a mechanism’s consequence must follow within this many months',
  costMoveMinDrop: 'a declared move to cost: minimum fall of the declared track',
};

/** The provenance line: what log, cut and codebook the report rests on. */
export function provenance(model: {
  generatedAt: string;
  asOf: string | null;
  knownAt: string | null;
  codebook: { version: number; publishedAt: string | null } | null;
}): string[] {
  return [
    `log as recorded up to ${model.generatedAt}`,
    ...(model.asOf ? [`as of ${model.asOf}`] : []),
    ...(model.knownAt ? [`as known at ${model.knownAt}`] : []),
    ...(model.codebook ? [`codebook v${model.codebook.version}${model.codebook.version === 0 ? ' (built-in)' : ''}`] : []),
  ];
}

/** `interview:INT-03 (CFO) "quote"` */
export function sourceText(s: { kind: string; ref: string; informant?: string; quote?: string }): string {
  return `${s.kind}:${s.ref}${s.informant ? ` (${s.informant})` : ''}${s.quote ? ` "${s.quote}"` : ''}`;
}
