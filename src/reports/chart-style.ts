import type { EventKind, Mode, PhaseLabel } from '../domain/vocabulary.js';

/**
 * Colours for the chart. Phase bands are pale so the tracks stay legible; the two tracks also
 * differ by dash so the figure survives greyscale printing.
 */
export const LABEL_COLOURS: Readonly<Record<PhaseLabel, string>> = {
  customization: '#4e79a7',
  cost: '#e15759',
  mixed: '#9c9c9c',
  decoupled: '#f28e2b',
  ambiguity: '#b07aa1',
};

export const KIND_COLOURS: Readonly<Record<EventKind, string>> = {
  'strategy-decision': '#1f77b4',
  'ownership-change': '#d62728',
  'demand-shift': '#8c564b',
  'planning-routine-change': '#2ca02c',
  'profitability-observation': '#bcbd22',
  'network-change': '#17becf',
  'customer-response-observation': '#e377c2',
};

export const MODE_SHAPES: Readonly<Record<Mode, string>> = {
  interactive: 'circle',
  procedural: 'square',
  context: 'diamond',
};

export const DECLARED_STROKE = '#08306b';
export const ENACTED_STROKE = '#7f2704';
export const AMBIGUITY_FILL = '#6a3d9a';
