/**
 * The coding vocabulary of FORMAT.md. These lists are a public contract: extend, never rename.
 */
export const EVENT_KINDS = [
  'strategy-decision',
  'ownership-change',
  'demand-shift',
  'planning-routine-change',
  'profitability-observation',
  'network-change',
  'customer-response-observation',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const MODES = ['interactive', 'procedural', 'context'] as const;
export type Mode = (typeof MODES)[number];

export const DEFAULT_MODE: Readonly<Record<EventKind, Mode>> = {
  'strategy-decision': 'interactive',
  'ownership-change': 'context',
  'demand-shift': 'context',
  'planning-routine-change': 'procedural',
  'profitability-observation': 'context',
  'network-change': 'interactive',
  'customer-response-observation': 'context',
};

export const SOURCE_KINDS = ['interview', 'document', 'observation', 'archival', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

export const DEMAND_DIMENSIONS = ['volume', 'mix', 'volatility', 'requirements'] as const;
export const DEMAND_DIRECTIONS = ['up', 'down', 'mixed'] as const;
export const ROUTINE_CHANGES = ['introduced', 'modified', 'abandoned', 'resisted'] as const;
export const PROFITABILITY_TRENDS = ['improving', 'stable', 'declining', 'irregular'] as const;
export const NETWORK_CHANGES = [
  'outsourcing',
  'offshoring',
  'alliance',
  'supplier-base-cut',
  'tier-change',
  'co-design',
  'other',
] as const;
export const RESPONSE_TRENDS = ['improving', 'stable', 'declining'] as const;

export const PHASE_LABELS = ['customization', 'cost', 'mixed', 'decoupled', 'ambiguity'] as const;
export type PhaseLabel = (typeof PHASE_LABELS)[number];

export const LIMITS = {
  title: 200,
  description: 10_000,
  orientationMin: -2,
  orientationMax: 2,
  shortText: 200,
  quote: 2_000,
  tag: 64,
  tags: 50,
  sources: 50,
} as const;

/** A firm or study id: lowercase slug, as FORMAT.md defines for `firm`. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const SLUG_MAX = 64;

/** Fields each kind owns in FORMAT.md; `required` must be present, the rest are optional. */
export const KIND_FIELDS: Readonly<Record<EventKind, { required: readonly string[]; optional: readonly string[] }>> = {
  'strategy-decision': { required: [], optional: [] },
  'ownership-change': { required: ['newOwner'], optional: ['previousOwner'] },
  'demand-shift': { required: ['dimension'], optional: ['direction', 'magnitudePct'] },
  'planning-routine-change': { required: ['routine', 'change'], optional: [] },
  'profitability-observation': { required: ['trend'], optional: [] },
  'network-change': { required: ['change'], optional: [] },
  'customer-response-observation': { required: ['trend'], optional: ['measure'] },
};

export function isEventKind(v: unknown): v is EventKind {
  return typeof v === 'string' && (EVENT_KINDS as readonly string[]).includes(v);
}
