/** Public surface of the pure analysis engine. */
export * from './agreement.js';
export * from './ambiguity.js';
export * from './analyse-firm.js';
export * from './checks.js';
export * from './labels.js';
export * from './order.js';
export * from './parameters.js';
export * from './periods.js';
export * from './phases.js';
export * from './researcher-phases.js';
export * from './smoothing.js';
export * from './tracks.js';
export * from './clustering.js';
export * from './compare.js';
export * from './optimal-matching.js';
